package dev.chaosagent.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The downstream payments provider, in the same process on its own port. {@code POST /payments}
 * with an {@code Idempotency-Key} header charges once per key: a retried request gets the same
 * payment id back, which is what makes the client's retries safe.
 */
public final class PaymentsServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "payments-worker");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, String> paymentsByKey = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    public PaymentsServer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.createContext("/payments", this::pay);
        server.setExecutor(pool);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Distinct charges taken (a retry with the same key is not a new charge). */
    public int charges() {
        return paymentsByKey.size();
    }

    private void pay(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            if (!"POST".equals(exchange.getRequestMethod()) || key == null) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            String paymentId = paymentsByKey.computeIfAbsent(key, k -> "pay-" + sequence.incrementAndGet());
            byte[] body = ("{\"paymentId\":\"" + paymentId + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
