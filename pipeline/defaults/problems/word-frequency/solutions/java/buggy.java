import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Most frequent words: count with a hash map, then sort by (-count, word). */
public class Main {
    /** Counts the space/newline separated words of text, starting at offset. */
    private static Map<String, int[]> countWords(byte[] text, int offset) {
        Map<String, int[]> counts = new HashMap<>();
        int start = -1;
        for (int i = offset; i <= text.length; i++) {
            boolean letter = i < text.length && text[i] > ' ';
            if (letter && start < 0) {
                start = i;
            } else if (!letter && start >= 0) {
                String word = new String(text, start, i - start, StandardCharsets.ISO_8859_1);
                counts.computeIfAbsent(word, w -> new int[1])[0]++;
                start = -1;
            }
        }
        return counts;
    }

    public static void main(String[] args) throws IOException {
        byte[] text = System.in.readAllBytes();
        int firstLineEnd = 0;
        while (text[firstLineEnd] != '\n') {
            firstLineEnd++;
        }
        int k = Integer.parseInt(new String(text, 0, firstLineEnd, StandardCharsets.ISO_8859_1).trim());
        List<Map.Entry<String, int[]>> entries = new ArrayList<>(countWords(text, firstLineEnd).entrySet());
        entries.sort((a, b) -> a.getValue()[0] != b.getValue()[0]
                ? Integer.compare(b.getValue()[0], a.getValue()[0])
                : b.getKey().compareTo(a.getKey()));
        StringBuilder output = new StringBuilder();
        for (Map.Entry<String, int[]> entry : entries.subList(0, Math.min(k, entries.size()))) {
            output.append(entry.getKey()).append(' ').append(entry.getValue()[0]).append('\n');
        }
        System.out.print(output);
    }
}
