package dev.chaosagent.demo;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Places orders: in one transaction it reserves stock, records the order, and charges the payment
 * last (idempotent, keyed by the order id, so the client may retry); any failure rolls the whole
 * transaction back, so stock and orders always agree and a failed charge leaves no order.
 */
public class OrderService {
    static final long PRICE_CENTS = 250;

    /** Not enough stock for the order. */
    public static final class OutOfStockException extends Exception {
        private static final long serialVersionUID = 1L;

        OutOfStockException(String sku) {
            super("out of stock: " + sku);
        }
    }

    private final Database database;
    private final OrderRepository repository;
    private final PaymentClient payments;

    public OrderService(Database database, OrderRepository repository, PaymentClient payments) {
        this.database = database;
        this.repository = repository;
        this.payments = payments;
    }

    /** @return the new order's id */
    public long placeOrder(String sku, int quantity) throws SQLException, IOException, OutOfStockException {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                if (!repository.reserveStock(c, sku, quantity)) {
                    throw new OutOfStockException(sku);
                }
                long amount = quantity * PRICE_CENTS;
                long id = repository.insertOrder(c, sku, quantity, amount);
                String paymentId = payments.charge("order-" + id, amount);
                repository.recordPayment(c, id, paymentId);
                c.commit();
                return id;
            } catch (SQLException | IOException | OutOfStockException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The order as JSON, or null. */
    public String findOrder(long id) throws SQLException {
        try (Connection c = database.connection()) {
            return repository.findOrder(c, id);
        }
    }
}
