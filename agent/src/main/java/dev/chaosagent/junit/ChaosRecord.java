package dev.chaosagent.junit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What chaos did during one test: a parameter of the test method, resolved by
 * {@link ChaosExtension}. Counts are the agent's own ({@code Calls} and {@code Injections} of the
 * rule's MXBean), read when asked; the throwables are every one a rule of the test injected, in
 * the order they were thrown.
 */
public final class ChaosRecord {
    private final AgentAccess agent;
    private final long seed;
    private final Map<String, Queue<Throwable>> thrown = new LinkedHashMap<>();
    private final Queue<Throwable> all = new ConcurrentLinkedQueue<>();

    ChaosRecord(AgentAccess agent, long seed, List<String> rules) {
        this.agent = agent;
        this.seed = seed;
        for (String rule : rules) {
            thrown.put(rule, new RecordingQueue(all));
        }
    }

    /** The rule's injections so far in this test. */
    public long injections(String rule) {
        return agent.counter(known(rule), "Injections");
    }

    /** The rule's calls so far in this test: calls of its methods that were the rule's (its conditions held). */
    public long calls(String rule) {
        return agent.counter(known(rule), "Calls");
    }

    /** Every throwable the test's rules injected (exceptions and thread kills), in order. */
    public List<Throwable> throwables() {
        return Collections.unmodifiableList(new ArrayList<>(all));
    }

    /** The throwables one rule injected, in order. */
    public List<Throwable> throwables(String rule) {
        return Collections.unmodifiableList(new ArrayList<>(thrown.get(known(rule))));
    }

    /** The seed the test's rules decide with (given, or derived from the test's unique id). */
    public long seed() {
        return seed;
    }

    Map<String, Queue<Throwable>> sinks() {
        return thrown;
    }

    private String known(String rule) {
        if (!thrown.containsKey(rule)) {
            throw new IllegalArgumentException("no chaos rule '" + rule + "' in this test; its rules are " + thrown.keySet());
        }
        return rule;
    }

    /** A rule's own list that also feeds the test's list of all throwables. */
    private static final class RecordingQueue extends ConcurrentLinkedQueue<Throwable> {
        private static final long serialVersionUID = 1L;
        private final transient Queue<Throwable> all;

        RecordingQueue(Queue<Throwable> all) {
            this.all = all;
        }

        @Override
        public boolean add(Throwable t) {
            all.add(t);
            return super.add(t);
        }
    }
}
