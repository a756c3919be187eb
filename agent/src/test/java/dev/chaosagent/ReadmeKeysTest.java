package dev.chaosagent;

import dev.chaosagent.config.ConfigKey;
import dev.chaosagent.config.ConfigKeys;
import dev.chaosagent.config.ConfigSources;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every declared key has a row in the README's key tables that says exactly what the declaration says. */
class ReadmeKeysTest {
    @Test
    void everyKeyIsDocumentedAsDeclared() throws IOException {
        String readme = Files.readString(Paths.get("../README.md"));
        for (ConfigKey<?> k : ConfigKeys.GLOBAL) {
            assertRow(readme, k.name(), k);
        }
        for (ConfigKey<?> k : ConfigKeys.RULE) {
            assertRow(readme, "chaos.rule.<name>." + k.name(), k);
        }
        assertRow(readme, ConfigKeys.STOP.name(), ConfigKeys.STOP);
    }

    @Test
    void everyGlobalKeysEnvironmentVariableIsDocumented() throws IOException {
        String readme = Files.readString(Paths.get("../README.md"));
        for (ConfigKey<?> k : ConfigKeys.GLOBAL) {
            String row = "| `" + k.name() + "` | `" + ConfigSources.environmentName(k.name()) + "` |";
            assertTrue(readme.contains(row), "README lacks the row\n" + row);
        }
    }

    private static void assertRow(String readme, String name, ConfigKey<?> k) {
        String row = "| `" + name + "` | " + k.type().text() + " | " + k.defaultText() + " | " + (k.dynamic() ? "yes" : "no") + " | "
                + k.doc() + " | " + ConfigKeys.onBadValue(k) + " |";
        assertTrue(readme.contains(row), "README lacks the row\n" + row);
    }
}
