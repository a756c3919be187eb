package dev.chaosagent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigParserTest {
    private static final String GOOD = "chaos.rule.db.target=com.acme.Repo#find;chaos.rule.db.fault=exception;"
            + "chaos.rule.db.probability=0.05";

    /** {@code k=v;k=v}; a value may not contain ';' here, which no row needs. */
    private static Map<String, String> raw(String pairs) {
        Map<String, String> m = new TreeMap<>();
        for (String pair : pairs.split(";")) {
            if (!pair.isBlank()) {
                int eq = pair.indexOf('=');
                m.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return m;
    }

    @Test
    void aRuleMayHaveItsOwnSeed() {
        ChaosConfig c = ConfigParser.parse(raw(GOOD + ";chaos.rule.db.seed=-12"), null, 7).config();
        assertEquals(-12L, c.rules().get("db").seed());
        assertNull(ConfigParser.parse(raw(GOOD), null, 7).config().rules().get("db").seed(), "no seed: the agent's");
        ConfigParser.Outcome bad = ConfigParser.parse(raw(GOOD + ";chaos.rule.db.seed=twelve"), null, 7);
        assertEquals("chaos.rule.db.seed=twelve must be a whole number (64-bit); rule 'db' is left out",
                bad.problems().get(0).toString());
    }

    @Test
    void goodRuleWithDefaults() {
        ConfigParser.Outcome o = ConfigParser.parse(raw(GOOD), null, 7);
        assertTrue(o.problems().isEmpty(), o.problems().toString());
        RuleConfig r = o.config().rules().get("db");
        assertEquals(FaultKind.EXCEPTION, r.fault());
        assertEquals(0.05, r.probability());
        assertEquals("java.lang.RuntimeException", r.exception());
        assertEquals("injected by chaos-agent rule 'db'", r.effectiveMessage());
        assertTrue(r.enabled());
        assertNull(r.latency());
        assertFalse(o.config().armed());
        assertEquals(1000, o.config().pollMillis());
        assertEquals(7, o.config().seed());
        assertFalse(o.config().seedConfigured());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "250ms      | 250000000  | 250000000",
            "1s         | 1000000000 | 1000000000",
            "1.5s       | 1500000000 | 1500000000",
            "2m         | 120000000000 | 120000000000",
            "100ms..2s  | 100000000  | 2000000000",
            "0..10ms    | 0          | 10000000",
    })
    void latencyForms(String text, long min, long max) {
        Latency l = ValueType.parseLatency(text);
        assertEquals(min, l.minNanos());
        assertEquals(max, l.maxNanos());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "exp(mean=50ms)                      | 1 | 50000000   | 0          | 0",
            "exp(mean=50ms,max=2s)               | 1 | 50000000   | 0          | 2000000000",
            "exp( mean = 1.5s , max = 1m )       | 1 | 1500000000 | 0          | 60000000000",
            "lognormal(p50=20ms,p99=400ms)       | 2 | 20000000   | 400000000  | 0",
            "lognormal(p99=400ms,p50=20ms,max=2s) | 2 | 20000000  | 400000000  | 2000000000",
    })
    void distributionForms(String text, int shape, double first, double p99, long cap) {
        Latency l = ValueType.parseLatency(text);
        assertEquals(shape, l.shape());
        assertEquals(cap, l.capNanos());
        if (shape == Latency.EXPONENTIAL) {
            assertEquals(first, l.first(), 1e-3);
        } else {
            assertEquals(first, Math.exp(l.first()), 1e-3, "median");
            assertEquals(p99, Math.exp(l.first() + Latency.Z99 * l.second()), 1e-1, "99th percentile");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "exp(mean=50ms | " + Latency.EXPECTED,
            "exp(50ms) | " + Latency.EXPECTED,
            "exp(mean=0) | " + Latency.EXPECTED + " (each a duration above 0)",
            "exp(mean=5ms,mean=6ms) | " + Latency.EXPECTED,
            "exp(p50=5ms) | " + Latency.EXPECTED,
            "lognormal(p50=20ms) | " + Latency.EXPECTED,
            "lognormal(p50=20ms,p99=10ms) | must have p99 above p50, such as lognormal(p50=20ms,p99=400ms)",
            "lognormal(p50=20ms,p99=fast) | " + Latency.EXPECTED,
            "gauss(mean=1ms) | " + Latency.EXPECTED,
    })
    void badDistributions(String text, String expected) {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ValueType.parseLatency(text));
        assertEquals(expected, e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // start-up: one bad key leaves the rule out, with one line naming key, value, expectation, consequence
            "chaos.rule.db.probability=1.7 | chaos.rule.db.probability=1.7 must be a number between 0 and 1; rule 'db' is left out",
            "chaos.rule.db.probability=-0.1 | chaos.rule.db.probability=-0.1 must be a number between 0 and 1; rule 'db' is left out",
            "chaos.rule.db.probability=NaN | chaos.rule.db.probability=NaN must be a number between 0 and 1; rule 'db' is left out",
            "chaos.rule.db.probability=lots | chaos.rule.db.probability=lots must be a number between 0 and 1; rule 'db' is left out",
            "chaos.rule.db.fault=explode | chaos.rule.db.fault=explode must be one of exception, latency, kill, latency+exception, hang, return; rule 'db' is left out",
            "chaos.rule.db.target=com.acme.Repo | chaos.rule.db.target=com.acme.Repo must be Class#method patterns separated by ';': pattern 'com.acme.Repo' is not of the form Class#method; rule 'db' is left out",
            "chaos.rule.db.enabled=yes | chaos.rule.db.enabled=yes must be true or false; rule 'db' is left out",
            "chaos.rule.db.exception=java..Bad | chaos.rule.db.exception=java..Bad must be a class name such as java.io.IOException, or 'declared'; rule 'db' is left out",
            "chaos.rule.db.fault=latency | chaos.rule.db.latency is missing: fault 'latency' needs a delay such as 250ms or 100ms..2s; rule 'db' is left out",
            "chaos.rule.db.fault=latency,chaos.rule.db.latency=fast | chaos.rule.db.latency=fast must be a delay such as 250ms, a range such as 100ms..2s, exp(mean=50ms) or lognormal(p50=20ms,p99=400ms), the last two optionally with ,max=2s; rule 'db' is left out",
            "chaos.rule.db.fault=latency,chaos.rule.db.latency=2s..1s | chaos.rule.db.latency=2s..1s must be a range whose lower end is not above its upper end, such as 100ms..2s; rule 'db' is left out",
            "chaos.rule.db.probability= | chaos.rule.db is incomplete: waiting for chaos.rule.db.probability (every rule needs target, fault and probability); it becomes active once they are set",
            "chaos.rule.db.colour=red | unknown key chaos.rule.db.colour=red: rule keys are target, fault, probability, exception, message, latency, enabled, max-injections, max-concurrent, max-rate, exclude, threads, return, seed, arg.<index>; ignored",
            "chaos.rule.d b.fault=kill | chaos.rule.d b.fault=kill: rule name 'd b' may use only letters, digits, '-' and '_'; ignored",
            "chaos.armd=true | unknown key chaos.armd=true: known keys are chaos.armed, chaos.config, chaos.poll, chaos.log.level, chaos.seed, chaos.summary, chaos.duration, chaos.lease, chaos.max-injections, chaos.dry-run, chaos.require, chaos.fleet.fraction, chaos.fleet.member, chaos.weave.cache, chaos.rule.<name>.<key> and chaos.stop.<name>; ignored",
            "chaos.armed=yes | chaos.armed=yes must be true or false; using the default false",
            "chaos.poll=1 | chaos.poll=1 must be a duration such as 250ms, 1s or 2m; using the default 1s",
            "chaos.poll=1ms | chaos.poll=1ms must be a duration of at least 10ms, such as 1s; using the default 1s",
            "chaos.log.level=loud | chaos.log.level=loud must be one of error, warn, info, debug; using the default info",
            "chaos.seed=abc | chaos.seed=abc must be a whole number (64-bit); using a random seed",
            "chaos.rule.db.max-injections=-1 | chaos.rule.db.max-injections=-1 must be a whole number, 0 or more; rule 'db' is left out",
            "chaos.rule.db.max-rate=0 | chaos.rule.db.max-rate=0 must be a whole number of injections per second, 1 to 100000; rule 'db' is left out",
            "chaos.max-injections=many | chaos.max-injections=many must be a whole number, 0 or more; using the default (none)",
            "chaos.require=staging | chaos.require=staging must be conditions env:NAME=value or property:name=value separated by ';', but has 'staging'; the agent will not arm",
    })
    void badValueAtStartUp(String override, String expected) {
        Map<String, String> m = raw(GOOD);
        m.putAll(raw(override.replace(',', ';')));
        ConfigParser.Outcome o = ConfigParser.parse(m, null, 1);
        assertTrue(lines(o).contains(expected), "problems were " + o.problems());
        boolean ruleBroken = expected.contains("rule 'db' is left out") || expected.contains("incomplete");
        assertEquals(!ruleBroken, o.config().rules().containsKey("db"));
    }

    @Test
    void everyProblemIsReportedAtOnceAndGoodRulesSurvive() {
        Map<String, String> m = raw(GOOD);
        m.putAll(raw("chaos.rule.bad.target=x;chaos.rule.bad.fault=boom;chaos.rule.bad.probability=2;chaos.poll=soon"));
        ConfigParser.Outcome o = ConfigParser.parse(m, null, 1);
        assertEquals(4, o.errors().size(), o.problems().toString());
        assertTrue(o.config().rules().containsKey("db"));
        assertFalse(o.config().rules().containsKey("bad"));
    }

    private static List<String> lines(ConfigParser.Outcome o) {
        List<String> out = new ArrayList<>();
        for (Problem p : o.problems()) {
            out.add(p.toString());
        }
        return out;
    }

    @Test
    void runtimeBadValuesKeepTheWholeRuleInForce() {
        ChaosConfig start = ConfigParser.parse(raw(GOOD + ";chaos.armed=true"), null, 1).config();
        Map<String, String> m = raw(GOOD + ";chaos.armed=maybe");
        m.put("chaos.rule.db.probability", "1.5");
        m.put("chaos.rule.db.message", "changed with a bad probability");
        ConfigParser.Outcome o = ConfigParser.parse(m, start, 1);
        assertTrue(lines(o).contains("chaos.rule.db.probability=1.5 must be a number between 0 and 1; rule 'db' keeps 0.05"),
                o.problems().toString());
        assertTrue(lines(o).contains("chaos.armed=maybe must be true or false; keeps true"), o.problems().toString());
        assertSame(start.rules().get("db"), o.config().rules().get("db"), "a rule changes all at once or not at all");
        assertTrue(o.config().armed());
    }

    @Test
    void everyRuleKeyChangesAtRunTimeIncludingTargetFaultAndException() {
        ChaosConfig start = ConfigParser.parse(raw(GOOD), null, 1).config();
        Map<String, String> m = raw(GOOD);
        m.put("chaos.rule.db.probability", "0.2");
        m.put("chaos.rule.db.enabled", "false");
        m.put("chaos.rule.db.target", "com.acme.Other#x");
        m.put("chaos.rule.db.exception", "java.io.IOException");
        ConfigParser.Outcome o = ConfigParser.parse(m, start, 1);
        RuleConfig r = o.config().rules().get("db");
        assertTrue(o.problems().isEmpty(), o.problems().toString());
        assertEquals(0.2, r.probability());
        assertFalse(r.enabled());
        assertEquals("com.acme.Other#x", r.targetText());
        assertEquals("java.io.IOException", r.exception());
        assertFalse(r.weavesLike(start.rules().get("db")));
    }

    @Test
    void rulesAreAddedAndRemovedAtRunTime() {
        ChaosConfig start = ConfigParser.parse(raw(GOOD), null, 1).config();
        Map<String, String> m = raw("chaos.rule.fresh.target=a.B#c;chaos.rule.fresh.fault=kill;chaos.rule.fresh.probability=1");
        ConfigParser.Outcome o = ConfigParser.parse(m, start, 1);
        assertFalse(o.config().rules().containsKey("db"), "db's keys are gone, so is db");
        assertEquals(FaultKind.KILL, o.config().rules().get("fresh").fault());
    }

    @Test
    void aRuleWrittenKeyByKeyIsIncompleteNotAnError() {
        ChaosConfig start = ConfigParser.parse(raw(GOOD), null, 1).config();
        Map<String, String> m = raw(GOOD + ";chaos.rule.fresh.target=a.B#c");
        ConfigParser.Outcome o = ConfigParser.parse(m, start, 1);
        assertTrue(o.errors().isEmpty(), o.problems().toString());
        assertEquals(List.of("chaos.rule.fresh is incomplete: waiting for chaos.rule.fresh.fault, chaos.rule.fresh.probability"
                + " (every rule needs target, fault and probability); it becomes active once they are set"), lines(o));
        assertFalse(o.config().rules().containsKey("fresh"));

        m.put("chaos.rule.db.target", "");
        o = ConfigParser.parse(m, start, 1);
        assertTrue(lines(o).contains("chaos.rule.db is incomplete: waiting for chaos.rule.db.target (every rule needs target,"
                + " fault and probability); rule 'db' keeps its last complete definition"), o.problems().toString());
        assertSame(start.rules().get("db"), o.config().rules().get("db"));
    }

    @Test
    void seedIsKeptAcrossPolls() {
        ChaosConfig start = ConfigParser.parse(raw(GOOD + ";chaos.seed=42"), null, 1).config();
        assertEquals(42, start.seed());
        ConfigParser.Outcome o = ConfigParser.parse(raw(GOOD + ";chaos.seed=43"), start, 99);
        assertEquals(42, o.config().seed());
        assertTrue(lines(o).contains("chaos.seed=43 takes effect after restart; keeps 42"), o.problems().toString());
    }

    @Test
    void aLongValueIsQuotedShort() {
        String huge = "x".repeat(1 << 20);
        ConfigParser.Outcome o = ConfigParser.parse(raw(GOOD + ";chaos.armed=" + huge), null, 1);
        String line = lines(o).get(0);
        assertTrue(line.length() < 300, () -> "a line of " + line.length() + " characters");
        assertTrue(line.startsWith("chaos.armed=" + "x".repeat(80) + "... (1048576 characters) must be true or false"), line);
    }

    @Test
    void armingIsRefusedUnlessEveryRequirementHolds() {
        System.clearProperty("chaos.test.deploy");
        ConfigParser.Outcome o = ConfigParser.parse(raw(GOOD + ";chaos.armed=true;chaos.require=property:chaos.test.deploy=staging"),
                null, 1);
        assertFalse(o.config().armed());
        assertTrue(lines(o).contains("chaos.armed=true is refused: chaos.require condition property:chaos.test.deploy=staging"
                + " does not hold (chaos.test.deploy is not set); the agent stays disarmed"), o.problems().toString());
        System.setProperty("chaos.test.deploy", "staging");
        try {
            ConfigParser.Outcome later = ConfigParser.parse(raw(GOOD + ";chaos.armed=true;chaos.require=property:chaos.test.deploy=staging"),
                    o.config(), 1);
            assertTrue(later.config().armed(), later.problems().toString());
        } finally {
            System.clearProperty("chaos.test.deploy");
        }
        ConfigParser.Outcome bad = ConfigParser.parse(raw(GOOD + ";chaos.armed=true;chaos.require=nonsense"), null, 1);
        assertFalse(bad.config().armed(), "a malformed requirement never fails open");
    }
}
