package dev.chaosagent.jmx;

/**
 * {@code dev.chaosagent:type=Agent}: the agent as a whole. Open types only, so jconsole,
 * VisualVM, jmxterm and Jolokia need none of the agent's classes.
 *
 * <p>Every operation that changes something also exists with a last {@code origin} argument: a
 * tool that drives the agent names itself there (the CLI passes {@code cli}) and the change line
 * in the log says {@code (cli)} instead of {@code (jmx)}. Either way the JMX principal, when the
 * JVM's JMX authentication supplies one, follows: {@code (jmx alice)}.
 */
public interface AgentMXBean {
    String OBJECT_NAME = "dev.chaosagent:type=Agent";

    /** Whether faults fire ({@code chaos.armed}). Writing it is {@link #arm()} or {@link #disarm()}. */
    boolean isArmed();

    void setArmed(boolean armed);

    /**
     * Whether this JVM takes part in the experiment under {@code chaos.fleet.fraction} (always,
     * at the default fraction 1). One that does not behaves as disarmed whatever {@code Armed} says.
     */
    boolean isFleetMember();

    String getVersion();

    /** One line: armed or not, rules, methods woven, injections, the last configuration error if any. */
    String getStatus();

    String[] getRuleNames();

    /** When chaos.duration disarms the agent, as an ISO time, or an empty string when it is not armed or not limited. */
    String getArmedUntil();

    /** When the lease ({@code chaos.lease}) lapses unless renewed, as an ISO time; empty when disarmed or no lease is set. */
    String getLeaseExpires();

    /** When the lease last lapsed and disarmed the agent, as an ISO time; empty if it never did. */
    String getLeaseLapsed();

    /** The stop condition that last disarmed the agent: when, its name, the condition and the value seen; or empty. */
    String getLastStop();

    long getTotalInjections();

    /** The last configuration problem reported (from any source), or an empty string. */
    String getLastConfigError();

    /** Every {@code chaos.*} key in force: {@code key=value (source)}, source being jmx, system property or file. */
    String[] getConfigSources();

    /** Sets {@code chaos.armed=true}; faults fire from the moment it returns. Renews the lease. */
    void arm();

    void arm(String origin);

    /**
     * The kill switch: sets {@code chaos.armed=false}; after it returns, no new fault starts and
     * every thread in an injected delay has been woken.
     */
    void disarm();

    void disarm(String origin);

    /** Renews the lease: the agent stays armed for another {@code chaos.lease} from now. */
    void renewLease();

    void renewLease(String origin);

    /**
     * Sets any {@code chaos.*} key, validated exactly like a system property and rejected with
     * the same message if bad; applied before it returns and written through to the system property.
     */
    void setProperty(String key, String value);

    void setProperty(String key, String value, String origin);

    /** Removes a {@code chaos.*} system property, with the same validation. */
    void clearProperty(String key);

    void clearProperty(String key, String origin);

    /**
     * Defines or replaces a rule at once: {@code definition} is its keys without the
     * {@code chaos.rule.<name>.} prefix, as whitespace-separated {@code key=value} tokens, a value
     * with spaces in quotes. Validated as a whole; woven before it returns.
     */
    void defineRule(String name, String definition);

    void defineRule(String name, String definition, String origin);

    /** Removes a rule from every source; the methods it wove get their own code back before it returns. */
    void removeRule(String name);

    void removeRule(String name, String origin);

    /** Zeroes every rule's counters (and what the budgets have spent). */
    void resetCounters();

    void resetCounters(String origin);
}
