package dev.chaosagent.plan;

import dev.chaosagent.bootstrap.Dispatcher;

import java.util.ArrayList;
import java.util.List;

/**
 * The agent's way to the dispatcher in the bootstrap class loader, which it defines only when it
 * first needs it: before the first class it weaves ({@link #ensure()}). Until then no woven code
 * exists, so nothing can be counted or injected, and what the dispatcher would be told is kept
 * here instead: the plan in force and the agent's threads to exempt. {@link #ensure()} defines the
 * classes, publishes that plan and exempts those threads, in that order, once.
 *
 * <p>Code that only reads what woven code did (summaries, the final report) asks {@link #ready()}
 * first and has nothing to say while it is false. Code that reaches the dispatcher otherwise
 * (a counter read over JMX) only has its classes defined sooner; it never gets a second copy.
 */
public final class DispatcherGate {
    private static final int NOT_READY = -1;
    private static final int WAS_NOT = 0;
    private static final int WAS_EXEMPT = 1;

    private final Runnable defineClasses;
    private volatile boolean ready;
    /** The plan in force, the threads to exempt when ready, and whether {@link #ensure()} runs: guarded by this. */
    private Plan latest;
    private final List<Thread> exempt = new ArrayList<>();
    private boolean ensuring;

    /** @param defineClasses defines the dispatcher's classes in the bootstrap class loader; idempotent, throws when it cannot */
    public DispatcherGate(Runnable defineClasses) {
        this.defineClasses = defineClasses;
    }

    /** Whether the dispatcher is defined and has the plan in force: only then can woven code exist. */
    public boolean ready() {
        return ready;
    }

    /**
     * Defines the dispatcher if it is not, and hands it the plan in force and the threads to exempt.
     *
     * @throws IllegalStateException when its classes cannot be defined
     */
    public void ensure() {
        if (ready) {
            return;
        }
        synchronized (this) {
            if (ready || ensuring) {
                return; // a call from inside the work below
            }
            ensuring = true;
            try {
                defineClasses.run();
                if (latest != null) {
                    Dispatcher.publish(latest.table());
                }
                for (Thread t : exempt) {
                    Dispatcher.exemptThread(t);
                }
                exempt.clear();
                ready = true;
            } finally {
                ensuring = false;
            }
        }
    }

    /** Puts {@code plan} in force: at once when the dispatcher is ready, else when it becomes so. */
    public synchronized void publish(Plan plan) {
        latest = plan;
        if (ready) {
            Dispatcher.publish(plan.table());
        }
    }

    /** Makes a thread the agent is about to start exempt from its first instruction, now or when the dispatcher is ready. */
    public synchronized void exemptThread(Thread thread) {
        if (ready) {
            Dispatcher.exemptThread(thread);
        } else {
            exempt.add(thread);
        }
    }

    /**
     * Marks the current thread as the agent's, so no rule fires on it, until {@link #leaveAgentWork}.
     * While the dispatcher is not ready there is nothing to mark (no woven code can run), and the
     * thread is left without dispatcher state: a thread registered with {@link #exemptThread} then
     * still starts exempt once it is.
     *
     * @return what {@link #leaveAgentWork} needs to restore the thread's mark
     */
    public int enterAgentWork() {
        if (!ready) {
            return NOT_READY;
        }
        return Dispatcher.exemptCurrentThread(true) ? WAS_EXEMPT : WAS_NOT;
    }

    /** Restores the mark {@link #enterAgentWork} changed; nothing when the dispatcher was not ready then. */
    public void leaveAgentWork(int token) {
        if (token != NOT_READY) {
            Dispatcher.exemptCurrentThread(token == WAS_EXEMPT);
        }
    }
}
