package dev.chaosagent.config;

import java.util.Map;

/**
 * The whole, valid configuration in force. Immutable; replaced, never changed.
 *
 * @param seedConfigured whether {@code seed} came from {@code chaos.seed} (else it was drawn at start-up)
 * @param configFile     path of the config file, or null
 * @param rules          valid rules by name, sorted by name
 */
public record ChaosConfig(boolean armed, long pollMillis, LogLevel logLevel, long seed, boolean seedConfigured,
                          long summaryMillis, String configFile, Map<String, RuleConfig> rules) {
}
