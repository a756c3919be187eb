package dev.chaosagent.control;

import dev.chaosagent.plan.DispatcherGate;
import dev.chaosagent.plan.Weaving;
import org.slf4j.Logger;

/**
 * The agent's one thread, {@code chaos-agent-control}: every {@code chaos.poll} it asks the
 * applier to check its timers, re-read the sources and check the stop conditions, then the
 * reporter to say what the rules did. The JMX registration and the weave cache's tidying (both
 * kept out of {@code premain}) wait for the application's start-up to be over, so that they do
 * not compete with it for the processor: they run at the first poll after which fewer than
 * {@value #SETTLED_CLASSES_PER_SECOND} classes a second loaded since the poll before, or at the
 * first poll at which they are wanted anyway ({@link AfterStartUp#wantedNow()}: a JMX client may
 * be looking). It survives its own errors.
 */
public final class Poller implements Runnable {
    public static final String THREAD_NAME = "chaos-agent-control";
    /** Classes loaded a second, between two polls, below which the application's start-up is taken to be over. */
    static final int SETTLED_CLASSES_PER_SECOND = 200;

    private final Applier applier;
    private final Logger log;
    private final AfterStartUp afterStartUp;
    private final Weaving weaving;
    private final DispatcherGate gate;

    public Poller(Applier applier, Logger log, AfterStartUp afterStartUp, Weaving weaving) {
        this.applier = applier;
        this.log = log;
        this.afterStartUp = afterStartUp;
        this.weaving = weaving;
        this.gate = applier.gate();
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
        boolean startUpOver = false;
        long classesBefore = weaving.classesLoaded();
        long before = System.nanoTime();
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
                }
                if (!startUpOver) {
                    long classes = weaving.classesLoaded();
                    long now = System.nanoTime();
                    boolean settled = (classes - classesBefore) * 1_000_000_000L < SETTLED_CLASSES_PER_SECOND * (now - before);
                    classesBefore = classes;
                    before = now;
                    if (settled || afterStartUp.wantedNow()) {
                        startUpOver = true;
                        log.debug("start-up work now ({}): {} classes loaded so far", settled ? "class loading has settled"
                                : "wanted before class loading settled", classes);
                        afterStartUp.run();
                        weaving.tidy();
                    }
                }
            } catch (Throwable t) {
                log.error("control thread: {}; it carries on with the settings in force", t.toString());
            }
        }
    }
}
