package dev.chaosagent.demo;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The order service alone, no fault injected (the agent is in the test JVM, with no rule): its HTTP API and its transactions. */
class OrderServiceTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final long STOCK = 5;

    private OrderSystem system;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        system = new OrderSystem("service-test-" + DATABASES.incrementAndGet(), 0, STOCK);
    }

    @AfterEach
    void stop() {
        system.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + system.api().port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + system.api().port() + "/orders"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private long unitsInStock() throws Exception {
        try (Connection c = system.database().connection()) {
            return system.repository().unitsInStock(c);
        }
    }

    private long unitsSold() throws Exception {
        try (Connection c = system.database().connection()) {
            return system.repository().unitsSold(c);
        }
    }

    @Test
    void healthSaysUpWithItsWorkers() throws Exception {
        HttpResponse<String> r = get("/health");
        assertEquals(200, r.statusCode());
        assertEquals("{\"status\":\"UP\",\"workers\":" + OrderApi.WORKERS + "}", r.body());
    }

    @Test
    void anOrderIsPlacedPaidAndReadBack() throws Exception {
        HttpResponse<String> placed = post("{\"sku\":\"sku-3\",\"quantity\":2}");
        assertEquals(201, placed.statusCode(), placed.body());
        long id = Long.parseLong(placed.body().replaceAll("\\D", ""));
        HttpResponse<String> read = get("/orders/" + id);
        assertEquals(200, read.statusCode());
        assertTrue(read.body().startsWith("{\"id\":" + id + ",\"sku\":\"sku-3\",\"quantity\":2,\"amountCents\":500,\"paymentId\":\"pay-"),
                read.body());
        assertEquals(1, system.payments().charges());
        assertEquals(STOCK * Database.SKUS.size() - 2, unitsInStock());
        assertEquals(2, unitsSold());
    }

    @Test
    void badRequestsAndUnknownOrdersGetClientErrors() throws Exception {
        assertEquals(400, post("{\"sku\":\"nope\",\"quantity\":1}").statusCode());
        assertEquals(400, post("{\"sku\":\"sku-1\",\"quantity\":0}").statusCode());
        assertEquals(400, post("not json").statusCode());
        assertEquals(404, get("/orders/999999").statusCode());
        assertEquals(400, get("/orders/abc").statusCode());
        assertEquals(0, unitsSold());
    }

    @Test
    void anOrderLargerThanTheStockIsRefusedAndChangesNothing() throws Exception {
        HttpResponse<String> r = post("{\"sku\":\"sku-1\",\"quantity\":" + (STOCK + 1) + "}");
        assertEquals(409, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"error\":\"out_of_stock\""), r.body());
        assertEquals(STOCK * Database.SKUS.size(), unitsInStock());
        assertEquals(0, unitsSold());
        assertEquals(0, system.payments().charges());
    }

    @Test
    void aFailedPaymentRollsTheWholeOrderBack() throws Exception {
        system.payments().close(); // the provider is gone: every attempt (and retry) fails
        HttpResponse<String> r = post("{\"sku\":\"sku-2\",\"quantity\":1}");
        assertEquals(502, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"error\":\"payment\""), r.body());
        assertEquals(STOCK * Database.SKUS.size(), unitsInStock(), "the reserved stock went back");
        assertEquals(0, unitsSold(), "no order was recorded");
    }
}
