package dev.chaosagent.tests;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every pattern form hits exactly the methods it names: all calls of those, none of the others. */
class PatternsTest extends ChildJvmTest {

    private static ChildJvm.Result hit(Jdk jdk, String target, String... methods) {
        String[] args = new String[methods.length + 2];
        args[0] = "calls";
        args[1] = "50";
        System.arraycopy(methods, 0, args, 2, methods.length);
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true).rule("r", target, "exception", 1.0).run(args);
        assertEquals(0, r.exitCode(), r::toString);
        return r;
    }

    private static void assertHit(ChildJvm.Result r, String method, boolean hit) {
        assertEquals(hit ? 50 : 0, r.count(method + " ", "thrown"), () -> method + (hit ? " was not hit" : " was hit") + "\n" + r);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void doubleStarSpansPackagesAndMethodGlobsSelectByName(Jdk jdk) {
        ChildJvm.Result r = hit(jdk, "dev.chaosagent.**.Deep#place*", "placeOrder", "placeBet", "cancel");
        assertHit(r, "placeOrder", true);
        assertHit(r, "placeBet", true);
        assertHit(r, "cancel", false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void singleStarMatchesExactlyOnePackageSegment(Jdk jdk) {
        ChildJvm.Result r = hit(jdk, "dev.chaosagent.fixtures.*.er.Deep#cancel;dev.*.Target#plain",
                "cancel", "plain", "placeOrder");
        assertHit(r, "cancel", true);
        assertHit(r, "plain", false); // Target is two segments below dev (chaosagent.fixtures), not one
        assertHit(r, "placeOrder", false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void dollarNamesNestedClasses(Jdk jdk) {
        ChildJvm.Result r = hit(jdk, TARGET + "$Nested#inner", "nested", "plain");
        assertHit(r, "nested", true);
        assertHit(r, "plain", false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void parameterListsSelectOverloads(Jdk jdk) {
        ChildJvm.Result full = hit(jdk, TARGET + "#over(java.lang.String)", "overString", "overInt");
        assertHit(full, "overString", true);
        assertHit(full, "overInt", false);
        ChildJvm.Result simple = hit(jdk, TARGET + "#over(int)", "overString", "overInt");
        assertHit(simple, "overString", false);
        assertHit(simple, "overInt", true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void severalPatternsAndInstanceMethods(Jdk jdk) {
        ChildJvm.Result r = hit(jdk, TARGET + "#instance ; " + TARGET + "#sibling", "instance", "sibling", "plain");
        assertHit(r, "instance", true);
        assertHit(r, "sibling", true);
        assertHit(r, "plain", false);
    }

    /** Integer is loaded long before the agent starts: the explicit rule retransforms it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void jdkClassesAreWovenOnlyWhenTheirPackageIsNamedInFull(Jdk jdk) {
        ChildJvm.Result explicit = ChildJvm.on(jdk).prop("chaos.armed", true)
                .rule("r", "java.lang.Integer#parseInt(java.lang.String)", "exception", 1.0)
                .prop("chaos.rule.r.exception", "java.lang.NumberFormatException")
                .run("calls", "50", "parseInt");
        assertEquals(0, explicit.exitCode(), explicit::toString);
        assertEquals("java.lang.NumberFormatException:50,", explicit.field("parseInt ", "kinds"), explicit::toString);

        ChildJvm.Result wildcard = ChildJvm.on(jdk).prop("chaos.armed", true)
                .rule("r", "java.**.Integer#parseInt", "exception", 1.0)
                .run("calls", "50", "parseInt");
        assertEquals(0, wildcard.exitCode(), wildcard::toString);
        assertEquals(0, wildcard.count("parseInt ", "thrown"), wildcard::toString);
    }

    /**
     * The dispatcher asks every armed call's thread for its id: Thread.getId (and threadId, which
     * it calls on JDK 19+), and overrides of it, are never woven, or the call would recurse; nor is
     * Thread.getName, which it calls for a rule with a threads condition (here one that every call
     * of the fixture meets, so that it runs on the path that asks for the name).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void threadIdMethodsAreNeverWoven(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.seed", 7)
                .rule("ids", "java.lang.Thread#getId;java.lang.Thread#threadId;java.lang.Thread#getName", "exception", 1.0)
                .rule("subs", "^java.lang.Thread#getId", "exception", 1.0)
                .rule("plain", TARGET + "#plain", "exception", 0.5)
                .prop("chaos.rule.plain.threads", "*")
                .run("id-thread", "2000");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("null", r.field("id-thread ", "error"), r::toString);
        long thrown = r.count("id-thread ", "thrown");
        assertEquals(2000, thrown + r.count("id-thread ", "ok"), r::toString);
        assertTrue(thrown >= 888 && thrown <= 1112, () -> "p=0.5 of 2000 within 5 sigma: " + r); // 1000 +- 5 * 22.4
        assertTrue(r.stderr().contains("rule 'ids' skips java.lang.Thread#getId(): the agent calls it on every armed call"),
                r::toString);
        assertTrue(r.stderr().contains("rule 'subs' skips " + FIXTURES + "FixtureMain$IdThread#getId(): the agent calls it"),
                r::toString);
        if (jdk.feature() >= 19) {
            assertTrue(r.stderr().contains("rule 'ids' skips java.lang.Thread#threadId(): the agent calls it"), r::toString);
        }
        assertTrue(r.stderr().contains("rule 'ids' skips java.lang.Thread#getName(): the agent calls it on every call of a rule"
                + " with a threads condition"), r::toString);
        assertFalse(r.stderr().contains("wove java.lang.Thread#"), r::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void exclusionsAreNeverWoven(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true).rule("r", TARGET + "#*", "exception", 1.0)
                .prop("chaos.rule.r.exclude", TARGET + "#sibling;" + TARGET + "#over(java.lang.String);dev.chaosagent.**.Deep#*")
                .run("calls", "50", "plain", "sibling", "overInt", "overString");
        assertEquals(0, r.exitCode(), r::toString);
        assertHit(r, "plain", true);
        assertHit(r, "sibling", false);
        assertHit(r, "overInt", true);
        assertHit(r, "overString", false);
        assertEquals(false, r.stderr().contains("wove " + TARGET + "#sibling"), r::toString);

        ChildJvm.Result bad = ChildJvm.on(jdk).prop("chaos.armed", true).rule("r", TARGET + "#*", "exception", 1.0)
                .prop("chaos.rule.r.exclude", "Target").run("calls", "5", "plain");
        assertEquals(true, bad.stderr().contains("ERROR chaos.rule.r.exclude=Target must be Class#method patterns separated by ';':"),
                bad::toString);
        assertHit(bad, "plain", false); // left out: a rule with a bad key never weaves more than it was asked to
    }
}
