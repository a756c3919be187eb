package dev.chaosagent.config;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The environment layer: each global key's twin, its place between system properties and the file, and what it rejects. */
class ConfigSourcesTest {
    @TempDir
    Path dir;

    @AfterEach
    void clearProperties() {
        System.clearProperty("chaos.poll");
        System.clearProperty("chaos.config");
    }

    @Test
    void everyGlobalKeyHasItsTwin() {
        assertEquals("CHAOS_ARMED", ConfigSources.environmentName("chaos.armed"));
        assertEquals("CHAOS_MAX_INJECTIONS", ConfigSources.environmentName("chaos.max-injections"));
        assertEquals("CHAOS_LOG_LEVEL", ConfigSources.environmentName("chaos.log.level"));
        assertEquals("CHAOS_FLEET_FRACTION", ConfigSources.environmentName("chaos.fleet.fraction"));
        for (ConfigKey<?> k : ConfigKeys.GLOBAL) {
            if (k == ConfigKeys.CONFIG) {
                continue; // names a file to read: below
            }
            Map<String, String> env = Map.of(ConfigSources.environmentName(k.name()), "x");
            ConfigSources.Snapshot s = new ConfigSources(null, env).read();
            assertTrue(s.problems().isEmpty(), k.name() + ": " + s.problems());
            assertEquals("x", s.values().get(k.name()), k.name());
            assertEquals("environment variable " + ConfigSources.environmentName(k.name()), s.origins().get(k.name()));
        }
    }

    @Test
    void eachReadSeesTheFileAsItIsNowWhateverItsTimestampSays() throws IOException {
        Path file = dir.resolve("chaos.properties");
        Files.writeString(file, "chaos.poll=3s\nchaos.config=/elsewhere\n");
        ConfigSources sources = new ConfigSources(file.toString(), Map.of());
        for (int read = 0; read < 2; read++) { // unchanged: the same values, and the same problem while it lasts
            ConfigSources.Snapshot s = sources.read();
            assertEquals("3s", s.values().get("chaos.poll"));
            assertEquals(1, s.problems().size(), s.problems()::toString);
            assertTrue(s.problems().get(0).toString().contains("is ignored"), s.problems()::toString);
        }
        java.nio.file.attribute.FileTime time = Files.getLastModifiedTime(file);
        Files.writeString(file, "chaos.poll=4s\nchaos.summary=9s\nchaos.rule.r.message=caf\u00e9 \u20ac\n"); // UTF-8
        Files.setLastModifiedTime(file, time);
        ConfigSources.Snapshot edited = sources.read();
        assertEquals("caf\u00e9 \u20ac", edited.values().get("chaos.rule.r.message"));
        assertEquals("4s", edited.values().get("chaos.poll"));
        assertEquals("9s", edited.values().get("chaos.summary"));
        assertTrue(edited.problems().isEmpty(), edited.problems()::toString);

        Files.writeString(file, "chaos.poll=\\u12\n"); // a malformed escape: the last good contents stay
        ConfigSources.Snapshot broken = sources.read();
        assertEquals("4s", broken.values().get("chaos.poll"));
        assertTrue(broken.problems().get(0).toString().contains("cannot be read as a properties file"), broken.problems()::toString);
        Files.writeString(file, "chaos.poll=4s\nchaos.summary=9s\nchaos.rule.r.message=caf\u00e9 \u20ac\n");
        ConfigSources.Snapshot mended = sources.read();
        assertEquals("9s", mended.values().get("chaos.summary"));
        assertTrue(mended.problems().isEmpty(), mended.problems()::toString);
    }

    @Test
    void systemPropertyBeatsEnvironmentWhichBeatsTheFile() throws IOException {
        Path file = dir.resolve("chaos.properties");
        Files.writeString(file, "chaos.poll=3s\nchaos.summary=5s\nchaos.dry-run=true\n");
        Map<String, String> env = Map.of("CHAOS_POLL", "2s", "CHAOS_SUMMARY", "7s");
        System.setProperty("chaos.poll", "1500ms");
        ConfigSources.Snapshot s = new ConfigSources(file.toString(), env).read();
        assertEquals("1500ms", s.values().get("chaos.poll"));
        assertEquals("system property", s.origins().get("chaos.poll"));
        assertEquals("7s", s.values().get("chaos.summary"));
        assertEquals("environment variable CHAOS_SUMMARY", s.origins().get("chaos.summary"));
        assertEquals("true", s.values().get("chaos.dry-run"));
        assertEquals("file " + file, s.origins().get("chaos.dry-run"));
        System.clearProperty("chaos.poll");
        assertEquals("2s", new ConfigSources(file.toString(), env).read().values().get("chaos.poll"));
    }

    @Test
    void theConfigFileComesFromThePropertyThenTheAgentArgumentThenTheEnvironment() throws IOException {
        Path a = dir.resolve("a.properties");
        Path b = dir.resolve("b.properties");
        Path c = dir.resolve("c.properties");
        Files.writeString(a, "chaos.summary=1s\n");
        Files.writeString(b, "chaos.summary=2s\n");
        Files.writeString(c, "chaos.summary=3s\n");
        Map<String, String> env = Map.of("CHAOS_CONFIG", c.toString());
        ConfigSources.Snapshot fromEnv = new ConfigSources(null, env).read();
        assertEquals("3s", fromEnv.values().get("chaos.summary"));
        assertEquals(c.toString(), fromEnv.values().get("chaos.config"));
        assertEquals("environment variable CHAOS_CONFIG", fromEnv.origins().get("chaos.config"));
        assertEquals("2s", new ConfigSources(b.toString(), env).read().values().get("chaos.summary"));
        System.setProperty("chaos.config", a.toString());
        assertEquals("1s", new ConfigSources(b.toString(), env).read().values().get("chaos.summary"));
    }

    @Test
    void otherChaosVariablesAreReportedAndIgnored() {
        Map<String, String> env = new HashMap<>();
        env.put("CHAOS_ARMD", "true");
        env.put("CHAOS_RULE_DB_TARGET", "com.acme.Repo#find");
        env.put("PATH", "/usr/bin");
        ConfigSources.Snapshot s = new ConfigSources(null, env).read();
        assertFalse(s.values().containsKey("chaos.armed"));
        assertEquals(2, s.problems().size(), s.problems().toString());
        assertEquals("environment variable CHAOS_ARMD=true is no global key's twin (CHAOS_ARMED is chaos.armed,"
                + " CHAOS_MAX_INJECTIONS is chaos.max-injections); ignored", s.problems().get(0).toString());
        assertEquals("environment variable CHAOS_RULE_DB_TARGET=com.acme.Repo#find is not read: rules and stop conditions"
                + " come from the config file and system properties only (their names may contain '-'); ignored",
                s.problems().get(1).toString());
    }

    @Test
    void anEmptyVariableCountsAsUnset() {
        ConfigSources.Snapshot s = new ConfigSources(null, Map.of("CHAOS_ARMED", " ")).read();
        assertFalse(s.values().containsKey("chaos.armed"));
    }
}
