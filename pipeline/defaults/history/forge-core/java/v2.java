package org.forge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

public final class Accounts {
    private Accounts() {
    }

    /** True when the balance can cover the amount. */
    public static boolean canWithdraw(long balance, long amount) {
        return amount >= 0 && balance >= amount;
    }

    /** All account ids, comma-separated. */
    public static String joinIds(List<String> ids) {
        return String.join(",", ids);
    }

    /** Number of lines in a ledger file that mention the account. */
    public static long countMentions(Path ledger, String account) throws IOException {
        List<String> lines = Files.readAllLines(ledger, StandardCharsets.UTF_8);
        long count = 0;
        for (String line : lines) {
            if (line.contains(account)) {
                count++;
            }
        }
        return count;
    }

    /** The accounts of the given owner. */
    public static ResultSet findByOwner(Connection conn, String owner) throws SQLException {
        Statement stmt = conn.createStatement();
        return stmt.executeQuery("SELECT * FROM accounts WHERE owner = '" + owner + "'");
    }

    public static int f(int[] a, int t) {
        int c = 0;
        for (int i = 0; i < a.length; i++) { if (a[i] > t) { c++; } }
        return c;
    }
}
