package dev.chaosagent.config;

import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Gathers the raw configuration: the config file (if any) overlaid by {@code chaos.*} system
 * properties. The file is re-read on every call (it is small and the call comes once per poll),
 * so an edit is seen whatever the file system's timestamp resolution. When the file cannot be
 * read, its last good contents stay in force.
 *
 * <p>An empty value counts as unset, in any source: so a system property set to the empty
 * string hides the file's value for that key (how JMX {@code removeRule} removes a rule that the
 * file defines).
 */
public final class ConfigSources {
    public static final String SYSTEM_PROPERTY = "system property";
    public static final String AGENT_ARGUMENT = "agent argument";

    /**
     * What one read saw. {@code values} is sorted by key and holds no empty value; {@code origins}
     * says where each value came from: {@code system property}, {@code file <path>} or
     * {@code agent argument}; {@code fileValues} is what the file alone says.
     */
    public record Snapshot(Map<String, String> values, Map<String, String> origins, Map<String, String> fileValues,
                           List<Problem> problems) {
    }

    private final String agentArgument;
    /** The file whose contents are in force (the last one read well), or null; they stay when a file cannot be read. */
    private String lastGoodPath;
    private Map<String, String> lastGoodFile = Collections.emptyMap();

    /** @param agentArgument the {@code -javaagent:chaos-agent.jar=<path>} argument, or null: a shorthand for chaos.config */
    public ConfigSources(String agentArgument) {
        this.agentArgument = agentArgument == null || agentArgument.trim().isEmpty() ? null : agentArgument.trim();
    }

    public synchronized Snapshot read() {
        List<Problem> problems = new ArrayList<>();
        Map<String, String> values = new TreeMap<>();
        Map<String, String> system = new TreeMap<>();
        Properties props = System.getProperties();
        for (String name : props.stringPropertyNames()) {
            if (name.startsWith(ConfigKeys.PREFIX)) {
                system.put(name, props.getProperty(name));
            }
        }
        Map<String, String> origins = new TreeMap<>();
        String configKey = ConfigKeys.CONFIG.name();
        String path = system.get(configKey);
        if (path == null || path.trim().isEmpty()) {
            path = agentArgument;
        }
        Map<String, String> file = Collections.emptyMap();
        if (path != null) {
            path = path.trim();
            file = readFile(path, problems);
            values.putAll(file);
            for (String key : file.keySet()) {
                origins.put(key, "file " + lastGoodPath);
            }
            if (!system.containsKey(configKey)) {
                values.put(configKey, path);
                origins.put(configKey, AGENT_ARGUMENT);
            }
        }
        values.putAll(system);
        for (String key : system.keySet()) {
            origins.put(key, SYSTEM_PROPERTY);
        }
        for (java.util.Iterator<Map.Entry<String, String>> it = values.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, String> e = it.next();
            if (e.getValue().trim().isEmpty()) { // a loop, not removeIf with a lambda: premain pays for a first lambda
                it.remove();
                origins.remove(e.getKey());
            }
        }
        return new Snapshot(values, origins, file, problems);
    }

    /** Why the file cannot serve as the config file, or null if it can: for a write of chaos.config to check first. */
    public static String unreadable(String path) {
        Properties p = new Properties();
        return load(path, p);
    }

    /** Loads the file into {@code into}; returns null, or what is wrong with it ("names no readable file"). */
    private static String load(String path, Properties into) {
        try (InputStream in = new FileInputStream(path)) {
            into.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return null;
        } catch (FileNotFoundException e) {
            return "names no readable file";
        } catch (IOException | IllegalArgumentException e) {
            return "cannot be read as a properties file (" + e.getMessage() + ")";
        }
    }

    private Map<String, String> readFile(String path, List<Problem> problems) {
        String consequence = lastGoodPath == null ? "using system properties only"
                : lastGoodPath.equals(path) ? "keeps its last good contents" : "keeps the contents of " + lastGoodPath;
        String key = ConfigKeys.CONFIG.name();
        Properties p = new Properties();
        String wrong = load(path, p);
        if (wrong != null) {
            problems.add(Problem.error(key, path, wrong, consequence));
            return lastGoodFile;
        }
        Map<String, String> values = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.equals(key)) {
                problems.add(Problem.error(key, null, "inside " + path
                        + " is ignored: name the file with -Dchaos.config or the agent argument", null));
            } else {
                values.put(name, p.getProperty(name));
            }
        }
        lastGoodFile = Collections.unmodifiableMap(values);
        lastGoodPath = path;
        return lastGoodFile;
    }
}
