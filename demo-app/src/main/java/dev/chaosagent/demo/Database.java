package dev.chaosagent.demo;

import org.h2.jdbcx.JdbcConnectionPool;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** An in-memory H2 database with a connection pool: stock per SKU, and the orders placed. */
public final class Database implements AutoCloseable {
    /** 50 products: with a handful, concurrent orders would mostly queue on the same stock rows. */
    public static final List<String> SKUS = skus(50);

    private static List<String> skus(int n) {
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = "sku-" + (i + 1);
        }
        return List.of(names);
    }

    private final JdbcConnectionPool pool;
    private final long initialStockPerSku;

    /** @param name a name unique in this JVM, so that tests and runs do not share data */
    public Database(String name, long initialStockPerSku) throws SQLException {
        this.pool = JdbcConnectionPool.create("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=5000", "sa", "");
        this.pool.setMaxConnections(32);
        this.initialStockPerSku = initialStockPerSku;
        try (Connection c = connection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE stock (sku VARCHAR(32) PRIMARY KEY, quantity BIGINT NOT NULL CHECK (quantity >= 0))");
            s.execute("CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, sku VARCHAR(32) NOT NULL REFERENCES stock(sku),"
                    + " quantity INT NOT NULL, amount_cents BIGINT NOT NULL, payment_id VARCHAR(64))");
            for (String sku : SKUS) {
                s.execute("INSERT INTO stock VALUES ('" + sku + "', " + initialStockPerSku + ")");
            }
        }
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    public long initialStock() {
        return initialStockPerSku * SKUS.size();
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
