package dev.chaosagent.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Charges through the payments service. Each attempt has a timeout; failed attempts are retried
 * with exponential backoff, which is safe because every attempt of one charge carries the same
 * idempotency key.
 */
public class PaymentClient {
    static final int ATTEMPTS = 3;
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final HttpClient http;
    private final URI endpoint;

    public PaymentClient(int paymentsPort) {
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        this.endpoint = URI.create("http://127.0.0.1:" + paymentsPort + "/payments");
    }

    /** Charges {@code amountCents} once for {@code idempotencyKey}; returns the payment id. */
    public String charge(String idempotencyKey, long amountCents) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString("{\"amountCents\":" + amountCents + "}"))
                .build();
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return send(request);
            } catch (IOException e) {
                last = e;
                if (attempt < ATTEMPTS) {
                    backoff(attempt);
                }
            }
        }
        throw last;
    }

    /** One attempt. */
    public String send(HttpRequest request) throws IOException {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("payments answered " + response.statusCode());
            }
            String body = response.body();
            int start = body.indexOf("\"paymentId\":\"") + 13;
            return body.substring(start, body.indexOf('"', start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling payments", e);
        }
    }

    private static void backoff(int attempt) throws IOException {
        try {
            Thread.sleep(10L << attempt); // 20 ms, then 40 ms
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while backing off", e);
        }
    }
}
