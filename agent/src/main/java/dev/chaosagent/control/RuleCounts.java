package dev.chaosagent.control;

import dev.chaosagent.bootstrap.Dispatcher;
import dev.chaosagent.bootstrap.Site;

/**
 * Calls per rule: the sum over every site the rule's slot ever had. Sites of an older weaving of
 * the rule count too, so a rule's {@code Calls} go on across retransformations.
 */
public final class RuleCounts {
    private RuleCounts() {
    }

    /** Calls per slot, for slots below {@code slots}. */
    public static long[] callsBySlot(int slots) {
        long[] calls = new long[slots];
        for (Site site : Dispatcher.sites()) {
            if (site.rule() < slots) {
                calls[site.rule()] += site.calls();
            }
        }
        return calls;
    }

    public static long calls(int slot) {
        long calls = 0;
        for (Site site : Dispatcher.sites()) {
            if (site.rule() == slot) {
                calls += site.calls();
            }
        }
        return calls;
    }
}
