package dev.chaosagent.tests;

import com.sun.net.httpserver.HttpServer;
import dev.chaosagent.config.ConfigKey;
import dev.chaosagent.config.ConfigKeys;
import dev.chaosagent.config.ConfigParser;
import dev.chaosagent.config.ConfigSources;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/kubernetes, read as Kubernetes objects: the ConfigMap holds valid agent keys, the
 * Deployment mounts it where the agent looks (never with subPath), and JAVA_TOOL_OPTIONS names
 * jars the image holds. Then one pod's JVM, started exactly as the manifests say (container paths
 * mapped to this checkout), and kubectl's own client-side dry run where kubectl is installed.
 */
class KubernetesManifestsTest extends ChildJvmTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path ROOT = ChildJvm.PROJECT_ROOT;
    private static final Path DIR = ROOT.resolve("deploy/kubernetes");
    private static final Path LIBS = ChildJvm.FIXTURE_LIBS;
    private static final String CONFIG_KEY = "chaos.properties";

    @TempDir
    Path tmp;

    /** Every object of every manifest, in file order. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects() throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".yaml")).sorted()::iterator) {
                try (Reader r = Files.newBufferedReader(f)) {
                    for (Object doc : new Yaml().loadAll(r)) {
                        if (doc != null) {
                            out.add((Map<String, Object>) doc);
                        }
                    }
                }
            }
        }
        return out;
    }

    private static Map<String, Object> only(List<Map<String, Object>> objects, String kind) {
        Map<String, Object> found = null;
        for (Map<String, Object> o : objects) {
            if (kind.equals(o.get("kind"))) {
                assertTrue(found == null, "more than one " + kind);
                found = o;
            }
        }
        assertNotNull(found, "no " + kind + " in " + DIR);
        return found;
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Object node, String... path) {
        Object n = node;
        for (String step : path) {
            n = n instanceof List ? ((List<Object>) n).get(Integer.parseInt(step)) : ((Map<String, Object>) n).get(step);
            assertNotNull(n, "no " + String.join(".", path));
        }
        return (T) n;
    }

    /** The one container's environment: name -> value, or "fieldRef:<path>" for a downward-API value. */
    private static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>();
        List<Map<String, Object>> entries = at(container, "env");
        for (Map<String, Object> e : entries) {
            Object value = e.get("value");
            env.put((String) e.get("name"), value != null ? value.toString()
                    : "fieldRef:" + at(e, "valueFrom", "fieldRef", "fieldPath"));
        }
        return env;
    }

    /** Container path -> where this checkout has that file, from the Dockerfile's COPY and ADD lines. */
    private static Map<String, Path> imageFiles() throws IOException {
        Map<String, Path> files = new TreeMap<>();
        for (String line : Files.readAllLines(DIR.resolve("Dockerfile"))) {
            String[] words = line.trim().split("\\s+");
            if (words.length == 3 && (words[0].equals("COPY") || words[0].equals("ADD"))) {
                if (words[1].startsWith("https://")) {
                    assertTrue(words[1].endsWith("/jmx_prometheus_javaagent/1.0.1/jmx_prometheus_javaagent-1.0.1.jar"),
                            "the image's exporter is the version the tests run: " + line);
                    files.put(words[2], LIBS.resolve("jmx-prometheus-javaagent.jar"));
                } else {
                    files.put(words[2], ROOT.resolve(words[1]));
                }
            }
        }
        return files;
    }

    private static Properties chaosProperties(Map<String, Object> configMap) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(at(configMap, "data", CONFIG_KEY)));
        return p;
    }

    @Test
    void theDeploymentMountsTheConfigMapWhereTheAgentReadsIt() throws IOException {
        List<Map<String, Object>> objects = objects();
        Map<String, Object> configMap = only(objects, "ConfigMap");
        Map<String, Object> deployment = only(objects, "Deployment");
        Map<String, Object> service = only(objects, "Service");
        assertEquals("apps/v1", deployment.get("apiVersion"));

        Properties keys = chaosProperties(configMap);
        Map<String, String> raw = new TreeMap<>();
        for (String k : keys.stringPropertyNames()) {
            assertTrue(k.startsWith(ConfigKeys.PREFIX), k);
            raw.put(k, keys.getProperty(k));
        }
        ConfigParser.Outcome parsed = ConfigParser.parse(raw, null, 1);
        assertEquals(List.of(), parsed.problems(), "the ConfigMap's chaos.properties, as the agent parses it");
        assertEquals(3, parsed.config().rules().size());

        Map<String, Object> pod = at(deployment, "spec", "template", "spec");
        List<Map<String, Object>> containers = at(pod, "containers");
        assertEquals(1, containers.size());
        Map<String, Object> container = containers.get(0);
        String volume = null;
        List<Map<String, Object>> volumes = at(pod, "volumes");
        for (Map<String, Object> v : volumes) {
            if (v.get("configMap") != null && at(configMap, "metadata", "name").equals(at(v, "configMap", "name"))) {
                volume = (String) v.get("name");
            }
        }
        assertNotNull(volume, "no volume holds ConfigMap " + at(configMap, "metadata", "name"));
        String mountPath = null;
        List<Map<String, Object>> mounts = at(container, "volumeMounts");
        for (Map<String, Object> m : mounts) {
            if (volume.equals(m.get("name"))) {
                assertFalse(m.containsKey("subPath"), "a subPath mount is never updated by the kubelet: " + m);
                assertFalse(m.containsKey("subPathExpr"), m::toString);
                mountPath = (String) m.get("mountPath");
            }
        }
        assertNotNull(mountPath, "the ConfigMap's volume is not mounted");

        Map<String, String> env = env(container);
        assertEquals(mountPath + "/" + CONFIG_KEY, env.get("CHAOS_CONFIG"), "the agent reads the mounted key");
        assertEquals("fieldRef:metadata.name", env.get("CHAOS_FLEET_MEMBER"), "the fleet member is the pod's name");
        List<String> twins = new ArrayList<>();
        for (ConfigKey<?> k : ConfigKeys.GLOBAL) {
            twins.add(ConfigSources.environmentName(k.name()));
        }
        for (String name : env.keySet()) {
            assertTrue(!name.startsWith(ConfigSources.ENVIRONMENT_PREFIX) || twins.contains(name), name + " is no key's twin");
        }

        Map<String, Path> image = imageFiles();
        List<String> agents = javaAgents(env.get("JAVA_TOOL_OPTIONS"));
        assertEquals(2, agents.size(), env.get("JAVA_TOOL_OPTIONS"));
        for (String agent : agents) {
            String jar = agent.contains("=") ? agent.substring(0, agent.indexOf('=')) : agent;
            assertTrue(image.containsKey(jar), jar + " is not in the image (Dockerfile)");
        }
        assertEquals(ChildJvm.AGENT_JAR, image.get(agents.get(0)).toAbsolutePath().normalize(), "chaos-agent comes first");
        String exporterArgs = agents.get(1).substring(agents.get(1).indexOf('=') + 1);
        String exporterConfig = exporterArgs.substring(exporterArgs.indexOf(':') + 1);
        assertEquals(HttpToolsTest.EXPORTER_RULES, image.get(exporterConfig), "the exporter reads the shipped rules");
        Map<String, Object> annotations = at(deployment, "spec", "template", "metadata", "annotations");
        assertTrue(annotations.toString().contains("prometheus.io/port=" + exporterArgs.substring(0, exporterArgs.indexOf(':'))));
        Map<String, Object> selects = at(deployment, "spec", "selector", "matchLabels");
        Map<String, Object> serves = at(service, "spec", "selector");
        assertEquals(selects, serves, "the Service reaches the Deployment's pods");
        int replicas = at(deployment, "spec", "replicas");
        assertTrue(replicas > 1, "several replicas: a fleet");
    }

    private static List<String> javaAgents(String options) {
        List<String> agents = new ArrayList<>();
        for (String token : options.trim().split("\\s+")) {
            assertTrue(token.startsWith("-javaagent:"), "JAVA_TOOL_OPTIONS holds agents only: " + token);
            agents.add(token.substring("-javaagent:".length()));
        }
        return agents;
    }

    /**
     * One pod's JVM as the manifests start it: JAVA_TOOL_OPTIONS, CHAOS_CONFIG and the container's
     * arguments from the Deployment, the ConfigMap mounted by the kubelet's file operations, paths
     * mapped from the image to this checkout. Then an experiment run by editing the ConfigMap.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aPodStartsAsTheManifestsSayAndFollowsAnEditedConfigMap(Jdk jdk) throws Exception {
        List<Map<String, Object>> objects = objects();
        Map<String, Object> configMap = only(objects, "ConfigMap");
        Map<String, Object> container = at(only(objects, "Deployment"), "spec", "template", "spec", "containers", "0");
        Map<String, String> env = env(container);
        String mountPath = at(container, "volumeMounts", "0", "mountPath");
        ConfigMapVolume volume = new ConfigMapVolume(tmp.resolve("etc-chaos-agent"));
        String payload = at(configMap, "data", CONFIG_KEY);
        volume.write(Map.of(CONFIG_KEY, payload));

        int metricsPort = Jmx.freePort();
        String options = env.get("JAVA_TOOL_OPTIONS").replace("=9404:", "=" + metricsPort + ":");
        for (Map.Entry<String, Path> f : imageFiles().entrySet()) {
            options = options.replace(f.getKey(), f.getValue().toString());
        }
        String configPath = env.get("CHAOS_CONFIG").replace(mountPath, volume.path("").toString().replaceAll("/$", ""));
        List<String> args = new ArrayList<>();
        List<String> containerArgs = at(container, "args");
        for (String a : containerArgs) {
            args.add(a.equals("--port=8080") ? "--port=0" : a.equals("--host=0.0.0.0") ? "--host=127.0.0.1" : a);
        }
        ChildJvm pod = ChildJvm.on(jdk).withoutAgent().env("JAVA_TOOL_OPTIONS", options).env("CHAOS_CONFIG", configPath)
                .env("CHAOS_FLEET_MEMBER", "orders-6d5f8b7c4-x2x9q");
        try (ChildJvm.Running r = pod.startJar(ROOT.resolve("demo-app/target/demo-app.jar"), args.toArray(new String[0]))) {
            r.awaitLine("order service on http://127.0.0.1:", WAIT);
            String banner = r.awaitErrLine("started:", WAIT);
            assertTrue(banner.contains(", seed 42, poll 5s, 3 rules, config file " + configPath), banner);
            assertTrue(banner.contains("started: disarmed"), banner);
            String metrics = scrape(metricsPort, "chaos_rule_probability{rule=\"payment-io\"}");
            assertTrue(metrics.contains("\nchaos_agent_armed 0.0\n"), metrics);
            assertTrue(metrics.contains("\nchaos_rule_probability{rule=\"payment-io\"} 0.3\n"), metrics);

            // The experiment: edit the ConfigMap to arm every pod.
            volume.write(Map.of(CONFIG_KEY, payload.replace("chaos.armed=false", "chaos.armed=true")
                    .replace("chaos.fleet.fraction=0.5", "chaos.fleet.fraction=1")));
            r.awaitErrLine("chaos ARMED: rules now fire (file " + configPath + ")", WAIT);
            assertTrue(scrape(metricsPort, "chaos_agent_armed 1.0").contains("\nchaos_agent_armed 1.0\n"));
            assertFalse(r.stderrSoFar().contains("[chaos-agent] ERROR"), r::toString);
            assertTrue(r.stderrSoFar().contains("Picked up JAVA_TOOL_OPTIONS: "), r::toString);
        }
    }

    /** The exporter's page once it holds {@code line} (the MXBeans appear at the agent's first poll). */
    private static String scrape(int port, String line) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + WAIT.toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            body = r.body();
            if (body.contains(line)) {
                return body;
            }
            Thread.sleep(200); // waiting for a state to appear, not for time to pass: bounded by WAIT
        }
        throw new AssertionError("no '" + line + "' on the exporter's page within " + WAIT + ":\n" + body);
    }

    /**
     * {@code kubectl create --dry-run=client -f deploy/kubernetes -o yaml}: even in client mode
     * kubectl asks an API server what resources exist, so the test serves the built-in list
     * (ConfigMap, Service, Deployment) on 127.0.0.1. Validation needs the server's OpenAPI
     * schema, which no test can serve offline: {@code --validate=false}.
     */
    @Test
    void kubectlAcceptsTheManifests() throws Exception {
        Path kubectl = ChildJvm.onPath("kubectl");
        Assumptions.assumeTrue(kubectl != null, "kubectl is not installed (the distribution's kubectl package): skipping"
                + " kubectl create --dry-run=client; the manifests' wiring is checked without it");
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        Map<String, String> discovery = Map.of(
                "/version", "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.4\"}",
                "/api", "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":[{\"clientCIDR\":\"0.0.0.0/0\","
                        + "\"serverAddress\":\"127.0.0.1\"}]}",
                "/apis", "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[{\"name\":\"apps\",\"versions\":[{\"groupVersion\":"
                        + "\"apps/v1\",\"version\":\"v1\"}],\"preferredVersion\":{\"groupVersion\":\"apps/v1\",\"version\":\"v1\"}}]}",
                "/api/v1", "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
                        + resource("configmaps", "ConfigMap") + "," + resource("services", "Service") + "]}",
                "/apis/apps/v1", "{\"kind\":\"APIResourceList\",\"groupVersion\":\"apps/v1\",\"resources\":["
                        + resource("deployments", "Deployment") + "]}");
        api.createContext("/", exchange -> {
            String body = discovery.get(exchange.getRequestURI().getPath());
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : bytes.length);
            if (body != null) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        api.start();
        try {
            Path config = tmp.resolve("kubeconfig");
            Files.writeString(config, "apiVersion: v1\nkind: Config\nclusters:\n- cluster: {server: \"http://127.0.0.1:"
                    + api.getAddress().getPort() + "\"}\n  name: test\ncontexts:\n- context: {cluster: test, user: test}\n"
                    + "  name: test\ncurrent-context: test\nusers:\n- name: test\n  user: {}\n");
            ProcessBuilder b = new ProcessBuilder(kubectl.toString(), "create", "--dry-run=client", "--validate=false", "-f",
                    DIR.toString(), "-o", "yaml").redirectErrorStream(true);
            b.environment().put("KUBECONFIG", config.toString());
            b.environment().put("HOME", tmp.toString()); // kubectl's discovery cache goes there, not into the user's home
            Process p = b.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
            for (String kind : new String[] {"kind: ConfigMap", "kind: Deployment", "kind: Service"}) {
                assertTrue(out.contains(kind), kind + " missing from kubectl's output:\n" + out);
            }
            assertTrue(out.contains("fieldPath: metadata.name") && out.contains("name: orders-chaos"), out);
            System.out.println("[kubectl] " + kubectl + " create --dry-run=client accepted deploy/kubernetes");
        } finally {
            api.stop(0);
        }
    }

    private static String resource(String plural, String kind) {
        return "{\"name\":\"" + plural + "\",\"singularName\":\"" + kind.toLowerCase() + "\",\"namespaced\":true,\"kind\":\"" + kind
                + "\",\"verbs\":[\"create\",\"delete\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]}";
    }
}
