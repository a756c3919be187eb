package dev.chaosagent.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One chaos-agent rule for a test: defined and armed just before the test runs, removed (its
 * methods restored) right after. On a test class it applies to every test of the class; a test
 * method's rule of the same name replaces it. The attributes are the agent's rule keys, with the
 * same values and the same validation (an invalid rule fails the test before it runs, with the
 * agent's one-line message); {@link #keys()} takes any other key as {@code suffix=value}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(ChaosRules.class)
public @interface ChaosRule {
    /** The rule's name: letters, digits, {@code -} and {@code _}; what {@link ChaosRecord} asks by. */
    String name();

    /** {@code chaos.rule.<name>.target}: {@code Class#method} patterns separated by {@code ;}. */
    String target();

    /** {@code fault}: {@code exception}, {@code latency}, {@code kill}, {@code latency+exception}, {@code hang}, {@code return}. */
    String fault();

    /** {@code probability} in [0, 1]. */
    double probability();

    /** {@code exception}: the throwable's class name, or {@code declared}; empty for the agent's default. */
    String exception() default "";

    /** {@code latency}: {@code 250ms}, {@code 100ms..2s}, {@code exp(mean=50ms)}...; empty when the fault does not sleep. */
    String latency() default "";

    /** {@code message} of the injected throwable; empty for the agent's default. */
    String message() default "";

    /** {@code threads}: globs on the calling thread's name; empty for every thread. */
    String threads() default "";

    /** {@code max-injections}: the rule's budget; -1 for none. */
    long maxInjections() default -1;

    /** Any other rule key, as {@code suffix=value}: {@code {"arg.0=acme-*", "max-rate=5"}}. */
    String[] keys() default {};

    /**
     * {@code seed} of the rule's decisions; empty for one derived from the test's unique id, so a
     * test decides the same on every run. A failing test prints the seed it ran with.
     */
    String seed() default "";
}
