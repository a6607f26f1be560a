import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;

/** Range sums, naive: keeps the numbers as text and parses the range on every query. */
public class Main {
    /** Sum of tokens[left-1 .. right-1], parsed on the fly. */
    private static long rangeSum(String[] tokens, int left, int right) {
        long total = 0;
        for (int i = left - 1; i < right; i++) {
            total += Long.parseLong(tokens[i]);
        }
        return total;
    }

    public static void main(String[] args) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(System.in));
        String[] header = reader.readLine().trim().split(" ");
        int q = Integer.parseInt(header[1]);
        String[] tokens = reader.readLine().trim().split(" ");
        StringBuilder output = new StringBuilder();
        for (int i = 0; i < q; i++) {
            String[] bounds = reader.readLine().trim().split(" ");
            int left = Integer.parseInt(bounds[0]);
            int right = Integer.parseInt(bounds[1]);
            output.append(rangeSum(tokens, left, right)).append('\n');
        }
        System.out.print(output);
    }
}
