class Main {
    public static void main(String[] args) {
        System.out.println("main without public");
    }
}
