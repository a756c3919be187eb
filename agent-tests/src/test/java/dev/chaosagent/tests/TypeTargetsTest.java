package dev.chaosagent.tests;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Supertype ({@code ^}) and annotation ({@code @}) targets, resolved through Byte Buddy's type pool. */
class TypeTargetsTest extends ChildJvmTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String H = FIXTURES + "hierarchy.";

    /** isolated.ChildRepository implements the parent's Repository; isolated.Hidden extends isolated.HiddenBase implements it. */
    private static Path isolatedClasses(Path dir) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/isolated"));
        Files.writeString(src.resolve("ChildRepository.java"), "package isolated;\n"
                + "public class ChildRepository implements " + H + "Repository {\n"
                + "    public String find(String key) { return \"child \" + key; }\n"
                + "    public int count() { return 5; }\n"
                + "}\n");
        Files.writeString(src.resolve("HiddenBase.java"), "package isolated;\n"
                + "public abstract class HiddenBase implements " + H + "Repository {\n"
                + "    public int count() { return 6; }\n"
                + "}\n");
        Files.writeString(src.resolve("Hidden.java"), "package isolated;\n"
                + "public class Hidden extends HiddenBase {\n"
                + "    public String find(String key) { return \"hidden \" + key; }\n"
                + "}\n");
        Path classes = dir.resolve("classes");
        FixtureCompiler.compile(classes, ChildJvm.TEST_CLASSES.toString(), src.resolve("ChildRepository.java"),
                src.resolve("HiddenBase.java"), src.resolve("Hidden.java"));
        return classes;
    }

    private static String hierarchy(ChildJvm.Running child, String args) {
        child.send("hierarchy" + args);
        return child.awaitLine("hierarchy", WAIT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void supertypeTargetsReachEveryImplementationAndNothingElse(Jdk jdk, @TempDir Path dir) throws Exception {
        Path isolated = isolatedClasses(dir);
        try (ChildJvm.Running child = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.poll", "100ms")
                .rule("repo", "^" + H + "Repository#find", "exception", 1.0)
                .rule("store", "^dev.chaosagent.**.St*re#get", "exception", 1.0).start("serve")) {
            child.awaitLine("serving", WAIT);
            assertEquals("hierarchy Order.find=thrown Order.count=ok Direct.find=thrown Direct.count=ok Unrelated.find=ok"
                    + " Store.get=thrown Api.list=ok Api.other=ok Plain.list=ok Plain.other=ok Late.find=thrown Hidden.find=ok"
                    + " Child.find=thrown", hierarchy(child, " late " + isolated));
            String err = child.stderrSoFar();
            assertFalse(err.contains("wove " + H + "StringStore#get(java.lang.String)java.lang.Object"), "never the bridge");
            String unresolved = "WARN rule 'repo' cannot see every supertype of isolated.Hidden from its class loader (";
            assertTrue(err.contains(unresolved), () -> "the unreadable loader is reported\n" + child);
            hierarchy(child, " late " + isolated); // a second loader of the same classes: still reported once
            assertEquals(1, occurrences(child.stderrSoFar(), unresolved), child::toString);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void annotationTargetsOnClassesAndMethods(Jdk jdk) throws Exception {
        try (ChildJvm.Running child = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.poll", "100ms")
                .rule("api", "@" + H + "Api#*", "exception", 1.0)
                .rule("get", "dev.chaosagent.fixtures.**#@" + H + "G*t", "exception", 1.0).start("serve")) {
            child.awaitLine("serving", WAIT);
            assertEquals("hierarchy Order.find=ok Order.count=ok Direct.find=ok Direct.count=ok Unrelated.find=ok Store.get=ok"
                    + " Api.list=thrown Api.other=thrown Plain.list=thrown Plain.other=ok", hierarchy(child, ""));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aSupertypeRuleAddedLiveRetransformsTheLoadedImplementations(Jdk jdk) throws Exception {
        try (ChildJvm.Running child = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.poll", "100ms").start("serve")) {
            child.awaitLine("serving", WAIT);
            assertEquals("hierarchy Order.find=ok Order.count=ok Direct.find=ok Direct.count=ok Unrelated.find=ok Store.get=ok"
                    + " Api.list=ok Api.other=ok Plain.list=ok Plain.other=ok", hierarchy(child, ""));
            try (JMXConnector jmx = Jmx.attach(child.pid())) {
                MBeanServerConnection c = jmx.getMBeanServerConnection();
                Jmx.awaitRegistered(c, Jmx.AGENT, WAIT);
                Jmx.invoke(c, Jmx.AGENT, "defineRule", "repo", "target=^" + H + "Repository#count fault=exception probability=1");
                Jmx.invoke(c, Jmx.AGENT, "defineRule", "api", "target=@" + H + "Api#other fault=exception probability=1");
                assertEquals("hierarchy Order.find=ok Order.count=thrown Direct.find=ok Direct.count=thrown Unrelated.find=ok"
                        + " Store.get=ok Api.list=ok Api.other=thrown Plain.list=ok Plain.other=ok", hierarchy(child, ""));
                assertEquals(2, Jmx.get(c, Jmx.rule("repo"), "MethodsWoven"), "AbstractRepository's and DirectRepository's; Order inherits");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void byteBuddysTypePoolLoadsOnlyForSupertypeOrAnnotationRules(Jdk jdk) {
        ChildJvm.Result plain = ChildJvm.on(jdk).prop("chaos.armed", true).rule("r", TARGET + "#plain", "exception", 1.0)
                .jvm("-verbose:class").run("calls", "3", "plain");
        assertEquals(3, plain.count("plain ", "thrown"), plain::toString);
        assertFalse(plain.stdout().contains("net.bytebuddy.pool."), "a plain rule loads no type pool");
        ChildJvm.Result jdkSupertypes = ChildJvm.on(jdk).prop("chaos.armed", true).rule("r", "^" + TARGET + "#plain", "exception", 1.0)
                .jvm("-verbose:class").run("calls", "3", "plain");
        assertEquals(3, jdkSupertypes.count("plain ", "thrown"), jdkSupertypes::toString);
        assertFalse(jdkSupertypes.stdout().contains("net.bytebuddy.pool."),
                "a class whose direct supertypes are the JDK's has its supertypes read without a type pool");
        String[] typed = hierarchyWithLoadedClasses(jdk, "^" + H + "Repository#find");
        assertTrue(typed[0].startsWith("hierarchy Order.find=thrown"), typed[0]);
        assertFalse(typed[1].contains("net.bytebuddy.pool."),
                "the application's own supertypes are read from their class files' headers, without a type pool");
        String[] annotated = hierarchyWithLoadedClasses(jdk, "@" + H + "Api#list");
        assertTrue(annotated[0].contains(" Api.list=thrown"), annotated[0]);
        assertTrue(annotated[1].contains("net.bytebuddy.pool.TypePool"),
                "a class that names the annotation has its annotations read through Byte Buddy's type pool");
    }

    /** One {@code hierarchy} run under a p=1 exception rule on {@code target}: its line, and stdout with -verbose:class. */
    private static String[] hierarchyWithLoadedClasses(Jdk jdk, String target) {
        try (ChildJvm.Running child = ChildJvm.on(jdk).prop("chaos.armed", true).rule("r", target, "exception", 1.0)
                .jvm("-verbose:class").start("serve")) {
            child.awaitLine("serving", WAIT);
            String line = hierarchy(child, "");
            String stdout = child.stdoutSoFar();
            child.send("quit");
            return new String[] {line, stdout};
        }
    }
}
