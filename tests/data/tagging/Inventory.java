import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Stock bookkeeping with reorder suggestions. */
public class Inventory {
    private static final int DEFAULT_WIDTH = 3;
    private final Map<String, Integer> stock = new HashMap<>();
    private final Map<String, Integer> reorderLevels = new HashMap<>();

    public Inventory() {
        this(new HashMap<>());
    }

    public Inventory(Map<String, Integer> initial) {
        for (Map.Entry<String, Integer> entry : initial.entrySet()) {
            if (entry.getValue() != null && entry.getValue() >= 0) {
                stock.put(entry.getKey(), entry.getValue());
            }
        }
    }

    public boolean needsReorder(String sku, int pending) {
        int level = reorderLevels.getOrDefault(sku, 0);
        int quantity = stock.getOrDefault(sku, 0);
        return level > 0 && quantity + pending <= level;
    }

    public int reorderQuantity(String sku, int pending) {
        if (!needsReorder(sku, pending)) {
            return 0;
        }
        int target = reorderLevels.get(sku) * 2;
        int shortfall = target - stock.getOrDefault(sku, 0) - pending;
        return shortfall > 0 ? shortfall : 0;
    }

    public String classify(String sku) {
        int quantity = stock.getOrDefault(sku, 0);
        int level = reorderLevels.getOrDefault(sku, 0);
        if (quantity == 0) {
            return "out";
        } else if (quantity <= level) {
            return "low";
        } else if (quantity > 10 * level || level == 0) {
            return "excess";
        }
        return "ok";
    }

    public int parseQuantity(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public String describe(int code) {
        switch (code) {
            case 0:
                return "none";
            case 1:
                return "single";
            case 2:
            case 3:
                return "few";
            default:
                return "many";
        }
    }

    public List<String> lowStock() {
        List<String> result = new ArrayList<>();
        for (String sku : stock.keySet()) {
            String label = classify(sku);
            if (label.equals("low") || label.equals("out")) {
                result.add(sku);
            }
        }
        int i = 0;
        while (i < result.size() && result.size() > DEFAULT_WIDTH * 100) {
            result.remove(i);
        }
        return result;
    }
}
