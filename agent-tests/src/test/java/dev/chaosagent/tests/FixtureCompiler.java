package dev.chaosagent.tests;

import javax.tools.ToolProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Compiles fixture sources at test time (for classes that must stay off the child's class path). */
public final class FixtureCompiler {
    private FixtureCompiler() {
    }

    /** javac --release 17 into {@code classes}, against {@code classPath} (null for none); fails the test on errors. */
    public static void compile(Path classes, String classPath, Path... sources) {
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString()));
        if (classPath != null) {
            args.add("-cp");
            args.add(classPath);
        }
        for (Path source : sources) {
            args.add(source.toString());
        }
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(new String[0])),
                "fixture compilation failed: " + args);
    }
}
