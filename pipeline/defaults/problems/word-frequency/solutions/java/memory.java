import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Most frequent words: open-addressing table given generous headroom up front. */
public class Main {
    /** Slots per input word (rounded up to a power of two), so the table never grows. */
    private static final int HEADROOM = 384;
    private static final int EMPTY = -1;

    public static void main(String[] args) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(System.in));
        int k = Integer.parseInt(reader.readLine().trim());
        List<String> words = new ArrayList<>();
        String line;
        while ((line = reader.readLine()) != null) {
            for (String word : line.split(" ")) {
                if (!word.isEmpty()) {
                    words.add(word);
                }
            }
        }
        int size = Integer.highestOneBit(words.size()) * 2 * HEADROOM;
        int[] keys = new int[size];
        int[] counts = new int[size];
        Arrays.fill(keys, EMPTY);
        List<Integer> used = new ArrayList<>();
        for (int w = 0; w < words.size(); w++) {
            String word = words.get(w);
            int slot = Math.floorMod(word.hashCode(), size);
            while (keys[slot] != EMPTY && !words.get(keys[slot]).equals(word)) {
                slot = (slot + 1) % size;
            }
            if (keys[slot] == EMPTY) {
                keys[slot] = w;
                used.add(slot);
            }
            counts[slot]++;
        }
        used.sort((a, b) -> counts[a] != counts[b]
                ? Integer.compare(counts[b], counts[a])
                : words.get(keys[a]).compareTo(words.get(keys[b])));
        StringBuilder output = new StringBuilder();
        for (int i = 0; i < Math.min(k, used.size()); i++) {
            int slot = used.get(i);
            output.append(words.get(keys[slot])).append(' ').append(counts[slot]).append('\n');
        }
        System.out.print(output);
    }
}
