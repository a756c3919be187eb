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
 */
public final class ConfigSources {
    /**
     * What one read saw. {@code values} is sorted by key; {@code origins} says where each value
     * came from: {@code system property}, {@code file <path>} or {@code agent argument}.
     */
    public record Snapshot(Map<String, String> values, Map<String, String> origins, List<String> problems) {
    }

    private final String agentArgument;
    private Map<String, String> lastGoodFile = Collections.emptyMap();
    private boolean fileEverRead;

    /** @param agentArgument the {@code -javaagent:chaos-agent.jar=<path>} argument, or null: a shorthand for chaos.config */
    public ConfigSources(String agentArgument) {
        this.agentArgument = agentArgument == null || agentArgument.trim().isEmpty() ? null : agentArgument.trim();
    }

    public synchronized Snapshot read() {
        List<String> problems = new ArrayList<>();
        Map<String, String> values = new TreeMap<>();
        Map<String, String> system = new TreeMap<>();
        Properties props = System.getProperties();
        for (String name : props.stringPropertyNames()) {
            if (name.startsWith(ConfigKeys.PREFIX)) {
                system.put(name, props.getProperty(name));
            }
        }
        Map<String, String> origins = new TreeMap<>();
        String path = system.get(ConfigKeys.CONFIG);
        if (path == null) {
            path = agentArgument;
        }
        if (path != null) {
            Map<String, String> file = readFile(path, problems);
            values.putAll(file);
            for (String key : file.keySet()) {
                origins.put(key, "file " + path);
            }
            values.put(ConfigKeys.CONFIG, path);
            origins.put(ConfigKeys.CONFIG, "agent argument");
        }
        values.putAll(system);
        for (String key : system.keySet()) {
            origins.put(key, "system property");
        }
        return new Snapshot(values, origins, problems);
    }

    private Map<String, String> readFile(String path, List<String> problems) {
        String consequence = fileEverRead ? "; keeps its last good contents" : "; using system properties only";
        Properties p = new Properties();
        try (InputStream in = new FileInputStream(path)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (FileNotFoundException e) {
            problems.add(ConfigKeys.CONFIG + "=" + path + " names no readable file" + consequence);
            return lastGoodFile;
        } catch (IOException | IllegalArgumentException e) {
            problems.add(ConfigKeys.CONFIG + "=" + path + " cannot be read as a properties file (" + e.getMessage() + ")"
                    + consequence);
            return lastGoodFile;
        }
        Map<String, String> values = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.equals(ConfigKeys.CONFIG)) {
                problems.add(ConfigKeys.CONFIG + " inside " + path + " is ignored: name the file with -Dchaos.config or the agent argument");
            } else {
                values.put(name, p.getProperty(name));
            }
        }
        lastGoodFile = Collections.unmodifiableMap(values);
        fileEverRead = true;
        return lastGoodFile;
    }
}
