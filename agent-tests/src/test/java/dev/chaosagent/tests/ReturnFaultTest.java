package dev.chaosagent.tests;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code return} fault on every return-type family: what each method returned with the rule's
 * value in force, changed live, and the warning for each method whose type cannot take it.
 */
class ReturnFaultTest extends ChildJvmTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String RETURNS = FIXTURES + "Returns";
    private static final String REAL = "returns int=42 long=42 short=42 byte=42 char=r boolean=true float=4.25 double=4.25"
            + " Integer=42 String=real CharSequence=real Object=real list=[1] map={a=1} set=[1] optional=Optional[1] ints=int[1]"
            + " strings=String[1] stream=count1 arrayList=[1] linkedMap=LinkedHashMap{a=1} mode=ON day=FRIDAY void=ran instance=42";

    /** What the methods returned with the value in force (after the change line for it was logged). */
    private static String returned(ChildJvm.Running child) {
        child.send("returns");
        return child.awaitLine("returns", WAIT);
    }

    /** The warning was logged, whenever (lines already read by an earlier wait count too); bounded by WAIT. */
    private static void skips(ChildJvm.Running child, String method, String why) throws InterruptedException {
        String line = "WARN rule 'r' skips " + RETURNS + "#" + method + ": " + why;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!child.stderrSoFar().contains(line) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(child.stderrSoFar().contains(line), () -> line + "\n" + child);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void everyFormOnEveryReturnTypeFamily(Jdk jdk) throws Exception {
        try (ChildJvm.Running child = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.poll", "100ms")
                .rule("r", RETURNS + "#*", "return", 1.0).prop("chaos.rule.r.return", "null").start("serve")) {
            child.awaitLine("serving", WAIT);
            assertEquals("returns int=42 long=42 short=42 byte=42 char=r boolean=true float=4.25 double=4.25"
                    + " Integer=null String=null CharSequence=null Object=null list=null map=null set=null optional=null ints=null"
                    + " strings=null stream=null arrayList=null linkedMap=null mode=null day=null void=skipped instance=42",
                    returned(child), "null for every reference type; primitives are never given null");
            skips(child, "intValue()", "its return type int cannot take null");
            skips(child, "instanceInt(int)", "its return type int cannot take null");

            try (JMXConnector jmx = Jmx.attach(child.pid())) {
                MBeanServerConnection c = jmx.getMBeanServerConnection();
                Jmx.awaitRegistered(c, Jmx.AGENT, WAIT);
                String[][] cases = {
                    {"empty", "returns int=42 long=42 short=42 byte=42 char=r boolean=true float=4.25 double=4.25 Integer=42"
                            + " String='' CharSequence='' Object=real list=[] map={} set=[] optional=Optional.empty ints=int[0]"
                            + " strings=String[0] stream=count0 arrayList=[] linkedMap=LinkedHashMap{} mode=ON day=FRIDAY"
                            + " void=skipped instance=42"},
                    {"0", "returns int=0 long=0 short=0 byte=0 char=r boolean=true float=0.0 double=0.0 Integer=0 String=real"
                            + " CharSequence=real Object=real list=[1] map={a=1} set=[1] optional=Optional[1] ints=int[1]"
                            + " strings=String[1] stream=count1 arrayList=[1] linkedMap=LinkedHashMap{a=1} mode=ON day=FRIDAY"
                            + " void=ran instance=0"},
                    {"-1", "returns int=-1 long=-1 short=-1 byte=-1 char=r boolean=true float=-1.0 double=-1.0 Integer=-1"
                            + " String=real CharSequence=real Object=real list=[1] map={a=1} set=[1] optional=Optional[1]"
                            + " ints=int[1] strings=String[1] stream=count1 arrayList=[1] linkedMap=LinkedHashMap{a=1} mode=ON"
                            + " day=FRIDAY void=ran instance=-1"},
                    {"300", REAL.replace("int=42 long=42 short=42", "int=300 long=300 short=300").replace("float=4.25 double=4.25",
                            "float=300.0 double=300.0").replace("Integer=42", "Integer=300").replace("instance=42", "instance=300")},
                    {"1.5", REAL.replace("float=4.25 double=4.25", "float=1.5 double=1.5")},
                    {"false", REAL.replace("boolean=true", "boolean=false")},
                    {"\"db down\"", REAL.replace("String=real CharSequence=real Object=real",
                            "String=db_down CharSequence=db_down Object=db_down")},
                    {"'x'", REAL.replace("char=r", "char=x").replace("String=real CharSequence=real Object=real",
                            "String=x CharSequence=x Object=x")},
                    {"OFF", REAL.replace("mode=ON", "mode=OFF")},
                    {"MONDAY", REAL.replace("day=FRIDAY", "day=MONDAY")},
                };
                String before = "null";
                for (String[] k : cases) {
                    Jmx.invoke(c, Jmx.AGENT, "setProperty", "chaos.rule.r.return", k[0]); // applied before it returns
                    child.awaitErrLine("INFO rule 'r' return " + before + " -> " + k[0] + " (jmx)", WAIT);
                    assertEquals(k[1], returned(child), "return=" + k[0]);
                    before = k[0];
                }
                skips(child, "mode()", "its return type " + RETURNS + "$Mode has no constant MONDAY");
                skips(child, "string()", "its return type java.lang.String is not an enum, so it cannot take the constant MONDAY");
                skips(child, "intValue()", "its return type int cannot take MONDAY");
                skips(child, "byteValue()", "its return type byte cannot take 300");
                skips(child, "sideEffect()", "it returns nothing, so only null or empty (return at once) fits, not MONDAY");
                skips(child, "list()", "its return type java.util.List cannot take 0");

                Exception bad = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                        () -> Jmx.invoke(c, Jmx.AGENT, "setProperty", "chaos.rule.r.return", "a b"));
                assertEquals("chaos.rule.r.return=a b must be null, empty, true, false, a number, a quoted string such as \"text\","
                        + " or an enum constant's name; rule 'r' keeps MONDAY", Jmx.rootMessage(bad));
                assertTrue((Long) Jmx.get(c, Jmx.rule("r"), "Injections") > 0);
                Jmx.invoke(c, Jmx.AGENT, "disarm");
                assertEquals(REAL, returned(child), "disarmed: every method runs its own body");
            }
        }
    }
}
