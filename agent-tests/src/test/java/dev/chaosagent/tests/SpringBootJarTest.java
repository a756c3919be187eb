package dev.chaosagent.tests;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 5, case 1: a Spring Boot 3.5 executable jar (nested jars, Boot's own class loader),
 * built from fixtures/spring-boot-app. A rule on a @RestController method (BOOT-INF/classes)
 * throws the app's own exception type, which its @ExceptionHandler turns into 503; a rule on a
 * class inside a nested BOOT-INF/lib jar throws IllegalStateException, turned into 502.
 */
class SpringBootJarTest extends ChildJvmTest {
    private static final Path JAR = Paths.get(System.getProperty("chaos.spring.jar",
            "target/fixtures/spring-boot-app/quote-service/target/quote-service.jar")).toAbsolutePath();
    private static final int REQUESTS = 600;

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void rulesFireInBootInfClassesAndInANestedJarAtTheConfiguredRates(Jdk jdk) throws Exception {
        int port = Jmx.freePort();
        try (ChildJvm.Running app = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.seed", 8)
                .rule("controller", "com.acme.quotes.QuoteController#quote", "exception", 0.2)
                .prop("chaos.rule.controller.exception", "com.acme.quotes.QuoteUnavailableException")
                .rule("pricing", "com.acme.pricing.PriceCalculator#priceCents", "exception", 0.3)
                .prop("chaos.rule.pricing.exception", "java.lang.IllegalStateException")
                .startJar(JAR, "--server.port=" + port, "--server.address=127.0.0.1", "--spring.main.banner-mode=off")) {
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + port + "/quote/sku-1");
            awaitServing(http, uri, app);
            int ok = 0;
            int unavailable = 0;
            int pricingFailed = 0;
            for (int i = 0; i < REQUESTS; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    assertEquals("sku-1=105", r.body());
                    ok++;
                } else if (r.statusCode() == 503) {
                    assertEquals("quote unavailable: injected by chaos-agent rule 'controller'", r.body());
                    unavailable++;
                } else if (r.statusCode() == 502) {
                    assertEquals("pricing failed: injected by chaos-agent rule 'pricing'", r.body());
                    pricingFailed++;
                } else {
                    throw new AssertionError("unexpected " + r.statusCode() + " " + r.body() + "\n" + app);
                }
            }
            // 600 requests at p=0.2: exact binomial bounds at alpha about 1e-9 are [71, 175].
            int u = unavailable;
            assertTrue(u >= 71 && u <= 175, () -> "controller faults " + u + "\n" + app);
            // The pricing rule sees only the requests the controller rule let through: 6 sigma around 30% of them.
            int reached = REQUESTS - unavailable;
            double mean = 0.3 * reached;
            double sigma = Math.sqrt(reached * 0.3 * 0.7);
            int p = pricingFailed;
            assertTrue(p >= mean - 6 * sigma && p <= mean + 6 * sigma, () -> "pricing faults " + p + " of " + reached + "\n" + app);
            assertEquals(REQUESTS, ok + unavailable + pricingFailed);
            String err = app.stderrSoFar();
            assertTrue(err.contains("rule 'controller' wove com.acme.quotes.QuoteController#quote(java.lang.String)"), app::toString);
            assertTrue(err.contains("rule 'pricing' wove com.acme.pricing.PriceCalculator#priceCents(java.lang.String)"), app::toString);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void annotationTargetsFindTheRestControllerAndItsMappedMethods(Jdk jdk) throws Exception {
        int port = Jmx.freePort();
        try (ChildJvm.Running app = ChildJvm.on(jdk).prop("chaos.armed", true)
                .rule("rest", "@org.springframework.web.bind.annotation.RestController#quote", "exception", 1.0)
                .prop("chaos.rule.rest.exception", "com.acme.quotes.QuoteUnavailableException")
                .rule("mapped", "com.acme.**#@org.springframework.web.bind.annotation.*Mapping", "latency", 1.0)
                .prop("chaos.rule.mapped.latency", "1ms")
                .startJar(JAR, "--server.port=" + port, "--server.address=127.0.0.1", "--spring.main.banner-mode=off")) {
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + port + "/quote/sku-1");
            awaitServing(http, uri, app);
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(503, r.statusCode(), r::body);
                assertEquals("quote unavailable: injected by chaos-agent rule 'rest'", r.body());
            }
            String err = app.stderrSoFar();
            assertTrue(err.contains("rule 'rest' wove com.acme.quotes.QuoteController#quote(java.lang.String)"), app::toString);
            assertTrue(err.contains("rule 'mapped' wove com.acme.quotes.QuoteController#quote(java.lang.String) (1 method so far)"),
                    () -> "only the @GetMapping method, not the @ExceptionHandler ones\n" + app);
            assertTrue(!err.contains("wove com.acme.quotes.QuoteController#unavailable"), app::toString);
        }
    }

    /** Spring Boot takes a few seconds to start: poll until it answers, bounded. */
    private static void awaitServing(HttpClient http, URI uri, ChildJvm.Running app) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the Spring Boot app did not answer within 90 s\n" + app);
    }
}
