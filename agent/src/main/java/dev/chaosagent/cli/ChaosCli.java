package dev.chaosagent.cli;

import dev.chaosagent.config.ConfigKeys;
import dev.chaosagent.config.Fleet;
import dev.chaosagent.config.RuleDefinition;
import dev.chaosagent.jmx.AgentMXBean;
import dev.chaosagent.jmx.RuleMXBean;

import java.io.File;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's tool, {@code java -jar chaos-agent.jar <command> <jvm> ...}: loads the agent
 * into a running JVM and drives it, through the attach API and the JVM's local JMX connector
 * only. Exit 0 on success, 1 when the agent rejected the request (its one-line message on
 * stderr), 2 on a usage error or a JVM that cannot be reached.
 */
public final class ChaosCli {
    static final String USAGE = String.join("\n",
            "usage: java -jar chaos-agent.jar <command> <jvm> [arguments]",
            "  <jvm> is a PID, or a part of the main class or jar name that one running JVM matches",
            "",
            "  attach <jvm> [<config-file>]      load the agent (dynamic attach), or point a running one at the file",
            "  status <jvm>                      the agent's status and one line per rule",
            "  rules <jvm>                       every rule's keys, as config-file lines",
            "  arm <jvm>                         faults fire from now on",
            "  disarm <jvm>                      the kill switch: no new fault starts",
            "  renew <jvm>                       renew the lease (chaos.lease): the agent stays armed another lease",
            "  set <jvm> <key>=<value>...        set chaos.* keys, each validated like a system property",
            "  rule <jvm> <name> <key>=<value>...  define or replace a rule at once (keys without chaos.rule.<name>.)",
            "  remove <jvm> <name>               remove a rule; its methods get their own code back",
            "  fleet <fraction> [--seed <n>] <member>...  which members take part at chaos.fleet.fraction (no JVM needed)",
            "",
            "exit status: 0 done, 1 rejected by the agent (its message on stderr), 2 usage error or JVM unreachable");

    /** How the agent's log names the changes this tool makes: {@code (cli)}. */
    static final String ORIGIN = "cli";

    private final PrintStream out;

    ChaosCli(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        int code;
        try {
            code = new ChaosCli(System.out).run(args);
        } catch (CliException e) {
            System.err.println("chaos-agent: " + e.getMessage());
            code = e.exitCode;
        }
        System.exit(code);
    }

