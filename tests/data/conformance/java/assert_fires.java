public class Main {
    public static void main(String[] args) {
        int x = 2;
        assert x + x == 5 : "arithmetic is broken";
        System.out.println("unreachable");
    }
}
