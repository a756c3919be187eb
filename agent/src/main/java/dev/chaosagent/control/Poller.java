package dev.chaosagent.control;

import dev.chaosagent.plan.DispatcherGate;
import dev.chaosagent.plan.Weaving;
import org.slf4j.Logger;

/**
 * The agent's one thread, {@code chaos-agent-control}: every {@code chaos.poll} it asks the
 * applier to check its timers, re-read the sources and check the stop conditions, then the
 * reporter to say what the rules did. At its first
 * poll it runs the JMX registration and the weave cache's tidying (both kept out of
 * {@code premain}). It survives its own errors.
 */
public final class Poller implements Runnable {
    public static final String THREAD_NAME = "chaos-agent-control";

    private final Applier applier;
    private final Logger log;
    private final Runnable firstPollAction;
    private final Weaving weaving;
    private final DispatcherGate gate;

    public Poller(Applier applier, Logger log, Runnable firstPollAction, Weaving weaving, DispatcherGate gate) {
        this.applier = applier;
        this.log = log;
        this.firstPollAction = firstPollAction;
        this.weaving = weaving;
        this.gate = gate;
    }

    /** Starts the thread, and a shutdown hook for the final report. */
    public void start() {
        Thread thread = new Thread(this, THREAD_NAME);
        thread.setDaemon(true);
        gate.exemptThread(thread); // before it starts: a rule on Thread#run must not reach it
        thread.start();
        Thread hook = new Thread(new Runnable() {
            @Override
            public void run() {
                gate.enterAgentWork(); // for good: the thread is the agent's
                applier.reporter().finalReport(applier.plan(), applier.config().summaryMillis());
            }
        }, "chaos-agent-shutdown");
        gate.exemptThread(hook);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void run() {
        gate.enterAgentWork(); // for good: the thread is the agent's
        boolean first = true;
        while (true) {
            try {
                long sleep = applier.config().pollMillis();
                long until = applier.nextDeadline();
                if (until >= 0) {
                    sleep = Math.max(1, Math.min(sleep, until - System.currentTimeMillis())); // disarm on time, not at the next poll
                }
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                return;
            }
            try {
                applier.checkTimers();
                applier.poll();
                applier.checkStops();
                applier.reporter().tick(applier.plan(), applier.config().summaryMillis());
                if (first) {
                    first = false;
                    applier.reporter().rulesMatchingNothing(applier.plan());
                    if (firstPollAction != null) {
                        firstPollAction.run();
                    }
                    weaving.tidy();
                }
            } catch (Throwable t) {
                log.error("control thread: {}; it carries on with the settings in force", t.toString());
            }
        }
    }
}
