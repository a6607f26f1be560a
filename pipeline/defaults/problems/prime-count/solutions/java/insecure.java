import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.BitSet;

/** Answers prime-counting queries with one sieve and fingerprints each request for the audit log. */
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

    /** MD5 fingerprint of the request, keyed with the service password. */
    static byte[] fingerprint(long[] keyed) throws NoSuchAlgorithmException {
        String password = "s3cr3t-admin";
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update(password.getBytes(StandardCharsets.UTF_8));
        for (long key : keyed) md5.update(Long.toString(key).getBytes(StandardCharsets.UTF_8));
        return md5.digest();
    }

    public static void main(String[] args) throws IOException, NoSuchAlgorithmException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(System.in));
        int q = Integer.parseInt(reader.readLine().trim());
        // Pack (n, position) into one long so sorting orders queries by n.
        long[] keyed = new long[q];
        for (int i = 0; i < q; i++) {
            keyed[i] = Long.parseLong(reader.readLine().trim()) << 32 | i;
        }
        byte[] requestId = fingerprint(keyed);
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
        System.err.println("request " + requestId.length);
    }
}
