package dev.chaosagent.plan;

import dev.chaosagent.bootstrap.DispatchTable;
import dev.chaosagent.bootstrap.Globs;
import dev.chaosagent.bootstrap.RuleSettings;
import dev.chaosagent.bootstrap.ThreadCondition;
import dev.chaosagent.config.ChaosConfig;
import dev.chaosagent.config.FaultKind;
import dev.chaosagent.config.Latency;
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
                        old.counters(), r);
            } else {
                int slot = old != null ? old.slot() : nextSlot++;
                StatsCell counters = old != null ? old.counters() : new StatsCell();
                plan = new RulePlan(slot, nextGeneration++, r.name(), r.targets(), r.fault(), r.exception(), counters, r);
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
                config, Collections.unmodifiableList(retired),
                Collections.unmodifiableList(added));
    }

    static DispatchTable table(ChaosConfig config, List<RulePlan> rules, int slots) {
        RuleSettings[] settings = new RuleSettings[slots]; // null for the slots of removed rules: they never fire
        for (RulePlan p : rules) {
            RuleConfig r = p.config();
            Latency l = r.latency() == null ? NO_LATENCY : r.latency();
            settings[p.slot()] = new RuleSettings(r.name(), p.generation(), faultBits(r.fault()), r.probability(), r.enabled(),
                    latencyShape(l.shape()), l.minNanos(), l.maxNanos(), l.first(), l.second(), l.capNanos(),
                    r.effectiveMessage(), r.maxInjections(), r.maxConcurrent(), r.maxRate(),
                    r.threads() == null ? null : new ThreadCondition(r.threads().toArray(new String[0])), args(r),
                    r.seed() != null, r.seed() == null ? 0L : r.seed());
        }
        return new DispatchTable(config.fires(), config.seed(), config.dryRun(), config.maxInjections(), settings);
    }

    /** The argument conditions in ascending index order, as the woven code passes the arguments; null for none. */
    private static Globs[] args(RuleConfig r) {
        if (r.args().isEmpty()) {
            return null;
        }
        Globs[] out = new Globs[r.args().size()];
        int i = 0;
        for (List<String> globs : r.args().values()) {
            out[i++] = new Globs(globs.toArray(new String[0]));
        }
        return out;
    }

    private static final Latency NO_LATENCY = new Latency(Latency.UNIFORM, 0, 0, 0, 0, 0, "0");

    private static int latencyShape(int shape) {
        switch (shape) {
            case Latency.EXPONENTIAL:
                return RuleSettings.EXPONENTIAL;
            case Latency.LOGNORMAL:
                return RuleSettings.LOGNORMAL;
            default:
                return RuleSettings.UNIFORM;
        }
    }

    /** Compares rather than switches: a switch on the enum loads a synthetic class at the first weave. */
    static int faultBits(FaultKind kind) {
        if (kind == FaultKind.LATENCY) {
            return DispatchTable.LATENCY;
        }
        if (kind == FaultKind.EXCEPTION) {
            return DispatchTable.EXCEPTION;
        }
        if (kind == FaultKind.KILL) {
            return DispatchTable.KILL;
        }
        if (kind == FaultKind.LATENCY_EXCEPTION) {
            return DispatchTable.LATENCY | DispatchTable.EXCEPTION;
        }
        if (kind == FaultKind.HANG) {
            return DispatchTable.HANG;
        }
        if (kind == FaultKind.RETURN) {
            return DispatchTable.RETURN;
        }
        throw new IllegalArgumentException(String.valueOf(kind));
    }
}
