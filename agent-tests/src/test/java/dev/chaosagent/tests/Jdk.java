package dev.chaosagent.tests;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;

/**
 * A JDK that child JVMs run on. The suite targets JDK 17 (the JDK running the tests) and JDK 25
 * ({@code -Djdk25.home}, default {@code /usr/lib/jvm/temurin-25-jdk-amd64}); a missing one is
 * reported and its runs are skipped, never silently passed.
 */
public record Jdk(String label, Path home) {
    private static final Set<String> ANNOUNCED = ConcurrentHashMap.newKeySet();

    /** The JDKs every black-box test runs on; used as {@code @MethodSource("dev.chaosagent.tests.Jdk#all")}. */
    public static List<Jdk> all() {
        Path current = Paths.get(System.getProperty("java.home"));
        Path jdk25 = Paths.get(System.getProperty("jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64"));
        return List.of(new Jdk("JDK " + Runtime.version().feature(), current), new Jdk("JDK 25", jdk25));
    }

    /** The feature release, from the label ({@code JDK 25} is 25). */
    public int feature() {
        return Integer.parseInt(label.substring(label.lastIndexOf(' ') + 1));
    }

    public Path java() {
        return home.resolve("bin").resolve("java");
    }

    public boolean present() {
        return Files.isExecutable(java());
    }

    /** Skips the calling test, visibly, when this JDK is not installed. */
    public void assumePresent() {
        if (!present()) {
            String message = label + " not found at " + home + ": its runs are skipped (set -Djdk25.home to point at one)";
            if (ANNOUNCED.add(label)) {
                System.out.println("[agent-tests] SKIPPING " + message);
            }
            Assumptions.abort(message);
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
