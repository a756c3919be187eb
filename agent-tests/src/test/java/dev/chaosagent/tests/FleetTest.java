package dev.chaosagent.tests;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fleet selection without a controller: chaos.fleet.fraction over member names, seen from outside. */
class FleetTest extends ChildJvmTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long SEED = 7;

    @TempDir
    Path dir;

    /** Who takes part, as the CLI's {@code fleet} command predicts it (no JVM involved): member -> takes part. */
    private static Map<String, Boolean> predicted(Jdk jdk, String fraction, List<String> members) {
        List<String> args = new ArrayList<>(List.of("fleet", fraction, "--seed", Long.toString(SEED)));
        args.addAll(members);
        ChildJvm.Result r = cli(jdk, args.toArray(new String[0]));
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, Boolean> in = new LinkedHashMap<>();
        for (String line : r.stdout().split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (members.contains(words[0])) {
                in.put(words[0], line.endsWith("  takes part"));
            }
        }
        assertEquals(members.size(), in.size(), r::toString);
        return in;
    }

    private static List<String> members(Map<String, Boolean> fleet, boolean in) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Boolean> e : fleet.entrySet()) {
            if (e.getValue() == in) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    private static List<String> names(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    private static ChildJvm member(Jdk jdk, String fraction) {
        return ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.seed", SEED).prop("chaos.poll", "100ms")
                .prop("chaos.fleet.fraction", fraction).rule("r", TARGET + "#plain", "exception", 1.0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aJvmOutsideTheFractionBehavesAsDisarmedAndSaysSo(Jdk jdk) throws Exception {
        Map<String, Boolean> at25 = predicted(jdk, "0.25", names("orders-", 16));
        String out = null;
        String in = null;
        for (Map.Entry<String, Boolean> e : at25.entrySet()) {
            if (e.getValue() && in == null) {
                in = e.getKey();
            } else if (!e.getValue() && out == null) {
                out = e.getKey();
            }
        }
        assertTrue(in != null && out != null, at25::toString);
        try (ChildJvm.Running r = member(jdk, "0.25").prop("chaos.fleet.member", out).start("serve");
             ChildJvm.Running taking = member(jdk, "0.25").prop("chaos.fleet.member", in).start("serve")) {
            r.awaitLine("serving", WAIT);
            taking.awaitLine("serving", WAIT);
            String banner = r.awaitErrLine("started:", WAIT);
            assertTrue(banner.contains("started: disarmed: fleet member '" + out + "' does not take part (position 0."), banner);
            assertTrue(banner.contains(" >= chaos.fleet.fraction=0.25), seed 7"), banner);
            assertTrue(taking.awaitErrLine("started:", WAIT).contains("started: ARMED (fleet member '" + in + "' takes part"));
            assertEquals(0, thrown(r, 20), "not a member: nothing fires although chaos.armed=true");
            assertEquals(20, thrown(taking, 20));
            try (JMXConnector c = Jmx.attach(r.pid())) {
                MBeanServerConnection m = c.getMBeanServerConnection();
                Jmx.awaitRegistered(m, Jmx.AGENT, WAIT);
                assertEquals(Boolean.FALSE, Jmx.get(m, Jmx.AGENT, "FleetMember"));
                assertEquals(Boolean.TRUE, Jmx.get(m, Jmx.AGENT, "Armed"), "Armed shows the switch");
                String status = (String) Jmx.get(m, Jmx.AGENT, "Status");
                assertTrue(status.startsWith("disarmed: fleet member '" + out + "' does not take part"), status);
                Jmx.invoke(m, Jmx.AGENT, "setProperty", "chaos.fleet.fraction", "1");
                assertEquals(Boolean.TRUE, Jmx.get(m, Jmx.AGENT, "FleetMember"));
                r.awaitErrLine("fleet member '" + out + "' takes part (position 0.", WAIT);
                assertEquals(20, thrown(r, 20), "raising the fraction adds this member");
                try {
                    Jmx.invoke(m, Jmx.AGENT, "setProperty", "chaos.fleet.fraction", "1.7");
                    throw new AssertionError("a fraction of 1.7 was accepted");
                } catch (Exception e) {
                    assertEquals("chaos.fleet.fraction=1.7 must be a number between 0 and 1; keeps 1.0",
                            Jmx.rootMessage(e));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void theMemberNameIsTheHostNameByDefault(Jdk jdk) {
        Map<String, Boolean> at50 = predicted(jdk, "0.5", List.of("payments-5d8f-x2"));
        ChildJvm.Result r = member(jdk, "0.5").env("HOSTNAME", "payments-5d8f-x2").run("calls", "10", "plain");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("fleet member 'payments-5d8f-x2' " + (at50.get("payments-5d8f-x2") ? "takes part"
                : "does not take part")), r::toString);
        assertEquals(at50.get("payments-5d8f-x2") ? 10 : 0, r.count("plain", "thrown"), r::toString);
    }

    /**
     * Twelve JVMs, one mounted config directory, twelve member names (as pods get them): fraction
     * 0.25 arms exactly the members the CLI predicts, the same ones on a second start, and a
     * ConfigMap update reaches every one of them within two polls.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aFleetOfTwelveJvmsFollowsOneConfigMap(Jdk jdk) {
        List<String> pods = names("orders-7c9f-", 12);
        Map<String, Boolean> expected = predicted(jdk, "0.25", pods);
        ConfigMapVolume volume = new ConfigMapVolume(dir.resolve("chaos-config"));
        long pollMillis = 2000;
        String common = "chaos.armed=true\nchaos.seed=" + SEED + "\nchaos.poll=" + pollMillis + "ms\nchaos.fleet.fraction=0.25\n"
                + "chaos.rule.r.target=" + TARGET + "#plain\nchaos.rule.r.fault=exception\n";
        volume.write(Map.of("chaos.properties", common + "chaos.rule.r.probability=1.0\n"));
        Map<String, Boolean> first = null;
        for (int start = 0; start < 2; start++) {
            Map<String, ChildJvm.Running> fleet = new TreeMap<>();
            for (String pod : pods) {
                fleet.put(pod, ChildJvm.on(jdk).agentArgument(volume.path("chaos.properties").toString())
                        .env("HOSTNAME", pod).jvm("-Xmx48m").jvm("-XX:TieredStopAtLevel=1").start("serve"));
            }
            Map<String, Boolean> seen = new TreeMap<>();
            for (Map.Entry<String, ChildJvm.Running> e : fleet.entrySet()) {
                e.getValue().awaitLine("serving", WAIT);
                String banner = e.getValue().awaitErrLine("started:", WAIT);
                boolean banneredIn = banner.contains("started: ARMED (fleet member '" + e.getKey() + "' takes part");
                assertTrue(banneredIn || banner.contains("started: disarmed: fleet member '" + e.getKey() + "' does not take part"),
                        banner);
                long thrown = thrown(e.getValue(), 10);
                assertEquals(banneredIn ? 10 : 0, thrown, e.getKey() + " says one thing and does another");
                seen.put(e.getKey(), banneredIn);
            }
            assertEquals(new TreeMap<>(expected), seen, "start " + (start + 1) + ": the members the hash predicts");
            System.out.println("[fleet] " + jdk + " start " + (start + 1) + ", fraction 0.25, seed " + SEED + ": taking part "
                    + members(seen, true) + "; not " + members(seen, false));
            if (first == null) {
                first = seen;
                long swapped = System.nanoTime();
                volume.write(Map.of("chaos.properties", common + "chaos.rule.r.probability=0.5\n"));
                for (Map.Entry<String, ChildJvm.Running> e : fleet.entrySet()) {
                    e.getValue().awaitErrLine("rule 'r' probability 1.0 -> 0.5 (file ", WAIT);
                }
                long tookMillis = (System.nanoTime() - swapped) / 1_000_000;
                System.out.println("[fleet] " + jdk + " ConfigMap update seen by all 12 JVMs after " + tookMillis + " ms (poll "
                        + pollMillis + " ms)");
                assertTrue(tookMillis <= 2 * pollMillis, "the update reached all 12 JVMs after " + tookMillis + " ms, more than"
                        + " two polls of " + pollMillis + " ms");
                volume.write(Map.of("chaos.properties", common + "chaos.rule.r.probability=1.0\n"));
                for (Map.Entry<String, ChildJvm.Running> e : fleet.entrySet()) {
                    e.getValue().awaitErrLine("rule 'r' probability 0.5 -> 1.0 (file ", WAIT);
                }
            }
            for (ChildJvm.Running r : fleet.values()) {
                r.close();
            }
        }
        assertEquals(new TreeMap<>(expected), first);
        assertTrue(expected.containsValue(true) && expected.containsValue(false), "seed " + SEED + " must split these 12 pods"
                + " for the test to show anything: " + expected);
    }
}
