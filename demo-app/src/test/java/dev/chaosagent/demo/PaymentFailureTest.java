package dev.chaosagent.demo;

import dev.chaosagent.junit.ChaosExtension;
import dev.chaosagent.junit.ChaosRecord;
import dev.chaosagent.junit.ChaosRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the chaos experiment showed, pinned in a unit test with the same rule the experiment uses
 * (chaos.properties' payment-io, at p=1): when every attempt to charge fails with an IOException,
 * the order is refused with 502, no order is recorded, and the stock it reserved is given back.
 */
@ExtendWith(ChaosExtension.class)
class PaymentFailureTest {
    private static final long STOCK = 5;

    @Test
    @ChaosRule(name = "payment-io", target = "dev.chaosagent.demo.PaymentClient#send", fault = "exception",
            exception = "java.io.IOException", probability = 1.0)
    void aPaymentIOExceptionOnEveryAttemptLeavesStockAndOrdersUnchanged(ChaosRecord record) throws Exception {
        try (OrderSystem system = new OrderSystem("payment-failure-test", 0, STOCK)) {
            HttpResponse<String> placed = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + system.api().port() + "/orders"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"sku-3\",\"quantity\":2}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(502, placed.statusCode(), placed.body());
            try (Connection c = system.database().connection()) {
                assertEquals(STOCK * Database.SKUS.size(), system.repository().unitsInStock(c), "the reserved stock is back");
                assertEquals(0, system.repository().unitsSold(c), "no order was recorded");
            }
            assertEquals(0, system.payments().charges(), "no charge reached the payments service");
            assertEquals(PaymentClient.ATTEMPTS, record.injections("payment-io"), "every attempt was hit");
            for (Throwable t : record.throwables("payment-io")) {
                assertEquals(IOException.class, t.getClass());
            }
        }
    }
}
