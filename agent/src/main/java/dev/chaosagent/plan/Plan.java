package dev.chaosagent.plan;

import dev.chaosagent.bootstrap.DispatchTable;
import dev.chaosagent.config.ChaosConfig;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What runs: the rules the weaver applies (in name order) and the configuration the dispatch table
 * woven code reads is made from. Immutable; {@link PlanCompiler} makes the next one from a
 * configuration and this one.
 *
 * @param retired rules of the previous plan that no longer weave (removed, or changed what they weave)
 * @param added   rules that weave newly (added, or changed what they weave)
 */
public record Plan(List<RulePlan> rules, Map<String, RulePlan> byName, int nextSlot, int nextGeneration,
                   ChaosConfig config, List<RulePlan> retired, List<RulePlan> added) {
    public static final Plan EMPTY = new Plan(Collections.<RulePlan>emptyList(), Collections.<String, RulePlan>emptyMap(),
            0, 1, null, Collections.<RulePlan>emptyList(), Collections.<RulePlan>emptyList());

    /**
     * The dispatch table for this plan, made at each call: only when it is published, since its
     * classes are the dispatcher's (see {@link DispatcherGate}).
     */
    public DispatchTable table() {
        return PlanCompiler.table(config, rules, nextSlot);
    }

    /** The rule of that name, or null. */
    public RulePlan rule(String name) {
        return byName.get(name);
    }

    /** Whether going to this plan changes what is woven. */
    public boolean changesWeaving() {
        return !retired.isEmpty() || !added.isEmpty();
    }
}
