import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.StringTokenizer;

/** Counts pairs summing to a target with a direct-address table indexed by value. */
public class Main {
    public static void main(String[] args) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(System.in));
        StringTokenizer header = new StringTokenizer(reader.readLine());
        int n = Integer.parseInt(header.nextToken());
        long target = Long.parseLong(header.nextToken());
        StringTokenizer tokens = new StringTokenizer(reader.readLine());
        long[] values = new long[n];
        long maxValue = 0;
        for (int i = 0; i < n; i++) {
            values[i] = Long.parseLong(tokens.nextToken());
            maxValue = Math.max(maxValue, values[i]);
        }

        // countOf[v] is how many times v has appeared so far.
        long[] countOf = new long[(int) maxValue + 1];
        long pairs = 0;
        for (long value : values) {
            long complement = target - value;
            if (complement >= 0 && complement <= maxValue) pairs += countOf[(int) complement];
            countOf[(int) value]++;
        }
        System.out.println(pairs);
    }
}
