package dev.chaosagent.plan;

import dev.chaosagent.bootstrap.DispatchTable;
import dev.chaosagent.bootstrap.RuleStats;
import dev.chaosagent.config.ChaosConfig;
import dev.chaosagent.config.FaultKind;
import dev.chaosagent.config.RuleConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a {@link ChaosConfig} into the next {@link Plan}. A rule that keeps its name keeps its
 * slot and counters; if what it weaves is unchanged it keeps its {@link RulePlan} too, so its
 * woven code stays live. Slots are never reused: woven code of a removed rule may still be on a
 * thread's stack, and must never fire for a rule defined after it.
 */
public final class PlanCompiler {
    private PlanCompiler() {
    }

    public static Plan compile(ChaosConfig config, Plan previous) {
        int nextSlot = previous.nextSlot();
        int nextGeneration = previous.nextGeneration();
        List<RulePlan> rules = new ArrayList<>();
        Map<String, RulePlan> byName = new LinkedHashMap<>();
        List<RulePlan> added = new ArrayList<>();
        for (RuleConfig r : config.rules().values()) {
            RulePlan old = previous.rule(r.name());
            RulePlan plan;
            if (old != null && old.config().weavesLike(r)) {
                plan = new RulePlan(old.slot(), old.generation(), r.name(), old.patterns(), old.fault(), old.exception(),
                        old.stats(), r);
            } else {
                int slot = old != null ? old.slot() : nextSlot++;
                RuleStats stats = old != null ? old.stats() : new RuleStats();
                plan = new RulePlan(slot, nextGeneration++, r.name(), r.targets(), r.fault(), r.exception(), stats, r);
                added.add(plan);
            }
            rules.add(plan);
            byName.put(plan.name(), plan);
        }
        List<RulePlan> retired = new ArrayList<>();
        for (RulePlan old : previous.rules()) {
            RulePlan now = byName.get(old.name());
            if (now == null || now.generation() != old.generation()) {
                retired.add(old);
            }
        }
        return new Plan(Collections.unmodifiableList(rules), Collections.unmodifiableMap(byName), nextSlot, nextGeneration,
                table(config.armed(), config.seed(), rules, nextSlot), Collections.unmodifiableList(retired),
                Collections.unmodifiableList(added));
    }

    private static DispatchTable table(boolean armed, long seed, List<RulePlan> rules, int slots) {
        String[] names = new String[slots];
        int[] generations = new int[slots];
        int[] faults = new int[slots];
        double[] probabilities = new double[slots];
        boolean[] enabled = new boolean[slots]; // false for the slots of removed rules
        long[] min = new long[slots];
        long[] max = new long[slots];
        String[] messages = new String[slots];
        for (RulePlan p : rules) {
            RuleConfig r = p.config();
            int i = p.slot();
            names[i] = r.name();
            generations[i] = p.generation();
            faults[i] = faultBits(r.fault());
            probabilities[i] = r.probability();
            enabled[i] = r.enabled();
            min[i] = r.latency() == null ? 0 : r.latency().minNanos();
            max[i] = r.latency() == null ? 0 : r.latency().maxNanos();
            messages[i] = r.effectiveMessage();
        }
        return new DispatchTable(armed, seed, names, generations, faults, probabilities, enabled, min, max, messages);
    }

    static int faultBits(FaultKind kind) {
        switch (kind) {
            case LATENCY:
                return DispatchTable.LATENCY;
            case EXCEPTION:
                return DispatchTable.EXCEPTION;
            case KILL:
                return DispatchTable.KILL;
            case LATENCY_EXCEPTION:
                return DispatchTable.LATENCY | DispatchTable.EXCEPTION;
            default:
                throw new IllegalArgumentException(String.valueOf(kind));
        }
    }
}
