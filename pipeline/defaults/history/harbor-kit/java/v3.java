package io.harbor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
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
    public static Object restore(byte[] data) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data))) {
            return in.readObject();
        }
    }

    public static String x(Map<String, Integer> m) {
        StringBuilder s = new StringBuilder();
        for (String k : new TreeMap<>(m).keySet()) { Integer v = m.get(k); if (v != null) { if (v > 0) { s.append(k).append('=').append(v).append('\n'); } } }
        return s.toString();
    }
}
