import java.math.BigInteger;
import java.util.*;
import java.util.stream.*;

public class Main {
    public static void main(String[] args) {
        Scanner sc = new Scanner(System.in);
        int n = sc.nextInt();
        List<Integer> v = new ArrayList<>();
        for (int i = 0; i < n; i++) v.add(sc.nextInt());
        System.out.println(new TreeSet<>(v));
        System.out.println(v.stream().mapToInt(Integer::intValue).sum() - 3);
        BigInteger f = IntStream.rangeClosed(1, 50).mapToObj(BigInteger::valueOf).reduce(BigInteger.ONE, BigInteger::multiply);
        System.out.println(f);
    }
}
