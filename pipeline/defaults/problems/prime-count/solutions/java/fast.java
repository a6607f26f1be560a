import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.Arrays;
import java.util.BitSet;

/** Answers prime-counting queries with one bit-packed sieve of Eratosthenes. */
public class Main {
    /** Returns a bit set in which bit i is set for every composite i <= limit. */
    static BitSet sieve(int limit) {
        BitSet composite = new BitSet(limit + 1);
        for (long p = 2; p * p <= limit; p++) {
            if (composite.get((int) p)) continue;
            for (long multiple = p * p; multiple <= limit; multiple += p) composite.set((int) multiple);
        }
        return composite;
    }

    public static void main(String[] args) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(System.in));
        int q = Integer.parseInt(reader.readLine().trim());
        // Pack (n, position) into one long so sorting orders queries by n.
        long[] keyed = new long[q];
        for (int i = 0; i < q; i++) {
            keyed[i] = Long.parseLong(reader.readLine().trim()) << 32 | i;
        }
        Arrays.sort(keyed);

        BitSet composite = sieve((int) (keyed[q - 1] >> 32));
        int[] answers = new int[q];
        int primesSeen = 0;
        int next = 2;
        for (long key : keyed) {
            int n = (int) (key >> 32);
            for (; next <= n; next++) {
                if (!composite.get(next)) primesSeen++;
            }
            answers[(int) key] = primesSeen;
        }
        StringBuilder out = new StringBuilder();
        for (int answer : answers) out.append(answer).append('\n');
        System.out.print(out);
    }
}
