package dev.chaosagent;

import dev.chaosagent.config.ConfigKey;
import dev.chaosagent.config.ConfigKeys;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every declared key has a row in the README's key table, with its default. */
class ReadmeKeysTest {
    @Test
    void everyKeyIsDocumented() throws IOException {
        String readme = Files.readString(Paths.get("../README.md"));
        for (ConfigKey k : ConfigKeys.GLOBAL) {
            assertTrue(readme.contains("| `" + k.name() + "` | " + k.defaultValue() + " |"),
                    "README lacks the row for " + k.name() + " with default " + k.defaultValue());
        }
        for (ConfigKey k : ConfigKeys.RULE) {
            assertTrue(readme.contains("| `chaos.rule.<name>." + k.name() + "` | " + k.defaultValue() + " |"),
                    "README lacks the row for chaos.rule.<name>." + k.name() + " with default " + k.defaultValue());
        }
    }
}
