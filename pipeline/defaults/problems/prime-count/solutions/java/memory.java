import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;

/** Memoises the prime factorisation of every integer up to the largest query; primes have one factor. */
public class Main {
    /** Room for every factor list: 2^21 > 2,000,000, so no n here has more than 20 prime factors. */
    static final int MAX_FACTORS = 21;

    public static void main(String[] args) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(System.in));
        int q = Integer.parseInt(reader.readLine().trim());
        long[] queries = new long[q];
        int limit = 1;
        for (int i = 0; i < q; i++) {
            queries[i] = Long.parseLong(reader.readLine().trim());
            limit = (int) Math.max(limit, queries[i]);
        }

        // smallestFactor[i] is the least prime dividing i (0 until set).
        long[] smallestFactor = new long[limit + 1];
        for (int p = 2; p <= limit; p++) {
            if (smallestFactor[p] != 0) continue;
            for (long m = p; m <= limit; m += p) {
                if (smallestFactor[(int) m] == 0) smallestFactor[(int) m] = p;
            }
        }

        // factors.get(i) lists the prime factors of i, extending the list of i / smallestFactor[i].
        List<List<Long>> factors = new ArrayList<>(limit + 1);
        factors.add(new ArrayList<>());
        factors.add(new ArrayList<>());
        long[] primeCount = new long[limit + 1];
        for (int i = 2; i <= limit; i++) {
            long p = smallestFactor[i];
            List<Long> own = new ArrayList<>(MAX_FACTORS);
            own.addAll(factors.get((int) (i / p)));
            own.add(p);
            factors.add(own);
            primeCount[i] = primeCount[i - 1] + (own.size() == 1 ? 1 : 0);
        }

        StringBuilder out = new StringBuilder();
        for (long n : queries) out.append(primeCount[(int) n]).append('\n');
        System.out.print(out);
    }
}
