package dev.chaosagent.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The order service's HTTP API on 127.0.0.1, served by a fixed pool of worker threads:
 * {@code POST /orders} ({@code {"sku":"sku-1","quantity":2}} → 201 {@code {"id":..}}),
 * {@code GET /orders/{id}}, {@code GET /health}. A worker that dies (a thread kill) is replaced
 * by the pool; the exchange is closed on the way out, so its client sees an error, not a hang.
 */
public final class OrderApi implements AutoCloseable {
    public static final int WORKERS = 8;
    private static final Pattern SKU = Pattern.compile("\"sku\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern QUANTITY = Pattern.compile("\"quantity\"\\s*:\\s*(\\d+)");

    private final HttpServer server;
    private final OrderService orders;
    private final ThreadPoolExecutor workers;
    private final AtomicInteger workersLost = new AtomicInteger();

    public OrderApi(int port, OrderService orders) throws IOException {
        this("127.0.0.1", port, orders);
    }

    /** @param host the address to listen on: 127.0.0.1 on a workstation, 0.0.0.0 in a pod behind a Service */
    public OrderApi(String host, int port, OrderService orders) throws IOException {
        this.orders = orders;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "order-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((thread, e) -> workersLost.incrementAndGet());
            return t;
        });
        this.workers.prestartAllCoreThreads(); // full capacity from the start, so a lost worker shows
        this.server = HttpServer.create(new InetSocketAddress(host, port), 256);
        server.createContext("/orders", this::orders);
        server.createContext("/health", this::health);
        server.setExecutor(workers);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Worker threads alive in the pool now. */
    public int liveWorkers() {
        return workers.getPoolSize();
    }

    /** Worker threads that died of an uncaught throwable (and were replaced). */
    public int workersLost() {
        return workersLost.get();
    }

    private void health(HttpExchange exchange) throws IOException {
        try (exchange) {
            respond(exchange, 200, "{\"status\":\"UP\",\"workers\":" + liveWorkers() + "}");
        }
    }

    private void orders(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/orders") && method.equals("POST")) {
                place(exchange);
            } else if (path.startsWith("/orders/") && method.equals("GET")) {
                find(exchange, path.substring("/orders/".length()));
            } else {
                respond(exchange, 404, "{\"error\":\"no such resource\"}");
            }
        }
    }

    private void place(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Matcher sku = SKU.matcher(body);
        Matcher quantity = QUANTITY.matcher(body);
        if (!sku.find() || !quantity.find() || !Database.SKUS.contains(sku.group(1))
                || Integer.parseInt(quantity.group(1)) < 1 || Integer.parseInt(quantity.group(1)) > 100) {
            respond(exchange, 400, "{\"error\":\"expected {\\\"sku\\\":\\\"sku-1..50\\\",\\\"quantity\\\":1..100}\"}");
            return;
        }
        int status;
        String reply;
        try {
            long id = orders.placeOrder(sku.group(1), Integer.parseInt(quantity.group(1)));
            status = 201;
            reply = "{\"id\":" + id + "}";
        } catch (OrderService.OutOfStockException e) {
            status = 409;
            reply = error("out_of_stock", e);
        } catch (SQLException e) {
            status = 503;
            reply = error("database", e);
        } catch (IOException e) {
            status = 502;
            reply = error("payment", e);
        } catch (RuntimeException e) {
            status = 500;
            reply = error("internal", e);
        }
        respond(exchange, status, reply);
    }

    private void find(HttpExchange exchange, String idText) throws IOException {
        long id;
        try {
            id = Long.parseLong(idText);
        } catch (NumberFormatException e) {
            respond(exchange, 400, "{\"error\":\"order ids are numbers\"}");
            return;
        }
        try {
            String order = orders.findOrder(id);
            respond(exchange, order == null ? 404 : 200, order == null ? "{\"error\":\"no such order\"}" : order);
        } catch (SQLException e) {
            respond(exchange, 503, error("database", e));
        }
    }

    private static String error(String kind, Exception e) {
        return "{\"error\":\"" + kind + "\",\"message\":\"" + String.valueOf(e.getMessage()).replace("\"", "'") + "\"}";
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
