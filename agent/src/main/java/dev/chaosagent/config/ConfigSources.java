package dev.chaosagent.config;

import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Gathers the raw configuration: the config file (if any), overlaid by the global keys'
 * environment variables ({@code CHAOS_ARMED} for {@code chaos.armed}), overlaid by {@code chaos.*}
 * system properties. The file is re-read by its path on every call (the call comes once per
 * poll; its bytes are parsed again only when they changed), so an edit is seen whatever the file
 * system's timestamp resolution, and so is a Kubernetes ConfigMap update, which swaps the symbolic
 * link the path goes through. When the file cannot be read, its last good contents stay in force.
 * The environment is read once: a JVM's environment never changes.
 *
 * <p>An empty value counts as unset, in any source: so a system property set to the empty
 * string hides the file's value for that key (how JMX {@code removeRule} removes a rule that the
 * file defines).
 */
public final class ConfigSources {
    public static final String SYSTEM_PROPERTY = "system property";
    public static final String AGENT_ARGUMENT = "agent argument";
    /** The origin of a value from the environment, followed by the variable's name. */
    public static final String ENVIRONMENT = "environment variable";
    /** The prefix of the environment variables the agent reads. */
    public static final String ENVIRONMENT_PREFIX = "CHAOS_";

    /**
     * What one read saw. {@code values} is sorted by key and holds no empty value; {@code origins}
     * says where each value came from: {@code system property}, {@code file <path>} or
     * {@code agent argument}; {@code fileValues} is what the file alone says.
     */
    public record Snapshot(Map<String, String> values, Map<String, String> origins, Map<String, String> fileValues,
                           List<Problem> problems) {
    }

    private final String agentArgument;
    /** Global keys set by environment variables, by key; and what is wrong with the CHAOS_ variables. */
    private final Map<String, String> environment;
    private final List<Problem> environmentProblems;
    /** The file whose contents are in force (the last one read well), or null; they stay when a file cannot be read. */
    private String lastGoodPath;
    /** Sorted (a sorted map's copy into an empty one is linear); empty until a file is read well. */
    private Map<String, String> lastGoodFile = Collections.emptyMap();
    /** The bytes those contents were parsed from, and what they said was wrong (a chaos.config inside). */
    private byte[] lastGoodBytes;
    private List<Problem> lastGoodProblems = Collections.emptyList();

    /** @param agentArgument the {@code -javaagent:chaos-agent.jar=<path>} argument, or null: a shorthand for chaos.config */
    public ConfigSources(String agentArgument) {
        this(agentArgument, System.getenv());
    }

    /** @param environment the process's environment variables */
    public ConfigSources(String agentArgument, Map<String, String> environment) {
        this.agentArgument = agentArgument == null || agentArgument.trim().isEmpty() ? null : agentArgument.trim();
        this.environmentProblems = new ArrayList<>();
        this.environment = fromEnvironment(environment, environmentProblems);
    }

