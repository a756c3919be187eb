package dev.chaosagent.plan;

import java.util.List;

/**
 * What the weaver tells about its work, as it happens (the shape of Byte Buddy's
 * {@code AgentBuilder.Listener}): the record of woven methods and the reporter both listen, so
 * the weaver keeps no books and logs nothing itself. Called on the thread that loads or
 * retransforms the class; implementations must not throw.
 */
public interface WeaveListener {
    /**
     * A class was (re)transformed: {@code methods.get(i)} are the methods {@code rules.get(i)}
     * wove into it, as {@code Class#method(params)}. Empty lists: the class now carries nothing
     * of ours (it was restored, or no rule matched a method).
     *
     * @param classKey the class's name and its loader's identity: the same class in two loaders is two classes
     */
    void classWoven(String classKey, List<RulePlan> rules, List<List<String>> methods);

    /** A rule left something out here, and {@code line} says what and why. */
    void skipped(RulePlan rule, String line);

    /** A class cannot be woven at all; it is defined as it was. */
    void failed(String className, String reason);

    /** What the weave cache has to say: a warning (it cannot be used safely) or a debug line. */
    default void weaveCache(String line, boolean warning) {
    }
}
