public class Main {
    public static void main(String[] args) {
        int x = 2;
        assert x + x == 4;
        System.out.println("ok");
    }
}
