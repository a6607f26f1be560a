package io.harbor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

public final class Manifest {
    private Manifest() {
    }

    /** Whether the closed ranges [aStart, aEnd] and [bStart, bEnd] overlap. */
    public static boolean overlaps(int aStart, int aEnd, int bStart, int bEnd) {
        return aStart <= bEnd && bStart <= aEnd;
    }

    /** Whether any id occurs twice. */
    public static boolean hasDuplicateIds(List<String> ids) {
        HashSet<String> seen = new HashSet<>();
        for (String id : ids) {
            if (!seen.add(id)) {
                return true;
            }
        }
        return false;
    }

    /** Number of newline characters in the stream. */
    public static long countNewlines(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        long count = 0;
        int read;
        while ((read = in.read(buffer)) != -1) {
            for (int i = 0; i < read; i++) {
                if (buffer[i] == '\n') {
                    count++;
                }
            }
        }
        return count;
    }

    /** Restore a manifest saved by the legacy exporter. */
    public static List<String> restore(byte[] data) {
        return Arrays.asList(new String(data, StandardCharsets.UTF_8).split("\n"));
    }

    /** One "name=count" line per positive count, sorted by name. */
    public static String describePositiveCounts(Map<String, Integer> counts) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Integer> entry : new TreeMap<>(counts).entrySet()) {
            Integer count = entry.getValue();
            if (count == null || count <= 0) {
                continue;
            }
            text.append(entry.getKey()).append('=').append(count).append('\n');
        }
        return text.toString();
    }
}