    int run(String[] args) throws CliException {
        if (args.length == 0) {
            throw usage("no command given");
        }
        String command = args[0];
        if (command.equals("help") || command.equals("--help") || command.equals("-h")) {
            out.println(USAGE);
            return 0;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        switch (command) {
            case "attach":
                need(rest, 1, 2, command);
                return attach(TargetJvm.find(rest.get(0)), rest.size() == 2 ? rest.get(1) : null);
            case "status":
                need(rest, 1, 1, command);
                return withAgent(rest.get(0), "status", null);
            case "rules":
                need(rest, 1, 1, command);
                return withAgent(rest.get(0), "rules", null);
            case "arm":
            case "disarm":
            case "renew":
                need(rest, 1, 1, command);
                return withAgent(rest.get(0), command, null);
            case "set":
                need(rest, 2, Integer.MAX_VALUE, command);
                return withAgent(rest.get(0), command, rest.subList(1, rest.size()));
            case "rule":
                need(rest, 3, Integer.MAX_VALUE, command);
                return withAgent(rest.get(0), command, rest.subList(1, rest.size()));
            case "remove":
                need(rest, 2, 2, command);
                return withAgent(rest.get(0), command, rest.subList(1, 2));
            case "fleet":
                return fleet(rest);
            default:
                throw usage("unknown command '" + command + "'");
        }
    }

    private int withAgent(String spec, String command, List<String> arguments) throws CliException {
        TargetJvm jvm = TargetJvm.find(spec);
        try (AgentConnection c = AgentConnection.open(jvm)) {
            AgentMXBean agent = c.agent();
            try {
                switch (command) {
                    case "status":
                        status(c, agent);
                        return 0;
                    case "rules":
                        for (String name : agent.getRuleNames()) {
                            for (String line : c.rule(name).getKeys()) {
                                out.println(line);
                            }
                        }
                        return 0;
                    case "arm":
                        agent.arm(ORIGIN);
                        break;
                    case "disarm":
                        agent.disarm(ORIGIN);
                        break;
                    case "renew":
                        agent.renewLease(ORIGIN);
                        String expires = agent.getLeaseExpires();
                        out.println(expires.isEmpty()
                                ? "no lease runs (chaos.lease is not set, or the agent is disarmed); nothing to renew"
                                : "lease renewed: it lapses at " + expires + " unless renewed again");
                        break;
                    case "set":
                        for (Map.Entry<String, String> e : pairs(arguments).entrySet()) {
                            agent.setProperty(e.getKey(), e.getValue(), ORIGIN);
                        }
                        break;
                    case "rule": {
                        String name = arguments.get(0);
                        StringBuilder definition = new StringBuilder();
                        for (Map.Entry<String, String> e : pairs(arguments.subList(1, arguments.size())).entrySet()) {
                            definition.append(definition.length() == 0 ? "" : " ").append(e.getKey()).append('=')
                                    .append(RuleDefinition.quoted(e.getValue()));
                        }
                        agent.defineRule(name, definition.toString(), ORIGIN);
                        break;
                    }
                    case "remove":
                        agent.removeRule(arguments.get(0), ORIGIN);
                        break;
                    default:
                        throw new IllegalStateException(command);
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new CliException(CliException.REJECTED, e.getMessage());
            } catch (java.lang.reflect.UndeclaredThrowableException e) {
                throw new CliException(CliException.USAGE_OR_UNREACHABLE, "lost JVM " + jvm + ": " + e.getCause());
            }
            out.println(agent.getStatus());
            return 0;
        }
    }

    /**
     * Each member's position and whether it takes part, as every agent of the fleet decides it
     * (see {@link Fleet}): {@code pod-3  0.1834  takes part}, then the count.
     */
    private int fleet(List<String> args) throws CliException {
        if (args.isEmpty()) {
            throw usage("wrong number of arguments for 'fleet'");
        }
        double fraction;
        long seed = Fleet.DEFAULT_SEED;
        try {
            fraction = ConfigKeys.FLEET_FRACTION.parse(args.get(0));
        } catch (IllegalArgumentException e) {
            throw usage(ConfigKeys.FLEET_FRACTION.name() + "=" + args.get(0) + " " + e.getMessage());
        }
        List<String> members = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            if (args.get(i).equals("--seed")) {
                if (i + 1 == args.size()) {
                    throw usage("--seed needs a value");
                }
                try {
                    seed = ConfigKeys.SEED.parse(args.get(++i));
                } catch (IllegalArgumentException e) {
                    throw usage(ConfigKeys.SEED.name() + "=" + args.get(i) + " " + e.getMessage());
                }
            } else {
                members.add(args.get(i));
            }
        }
        if (members.isEmpty()) {
            throw usage("name at least one member");
        }
        int width = 0;
        for (String m : members) {
            width = Math.max(width, m.length());
        }
        int in = 0;
        for (String m : members) {
            double position = Fleet.position(seed, m);
            boolean part = Fleet.takesPart(position, fraction);
            in += part ? 1 : 0;
            out.println(m + " ".repeat(width - m.length() + 2) + Fleet.show(position) + "  "
                    + (part ? "takes part" : "does not take part"));
        }
        out.println(in + " of " + members.size() + " take part at " + ConfigKeys.FLEET_FRACTION.name() + "="
                + ConfigKeys.FLEET_FRACTION.show(fraction) + ", seed " + seed);
        return 0;
    }

    private void status(AgentConnection c, AgentMXBean agent) throws CliException {
        out.println(agent.getStatus());
        for (String name : agent.getRuleNames()) {
            RuleMXBean r = c.rule(name);
            out.println("  " + name + ": " + r.getFault() + (r.getException().isEmpty() ? "" : " " + r.getException())
                    + (r.getLatency().isEmpty() ? "" : " " + r.getLatency()) + " p=" + r.getProbability()
                    + (r.isEnabled() ? "" : " (disabled)") + ", " + r.getMethodsWoven() + (r.getMethodsWoven() == 1 ? " method" : " methods")
                    + " woven, " + r.getCalls()
                    + " calls, " + r.getInjections() + " injections");
        }
    }

    private int attach(TargetJvm jvm, String configFile) throws CliException {
        String config = null;
        if (configFile != null) {
            File f = new File(configFile).getAbsoluteFile();
            if (!f.isFile()) {
                throw usage("config file " + configFile + " does not exist");
            }
            config = f.getPath();
        }
        try (AgentConnection c = AgentConnection.open(jvm)) {
            if (c.agentRegistered()) {
                AgentMXBean agent = c.agent();
                if (config == null) {
                    out.println("chaos-agent " + agent.getVersion() + " already runs in JVM " + jvm + "; nothing loaded");
                } else {
                    try {
                        agent.setProperty("chaos.config", config, ORIGIN);
                    } catch (IllegalArgumentException e) {
                        throw new CliException(CliException.REJECTED, e.getMessage());
                    }
                    out.println("chaos-agent " + agent.getVersion() + " already runs in JVM " + jvm
                            + "; nothing loaded, it now reads " + config);
                }
                out.println(agent.getStatus());
                return 0;
            }
            if (c.refusesDynamicAgents()) {
                throw new CliException(CliException.USAGE_OR_UNREACHABLE, "JVM " + jvm + " refuses dynamic attach: "
                        + AgentConnection.DYNAMIC_LOADING_REMEDY);
            }
            c.loadAgent(agentJar(), config == null ? "" : config);
            if (!c.awaitAgent()) {
                throw new CliException(CliException.USAGE_OR_UNREACHABLE, "the agent was loaded into JVM " + jvm
                        + " but did not register its MXBeans; see that JVM's stderr");
            }
            AgentMXBean agent = c.agent();
            out.println("chaos-agent " + agent.getVersion() + " attached to JVM " + jvm + (config == null ? "" : " with " + config));
            out.println(agent.getStatus());
            return 0;
        }
    }

    /** This jar's path: the CLI loads the very jar it runs from. */
    private static String agentJar() throws CliException {
        try {
            File jar = new File(ChaosCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!jar.isFile()) {
                throw new CliException(CliException.USAGE_OR_UNREACHABLE, "the CLI must run from the agent jar (java -jar"
                        + " chaos-agent.jar), not from " + jar);
            }
            return jar.getPath();
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            throw new CliException(CliException.USAGE_OR_UNREACHABLE, "cannot tell where the agent jar is: " + e);
        }
    }

    private static Map<String, String> pairs(List<String> tokens) throws CliException {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String t : tokens) {
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw usage("'" + t + "' is not of the form key=value");
            }
            pairs.put(t.substring(0, eq), t.substring(eq + 1));
        }
        return pairs;
    }

    private static void need(List<String> rest, int min, int max, String command) throws CliException {
        if (rest.size() < min || rest.size() > max) {
            throw usage("wrong number of arguments for '" + command + "'");
        }
    }

    private static CliException usage(String why) {
        return new CliException(CliException.USAGE_OR_UNREACHABLE, why + "\n" + USAGE);
    }
}
