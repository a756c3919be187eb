package dev.chaosagent.junit;

import dev.chaosagent.config.RuleDefinition;
import dev.chaosagent.config.SplitMix;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.reflect.AnnotatedElement;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a test under the chaos-agent rules its {@link ChaosRule} annotations name (on the test
 * method, and on its class for every test): each rule is defined and the agent armed just before
 * the test, and the rules removed (their methods restored) and the agent's switch put back just
 * after, so no fault leaks into another test. Decisions use the rule's {@code seed}, or one
 * derived from the test's unique id, so a test decides the same on every run; a failing test
 * prints it. A {@link ChaosRecord} parameter tells the test what happened.
 *
 * <p>The agent must be in the test JVM: with {@code -javaagent:chaos-agent.jar} in Surefire's
 * {@code argLine} it is; without it, the extension loads it (dynamic attach through a helper
 * process) and says what to add to {@code argLine} instead.
 *
 * <p>The agent, its rules and its switch are one per JVM: tests that use the extension run one at
 * a time (JUnit's default), not as concurrent methods under parallel execution.
 */
public final class ChaosExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver, TestWatcher {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ChaosExtension.class);
    private static final String RUN = "run";

    /** One test's rules as defined, its seed, its record, and the switch as it was before. */
    private static final class Run {
        final List<String> rules = new ArrayList<>();
        final long seed;
        final boolean wasArmed;
        ChaosRecord record;

        Run(long seed, boolean wasArmed) {
            this.seed = seed;
            this.wasArmed = wasArmed;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Map<String, ChaosRule> rules = rules(context);
        long seed = seedOf(context.getUniqueId());
        if (rules.isEmpty()) { // a test of the class without rules of its own: the agent is not needed
            Run run = new Run(seed, true);
            run.record = new ChaosRecord(null, seed, run.rules);
            context.getStore(NAMESPACE).put(RUN, run);
            return;
        }
        AgentAccess agent;
        try {
            agent = AgentAccess.get();
        } catch (IllegalStateException e) {
            throw new ExtensionConfigurationException(e.getMessage(), e);
        }
        Run run = new Run(seed, agent.armed());
        context.getStore(NAMESPACE).put(RUN, run);
        for (ChaosRule rule : rules.values()) {
            String definition = definition(rule, seed);
            try {
                agent.defineRule(rule.name(), definition);
            } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException("@ChaosRule(name = \"" + rule.name() + "\") is invalid: " + e.getMessage(),
                        e);
            }
            run.rules.add(rule.name());
        }
        run.record = new ChaosRecord(agent, seed, run.rules);
        for (Map.Entry<String, java.util.Queue<Throwable>> e : run.record.sinks().entrySet()) {
            agent.recordThrowables(e.getKey(), e.getValue());
        }
        if (!run.rules.isEmpty() && !run.wasArmed) {
            try {
                agent.setArmed(true);
            } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException("chaos-agent refused to arm for this test: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Run run = context.getStore(NAMESPACE).remove(RUN, Run.class);
        if (run == null || run.rules.isEmpty()) {
            return;
        }
        AgentAccess agent = AgentAccess.get();
        RuntimeException first = null;
        for (String rule : run.rules) {
            agent.recordThrowables(rule, null);
            try {
                agent.removeRule(rule);
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (!run.rules.isEmpty() && !run.wasArmed) {
            agent.setArmed(false);
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Map<String, ChaosRule> rules = rules(context);
        if (rules.isEmpty()) {
            return;
        }
        long derived = seedOf(context.getUniqueId());
        StringBuilder seeds = new StringBuilder();
        for (ChaosRule r : rules.values()) {
            seeds.append(seeds.length() == 0 ? "" : ", ").append(r.name()).append(" seed ")
                    .append(r.seed().isEmpty() ? derived + " (from the test's id)" : r.seed());
        }
        System.err.println("[chaos-agent] " + context.getDisplayName() + " failed under chaos rules: " + seeds
                + "; the same seeds make the same decisions on every run (repeat with @ChaosRule(..., seed = \"" + derived
                + "\"))");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ChaosRecord.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Run run = context.getStore(NAMESPACE).get(RUN, Run.class);
        if (run == null || run.record == null) {
            throw new ParameterResolutionException("a ChaosRecord is only for a test method under @ExtendWith(ChaosExtension.class)");
        }
        return run.record;
    }

    /** The class's rules (outer classes first), then the method's; a method's rule replaces a class rule of its name. */
    private static Map<String, ChaosRule> rules(ExtensionContext context) {
        Map<String, ChaosRule> rules = new LinkedHashMap<>();
        List<AnnotatedElement> levels = new ArrayList<>();
        for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getEnclosingClass()) {
            levels.add(0, c);
        }
        Optional<java.lang.reflect.Method> method = context.getTestMethod();
        method.ifPresent(levels::add);
        for (AnnotatedElement level : levels) {
            for (ChaosRule r : AnnotationSupport.findRepeatableAnnotations(level, ChaosRule.class)) {
                rules.remove(r.name());
                rules.put(r.name(), r);
            }
        }
        return rules;
    }

    /** The rule as the agent's defineRule takes it: {@code key=value} pairs, values quoted where needed. */
    static String definition(ChaosRule rule, long derivedSeed) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("target", rule.target());
        keys.put("fault", rule.fault());
        keys.put("probability", Double.toString(rule.probability()));
        put(keys, "exception", rule.exception());
        put(keys, "latency", rule.latency());
        put(keys, "message", rule.message());
        put(keys, "threads", rule.threads());
        if (rule.maxInjections() != -1) {
            keys.put("max-injections", Long.toString(rule.maxInjections()));
        }
        for (String pair : rule.keys()) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new ExtensionConfigurationException("@ChaosRule(name = \"" + rule.name() + "\") keys entry '" + pair
                        + "' is not of the form suffix=value");
            }
            keys.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
        }
        keys.put("seed", rule.seed().isEmpty() ? Long.toString(derivedSeed) : rule.seed());
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : keys.entrySet()) {
            b.append(b.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(RuleDefinition.quoted(e.getValue()));
        }
        return b.toString();
    }

    private static void put(Map<String, String> keys, String key, String value) {
        if (!value.isEmpty()) {
            keys.put(key, value);
        }
    }

    /** A seed from the test's unique id: FNV-1a over its UTF-8 bytes, then SplitMix64's finaliser. */
    static long seedOf(String uniqueId) {
        long h = 0xcbf29ce484222325L;
        for (byte b : uniqueId.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * 0x100000001b3L;
        }
        return SplitMix.finalise(h);
    }
}
