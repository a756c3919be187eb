package dev.chaosagent.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/** Data access for stock and orders. Each method works inside the caller's transaction. */
public class OrderRepository {

    /** Takes {@code quantity} units of {@code sku} out of stock; false when there are not enough. */
    public boolean reserveStock(Connection c, String sku, int quantity) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE stock SET quantity = quantity - ? WHERE sku = ? AND quantity >= ?")) {
            s.setInt(1, quantity);
            s.setString(2, sku);
            s.setInt(3, quantity);
            return s.executeUpdate() == 1;
        }
    }

    /** Records an order, not yet paid, and returns its id. */
    public long insertOrder(Connection c, String sku, int quantity, long amountCents) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO orders (sku, quantity, amount_cents) VALUES (?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, sku);
            s.setInt(2, quantity);
            s.setLong(3, amountCents);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    public void recordPayment(Connection c, long orderId, String paymentId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE orders SET payment_id = ? WHERE id = ?")) {
            s.setString(1, paymentId);
            s.setLong(2, orderId);
            s.executeUpdate();
        }
    }

    /** The order as {@code {"id":..,"sku":..,"quantity":..,"amountCents":..}}, or null. */
    public String findOrder(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT sku, quantity, amount_cents, payment_id FROM orders WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                return "{\"id\":" + id + ",\"sku\":\"" + r.getString(1) + "\",\"quantity\":" + r.getInt(2)
                        + ",\"amountCents\":" + r.getLong(3) + ",\"paymentId\":\"" + r.getString(4) + "\"}";
            }
        }
    }

    /** How many rows each order id has (the primary key makes it 1; the check does not assume so). */
    public Map<Long, Integer> orderIdCounts(Connection c) throws SQLException {
        Map<Long, Integer> counts = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT id, COUNT(*) FROM orders GROUP BY id")) {
            while (r.next()) {
                counts.put(r.getLong(1), r.getInt(2));
            }
        }
        return counts;
    }

    public long unitsInStock(Connection c) throws SQLException {
        return single(c, "SELECT COALESCE(SUM(quantity), 0) FROM stock");
    }

    public long unitsSold(Connection c) throws SQLException {
        return single(c, "SELECT COALESCE(SUM(quantity), 0) FROM orders");
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
