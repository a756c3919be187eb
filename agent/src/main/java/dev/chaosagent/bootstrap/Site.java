package dev.chaosagent.bootstrap;

import java.lang.ref.WeakReference;
import java.lang.reflect.Constructor;

/**
 * One woven (rule, method) pair. Created at weave time, before the woven class is defined, and
 * registered with {@link Dispatcher#register(Site)}; the returned id is the constant the woven
 * code passes back on every call.
 */
public final class Site {
    final int rule;
    final int generation;
    final long key;
    final RuleStats stats;
    final String exceptionClass;
    final String description;
    /** A return fault's value: its kind (see {@link ReturnValues}, -1 for other faults), literal and the method's return type. */
    final int returnKind;
    final String returnLiteral;
    final String returnDescriptor;
    /** The value built at the first injection, when every call may share it. */
    private volatile Object returnValue;
    private volatile boolean returnBuilt;

    /** Weak, so that a site never keeps an application's class loader alive (redeployed web apps). */
    private volatile WeakReference<Class<?>> type;
    /**
     * The constructor {@link #newThrowable} calls (with a message, or none), looked up once:
     * weak like {@link #type}, and only this site refers to it, so a collection may clear it
     * and the next injection looks it up again.
     */
    private volatile WeakReference<Constructor<?>> maker;
    private volatile String failure;

    /**
     * @param rule           slot of the rule in every {@link DispatchTable}
     * @param generation     the weaving of the rule this site belongs to: it fires only while the table says it is live
     * @param key            stable hash of (rule name, method signature): with the seed it fixes the decisions
     * @param stats          the rule's counters
     * @param exceptionClass binary name of the throwable to inject, or null when the rule throws nothing
     * @param description    {@code com.acme.Repo#find(java.lang.String)}, for logs
     */
    public Site(int rule, int generation, long key, RuleStats stats, String exceptionClass, String description) {
        this(rule, generation, key, stats, exceptionClass, description, -1, null, null);
    }

    /**
     * A site of a {@code return} fault.
     *
     * @param returnKind       the value's kind: null, empty, boolean, number, string or enum constant
     * @param returnLiteral    the value as written, a string without its quotes
     * @param returnDescriptor the method's return type, which the weaver checked can take the value
     */
    public Site(int rule, int generation, long key, RuleStats stats, String exceptionClass, String description, int returnKind,
                String returnLiteral, String returnDescriptor) {
        this.returnKind = returnKind;
        this.returnLiteral = returnLiteral;
        this.returnDescriptor = returnDescriptor;
        this.rule = rule;
        this.generation = generation;
        this.key = key;
        this.stats = stats;
        this.exceptionClass = exceptionClass;
        this.description = description;
    }

    /** The decision key the woven code passes with this site's calls. */
    public long key() {
        return key;
    }

    /** The weaving of the rule this site belongs to. */
    public int generation() {
        return generation;
    }

    public int rule() {
        return rule;
    }

    public String description() {
        return description;
    }

    /** Why this site could not build its exception at run time, or null. */
    public String failure() {
        return failure;
    }

    /**
     * Builds the configured throwable through the woven class's own loader, so application types
     * from fat jars and application servers resolve. Null (and {@link #failure()} set) when that fails.
     */
    Throwable newThrowable(Class<?> origin, String message) {
        try {
            WeakReference<Constructor<?>> made = maker;
            Constructor<?> c = made == null ? null : made.get();
            if (c == null) {
                WeakReference<Class<?>> ref = type;
                Class<?> t = ref == null ? null : ref.get();
                if (t == null) {
                    t = Class.forName(exceptionClass, false, origin.getClassLoader());
                    type = new WeakReference<Class<?>>(t);
                }
                try {
                    c = t.getConstructor(String.class);
                } catch (NoSuchMethodException e) {
                    c = t.getConstructor();
                }
                maker = new WeakReference<Constructor<?>>(c);
            }
            return (Throwable) (c.getParameterCount() == 1 ? c.newInstance(message) : c.newInstance());
        } catch (ReflectiveOperationException | LinkageError | ClassCastException | SecurityException e) {
            failure = "cannot create " + exceptionClass + " for " + description + ": " + e;
            return null;
        }
    }

    /**
     * What the return fault returns from this method, built through the woven class's loader; a
     * shared value is built once. {@link Dispatcher#PROCEED} (and {@link #failure()} set) when it
     * cannot be built: the call then runs as if not hit.
     */
    Object returnValue(Class<?> origin) {
        if (returnBuilt) {
            return returnValue;
        }
        try {
            Object value = ReturnValues.make(returnKind, returnLiteral, returnDescriptor, origin);
            if (ReturnValues.reusable(returnKind, returnDescriptor)) {
                returnValue = value;
                returnBuilt = true;
            }
            return value;
        } catch (Exception | LinkageError e) {
            failure = "cannot build the return value " + returnLiteral + " for " + description + ": " + e;
            return Dispatcher.PROCEED;
        }
    }
}
