import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.LinkedList;
import java.util.List;
import java.util.StringTokenizer;

/** Counts pairs summing to a target by streaming over every other element for each element. */
public class Main {
    public static void main(String[] args) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(System.in));
        StringTokenizer header = new StringTokenizer(reader.readLine());
        int n = Integer.parseInt(header.nextToken());
        long target = Long.parseLong(header.nextToken());
        StringTokenizer tokens = new StringTokenizer(reader.readLine());
        List<Long> values = new LinkedList<>();
        for (int i = 0; i < n; i++) values.add(Long.parseLong(tokens.nextToken()));

        // Count ordered pairs (i, j) with i != j; every unordered pair is seen twice.
        long orderedPairs = 0;
        for (int i = 0; i < n; i++) {
            long first = values.get(i);
            long matches = values.stream().map(second -> first + second).filter(sum -> sum == target).count();
            if (first + first == target) matches--;
            orderedPairs += matches;
        }
        System.out.println(orderedPairs / 2);
    }
}
