package org.forge;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
        long count = 0;
        try (BufferedReader reader = Files.newBufferedReader(ledger, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.contains(account)) {
                    count++;
                }
            }
        }
        return count;
    }

    /** The accounts of the given owner. */
    public static ResultSet findByOwner(Connection conn, String owner) throws SQLException {
        PreparedStatement stmt = conn.prepareStatement("SELECT * FROM accounts WHERE owner = ?");
        stmt.setString(1, owner);
        return stmt.executeQuery();
    }

    public static int f(int[] a, int t) {
        int c = 0;
        for (int i = 0; i < a.length; i++) { if (a[i] > t) { c++; } }
        return c;
    }
}
