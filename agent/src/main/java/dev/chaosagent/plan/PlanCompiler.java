package dev.chaosagent.plan;

import dev.chaosagent.bootstrap.DispatchTable;
import dev.chaosagent.bootstrap.RuleStats;
import dev.chaosagent.config.ChaosConfig;
import dev.chaosagent.config.FaultKind;
import dev.chaosagent.config.RuleConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Compiles a {@link ChaosConfig} into what runs: the weave targets (once, at start-up) and the
 * immutable {@link DispatchTable} the dispatcher reads (again on every change). Rule indexes
 * follow the configuration's rule order, which never changes after start-up.
 */
public final class PlanCompiler {
    private PlanCompiler() {
    }

    public static List<RuleTarget> targets(ChaosConfig config) {
        List<RuleTarget> out = new ArrayList<>();
        int i = 0;
        for (RuleConfig r : config.rules().values()) {
            out.add(new RuleTarget(i++, r.name(), r.targets(), r.fault(), r.exception(), new RuleStats()));
        }
        return Collections.unmodifiableList(out);
    }

    public static DispatchTable table(ChaosConfig config) {
        int n = config.rules().size();
        String[] names = new String[n];
        int[] faults = new int[n];
        double[] probabilities = new double[n];
        boolean[] enabled = new boolean[n];
        long[] min = new long[n];
        long[] max = new long[n];
        String[] messages = new String[n];
        int i = 0;
        for (RuleConfig r : config.rules().values()) {
            names[i] = r.name();
            faults[i] = faultBits(r.fault());
            probabilities[i] = r.probability();
            enabled[i] = r.enabled();
            min[i] = r.latency() == null ? 0 : r.latency().minNanos();
            max[i] = r.latency() == null ? 0 : r.latency().maxNanos();
            messages[i] = r.effectiveMessage();
            i++;
        }
        return new DispatchTable(config.armed(), config.seed(), names, faults, probabilities, enabled, min, max, messages);
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
