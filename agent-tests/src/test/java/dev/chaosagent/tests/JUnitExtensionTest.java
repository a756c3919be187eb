package dev.chaosagent.tests;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JUnit extension from outside: {@code fixtures/junit-project}, a project that depends on the
 * agent jar and JUnit Jupiter only, runs its tests under Maven on each JDK, with the agent in
 * Surefire's argLine, without it (the extension loads it), and in a JVM that refuses to be
 * attached to; its Surefire reports must say exactly which tests passed and how the others failed.
 */
class JUnitExtensionTest {
    private static final Path PROJECT = Paths.get(System.getProperty("chaos.junit.project", "target/fixtures/junit-project"))
            .toAbsolutePath();

    /** One Surefire run: per test "Class#method" -> "passed" or the failure's message and output. */
    private record Run(String mode, Jdk jdk, String log, Map<String, String> outcomes, Map<String, String> output) {
        String outcome(String test) {
            String o = outcomes.get(test);
            assertTrue(o != null, mode + " on " + jdk + ": no report of " + test + "\n" + outcomes + "\n" + log);
            return o;
        }
    }

    private static Run run(Jdk jdk, String mode, String argLine) throws Exception {
        Path reports = PROJECT.resolve("target/surefire-reports");
        if (Files.isDirectory(reports)) {
            try (Stream<Path> files = Files.list(reports)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
        }
        List<String> cmd = new ArrayList<>(List.of(mvn(), "-B", "surefire:test", "-DchaosAgentJar=" + ChildJvm.AGENT_JAR,
                "-Djvm=" + jdk.java()));
        if (argLine != null) {
            cmd.add("-DargLine=" + argLine);
        }
        ProcessBuilder b = new ProcessBuilder(cmd).directory(PROJECT.toFile()).redirectErrorStream(true);
        b.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = b.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), log);
        assertEquals(0, p.exitValue(), "Maven itself failed (" + mode + ", " + jdk + ")\n" + log);
        Map<String, String> outcomes = new TreeMap<>();
        Map<String, String> output = new TreeMap<>();
        try (Stream<Path> files = Files.list(reports)) {
            for (Path f : (Iterable<Path>) files.filter(x -> x.getFileName().toString().startsWith("TEST-"))::iterator) {
                Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(f.toFile());
                NodeList cases = d.getElementsByTagName("testcase");
                for (int i = 0; i < cases.getLength(); i++) {
                    Element c = (Element) cases.item(i);
                    String name = c.getAttribute("classname").replace("com.acme.shop.", "") + "#" + c.getAttribute("name");
                    String outcome = "passed";
                    for (String kind : new String[] {"failure", "error"}) {
                        NodeList n = c.getElementsByTagName(kind);
                        if (n.getLength() > 0) {
                            outcome = kind + ": " + ((Element) n.item(0)).getAttribute("message");
                        }
                    }
                    outcomes.put(name, outcome);
                    output.put(name, text(c, "system-out") + text(c, "system-err"));
                }
            }
        }
        return new Run(mode, jdk, log, outcomes, output);
    }

    private static String text(Element e, String tag) {
        NodeList n = e.getElementsByTagName(tag);
        return n.getLength() == 0 ? "" : n.item(0).getTextContent();
    }

    private static String mvn() {
        Path onPath = ChildJvm.onPath("mvn");
        if (onPath != null) {
            return onPath.toString();
        }
        String home = System.getProperty("maven.home");
        return home != null ? Paths.get(home, "bin", "mvn").toString() : "mvn";
    }

    private static final List<String> PASSING = List.of(
            "CheckoutChaosTest#aPaymentIOExceptionOnEveryAttemptLeavesStockUnchanged(ChaosRecord)",
            "CheckoutChaosTest#theNextTestRunsWithoutTheFault",
            "CheckoutChaosTest#aSingleTimeoutIsRetried(ChaosRecord)",
            "ClassRuleTest#firstTest(ChaosRecord)",
            "ClassRuleTest#secondTest(ChaosRecord)",
            "ClassRuleTest#aMethodRuleReplacesTheClassRuleOfItsName(ChaosRecord)");
    private static final String INVALID = "ExpectedFailuresTest#anInvalidRuleFailsTheTestBeforeItRuns";
    private static final String SEEDED = "ExpectedFailuresTest#aFailingTestPrintsItsSeed";

    @Test
    void theExtensionRunsRulesPerTestWithTheAgentInArgLineOrLoadedByItself() throws Exception {
        Map<String, String> patterns = new LinkedHashMap<>();
        for (Jdk jdk : Jdk.all()) {
            if (!jdk.present()) {
                jdk.assumePresent(); // says visibly which JDK is missing
            }
            for (String mode : new String[] {"argLine", "self-attach"}) {
                Run r = run(jdk, mode, mode.equals("argLine") ? "-javaagent:" + ChildJvm.AGENT_JAR : null);
                assertEquals(PASSING.size() + 2, r.outcomes().size(), r.outcomes()::toString);
                for (String test : PASSING) {
                    assertEquals("passed", r.outcome(test), () -> test + " (" + r.mode() + ", " + r.jdk() + ")\n" + r.log());
                }
                assertTrue(r.outcome(INVALID).contains("@ChaosRule(name = \"bad\") is invalid: chaos.rule.bad.probability=1.7"
                        + " must be a number between 0 and 1"), r.outcome(INVALID));
                assertFalse(r.output().get(INVALID).contains("the body of a test with an invalid rule ran"), "the body ran");
                assertTrue(r.outcome(SEEDED).contains("fails on purpose, to print its seed"), r.outcome(SEEDED));
                String out = r.output().get(SEEDED);
                Matcher seed = Pattern.compile("\\[chaos-agent\\] aFailingTestPrintsItsSeed\\(\\) failed under chaos rules: coin seed"
                        + " (-?\\d+) \\(from the test's id\\)").matcher(out);
                assertTrue(seed.find(), out);
                Matcher pattern = Pattern.compile("\\[junit-project\\] coin pattern ([01]{40})").matcher(out);
                assertTrue(pattern.find(), out);
                patterns.put(jdk + " " + mode + " seed " + seed.group(1), pattern.group(1));
                String all = r.log() + String.join("\n", r.output().values());
                if (mode.equals("self-attach")) {
                    assertTrue(all.contains("[chaos-agent] loaded into this test JVM by the JUnit extension (dynamic attach). Start"
                            + " the test JVM with the agent instead: add -javaagent:" + ChildJvm.AGENT_JAR + " to Surefire's argLine"),
                            all);
                    if (jdk.feature() >= 21) {
                        assertTrue(all.contains("WARNING: A Java agent has been loaded dynamically"), "the JVM's own warning\n" + all);
                    }
                } else {
                    assertFalse(all.contains("loaded into this test JVM"), all);
                }
            }
        }
        assertEquals(1, new java.util.HashSet<>(patterns.values()).size(), "a test decides the same on every run, JDK and"
                + " mode: " + patterns);
        assertEquals(1, patterns.keySet().stream().map(k -> k.substring(k.indexOf(" seed "))).distinct().count(), patterns::toString);
        System.out.println("[junit] every run printed the same seed and pattern: " + patterns);
    }

    @Test
    void aJvmThatRefusesToBeAttachedToSaysWhatToAddToArgLine() throws Exception {
        for (Jdk jdk : Jdk.all()) {
            if (!jdk.present()) {
                jdk.assumePresent();
            }
            Run r = run(jdk, "no-attach", "-XX:+DisableAttachMechanism");
            assertEquals("passed", r.outcome("CheckoutChaosTest#theNextTestRunsWithoutTheFault"), "a test without rules needs no"
                    + " agent");
            for (String test : PASSING) {
                if (!test.equals("CheckoutChaosTest#theNextTestRunsWithoutTheFault")) {
                    String o = r.outcome(test);
                    assertTrue(o.contains("chaos-agent is not in this JVM and could not be loaded into it")
                            && o.contains("add -javaagent:" + ChildJvm.AGENT_JAR + " to Surefire's argLine"), test + ": " + o);
                }
            }
        }
    }
}
