package dev.chaosagent.bootstrap;

/**
 * One thread's part of the dispatcher: whether it is busy (inside the dispatcher, or doing the
 * agent's own work), the key that makes its decisions its own, and how many times it called each
 * woven method. An armed call writes only here, never to memory another thread writes, so threads
 * calling one hot method do not fight over a cache line.
 *
 * <p>The call counts are what {@code Calls} sums: the registry below keeps every thread that ever
 * counted, folds a thread's counts into a per-site base once the thread has ended, and so keeps
 * its size within twice the number of live counting threads.
 *
 * <p>A thread's key is a hash of its name when it first counts, and of its ordinal among the
 * threads of that name so far: threads with distinct names decide independently and repeat under
 * a fixed seed whatever the interleaving; threads that share a name (virtual threads, unnamed
 * pools) still decide independently, numbered in the order they first count.
 */
final class CallState {
    private static final long[] NO_COUNTS = new long[0];
    /** Names remembered for ordinals; beyond them a thread's ordinal comes from one running count. */
    private static final int NAME_SLOTS = 4096;
    private static final int MAX_PROBES = 64;

    private static final Object LOCK = new Object();
    /** Bumped by {@link #resetAll}: a thread whose epoch is older counts from zero at its next call. */
    private static volatile int epoch;
    // guarded by LOCK
    private static CallState[] registered = new CallState[16];
    private static int registeredCount;
    private static long[] base = new long[64];
    private static long[] nameHashes;
    private static int[] nameCounts;
    private static long unnamedOrdinal;

    /** Slots of the dispatcher's array of states by thread id (a power of two). */
    static final int BY_THREAD_ID_SLOTS = 4096;
    /** The dispatcher's array of states by thread id, for clearing ended threads' slots; set with the first claim. */
    private static CallState[] byThreadId;

    boolean busy;
    final Thread thread;
    /** This thread's decision key, once {@link #key()} has made it. */
    private long key;
    private boolean keyed;
    private int ownEpoch;
    /**
     * Per site id, {@value #STRIDE} longs: this thread's calls of the site, the stamp of the
     * settings (seed and probability) under which its next hit was drawn, that hit's call index,
     * and one unused (so that an id's place is a shift). See {@link #beforeHit}. Replaced by a
     * longer copy when an id beyond it first counts (by this thread only).
     */
    private long[] counts = NO_COUNTS;
    /** Longs per site id in {@link #counts}: calls, stamp, next hit and one unused, side by side (a call reads three). */
    static final int STRIDE = 4;
    /** The kept hit of an entry no hit was drawn for: beyond every call index. */
    static final long NO_HIT = Long.MAX_VALUE;
    /**
     * Sites {@link #prepare} makes room for at most (their counts take 8 KB, in an array that
     * grows by half as much again): a thread calls few of many woven methods, and one that goes
     * beyond grows its counts then.
     */
    static final int PREPARED_SITES = 256;
    /** This thread's last answers to {@code threads} conditions, by rule slot; read and written by this thread only. */
    private ConditionMemo[] conditionMemos = new ConditionMemo[0];

    /** One rule slot's last answer on this thread: for which condition and which name. */
    static final class ConditionMemo {
        ThreadCondition condition;
        String name;
        boolean matches;
    }

    /** {@link #knownThreadAnswer}: the thread meets the condition, does not, or the memo cannot say. */
    static final int NO = 0;
    static final int YES = 1;
    static final int UNKNOWN = -1;

    /**
     * This thread's remembered answer to {@code condition}, rule slot {@code slot}'s
     * {@code threads} condition, read without calling anything but {@code Thread.getName} (which
     * the weaver never weaves, so the thread need not be busy): {@link #UNKNOWN} when the memo is
     * for another condition or thread name (the name by identity: a rename is a new string).
     */
    int knownThreadAnswer(ThreadCondition condition, int slot) {
        ConditionMemo[] memos = conditionMemos;
        if (condition == null || slot >= memos.length) {
            return UNKNOWN;
        }
        ConditionMemo memo = memos[slot];
        if (memo == null || memo.condition != condition || memo.name != thread.getName()) {
            return UNKNOWN;
        }
        return memo.matches ? YES : NO;
    }

    /** This thread's memo for rule slot {@code slot}; the caller is busy (this may allocate). */
    ConditionMemo conditionMemo(int slot) {
        ConditionMemo[] memos = conditionMemos;
        if (slot >= memos.length) {
            memos = java.util.Arrays.copyOf(memos, Math.max(slot + 1, memos.length * 2));
            conditionMemos = memos;
        }
        ConditionMemo memo = memos[slot];
        if (memo == null) {
            memo = new ConditionMemo();
            memos[slot] = memo;
        }
        return memo;
    }

