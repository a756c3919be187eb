package dev.chaosagent.bootstrap;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * One injected fault, as a JDK Flight Recorder event, so that a recording lines injections up
 * with GC, locks and latency. The thread is the event's own thread. Built only when a fault
 * fires and Flight Recorder has started in the JVM, and committed only when a recording has the
 * event enabled.
 */
@Name("dev.chaosagent.Injection")
@Label("Chaos Injection")
@Category({"chaos-agent"})
@Description("A fault injected by chaos-agent")
@StackTrace(false)
public final class InjectionEvent extends Event {
    @Label("Rule")
    public String rule;

    @Label("Fault")
    public String fault;

    @Label("Class")
    public String className;

    @Label("Method")
    public String method;

    @Label("Thread Name")
    public String threadName;

    @Label("Delay")
    @Timespan(Timespan.NANOSECONDS)
    public long delay;

    @Label("Dry Run")
    @Description("The decision was made and counted, but nothing was injected (chaos.dry-run)")
    public boolean dryRun;
}
