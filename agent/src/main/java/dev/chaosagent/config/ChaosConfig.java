package dev.chaosagent.config;

import java.util.List;
import java.util.Map;

/**
 * The whole, valid configuration in force. Immutable; replaced, never changed.
 *
 * @param seedConfigured whether {@code seed} came from {@code chaos.seed} (else it was drawn at start-up)
 * @param configFile     path of the config file, or null
 * @param rules          valid rules by name, sorted by name
 * @param durationMillis how long one arming lasts, or 0 for no limit
 * @param maxInjections  the budget of all rules together, or -1
 * @param require        what must hold for the agent to arm (empty: nothing); null when chaos.require is malformed,
 *                       which refuses every arming
 * @param requireText    chaos.require as written at start-up, or null
 * @param leaseMillis    how long an arming lasts without a renewal, or 0 for no lease
 * @param stops          stop conditions by name, sorted by name
 * @param fleetFraction  the share of the fleet that takes part ({@code chaos.fleet.fraction})
 * @param fleetMember    this JVM's member name, or null when nobody asked for it (no member set, fraction 1)
 * @param fleetPosition  the member's position in [0, 1) (see {@link Fleet}), or -1 with no member name
 * @param weaveCache     where woven classes are kept: {@code off}, a directory, or empty for the default place
 */
public record ChaosConfig(boolean armed, long pollMillis, LogLevel logLevel, long seed, boolean seedConfigured,
                          long summaryMillis, String configFile, Map<String, RuleConfig> rules, long durationMillis, long maxInjections,
                          boolean dryRun, List<Requirement> require, String requireText, long leaseMillis,
                          Map<String, StopCondition> stops, double fleetFraction, String fleetMember, double fleetPosition,
                          String weaveCache) {

    /** Whether this JVM takes part in the experiment: one that does not behaves as disarmed. */
    public boolean takesPart() {
        return fleetMember == null || Fleet.takesPart(fleetPosition, fleetFraction);
    }

    /** Whether faults may fire: armed, and this JVM takes part. */
    public boolean fires() {
        return armed && takesPart();
    }
}