    /** The environment variable that stands for a global key: {@code chaos.max-injections} is {@code CHAOS_MAX_INJECTIONS}. */
    public static String environmentName(String key) {
        StringBuilder b = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            b.append(c == '.' || c == '-' ? '_' : c >= 'a' && c <= 'z' ? (char) (c - 'a' + 'A') : c);
        }
        return b.toString();
    }

    /**
     * The global keys the environment sets. A {@code CHAOS_} variable that is no global key's twin
     * is reported (rules and stop conditions have none: their names may contain {@code -}).
     */
    private static Map<String, String> fromEnvironment(Map<String, String> env, List<Problem> problems) {
        Map<String, String> ours = new TreeMap<>(); // only the CHAOS_ variables, sorted: problems in a stable order
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getKey().startsWith(ENVIRONMENT_PREFIX)) {
                ours.put(e.getKey(), e.getValue());
            }
        }
        Map<String, String> twins = new TreeMap<>();
        if (!ours.isEmpty()) {
            for (ConfigKey<?> k : ConfigKeys.GLOBAL) {
                twins.put(environmentName(k.name()), k.name());
            }
        }
        Map<String, String> keys = new TreeMap<>();
        for (Map.Entry<String, String> e : ours.entrySet()) {
            String name = e.getKey();
            String key = twins.get(name);
            if (key != null) {
                keys.put(key, e.getValue());
            } else if (name.startsWith("CHAOS_RULE_") || name.startsWith("CHAOS_STOP_")) {
                problems.add(Problem.error(ENVIRONMENT + " " + name, e.getValue(), "is not read: rules and stop conditions"
                        + " come from the config file and system properties only (their names may contain '-')", "ignored"));
            } else {
                problems.add(Problem.error(ENVIRONMENT + " " + name, e.getValue(), "is no global key's twin (CHAOS_ARMED is"
                        + " chaos.armed, CHAOS_MAX_INJECTIONS is chaos.max-injections)", "ignored"));
            }
        }
        return keys;
    }

    public synchronized Snapshot read() {
        List<Problem> problems = new ArrayList<>(environmentProblems);
        Map<String, String> values = new TreeMap<>();
        Map<String, String> system = new TreeMap<>();
        Properties props = System.getProperties();
        for (String name : props.stringPropertyNames()) {
            if (name.startsWith(ConfigKeys.PREFIX)) {
                system.put(name, props.getProperty(name));
            }
        }
        TreeMap<String, String> origins = new TreeMap<>();
        String configKey = ConfigKeys.CONFIG.name();
        String path = system.get(configKey);
        String pathOrigin = SYSTEM_PROPERTY;
        if (path == null || path.trim().isEmpty()) {
            path = agentArgument;
            pathOrigin = AGENT_ARGUMENT;
        }
        if (path == null || path.trim().isEmpty()) {
            path = environment.get(configKey);
            pathOrigin = ENVIRONMENT + " " + environmentName(configKey);
        }
        Map<String, String> file = Collections.emptyMap();
        if (path != null && !path.trim().isEmpty()) {
            path = path.trim();
            file = readFile(path, problems);
            // Both copies of a sorted map into an empty one are linear: no key compared. Put one by
            // one, a file of 192 rules cost ~5 ms of interpreted String.compareTo.
            values.putAll(file);
            origins.putAll(file);
            String fileOrigin = "file " + lastGoodPath;
            for (Map.Entry<String, String> e : origins.entrySet()) {
                e.setValue(fileOrigin);
            }
            if (!SYSTEM_PROPERTY.equals(pathOrigin)) {
                values.put(configKey, path);
                origins.put(configKey, pathOrigin);
            }
        }
        for (Map.Entry<String, String> e : environment.entrySet()) {
            if (!e.getKey().equals(configKey)) {
                values.put(e.getKey(), e.getValue());
                origins.put(e.getKey(), ENVIRONMENT + " " + environmentName(e.getKey()));
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
        byte[][] bytes = new byte[1][];
        String wrong = readBytes(path, bytes);
        return wrong != null ? wrong : parse(bytes[0], new Properties());
    }

    /** Reads the whole file into {@code into[0]}; returns null, or what is wrong with it ("names no readable file"). */
    private static String readBytes(String path, byte[][] into) {
        try (InputStream in = new FileInputStream(path)) {
            into[0] = in.readAllBytes();
            return null;
        } catch (FileNotFoundException e) {
            return "names no readable file";
        } catch (IOException e) {
            return "cannot be read as a properties file (" + e.getMessage() + ")";
        }
    }

    /** Parses the file's bytes (UTF-8) into {@code into}; returns null, or what is wrong with them. */
    private static String parse(byte[] bytes, Properties into) {
        try {
            // Decoded at once, not through a stream decoder: 0.9 ms instead of 1.6 ms for a small file in premain.
            into.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
            return null;
        } catch (IOException | IllegalArgumentException e) {
            return "cannot be read as a properties file (" + e.getMessage() + ")";
        }
    }

    /**
     * The file's values. Its bytes are read on every call; they are parsed again only when they
     * differ from the last good read of the same path (a large file's parsing, every poll, was
     * most of the control thread's time).
     */
    private Map<String, String> readFile(String path, List<Problem> problems) {
        String key = ConfigKeys.CONFIG.name();
        byte[][] bytes = new byte[1][];
        String wrong = readBytes(path, bytes);
        if (wrong == null && path.equals(lastGoodPath) && Arrays.equals(bytes[0], lastGoodBytes)) {
            problems.addAll(lastGoodProblems);
            return lastGoodFile;
        }
        Properties p = new Properties();
        if (wrong == null) {
            wrong = parse(bytes[0], p);
        }
        if (wrong != null) {
            String consequence = lastGoodPath == null ? "using system properties only"
                    : lastGoodPath.equals(path) ? "keeps its last good contents" : "keeps the contents of " + lastGoodPath;
            problems.add(Problem.error(key, path, wrong, consequence));
            return lastGoodFile;
        }
        SortedMap<String, String> values = new TreeMap<>();
        List<Problem> inside = new ArrayList<>();
        for (String name : p.stringPropertyNames()) {
            if (name.equals(key)) {
                inside.add(Problem.error(key, null, "inside " + path
                        + " is ignored: name the file with -Dchaos.config or the agent argument", null));
            } else {
                values.put(name, p.getProperty(name));
            }
        }
        problems.addAll(inside);
        lastGoodFile = Collections.unmodifiableSortedMap(values);
        lastGoodPath = path;
        lastGoodBytes = bytes[0];
        lastGoodProblems = inside;
        return lastGoodFile;
    }
}
