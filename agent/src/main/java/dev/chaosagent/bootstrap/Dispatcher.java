package dev.chaosagent.bootstrap;

/**
 * The single entry point of woven code: {@code Dispatcher.enter(id, OwnerClass.class)} at the
 * start of every woven method. Lives in the bootstrap class loader so that every delegating
 * loader reaches it, and therefore references JDK types only (a unit test enforces it).
 *
 * <p>Disarmed, a call costs one volatile read. Armed, it counts the call and decides with a pure
 * function of (seed, site key, per-site call index), so a run is reproducible under a fixed seed
 * whatever the thread count or JDK. It throws nothing but the fault it was asked to inject.
 */
public final class Dispatcher {
    private static final Object LOCK = new Object();
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private static volatile boolean armed;
    private static volatile DispatchTable table = DispatchTable.EMPTY;
    private static volatile Site[] sites = new Site[64];
    private static int siteCount;
    /**
     * Per thread, whether this thread is already inside {@link #fire}: a rule that names a JDK
     * method the dispatcher itself uses (StringBuilder, reflection, Thread.sleep) must not recurse.
     */
    private static final ThreadLocal<boolean[]> BUSY = new ThreadLocal<>();

    private Dispatcher() {
    }

    /** Called by woven code on method entry. */
    public static void enter(int id, Class<?> origin) {
        if (armed) {
            guardedFire(id, origin);
        }
    }

    private static void guardedFire(int id, Class<?> origin) {
        boolean[] busy = busyFlag();
        if (busy[0]) {
            return;
        }
        busy[0] = true;
        try {
            fire(id, origin);
        } finally {
            busy[0] = false;
        }
    }

    /** This thread's flag, created on first use (no ThreadLocal.withInitial: no lambda in boot classes). */
    private static boolean[] busyFlag() {
        boolean[] busy = BUSY.get();
        if (busy == null) {
            busy = new boolean[1];
            BUSY.set(busy);
        }
        return busy;
    }

    private static void fire(int id, Class<?> origin) {
        DispatchTable t = table;
        Site site = sites[id];
        int rule = site.rule;
        if (!t.armed || rule >= t.ruleCount() || !t.enabled(rule) || t.generation(rule) != site.generation) {
            return;
        }
        long index = site.nextCallIndex();
        if (!decides(t.seed, site.key, index, t.probability(rule))) {
            return;
        }
        inject(t, site, rule, index, origin);
    }

    /** The rare path, kept apart so that the decision above stays small enough to inline. */
    private static void inject(DispatchTable t, Site site, int rule, long index, Class<?> origin) {
        int fault = t.fault(rule);
        String message = t.message(rule);
        Throwable toThrow = null;
        if ((fault & DispatchTable.EXCEPTION) != 0) {
            toThrow = site.newThrowable(origin, message);
            if (toThrow == null) {
                return; // cannot build the configured type; Site.failure() says why, the control thread logs it
            }
        } else if ((fault & DispatchTable.KILL) != 0) {
            toThrow = new ChaosThreadKill(message);
        }
        long ordinal = site.stats.countInjection(site.description);
        if (ordinal < RuleStats.FIRST_RECORDED) {
            site.stats.recordFirst(ordinal, describe(t.name(rule), fault, site.description));
        }
        InjectionEvent event = new InjectionEvent();
        boolean recorded = event.isEnabled(); // false, and nearly free, unless a JFR recording asks for it
        if (recorded) {
            event.begin();
        }
        long nanos = 0;
        if ((fault & DispatchTable.LATENCY) != 0) {
            long min = t.latencyMinNanos(rule);
            long span = t.latencyMaxNanos(rule) - min;
            nanos = min + (span <= 0 ? 0 : (long) (unit(mix(t.seed, site.key, index, 1)) * (span + 1)));
            delay(site, nanos);
        }
        if (recorded) {
            event.rule = t.name(rule);
            event.fault = faultName(fault);
            event.className = origin.getName();
            event.method = site.description.substring(site.description.indexOf('#') + 1);
            event.threadName = Thread.currentThread().getName();
            event.delay = nanos;
            event.commit();
        }
        if (toThrow != null) {
            if (inPeriodicScheduledTask()) {
                site.stats.recordPeriodicTaskHit(site.description);
            }
            trimDispatcherFrames(toThrow);
            throw Dispatcher.<RuntimeException>sneakyThrow(toThrow);
        }
    }

    /**
     * Whether this thread runs a periodic task of a ScheduledThreadPoolExecutor: only those go
     * through FutureTask.runAndReset, and a throw there cancels the task for good, silently.
     */
    private static boolean inPeriodicScheduledTask() {
        StackTraceElement[] stack = new Throwable().getStackTrace();
        for (StackTraceElement frame : stack) {
            if ("runAndReset".equals(frame.getMethodName()) && "java.util.concurrent.FutureTask".equals(frame.getClassName())) {
                return true;
            }
        }
        return false;
    }

    private static void delay(Site site, long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
        } catch (InterruptedException e) {
            // Stop sleeping, keep the interrupt visible to the method, and let the method proceed.
            Thread.currentThread().interrupt();
            site.stats.countInterruptedDelay();
        }
    }

    /** The throwable's trace starts at the woven method, as if the method itself had thrown. */
    private static void trimDispatcherFrames(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
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
        if ((fault & DispatchTable.LATENCY) != 0) {
            return (fault & DispatchTable.EXCEPTION) != 0 ? "latency+exception" : "latency";
        }
        return (fault & DispatchTable.EXCEPTION) != 0 ? "exception" : "kill";
    }

    private static String describe(String rule, int fault, String method) {
        StringBuilder b = new StringBuilder(96).append("rule '").append(rule).append("' injected ").append(faultName(fault));
        return b.append(" into ").append(method).append(" on thread '")
                .append(Thread.currentThread().getName()).append('\'').toString();
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }

    /** SplitMix64's finaliser over (seed, key, index, stream): a pure, well-mixed function. */
    static long mix(long seed, long key, long index, int stream) {
        long z = seed ^ (key * GOLDEN) ^ ((long) stream << 61);
        z = finalise(z);
        return finalise(z + (index + 1) * GOLDEN);
    }

    private static long finalise(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The top 53 bits as a double in [0, 1). */
    static double unit(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }

    /** Whether the call with this index fires at probability p: the decision woven code makes. */
    public static boolean decides(long seed, long key, long index, double p) {
        return p >= 1.0 || (p > 0.0 && unit(mix(seed, key, index, 0)) < p);
    }

    // ---- control side: called by the agent, never by woven code ----

    /**
     * Marks the current thread as doing the agent's own work (or not): no fault fires on it
     * meanwhile, even in JDK methods a rule names. Returns the previous state, for {@code restore}.
     */
    public static boolean exemptCurrentThread(boolean exempt) {
        boolean[] busy = busyFlag();
        boolean previous = busy[0];
        busy[0] = exempt;
        return previous;
    }

    /** Swaps in a new table: from the moment this returns, no new fault starts under the old one. */
    public static void publish(DispatchTable next) {
        table = next;
        armed = next.armed;
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
