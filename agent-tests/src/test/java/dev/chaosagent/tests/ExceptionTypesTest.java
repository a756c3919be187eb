package dev.chaosagent.tests;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checked exceptions go only where declared; application types resolve through their own loader. */
class ExceptionTypesTest extends ChildJvmTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void checkedExceptionIsThrownAsItselfWhereDeclaredAndTheOtherMethodIsSkippedWithAWarning(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true)
                .rule("io", TARGET + "#checkedIo;" + TARGET + "#noThrows", "exception", 1.0)
                .prop("chaos.rule.io.exception", "java.io.IOException")
                .run("calls", "100", "checkedIo", "noThrows");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("java.io.IOException:100,", r.field("checkedIo ", "kinds"), r::toString);
        assertEquals(0, r.count("noThrows ", "thrown"), r::toString);
        assertTrue(r.stderr().contains("[chaos-agent] WARN rule 'io' skips " + TARGET
                + "#noThrows(): it does not declare java.io.IOException or a supertype"), r::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void declaredPicksTheMethodsOwnExceptionOrRuntimeException(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true)
                .rule("d", TARGET + "#declares*", "exception", 1.0)
                .prop("chaos.rule.d.exception", "declared")
                .run("calls", "100", "declaresSql", "declaresNothing");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("java.sql.SQLException:100,", r.field("declaresSql ", "kinds"), r::toString);
        assertEquals("java.lang.RuntimeException:100,", r.field("declaresNothing ", "kinds"), r::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void applicationExceptionResolvesThroughAChildFirstLoader(Jdk jdk, @TempDir Path dir) throws IOException {
        Path src = dir.resolve("src/isolated");
        Files.createDirectories(src);
        Files.writeString(src.resolve("AppException.java"), "package isolated;\n"
                + "public class AppException extends Exception {\n"
                + "    public AppException(String message) { super(message); }\n"
                + "}\n");
        Files.writeString(src.resolve("Service.java"), "package isolated;\n"
                + "public class Service {\n"
                + "    public static void call() throws AppException { }\n"
                + "    public static String run() {\n"
                + "        try { call(); return \"thrown=false\"; }\n"
                + "        catch (AppException e) {\n"
                + "            return \"thrown=true type=\" + e.getClass().getName() + \" loader=\" + e.getClass().getClassLoader().getName();\n"
                + "        }\n"
                + "    }\n"
                + "}\n");
        Path classes = dir.resolve("classes");
        FixtureCompiler.compile(classes, null, src.resolve("AppException.java"), src.resolve("Service.java"));

        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true)
                .rule("app", "isolated.Service#call", "exception", 1.0)
                .prop("chaos.rule.app.exception", "isolated.AppException")
                .run("child-first", classes.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("true", r.field("child-first", "thrown"), r::toString);
        assertEquals("isolated.AppException", r.field("child-first", "type"), r::toString);
        assertEquals("child-first", r.field("child-first", "loader"), r::toString);
        assertEquals("false", r.field("system loader", "isolated.AppException"), r::toString);
    }
}
