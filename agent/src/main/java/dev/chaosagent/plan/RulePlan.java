package dev.chaosagent.plan;

import dev.chaosagent.bootstrap.RuleStats;
import dev.chaosagent.config.ClassFacts;
import dev.chaosagent.config.FaultKind;
import dev.chaosagent.config.RuleConfig;
import dev.chaosagent.config.TargetPattern;

import java.util.List;

/**
 * One rule as the weaver and the dispatcher know it: which methods it names, what it throws,
 * where its settings sit in the dispatch table, and its counters. A rule keeps its slot and its
 * counters for as long as its name is defined; each change of what it weaves (target, fault,
 * exception) gives it a new generation, and woven code of an older generation no longer fires.
 *
 * @param slot       the rule's index in every dispatch table, fixed while the rule exists, never reused
 * @param generation unique per weaving of a rule: sites carry it, the table says which one is live
 * @param exception  binary name, {@code declared}, or null when the fault throws no exception
 * @param counters   the rule's counters, kept across its plans while its name is defined
 */
public record RulePlan(int slot, int generation, String name, List<TargetPattern> patterns, FaultKind fault,
                       String exception, StatsCell counters, RuleConfig config) {

    /** The rule's counters, made (with the dispatcher, if it is not yet defined) at the first call. */
    public RuleStats stats() {
        return counters.get();
    }

    /**
     * Whether some pattern names this class. Classes of the JDK (boot and platform loaders) are
     * only matched by patterns that write their package out in full.
     */
    public boolean matchesClass(ClassFacts facts, boolean jdkClass) {
        for (int i = 0; i < patterns.size(); i++) {
            TargetPattern p = patterns.get(i);
            if ((!jdkClass || p.explicitPackage()) && p.matchesClass(facts)) {
                return true;
            }
        }
        return false;
    }

    /** Whether some pattern names this method and no {@code exclude} pattern does. */
    public boolean matchesMethod(ClassFacts facts, boolean jdkClass, String method, String descriptor, String[] parameterTypes) {
        if (!anyMatches(patterns, facts, jdkClass, method, descriptor, parameterTypes)) {
            return false;
        }
        List<TargetPattern> excludes = config.excludes();
        return excludes == null || !anyMatches(excludes, facts, false, method, descriptor, parameterTypes);
    }

    private static boolean anyMatches(List<TargetPattern> patterns, ClassFacts facts, boolean jdkClass, String method,
                                      String descriptor, String[] parameterTypes) {
        for (int i = 0; i < patterns.size(); i++) {
            TargetPattern p = patterns.get(i);
            if ((!jdkClass || p.explicitPackage()) && p.matchesClass(facts)
                    && p.matchesMethod(method, parameterTypes, p.needsMethodAnnotations() ? facts.methodAnnotations(method, descriptor) : null)) {
                return true;
            }
        }
        return false;
    }

    /** Whether matching this rule needs a class's supertypes or annotations (a {@code ^} or {@code @} pattern). */
    public boolean needsTypeFacts() {
        for (TargetPattern p : patterns) {
            if (p.needsTypeFacts()) {
                return true;
            }
        }
        return false;
    }
}
