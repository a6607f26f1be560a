import java.util.*;

/* A judge-style submission whose public class is not called Main. */
public class Solution {
    static String solve() { return "solution"; }

    public static void main(String[] args) {
        System.out.println(solve());
    }
}

class Helper {
}
