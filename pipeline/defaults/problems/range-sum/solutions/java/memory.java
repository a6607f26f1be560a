import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintWriter;

/** Range sums with a prefix table given generous headroom up front. */
public class Main {
    /** The table holds HEADROOM times n (rounded up to a power of two) entries, so it never has to grow. */
    private static final int HEADROOM = 720;

    private static int tableCapacity(int n) {
        int size = 1;
        while (size < n) {
            size *= 2;
        }
        return size * HEADROOM;
    }

    /** Minimal buffered reader of signed decimal integers from stdin. */
    private static final class IntReader {
        private final DataInputStream in = new DataInputStream(System.in);
        private final byte[] buffer = new byte[1 << 16];
        private int length;
        private int position;

        private int read() throws IOException {
            if (position == length) {
                length = in.read(buffer, 0, buffer.length);
                position = 0;
                if (length <= 0) {
                    return -1;
                }
            }
            return buffer[position++];
        }

        long nextLong() throws IOException {
            int c = read();
            while (c == ' ' || c == '\n' || c == '\r') {
                c = read();
            }
            boolean negative = c == '-';
            if (negative) {
                c = read();
            }
            long value = 0;
            while (c >= '0' && c <= '9') {
                value = value * 10 + (c - '0');
                c = read();
            }
            return negative ? -value : value;
        }
    }

    public static void main(String[] args) throws IOException {
        IntReader reader = new IntReader();
        int n = (int) reader.nextLong();
        int q = (int) reader.nextLong();
        long[] sums = new long[tableCapacity(n) + 1];
        for (int i = 1; i <= n; i++) {
            sums[i] = sums[i - 1] + reader.nextLong();
        }
        StringBuilder output = new StringBuilder();
        for (int i = 0; i < q; i++) {
            int left = (int) reader.nextLong();
            int right = (int) reader.nextLong();
            output.append(sums[right] - sums[left - 1]).append('\n');
        }
        PrintWriter writer = new PrintWriter(System.out);
        writer.print(output);
        writer.flush();
    }
}
