import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;

/** Counts primes for each query from scratch by trial division with the primes found so far. */
public class Main {
    static int countPrimes(int n) {
        List<Integer> primes = new ArrayList<>();
        for (int candidate = 2; candidate <= n; candidate++) {
            boolean prime = true;
            for (int p : primes) {
                if (p * p > candidate) break;
                if (candidate % p == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) primes.add(candidate);
        }
        return primes.size();
    }

    public static void main(String[] args) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(System.in));
        int q = Integer.parseInt(reader.readLine().trim());
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < q; i++) {
            int n = Integer.parseInt(reader.readLine().trim());
            out.append(countPrimes(n)).append('\n');
        }
        System.out.print(out);
    }
}
