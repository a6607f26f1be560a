import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

public class WordStats {
    private final Map<String, Integer> counts = new HashMap<>();
    private int lines;

    void feed(String line) {
        lines++;
        for (String raw : line.split("\\s+")) {
            String word = raw.replaceAll("[^A-Za-z']", "").toLowerCase();
            if (word.isEmpty() || (word.length() == 1 && !word.equals("a"))) {
                continue;
            }
            counts.merge(word, 1, Integer::sum);
        }
    }

    List<Map.Entry<String, Integer>> top(int n) {
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort((x, y) -> x.getValue().equals(y.getValue())
                ? x.getKey().compareTo(y.getKey()) : y.getValue() - x.getValue());
        return entries.subList(0, Math.min(n, entries.size()));
    }

    String summary() {
        int total = 0;
        String longest = "";
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            total += e.getValue();
            if (e.getKey().length() > longest.length()) {
                longest = e.getKey();
            }
        }
        return total == 0 ? "empty" : total + " words, longest " + longest + ", lines " + lines;
    }

    public static void main(String[] args) throws IOException {
        WordStats stats = new WordStats();
        BufferedReader reader = new BufferedReader(new InputStreamReader(System.in));
        String line;
        while ((line = reader.readLine()) != null) {
            stats.feed(line);
        }
        for (Map.Entry<String, Integer> e : stats.top(10)) {
            System.out.printf("%6d %s%n", e.getValue(), e.getKey());
        }
        System.out.println(stats.summary());
    }
}
