package dev.chaosagent.jmx;

/** {@code dev.chaosagent:type=Rule,name=<rule>}: one rule, registered while the rule exists. Open types only. */
public interface RuleMXBean {
    /** Format of the name: rule names use only letters, digits, '-' and '_', so need no quoting. */
    String OBJECT_NAME_FORMAT = "dev.chaosagent:type=Rule,name=%s";

    double getProbability();

    /** Validated like {@code chaos.rule.<name>.probability}; applied before it returns. */
    void setProbability(double probability);

    boolean isEnabled();

    void setEnabled(boolean enabled);

    String getFault();

    String getTarget();

    /** The delay or range, or an empty string for faults that do not sleep. */
    String getLatency();

    /** The exception class (or {@code declared}), or an empty string for faults that throw none. */
    String getException();

    /** The rule's keys as {@code chaos.rule.<name>.<key>=<value>}, as they could stand in a config file. */
    String[] getKeys();

    /** Threads blocked in the rule's {@code hang} now (0 for other faults). */
    int getHanging();

    /** How many methods the rule has woven now. */
    int getMethodsWoven();

    /** The methods woven, as {@code Class#method(params)}, then those skipped, each with why. */
    String[] getWovenMethods();

    /** Entries into woven methods seen while armed and the rule enabled. */
    long getCalls();

    long getInjections();

    long getInterruptedDelays();

    /** Injections the rule may still make under its {@code max-injections} budget, or -1 when it has none. */
    long getRemainingInjections();

    /** Calls that would have been delayed but ran unharmed because {@code max-concurrent} threads were in a delay. */
    long getCapped();

    /** Injections left out because the rule reached its {@code max-rate}. */
    long getRateLimited();

    /** Decisions to inject made under {@code chaos.dry-run}, where nothing was injected. */
    long getWouldInject();

    /** {@code <ISO time> thread '<name>' <Class#method(params)>}, or an empty string. */
    String getLastInjection();
}
