package dev.chaosagent.control;

/**
 * Work the control thread keeps out of the application's start-up (see {@link Poller}): it runs
 * once, at the first poll at which the application has stopped loading classes in bulk, or at the
 * first poll at which {@link #wantedNow()} says something needs it whether start-up is over or not.
 */
public interface AfterStartUp extends Runnable {
    /** Whether something needs the work now, however busy the application still is. */
    boolean wantedNow();
}
