package dev.chaosagent.bootstrap;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The single entry point of woven code: {@code Dispatcher.enter(id, slot, generation, key,
 * OwnerClass.class)} at the start of every woven method. Lives in the bootstrap class loader so
 * that every delegating loader reaches it, and therefore references JDK types only (a unit test
 * enforces it).
 *
 * <p>Disarmed, a call costs one volatile read. Armed, it counts the call on its own thread and
 * compares the count with the call index of the thread's next hit at the site, drawn (a geometric
 * gap) when the previous hit fired: whether a call hits is a pure function of (seed, site key,
 * thread key, probability, the thread's call index), so a run is reproducible under a fixed seed
 * whatever the interleaving or JDK. It throws nothing but the fault it was asked to inject.
 */
public final class Dispatcher {
    private static final Object LOCK = new Object();
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private static volatile boolean armed;
    private static volatile DispatchTable table = DispatchTable.EMPTY;
    private static volatile Site[] sites = new Site[64];
    /** Set once the {@code jdk.jfr} module turns out to be missing: no event is ever made then. */
    private static volatile boolean noFlightRecorder;
    private static int siteCount;
    /** Injections (and dry-run decisions) of all rules together, for {@code chaos.max-injections}. */
    private static final AtomicLong TOTAL_INJECTIONS = new AtomicLong();
    private static final AtomicLong TOTAL_WOULD_INJECT = new AtomicLong();
    /**
     * Per thread: whether this thread is busy, inside the dispatcher's own calls into the JDK or
     * doing the agent's work (a rule that names a JDK method the dispatcher itself uses,
     * StringBuilder, reflection, Thread.sleep, must not recurse, and the agent's threads are never
     * hit), its decision key and its call counts.
     */
    private static final ThreadLocal<CallState> STATE = new ThreadLocal<>();
    /**
     * The same states by thread id, for the armed path: an array read at {@code id & mask} and one
     * compare cost less than a ThreadLocal lookup (measured: an armed call 6.4 -> 3.1 ns over an
     * un-woven one). Not the identity hash: a thread whose monitor is inflated (one that another
     * thread joins) takes a slow runtime call for it (measured 28 ns). {@code Thread.getId} is an
     * ordinary method, so the weaver never weaves it (or {@code threadId}) in Thread or a subclass.
     * A thread takes its slot once, when the slot is free or its holder has ended; a thread whose
     * slot another live thread holds keeps using the ThreadLocal. Nothing is written here per call.
     */
    private static final CallState[] BY_THREAD_ID = new CallState[CallState.BY_THREAD_ID_SLOTS];
    /** Threads the agent starts, registered before they start: exempt from their first instruction on. */
    private static final ConcurrentHashMap<Thread, Boolean> EXEMPT = new ConcurrentHashMap<>();
    /** Per rule name, where the throwables it injects are also put (the JUnit extension's record); usually empty. */
    private static final ConcurrentHashMap<String, java.util.Queue<Throwable>> RECORDERS = new ConcurrentHashMap<>();
    /** Threads inside an injected delay: the kill switch wakes them. */
    private static final ConcurrentHashMap<Thread, Boolean> DELAYED = new ConcurrentHashMap<>();

    private Dispatcher() {
    }

    /** What {@link #enterReturning} gives back when the call runs its own body. */
    public static final Object PROCEED = new Object();

    /*
     * The woven code passes what the decision needs as constants: the site's id (its call count
     * and what an injection reports), its rule's slot and generation (whether it may fire under
     * the table in force) and its decision key. So a call that does not fire reads the table and
     * its own thread's state, and nothing of the site.
     */

    /** Called by woven code on method entry. */
    public static void enter(int id, int slot, int generation, long key, Class<?> origin) {
        if (armed) {
            guardedFire(id, slot, generation, key, origin, null);
        }
    }

    /**
     * Called on entry by the woven code of a {@code return} fault's method: the value to return at
     * once (boxed for a primitive type, which the woven code unboxes), or {@link #PROCEED}.
     */
    public static Object enterReturning(int id, int slot, int generation, long key, Class<?> origin) {
        if (armed) {
            return guardedFire(id, slot, generation, key, origin, null);
        }
        return PROCEED;
    }

    /**
     * Called on entry by the woven code of a rule with argument conditions: {@code args} holds the
     * arguments the conditions read, boxed, in ascending index order. Returns what
     * {@link #enterReturning} returns (woven code of other faults drops it).
     */
    public static Object enterWithArguments(int id, int slot, int generation, long key, Class<?> origin, Object[] args) {
        if (armed) {
            return guardedFire(id, slot, generation, key, origin, args);
        }
        return PROCEED;
    }

    /**
     * Nothing fires on a thread that is busy: inside the dispatcher's own calls into the JDK
     * (which a rule may name), or doing the agent's work. The decision itself is arithmetic on
     * this thread's state and the table; every part that calls a method (conditions, growing the
     * counts, the injection) marks the thread busy while it runs.
     */
    private static Object guardedFire(int id, int slot, int generation, long key, Class<?> origin, Object[] args) {
        CallState state = callState();
        if (state.busy) {
            return PROCEED;
        }
        return fire(state, id, slot, generation, key, origin, args);
    }

    /** Whether every argument condition holds: String.valueOf of each argument matches its globs. */
    private static boolean argumentsMatch(Globs[] conditions, Object[] args) {
        if (args == null || args.length != conditions.length) {
            return false; // woven for another set of conditions: not this rule's call
        }
        for (int i = 0; i < conditions.length; i++) {
            if (!conditions[i].matches(String.valueOf(args[i]))) {
                return false;
            }
        }
        return true;
    }

    /**
     * This thread's state, created on first use (no ThreadLocal.withInitial: no lambda in boot
     * classes). A thread the agent registered before starting it begins exempt.
     */
    private static CallState callState() {
        Thread self = Thread.currentThread();
        CallState state = BY_THREAD_ID[CallState.slot(self)];
        if (state != null && state.thread == self) {
            return state;
        }
        return slowCallState(self);
    }

    /** The current thread's decision key ({@link CallState#key()}), for tests of the decisions. */
    static long currentThreadKey() {
        return callState().key();
    }

    private static CallState slowCallState(Thread self) {
        CallState state = STATE.get();
        if (state == null) {
            state = new CallState(self);
            boolean exempt = !EXEMPT.isEmpty() && EXEMPT.remove(self) != null;
            state.busy = true; // making the state calls into the JDK, which a rule may name
            STATE.set(state);
            int woven;
            synchronized (LOCK) {
                woven = siteCount;
            }
            state.prepare(woven);
            CallState.claimSlot(BY_THREAD_ID, state);
            state.busy = exempt;
        }
        return state;
    }

    private static Object fire(CallState state, int id, int slot, int generation, long siteKey, Class<?> origin, Object[] args) {
        DispatchTable t = table;
        long[] hot = t.hot;
        int at = slot * DispatchTable.HOT_STRIDE;
        if (at >= hot.length) {
            return PROCEED;
        }
        long gate = hot[at];
        if ((gate >>> 1) != generation) {
            return PROCEED; // disabled, disarmed, removed, or woven for another generation of the rule
        }
        if ((gate & 1) != 0) {
            int known = args == null && t.args(slot) == null
                    ? state.knownThreadAnswer(t.threads(slot), slot)
                    : CallState.UNKNOWN; // argument conditions are checked on the rare path
            if (known == CallState.NO) {
                return PROCEED; // not the rule's thread: not counted either
            }
            if (known == CallState.UNKNOWN) {
                return struck(state, t, slot, id, siteKey, CONDITIONS_FIRST, origin, args);
            }
        }
        long index = state.next(id);
        if (state.beforeHit(id, hot[at + 1], index)) {
            return PROCEED; // before this thread's next hit, drawn under the settings in force: the common case
        }
        return struck(state, t, slot, id, siteKey, index, origin, null);
    }

    /**
     * In place of a call index: the call's rule has conditions this thread's memo cannot answer
     * (argument conditions, or a thread name it has not matched yet), which {@link #struck}
     * checks before it counts the call.
     */
    private static final long CONDITIONS_FIRST = -1;

    /** Whether the call meets its rule's {@code threads} and argument conditions; the thread is busy. */
    private static boolean conditionsHold(CallState state, DispatchTable t, int slot, Object[] args) {
        ThreadCondition threads = t.threads(slot);
        if (threads != null && !threads.matchesCurrentThread(state, slot)) {
            return false;
        }
        Globs[] conditions = t.args(slot);
        return conditions == null || argumentsMatch(conditions, args);
    }

    /**
     * The rare path: a call at this thread's next hit, or the first under the slot's stamp (at
     * probability 0 too, which keeps a hit no call reaches), or any at probability 1; and every
     * call of a rule with conditions the thread's memo cannot answer ({@code index}
     * {@link #CONDITIONS_FIRST}), which checks them, then counts the call and compares it with the
     * kept hit like the common case. Draws the next hit, from this call or from the one after a
     * hit, and at a hit injects, with the thread busy ({@code StrictMath} and the injection call
     * into the JDK, which a rule may name). The rule's limits are checked in the order that never
     * spends one for nothing: the concurrency cap (for faults that sleep), the rate, then the
     * budgets, which are exact.
     *
     * <p>One method, larger than C2 inlines at a call site however often it runs
     * ({@code FreqInlineSize}, 325 bytes of bytecode; {@code DispatcherShapeTest} checks it): the
     * woven method's caller keeps one call instruction and no exception handler for it. Split
     * into a small drawing method and the injection, the drawing part was inlined into every
     * woven method at p=0.001 and the call that does not fire cost about 3 ns more. Conditions are
     * checked here too; the inlined part only reads a thread's remembered answer: with the whole
     * check inlined (a busy flag, an exception handler, calls into the JDK), the dispatcher's
     * compiled entry grew past what C2 inlines into a caller once it is compiled on its own
     * ({@code InlineSmallCode}, 2,500 bytes of machine code), and a conditioned rule's call cost
     * 12 ns instead of 7.
     */
    private static Object struck(CallState state, DispatchTable t, int slot, int id, long siteKey, long index,
                                 Class<?> origin, Object[] args) {
        state.busy = true;
        try {
            long[] hot = t.hot;
            int at = slot * DispatchTable.HOT_STRIDE;
            long stamp = hot[at + 1];
            if (index == CONDITIONS_FIRST) {
                if (!conditionsHold(state, t, slot, args)) {
                    return PROCEED; // not the rule's call: not counted either
                }
                index = state.next(id);
                if (state.beforeHit(id, stamp, index)) {
                    return PROCEED;
                }
            }
            long threshold = hot[at + 2];
            long seed = hot[at + 3];
            long key = siteKey ^ state.key();
            if (threshold < DispatchTable.ALWAYS) { // at probability 1 no hit is kept: every call comes here
                long hit = state.hitAt(id, stamp);
                if (hit != index) {
                    hit = nextHit(seed, key, index, threshold); // none kept under these settings: drawn anew from this call
                }
                if (hit != index) {
                    state.keepHit(id, stamp, hit);
                    return PROCEED;
                }
                state.keepHit(id, stamp, nextHit(seed, key, index + 1, threshold));
            }
            RuleSettings r = t.rule(slot);
            Site site = sites[id];
            int fault = r.fault;
            boolean dryRun = t.dryRun;
            Object returned = PROCEED;
            if (!dryRun && (fault & DispatchTable.RETURN) != 0) {
                returned = site.returnValue(origin);
                if (returned == PROCEED) {
                    return PROCEED; // cannot build the value; Site.failure() says why, the agent logs it
                }
            }
            boolean hangs = (fault & DispatchTable.HANG) != 0;
            boolean sleeps = (fault & (DispatchTable.LATENCY | DispatchTable.HANG)) != 0 && !dryRun;
            Throwable toThrow = null;
            if (!dryRun && (fault & DispatchTable.EXCEPTION) != 0) {
                toThrow = site.newThrowable(origin, r.message);
                if (toThrow == null) {
                    return PROCEED; // cannot build the configured type; Site.failure() says why, the agent logs it
                }
            } else if (!dryRun && (fault & DispatchTable.KILL) != 0) {
                toThrow = new ChaosThreadKill(r.message);
            }
            RuleStats stats = site.stats;
            if (sleeps && !stats.enterDelay(r.maxConcurrent)) {
                return PROCEED; // counted as capped: the call runs unharmed
            }
            try {
                if (r.maxRate >= 0 && !stats.admitRate(r.maxRate, System.nanoTime())) { // no clock, no lock without a rate
                    return PROCEED;
                }
                long ordinal = countWithinBudgets(t, r, stats, dryRun);
                if (ordinal < 0) {
                    return PROCEED;
                }
                if (!dryRun) {
                    stats.recordLast(site.description);
                }
                if (ordinal < RuleStats.FIRST_RECORDED) {
                    stats.recordFirst(ordinal, describe(r.name, fault, site.description, dryRun), dryRun);
                }
                InjectionEvent event = flightRecorderStarted() ? new InjectionEvent() : null;
                boolean recorded = event != null && event.isEnabled(); // false unless a JFR recording asks for it
                if (recorded) {
                    event.begin();
                }
                long nanos = 0;
                boolean cut = false;
                if (sleeps) {
                    nanos = hangs ? FOREVER : delayNanos(r, seed, key, index);
                    cut = !delay(site, nanos);
                    nanos = hangs ? 0 : nanos; // the event's delay: a hang has none set in advance
                }
                if (recorded) {
                    event.rule = r.name;
                    event.fault = faultName(fault);
                    event.className = origin.getName();
                    event.method = site.description.substring(site.description.indexOf('#') + 1);
                    event.threadName = Thread.currentThread().getName();
                    event.delay = nanos;
                    event.dryRun = dryRun;
                    event.commit();
                }
                if (toThrow != null && !cut) {
                    StackTraceElement[] trace = toThrow.getStackTrace(); // built once, for both uses
                    if (inPeriodicScheduledTask(trace)) {
                        stats.recordPeriodicTaskHit(site.description);
                    }
                    trimDispatcherFrames(toThrow, trace);
                    java.util.Queue<Throwable> sink = RECORDERS.isEmpty() ? null : RECORDERS.get(r.name);
                    if (sink != null) {
                        sink.add(toThrow);
                    }
                    throw Dispatcher.<RuntimeException>sneakyThrow(toThrow);
                }
                return returned;
            } finally {
                if (sleeps) {
                    stats.exitDelay();
                }
            }
        } finally {
            state.busy = false;
        }
    }

    /** Counts the injection against the budget of all rules and the rule's own; -1 (nothing counted) if either is spent. */
    private static long countWithinBudgets(DispatchTable t, RuleSettings r, RuleStats stats, boolean dryRun) {
        AtomicLong total = dryRun ? TOTAL_WOULD_INJECT : TOTAL_INJECTIONS;
        long max = t.maxTotalInjections;
        while (true) {
            long n = total.get();
            if (max >= 0 && n >= max) {
                return -1;
            }
            if (total.compareAndSet(n, n + 1)) {
                break;
            }
        }
        long ordinal = stats.tryCountInjection(r.maxInjections, dryRun);
        if (ordinal < 0) {
            total.decrementAndGet();
        }
        return ordinal;
    }

    /**
     * Whether Flight Recorder has started in this JVM (a recording now or earlier): only then can
     * a recording want the injection's event. Without one, the event is never made, because the
     * first use of an event class brings Flight Recorder up, some 150 ms of the injecting thread's
     * time measured on JDK 17 and 25, which the fault asked for would carry. A JVM without the
     * {@code jdk.jfr} module has no recording.
     */
    private static boolean flightRecorderStarted() {
        if (noFlightRecorder) {
            return false;
        }
        try {
            return jdk.jfr.FlightRecorder.isInitialized();
        } catch (LinkageError e) {
            noFlightRecorder = true;
            return false;
        }
    }

    /**
     * Whether this thread runs a periodic task of a ScheduledThreadPoolExecutor: only those go
     * through FutureTask.runAndReset, and a throw there cancels the task for good, silently.
     * Read from the injected throwable's own trace (the same stack, taken a few frames up), or,
     * for a type that records no trace, from one taken here.
     */
    private static boolean inPeriodicScheduledTask(StackTraceElement[] injectedTrace) {
        StackTraceElement[] stack = injectedTrace.length > 0 ? injectedTrace : new Throwable().getStackTrace();
        for (StackTraceElement frame : stack) {
            if ("runAndReset".equals(frame.getMethodName()) && "java.util.concurrent.FutureTask".equals(frame.getClassName())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sleeps for the injected delay, unless the kill switch ends it: a disarm, or a change that
     * disables, removes or re-weaves the rule, wakes the thread ({@link #publish}) and the method
     * proceeds at once. An interrupt also ends the sleep; the flag is re-asserted for the method.
     *
     * @return false when the kill switch cut the delay short (then nothing more is injected)
     */
    private static boolean delay(Site site, long nanos) {
        Thread self = Thread.currentThread();
        long deadline = nanos == FOREVER ? FOREVER : System.nanoTime() + nanos;
        DELAYED.put(self, Boolean.TRUE);
        try {
            while (true) {
                if (!table.live(site.rule, site.generation)) {
                    return false;
                }
                if (deadline == FOREVER) {
                    LockSupport.park(Dispatcher.class); // a hang: only the kill switch or an interrupt ends it
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return true;
                    }
                    LockSupport.parkNanos(Dispatcher.class, left);
                }
                if (Thread.interrupted()) {
                    self.interrupt();
                    site.stats.countInterruptedDelay();
                    return true;
                }
            }
        } finally {
            DELAYED.remove(self);
        }
    }

    /** The throwable's trace starts at the woven method, as if the method itself had thrown. */
    private static void trimDispatcherFrames(Throwable t, StackTraceElement[] trace) {
        String self = Dispatcher.class.getName();
        int last = -1;
        for (int i = 0; i < trace.length; i++) {
            if (self.equals(trace[i].getClassName())) {
                last = i;
            }
        }
        if (last >= 0) {
            StackTraceElement[] trimmed = new StackTraceElement[trace.length - last - 1];
            System.arraycopy(trace, last + 1, trimmed, 0, trimmed.length);
            t.setStackTrace(trimmed);
        }
    }

    private static String faultName(int fault) {
        if ((fault & DispatchTable.HANG) != 0) {
            return "hang";
        }
        if ((fault & DispatchTable.RETURN) != 0) {
            return "return";
        }
        if ((fault & DispatchTable.LATENCY) != 0) {
            return (fault & DispatchTable.EXCEPTION) != 0 ? "latency+exception" : "latency";
        }
        return (fault & DispatchTable.EXCEPTION) != 0 ? "exception" : "kill";
    }

    private static String describe(String rule, int fault, String method, boolean dryRun) {
        StringBuilder b = new StringBuilder(96).append("rule '").append(rule).append(dryRun ? "' would inject " : "' injected ")
                .append(faultName(fault));
        return b.append(" into ").append(method).append(" on thread '")
                .append(Thread.currentThread().getName()).append('\'').toString();
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }

    /** The "delay" of a hang: no deadline. */
    private static final long FOREVER = Long.MAX_VALUE;

    /** The longest delay any draw gives: 24 hours, the longest a latency key accepts. */
    private static final double LONGEST_DELAY_NANOS = 24 * 3600 * 1e9;

    /**
     * The delay of the call's injection, drawn from its own streams 1 and 2 of (seed, key, index):
     * a fixed seed repeats every sample. Exponential by inversion; log-normal by Box-Muller.
     * {@code StrictMath} (and {@code sqrt}, correctly rounded everywhere): the same nanoseconds on
     * every JDK, interpreted or compiled, where {@code Math}'s intrinsics may differ in the last bit.
     */
    static long delayNanos(RuleSettings r, long seed, long key, long index) {
        double nanos;
        switch (r.latencyShape) {
            case RuleSettings.EXPONENTIAL:
                nanos = -r.latencyFirst * StrictMath.log1p(-unit(mix(seed, key, index, 1)));
                break;
            case RuleSettings.LOGNORMAL: {
                double u1 = 1.0 - unit(mix(seed, key, index, 1)); // in (0, 1]: the logarithm is finite
                double u2 = unit(mix(seed, key, index, 2));
                double z = Math.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
                nanos = StrictMath.exp(r.latencyFirst + r.latencySecond * z);
                break;
            }
            default: {
                long span = r.latencyMaxNanos - r.latencyMinNanos;
                return r.latencyMinNanos + (span <= 0 ? 0 : (long) (unit(mix(seed, key, index, 1)) * (span + 1)));
            }
        }
        if (r.latencyCapNanos > 0 && nanos > r.latencyCapNanos) {
            return r.latencyCapNanos;
        }
        return (long) Math.min(nanos, LONGEST_DELAY_NANOS);
    }

    /**
     * SplitMix64 over (seed, key, index, stream): a pure, well-mixed function; {@code index} is
     * the call index (a delay's draws), or the call from which a gap is drawn ({@link #gap}).
     */
    static long mix(long seed, long key, long index, int stream) {
        long start = finalise(seed ^ (key * GOLDEN) ^ ((long) stream << 61));
        return finalise(start + (index + 1) * GOLDEN);
    }

    static long finalise(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The top 53 bits as a double in [0, 1). */
    static double unit(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }

    /** Beyond any call index a thread reaches: a gap this long never ends. */
    private static final long NEVER = 1L << 62;

    /**
     * How many calls pass without a hit, counted from call {@code from}, at the probability
     * {@code threshold / 2^53} (below 1): geometric, by inversion of stream 0's element
     * {@code from}, {@code floor(ln u / ln(1 - p))} with u in (0, 1]; so P(gap >= k) = (1 - p)^k,
     * and the hits are exactly as if each call had been drawn on its own. {@code StrictMath}: the
     * same bits on every JDK, interpreted or compiled, so a fixed seed repeats every hit. At
     * threshold 0 (probability 0) the gap never ends.
     */
    static long gap(long seed, long key, long from, long threshold) {
        if (threshold == 0) {
            return NEVER;
        }
        double u = ((mix(seed, key, from, 0) >>> 11) + 1) * 0x1.0p-53;
        double gap = Math.floor(StrictMath.log(u) / StrictMath.log1p(-threshold * 0x1.0p-53));
        return gap < NEVER ? (long) gap : NEVER;
    }

    /** The call index of the first hit at or after call {@code from}: {@code from} plus the {@link #gap} drawn there. */
    static long nextHit(long seed, long key, long from, long threshold) {
        return from + gap(seed, key, from, threshold);
    }

    /**
     * Whether call {@code index} of a thread at a site hits, at a probability {@code p} in force
     * since the thread's first call there (or since the last reset): the decisions woven code
     * makes. Hits follow one another by {@link #nextHit}: the first is drawn from call 0, each next
     * one from the call after a hit. A pure function of its inputs.
     */
    public static boolean decides(long seed, long key, long index, double p) {
        long threshold = DispatchTable.threshold(p);
        if (threshold == 0 || threshold >= DispatchTable.ALWAYS) {
            return threshold != 0;
        }
        long hit = nextHit(seed, key, 0, threshold);
        while (hit < index) {
            hit = nextHit(seed, key, hit + 1, threshold);
        }
        return hit == index;
    }

    // ---- control side: called by the agent, never by woven code ----

    /**
     * Marks the current thread as doing the agent's own work (or not): no fault fires on it
     * meanwhile, even in JDK methods a rule names. Returns the previous state, for {@code restore}.
     */
    public static boolean exemptCurrentThread(boolean exempt) {
        CallState state = callState();
        boolean previous = state.busy;
        state.busy = exempt;
        return previous;
    }

    /**
     * Swaps in a new table: from the moment this returns, no new fault starts under the old one,
     * and every thread in an injected delay has been woken to check whether it may go on.
     */
    public static void publish(DispatchTable next) {
        synchronized (LOCK) {
            next.stampAfter(table);
            table = next;
            armed = next.armed;
        }
        if (!DELAYED.isEmpty()) {
            for (Thread t : DELAYED.keySet()) {
                LockSupport.unpark(t);
            }
        }
    }

    /** Makes a thread the agent is about to start exempt from its first instruction (a rule on Thread#run must not reach it). */
    /**
     * While a sink is set for a rule's name, every throwable that rule injects (exceptions and
     * thread kills) is also added to it, just before it is thrown: how the JUnit extension's
     * {@code ChaosRecord} lists them. A null sink stops the recording.
     */
    public static void recordThrowables(String rule, java.util.Queue<Throwable> sink) {
        if (sink == null) {
            RECORDERS.remove(rule);
        } else {
            RECORDERS.put(rule, sink);
        }
    }

    public static void exemptThread(Thread thread) {
        EXEMPT.put(thread, Boolean.TRUE);
    }

    /** The site registered under this id. */
    public static Site site(int id) {
        return sites[id];
    }

    /**
     * Calls per site id, every thread's together (an ended thread's included): the {@code Calls}
     * of a site's rule. Exact once the calling threads have finished their calls.
     */
    public static long[] callsBySite() {
        int n;
        synchronized (LOCK) {
            n = siteCount;
        }
        return CallState.totals(n);
    }

    /** Every thread's call counts start again from zero, and with them each thread's sequence of decisions. */
    public static void resetCalls() {
        CallState.resetAll();
    }

    /** Zeroes the counts that {@code chaos.max-injections} limits. */
    public static void resetTotals() {
        TOTAL_INJECTIONS.set(0);
        TOTAL_WOULD_INJECT.set(0);
    }

    public static DispatchTable table() {
        return table;
    }

    /** Registers a site and returns its id. Must happen before the woven class can run. */
    public static int register(Site site) {
        synchronized (LOCK) {
            Site[] current = sites;
            if (siteCount == current.length) {
                Site[] grown = new Site[current.length * 2];
                System.arraycopy(current, 0, grown, 0, siteCount);
                current = grown;
            }
            current[siteCount] = site;
            sites = current; // volatile write publishes the element to readers of sites[id]
            return siteCount++;
        }
    }

    /** A snapshot of every registered site, in id order. */
    public static Site[] sites() {
        synchronized (LOCK) {
            Site[] copy = new Site[siteCount];
            System.arraycopy(sites, 0, copy, 0, siteCount);
            return copy;
        }
    }
}
