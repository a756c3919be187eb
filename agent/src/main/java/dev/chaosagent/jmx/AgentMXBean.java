package dev.chaosagent.jmx;

/**
 * {@code dev.chaosagent:type=Agent}: the agent as a whole. Open types only, so jconsole,
 * VisualVM, jmxterm and Jolokia need none of the agent's classes.
 */
public interface AgentMXBean {
    String OBJECT_NAME = "dev.chaosagent:type=Agent";

    /** Whether faults fire ({@code chaos.armed}). Writing it is {@link #arm()} or {@link #disarm()}. */
    boolean isArmed();

    void setArmed(boolean armed);

    String getVersion();

    /** One line: armed or not, rules, methods woven, injections, the last configuration error if any. */
    String getStatus();

    String[] getRuleNames();

    /** When chaos.duration disarms the agent, as an ISO time, or an empty string when it is not armed or not limited. */
    String getArmedUntil();

    long getTotalInjections();

    /** The last configuration problem reported (from any source), or an empty string. */
    String getLastConfigError();

    /** Every {@code chaos.*} key in force: {@code key=value (source)}, source being jmx, system property or file. */
    String[] getConfigSources();

    /** Sets {@code chaos.armed=true}; faults fire from the moment it returns. */
    void arm();

    /** The kill switch: sets {@code chaos.armed=false}; after it returns, no new fault starts. */
    void disarm();

    /**
     * Sets any {@code chaos.*} key, validated exactly like a system property and rejected with
     * the same message if bad; applied before it returns and written through to the system property.
     */
    void setProperty(String key, String value);

    /** Removes a {@code chaos.*} system property, with the same validation. */
    void clearProperty(String key);

    /**
     * Defines or replaces a rule at once: {@code definition} is its keys without the
     * {@code chaos.rule.<name>.} prefix, as whitespace-separated {@code key=value} tokens, a value
     * with spaces in quotes. Validated as a whole; woven before it returns.
     */
    void defineRule(String name, String definition);

    /** Removes a rule from every source; the methods it wove get their own code back before it returns. */
    void removeRule(String name);

    /** Zeroes every rule's counters. */
    void resetCounters();
}
