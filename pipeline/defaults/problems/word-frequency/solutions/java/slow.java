import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;

/** Most frequent words, naive: parallel linked lists searched linearly for every word. */
public class Main {
    public static void main(String[] args) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(System.in));
        int k = Integer.parseInt(reader.readLine().trim());
        List<String> words = new LinkedList<>();
        List<Integer> counts = new LinkedList<>();
        String line;
        while ((line = reader.readLine()) != null) {
            for (String word : line.split(" ")) {
                if (word.isEmpty()) {
                    continue;
                }
                int index = words.indexOf(word);
                if (index < 0) {
                    words.add(word);
                    counts.add(1);
                } else {
                    counts.set(index, counts.get(index) + 1);
                }
            }
        }
        List<String> sortedWords = new ArrayList<>(words);
        List<Integer> sortedCounts = new ArrayList<>(counts);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < sortedWords.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> !sortedCounts.get(a).equals(sortedCounts.get(b))
                ? Integer.compare(sortedCounts.get(b), sortedCounts.get(a))
                : sortedWords.get(a).compareTo(sortedWords.get(b)));
        StringBuilder output = new StringBuilder();
        for (int i = 0; i < Math.min(k, order.size()); i++) {
            int index = order.get(i);
            output.append(sortedWords.get(index)).append(' ').append(sortedCounts.get(index)).append('\n');
        }
        System.out.print(output);
    }
}
