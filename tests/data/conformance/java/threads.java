import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

public class Main {
    public static void main(String[] args) throws InterruptedException {
        AtomicLong total = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> { long s = 0; for (int k = 0; k < 1_000_000; k++) s++; total.addAndGet(s); });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) t.join();
        System.out.println("sum " + total.get());
    }
}
