package dev.chaosagent.control;

import java.util.List;

/** Told when rules appear and disappear (the JMX registrar: one MXBean per rule). */
public interface RuleSetListener {
    /** Called under the applier's lock, after the change is in force. */
    void rulesChanged(List<String> added, List<String> removed);
}
