import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.HashMap;
import java.util.Map;

/** Answers prime-counting queries from memoised prefix tables: one full pi table per distinct query. */
public class Main {
    static final Map<Integer, long[]> TABLE_CACHE = new HashMap<>();

    /** isPrime[i] is true exactly when i is prime, for every i <= limit. */
    static boolean[] sieve(int limit) {
        boolean[] isPrime = new boolean[limit + 1];
        for (int i = 2; i <= limit; i++) isPrime[i] = true;
        for (long p = 2; p * p <= limit; p++) {
            if (!isPrime[(int) p]) continue;
            for (long multiple = p * p; multiple <= limit; multiple += p) isPrime[(int) multiple] = false;
        }
        return isPrime;
    }

    /** Returns (and caches) a table whose entry i is the number of primes <= i, for i <= n. */
    static long[] primeCountTable(boolean[] isPrime, int n) {
        return TABLE_CACHE.computeIfAbsent(n, size -> {
            long[] table = new long[size + 1];
            for (int i = 1; i <= size; i++) table[i] = table[i - 1] + (isPrime[i] ? 1 : 0);
            return table;
        });
    }

    public static void main(String[] args) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(System.in));
        int q = Integer.parseInt(reader.readLine().trim());
        int[] queries = new int[q];
        int limit = 1;
        for (int i = 0; i < q; i++) {
            queries[i] = Integer.parseInt(reader.readLine().trim());
            limit = Math.max(limit, queries[i]);
        }
        boolean[] isPrime = sieve(limit);
        StringBuilder out = new StringBuilder();
        for (int n : queries) out.append(primeCountTable(isPrime, n)[n]).append('\n');
        System.out.print(out);
    }
}