    CallState(Thread thread) {
        this.thread = thread;
    }

    /**
     * Makes room in this thread's counts for the first {@code sites} site ids (up to
     * {@value #PREPARED_SITES}) and registers the thread: called once, where the dispatcher makes
     * the thread's state, so that the thread's first calls of those sites take none of the
     * counting's rare paths, which the JIT would otherwise compile into every woven method as calls
     * once a few threads had taken them (with a rule at probability 0 its calls then take no rare
     * path at all).
     */
    void prepare(int sites) {
        if (counts.length == 0) {
            grow(Math.max(0, Math.min(sites, PREPARED_SITES) - 1));
        }
    }

    /**
     * This thread's decision key: its name's hash and its ordinal among the threads of that name,
     * made at its first draw (the first counted call of a method whose rule can fire) from the name
     * it has then, and kept. Called by this thread only, on the rare path.
     */
    long key() {
        if (!keyed) {
            synchronized (LOCK) {
                key = threadKey(thread.getName());
            }
            keyed = true;
        }
        return key;
    }

    /**
     * Counts a call of site {@code id} on this thread and returns how many this thread made
     * before it, since start-up or the last reset: the index its decision is a function of.
     */
    long next(int id) {
        int now = epoch;
        if (ownEpoch != now) {
            restart(now);
        }
        long[] c = counts;
        int at = id * STRIDE;
        if (at >= c.length) {
            c = grow(id);
        }
        return c[at]++;
    }

    /**
     * Whether the call that {@link #next} just counted at site {@code id}, with index
     * {@code index}, comes before this thread's next hit there, drawn under the settings of
     * {@code stamp}: the common case, two compares. False when no hit is kept, or it was drawn
     * under other settings, or this call is the hit. A fresh or reset entry holds
     * {@link DispatchTable#NEVER_STAMP} and {@link #NO_HIT}: good at probability 0, which draws
     * nothing, and under no other stamp.
     */
    boolean beforeHit(int id, long stamp, long index) {
        long[] c = counts;
        int at = id * STRIDE;
        return c[at + 1] == stamp && index < c[at + 2];
    }

    /**
     * The call index of this thread's next hit at site {@code id}, if it was drawn under the
     * settings of {@code stamp}; otherwise -1, which no index equals. Call after {@link #next}
     * for the same id.
     */
    long hitAt(int id, long stamp) {
        long[] c = counts;
        int at = id * STRIDE;
        return c[at + 1] == stamp ? c[at + 2] : -1;
    }

    /** Keeps the call index of this thread's next hit at site {@code id}, drawn under the settings of {@code stamp}. */
    void keepHit(int id, long stamp, long hit) {
        long[] c = counts;
        int at = id * STRIDE;
        c[at + 1] = stamp;
        c[at + 2] = hit;
    }

    /** The counting's rare paths call into the JDK, which a rule may name: the thread is busy meanwhile. */
    private void restart(int now) {
        boolean was = busy;
        busy = true;
        try {
            java.util.Arrays.fill(counts, 0L);
            fresh(counts, 0);
            ownEpoch = now;
        } finally {
            busy = was;
        }
    }

    /** Counts with room for {@code id}: a copy (a reader of the old array sees counts that lag, never wrong ones). */
    private long[] grow(int id) {
        boolean was = busy;
        busy = true;
        try {
            long[] c = counts;
            boolean first = c.length == 0;
            int sites = Math.max(id + 1 + (id >>> 1), Math.max(16, c.length / STRIDE * 2));
            long[] wider = java.util.Arrays.copyOf(c, sites * STRIDE);
            fresh(wider, c.length / STRIDE);
            counts = wider;
            if (first) {
                ownEpoch = epoch; // counts from zero in the current epoch: no restart at its first call
                register(this);
            }
            return wider;
        } finally {
            busy = was;
        }
    }

    /** Marks the entries of {@code c} from site {@code from} on as fresh: no calls, no hit kept, good at probability 0. */
    private static void fresh(long[] c, int from) {
        for (int at = from * STRIDE; at < c.length; at += STRIDE) {
            c[at + 1] = DispatchTable.NEVER_STAMP;
            c[at + 2] = NO_HIT;
        }
    }

