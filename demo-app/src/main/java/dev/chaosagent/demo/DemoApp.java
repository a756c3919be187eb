package dev.chaosagent.demo;

import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/**
 * A minimal order flow for the README's first run under the agent: an order service reserves
 * stock in a repository and charges a payment client. It places orders and tallies what
 * happened, so the faults the agent injects show up as outcomes. (A later change replaces this
 * with a real HTTP service and database.)
 */
public final class DemoApp {
    private DemoApp() {
    }

    public static void main(String[] args) {
        int orders = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        OrderService service = new OrderService(new InventoryRepository(), new PaymentClient());
        Map<String, Integer> outcomes = new TreeMap<>();
        long start = System.nanoTime();
        for (int i = 0; i < orders; i++) {
            String outcome;
            try {
                service.placeOrder("sku-" + (i % 7), 1 + i % 3);
                outcome = "placed";
            } catch (SQLException e) {
                outcome = "failed: database (" + e.getMessage() + ")";
            } catch (RuntimeException e) {
                outcome = "failed: " + e.getClass().getSimpleName() + " (" + e.getMessage() + ")";
            }
            outcomes.merge(outcome, 1, Integer::sum);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("demo-app: " + orders + " orders in " + ms + " ms");
        outcomes.forEach((k, v) -> System.out.printf("  %5d  %s%n", v, k));
    }

    /** Places one order: reserve stock, then charge. */
    public static final class OrderService {
        private final InventoryRepository inventory;
        private final PaymentClient payments;

        OrderService(InventoryRepository inventory, PaymentClient payments) {
            this.inventory = inventory;
            this.payments = payments;
        }

        public void placeOrder(String sku, int quantity) throws SQLException {
            inventory.reserve(sku, quantity);
            payments.charge(sku, quantity * 250L);
        }
    }

    /** Stands in for the database: keeps stock in memory. */
    public static final class InventoryRepository {
        private final Map<String, Integer> reserved = new TreeMap<>();

        public void reserve(String sku, int quantity) throws SQLException {
            reserved.merge(sku, quantity, Integer::sum);
        }
    }

    /** Stands in for a remote payment provider. */
    public static final class PaymentClient {
        private long charged;

        public void charge(String sku, long cents) {
            charged += cents;
        }
    }
}
