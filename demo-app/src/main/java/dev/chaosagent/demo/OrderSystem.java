package dev.chaosagent.demo;

import java.io.IOException;
import java.sql.SQLException;

/** The whole service in one process: database, payments provider, order service and its API. */
public final class OrderSystem implements AutoCloseable {
    public static final long STOCK_PER_SKU = 10_000_000L;

    private final Database database;
    private final PaymentsServer payments;
    private final OrderApi api;
    private final OrderRepository repository = new OrderRepository();

    public OrderSystem(String databaseName, int port) throws IOException, SQLException {
        this(databaseName, port, STOCK_PER_SKU);
    }

    public OrderSystem(String databaseName, int port, long stockPerSku) throws IOException, SQLException {
        this(databaseName, "127.0.0.1", port, stockPerSku);
    }

    /** @param host the order API's listening address (the payments service stays on loopback: only this process calls it) */
    public OrderSystem(String databaseName, String host, int port, long stockPerSku) throws IOException, SQLException {
        // The JDK's HttpServer writes headers and body separately; with Nagle's algorithm and the
        // peer's delayed ACK every response would stall ~40 ms. Read once, when the first server starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        database = new Database(databaseName, stockPerSku);
        payments = new PaymentsServer(0);
        OrderService service = new OrderService(database, repository, new PaymentClient(payments.port()));
        api = new OrderApi(host, port, service);
    }

    public OrderApi api() {
        return api;
    }

    public Database database() {
        return database;
    }

    public OrderRepository repository() {
        return repository;
    }

    public PaymentsServer payments() {
        return payments;
    }

    @Override
    public void close() {
        api.close();
        payments.close();
        database.close();
    }
}
