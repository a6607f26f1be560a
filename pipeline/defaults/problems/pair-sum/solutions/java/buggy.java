import java.io.DataInputStream;
import java.io.IOException;
import java.util.Arrays;

/** Counts pairs summing to a target: sort once, then binary-search each complement. */
public class Main {
    /** Reads non-negative integers separated by whitespace from a buffered stream. */
    static long readLong(DataInputStream in) throws IOException {
        int c = in.read();
        while (c == ' ' || c == '\n' || c == '\r') c = in.read();
        long value = 0;
        for (; c >= '0' && c <= '9'; c = in.read()) value = value * 10 + (c - '0');
        return value;
    }

    /** First index in [from, to) whose value is greater than key (or >= key when inclusive). */
    static int bound(long[] sorted, int from, int to, long key, boolean inclusive) {
        while (from < to) {
            int mid = (from + to) >>> 1;
            if (sorted[mid] < key || (!inclusive && sorted[mid] == key)) from = mid + 1;
            else to = mid;
        }
        return from;
    }

    public static void main(String[] args) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(System.in, 1 << 16));
        int n = (int) readLong(in);
        long target = readLong(in);
        long[] values = new long[n];
        for (int i = 0; i < n; i++) values[i] = readLong(in);
        Arrays.sort(values);

        long pairs = 0;
        for (int i = 0; i < n; i++) {
            long complement = target - values[i];
            pairs += bound(values, i, n, complement, false) - bound(values, i, n, complement, true);
        }
        System.out.println(pairs);
    }
}