    /** This thread's counts by site id, added into {@code sums} when they belong to the current epoch. */
    private void addTo(long[] sums, int now) {
        if (ownEpoch != now) {
            return;
        }
        long[] c = counts;
        for (int i = 0, n = Math.min(c.length / STRIDE, sums.length); i < n; i++) {
            sums[i] += c[i * STRIDE];
        }
    }

    private static void register(CallState state) {
        synchronized (LOCK) {
            if (registeredCount == registered.length) {
                foldEnded();
                if (registeredCount * 2 > registered.length) {
                    CallState[] wider = new CallState[registered.length * 2];
                    System.arraycopy(registered, 0, wider, 0, registeredCount);
                    registered = wider;
                }
            }
            registered[registeredCount++] = state;
        }
    }

    /**
     * Gives a new thread's state its slot in the dispatcher's array (by the thread's id)
     * when the slot is free or its holder has ended; otherwise the thread goes on finding its state
     * through the ThreadLocal. Called once per thread.
     */
    static void claimSlot(CallState[] slots, CallState state) {
        int at = slot(state.thread);
        synchronized (LOCK) {
            byThreadId = slots;
            CallState holder = slots[at];
            if (holder == null || !holder.thread.isAlive()) {
                slots[at] = state; // final field 'thread': a racing reader sees it set, or sees another state
            }
        }
    }

    /** Moves the counts of threads that have ended into the base, and forgets those threads. Under LOCK. */
    private static void foldEnded() {
        int now = epoch;
        int kept = 0;
        for (int i = 0; i < registeredCount; i++) {
            CallState s = registered[i];
            if (s.thread.isAlive()) { // false: the thread's writes happen-before this read
                registered[kept++] = s;
            } else {
                s.addTo(baseFor(s.counts.length / STRIDE), now);
                forgetSlot(s);
            }
        }
        for (int i = kept; i < registeredCount; i++) {
            registered[i] = null;
        }
        registeredCount = kept;
    }

    /** A thread's slot in the dispatcher's array. */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+, and both give the same final id
    static int slot(Thread thread) {
        return (int) thread.getId() & (BY_THREAD_ID_SLOTS - 1);
    }

    /** An ended thread's state leaves the dispatcher's array, so that it does not keep the thread. Under LOCK. */
    private static void forgetSlot(CallState ended) {
        if (byThreadId != null) {
            int at = slot(ended.thread);
            if (byThreadId[at] == ended) {
                byThreadId[at] = null;
            }
        }
    }

    private static long[] baseFor(int sites) {
        if (base.length < sites) {
            base = java.util.Arrays.copyOf(base, Math.max(sites, base.length * 2));
        }
        return base;
    }

    /** Calls per site id, for ids below {@code sites}: every thread's, the ended ones' included. */
    static long[] totals(int sites) {
        synchronized (LOCK) {
            foldEnded();
            int now = epoch;
            long[] sums = new long[sites];
            System.arraycopy(base, 0, sums, 0, Math.min(sites, base.length));
            for (int i = 0; i < registeredCount; i++) {
                registered[i].addTo(sums, now);
            }
            return sums;
        }
    }

    /** Every thread counts from zero again at its next call; the ended threads' counts are dropped. */
    static void resetAll() {
        synchronized (LOCK) {
            java.util.Arrays.fill(base, 0L);
            epoch = epoch + 1;
        }
    }

    /** The decision key of a thread of this name: its name's hash and its ordinal among threads of that name. Under LOCK. */
    private static long threadKey(String name) {
        long hash = 1125899906842597L;
        for (int i = 0; i < name.length(); i++) {
            hash = 31 * hash + name.charAt(i);
        }
        hash = Dispatcher.finalise(hash) | 1L; // 0 marks a free slot
        if (nameHashes == null) {
            nameHashes = new long[NAME_SLOTS];
            nameCounts = new int[NAME_SLOTS];
        }
        long ordinal = -1;
        int slot = (int) (hash >>> 52) & (NAME_SLOTS - 1);
        for (int probe = 0; probe < MAX_PROBES; probe++) {
            int at = (slot + probe) & (NAME_SLOTS - 1);
            if (nameHashes[at] == hash) {
                ordinal = nameCounts[at]++;
                break;
            }
            if (nameHashes[at] == 0) {
                nameHashes[at] = hash;
                nameCounts[at] = 1;
                ordinal = 0;
                break;
            }
        }
        if (ordinal < 0) {
            ordinal = NAME_SLOTS + unnamedOrdinal++; // more names than slots: independent still, in order of arrival
        }
        return Dispatcher.finalise(hash + ordinal * 0x9E3779B97F4A7C15L);
    }
}
