package dev.chaosagent.tests;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent operated and watched with the tools a team already runs, each as its own Java agent
 * beside ours: Jolokia's JVM agent (every attribute and operation over HTTP/JSON) and the
 * Prometheus JMX exporter with the rules file this repository ships.
 */
class HttpToolsTest extends ChildJvmTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path LIBS = ChildJvm.FIXTURE_LIBS;
    static final Path EXPORTER_RULES = ChildJvm.PROJECT_ROOT.resolve("deploy/prometheus/chaos-agent-jmx-exporter.yaml");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static String post(String url, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r::body); // Jolokia answers 200 and puts the request's own status in the body
        return r.body();
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r::body);
        return r.body();
    }

    /** The {@code "value":...} of a Jolokia answer, as text (a string's quotes removed). */
    private static String value(String body) {
        Matcher m = Pattern.compile("\"value\":(\"(?:[^\"\\\\]|\\\\.)*\"|[^,}]*)").matcher(body);
        assertTrue(m.find(), body);
        String v = m.group(1);
        return v.startsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    /** The agent registers its MXBeans at the control thread's first poll: a tool sees them from then on. */
    private static void awaitMBeans(ChildJvm.Running r, String rule) throws Exception {
        try (javax.management.remote.JMXConnector c = Jmx.attach(r.pid())) {
            Jmx.awaitRegistered(c.getMBeanServerConnection(), Jmx.rule(rule), WAIT);
        }
    }

    private static String status(String body) {
        Matcher m = Pattern.compile("\"status\":(\\d+)").matcher(body);
        assertTrue(m.find(), body);
        return m.group(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void jolokiaArmsDisarmsRetunesAndReadsCountersOverHttp(Jdk jdk) throws Exception {
        ChildJvm jvm = ChildJvm.on(jdk).jvm("-javaagent:" + LIBS.resolve("jolokia-agent.jar") + "=host=127.0.0.1,port=0")
                .prop("chaos.seed", 5).rule("r", TARGET + "#plain", "exception", 0.0);
        try (ChildJvm.Running r = jvm.start("serve")) {
            String started = r.awaitLine("Jolokia: Agent", WAIT);
            Matcher url = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/jolokia)").matcher(started);
            assertTrue(url.find(), started);
            String api = url.group(1);
            if (!r.stdoutSoFar().contains("serving pid=")) { // the two agents' start-up lines come in either order
                r.awaitLine("serving", WAIT);
            }
            awaitMBeans(r, "r");
            String armed = get(api + "/read/dev.chaosagent:type=Agent/Armed");
            assertEquals("false", value(armed), armed);

            String arm = post(api, "{\"type\":\"exec\",\"mbean\":\"dev.chaosagent:type=Agent\",\"operation\":\"arm()\"}");
            assertEquals("200", status(arm), arm);
            r.awaitErrLine("chaos ARMED: rules now fire (jmx)", WAIT);
            String write = post(api, "{\"type\":\"write\",\"mbean\":\"dev.chaosagent:type=Rule,name=r\",\"attribute\":\"Probability\","
                    + "\"value\":1.0}");
            assertEquals("200", status(write), write);
            assertEquals(25, thrown(r, 25));

            String rejected = post(api, "{\"type\":\"write\",\"mbean\":\"dev.chaosagent:type=Rule,name=r\","
                    + "\"attribute\":\"Probability\",\"value\":1.7}");
            assertEquals("500", status(rejected), rejected);
            assertTrue(rejected.contains("\"error\":\"chaos.rule.r.probability=1.7 must be a number between 0 and 1;"
                    + " rule 'r' keeps 1.0\""), rejected);
            assertEquals("1.0", value(get(api + "/read/dev.chaosagent:type=Rule,name=r/Probability")), "nothing changed");

            String counters = post(api, "{\"type\":\"read\",\"mbean\":\"dev.chaosagent:type=Rule,name=r\","
                    + "\"attribute\":[\"Calls\",\"Injections\"]}");
            assertTrue(counters.contains("\"Calls\":25") && counters.contains("\"Injections\":25"), counters);
            String total = get(api + "/read/dev.chaosagent:type=Agent/TotalInjections");
            assertEquals("25", value(total), total);

            String disarm = post(api, "{\"type\":\"exec\",\"mbean\":\"dev.chaosagent:type=Agent\",\"operation\":\"disarm()\"}");
            assertEquals("200", status(disarm), disarm);
            assertEquals(0, thrown(r, 25), "disarmed over HTTP");
            assertEquals("false", value(get(api + "/read/dev.chaosagent:type=Agent/Armed")));
        }
    }

    /** Exactly these lines after a known number of calls and injections, on both JDKs. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void thePrometheusExporterPublishesEachRulesCountersWithItsNameAsALabel(Jdk jdk) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String fraction : new String[] {"1", "0"}) {
            int port = Jmx.freePort();
            ChildJvm jvm = ChildJvm.on(jdk).jvm("-javaagent:" + LIBS.resolve("jmx-prometheus-javaagent.jar") + "=127.0.0.1:" + port
                            + ":" + EXPORTER_RULES)
                    .prop("chaos.armed", true).prop("chaos.seed", 5).prop("chaos.fleet.fraction", fraction)
                    .prop("chaos.fleet.member", "orders-0")
                    .rule("payments", TARGET + "#plain", "exception", 1.0).rule("quiet", TARGET + "#sibling", "latency", 0.0)
                    .prop("chaos.rule.quiet.latency", "1ms");
            try (ChildJvm.Running r = jvm.start("serve")) {
                r.awaitLine("serving", WAIT);
                awaitMBeans(r, "quiet");
                assertEquals(fraction.equals("1") ? 40 : 0, thrown(r, 40));
                r.send("invoke 40 sibling");
                r.awaitLine("invoked m=sibling n=40 thrown=0", WAIT);
                String scrape = get("http://127.0.0.1:" + port + "/metrics");
                lines.clear();
                for (String line : scrape.split("\n")) {
                    if (line.startsWith("chaos_")) {
                        lines.add(line);
                    }
                }
                if (fraction.equals("1")) {
                    assertEquals(List.of(
                            "chaos_agent_armed 1.0",
                            "chaos_agent_fleet_member 1.0",
                            "chaos_agent_injections_total 40.0",
                            "chaos_rule_calls_total{rule=\"payments\"} 40.0",
                            "chaos_rule_calls_total{rule=\"quiet\"} 40.0",
                            "chaos_rule_enabled{rule=\"payments\"} 1.0",
                            "chaos_rule_enabled{rule=\"quiet\"} 1.0",
                            "chaos_rule_injections_total{rule=\"payments\"} 40.0",
                            "chaos_rule_injections_total{rule=\"quiet\"} 0.0",
                            "chaos_rule_probability{rule=\"payments\"} 1.0",
                            "chaos_rule_probability{rule=\"quiet\"} 0.0"), lines, scrape);
                    assertTrue(scrape.contains("# TYPE chaos_rule_injections_total counter"), scrape);
                    System.out.println("[prometheus] " + jdk + " after 40 calls:\n" + String.join("\n", lines));
                } else {
                    assertTrue(lines.contains("chaos_agent_armed 1.0") && lines.contains("chaos_agent_fleet_member 0.0")
                            && lines.contains("chaos_agent_injections_total 0.0"), "outside the fleet: armed, not a member\n" + scrape);
                }
            }
        }
    }
}
