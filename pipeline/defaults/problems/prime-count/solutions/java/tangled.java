import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] z) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(System.in));
        int q = Integer.parseInt(r.readLine().trim());
        long[] A = new long[q];
        // System.out.println(q);
        for (int i = 0; i < q; i++) {
            long v = Long.parseLong(r.readLine().trim());
            A[i] = v << 32 | i;
        }
        Arrays.sort(A);
        int m = (int) (A[q - 1] >> 32);
        BitSet S = new BitSet(m + 1);
        for (long i = 2; i * i <= m; i++) {
            if (!S.get((int) i)) {
                for (long j = i * i; j <= m; j += i) {
                    if (!S.get((int) j)) {
                        S.set((int) j);
                    }
                }
            }
        }
        // System.out.println(S.cardinality());
        int[] O = new int[q];
        int c = 0, k = 2;
        for (long x : A) {
            int n = (int) (x >> 32);
            while (k <= n) {
                if (!S.get(k)) {
                    if (k >= 2) {
                        c++;
                    }
                }
                k++;
            }
            O[(int) x] = c;
        }
        // System.out.println("c = " + c);
        StringBuilder b = new StringBuilder();
        for (int v : O) {
            b.append(v).append('\n');
        }
        System.out.print(b);
    }
}
