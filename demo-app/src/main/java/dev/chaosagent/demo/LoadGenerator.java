package dev.chaosagent.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Concurrent clients placing orders as fast as the service answers, for a fixed time. */
final class LoadGenerator {
    private final HttpClient http;
    private final URI orders;
    private final Duration timeout;
    private final long originNanos;

    LoadGenerator(int port, Duration timeout, long originNanos) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        this.orders = URI.create("http://127.0.0.1:" + port + "/orders");
        this.timeout = timeout;
        this.originNanos = originNanos;
    }

    /** Runs {@code clients} clients for {@code duration}; returns every request they made. */
    List<Sample> run(int clients, Duration duration, long seed) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        List<List<Sample>> perClient = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            List<Sample> samples = new ArrayList<>();
            perClient.add(samples);
            SplittableRandom random = new SplittableRandom(seed * 31 + i);
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    samples.add(placeOne(random));
                }
            }, "load-client-" + i);
            threads.add(t);
            t.start();
        }
        List<Sample> all = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            threads.get(i).join();
            all.addAll(perClient.get(i));
        }
        return all;
    }

    private Sample placeOne(SplittableRandom random) {
        String body = "{\"sku\":\"" + Database.SKUS.get(random.nextInt(Database.SKUS.size())) + "\",\"quantity\":"
                + (1 + random.nextInt(3)) + "}";
        HttpRequest request = HttpRequest.newBuilder(orders).timeout(timeout)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        String outcome;
        long id = -1;
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 201) {
                String b = response.body();
                id = Long.parseLong(b.substring(b.indexOf(':') + 1, b.indexOf('}')).trim());
                outcome = "ok";
            } else {
                outcome = errorKind(response);
            }
        } catch (HttpTimeoutException e) {
            outcome = "timeout";
        } catch (IOException e) {
            outcome = "connection";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = "interrupted";
        }
        long now = System.nanoTime();
        return new Sample((start - originNanos) / 1_000_000, (now - start) / 1_000, outcome, id);
    }

    private static String errorKind(HttpResponse<String> response) {
        String b = response.body();
        int at = b.indexOf("\"error\":\"");
        if (at >= 0) {
            return b.substring(at + 9, b.indexOf('"', at + 9));
        }
        return "http-" + response.statusCode();
    }
}
