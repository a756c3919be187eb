package dev.chaosagent.plan;

import dev.chaosagent.bootstrap.RuleStats;
import dev.chaosagent.config.FaultKind;
import dev.chaosagent.config.TargetPattern;

import java.util.List;

/**
 * What the weaver needs of one rule: which methods it names and what it throws. Fixed at
 * start-up, because weaving decisions (which methods, which checked exceptions) depend on it.
 *
 * @param index     the rule's index in every dispatch table
 * @param exception binary name, {@code declared}, or null when the fault throws no exception
 */
public record RuleTarget(int index, String name, List<TargetPattern> patterns, FaultKind fault, String exception,
                         RuleStats stats) {

    /**
     * Whether some pattern names this class. Classes of the JDK (boot and platform loaders) are
     * only matched by patterns that write their package out in full.
     */
    public boolean matchesClass(String binaryName, boolean jdkClass) {
        for (int i = 0; i < patterns.size(); i++) {
            TargetPattern p = patterns.get(i);
            if ((!jdkClass || p.explicitPackage()) && p.matchesClass(binaryName)) {
                return true;
            }
        }
        return false;
    }

    public boolean matchesMethod(String binaryName, boolean jdkClass, String method, String[] parameterTypes) {
        for (int i = 0; i < patterns.size(); i++) {
            TargetPattern p = patterns.get(i);
            if ((!jdkClass || p.explicitPackage()) && p.matchesClass(binaryName) && p.matchesMethod(method, parameterTypes)) {
                return true;
            }
        }
        return false;
    }
}
