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
        Site[] sites = Dispatcher.sites();
        long[] bySite = Dispatcher.callsBySite();
        for (int id = 0; id < sites.length && id < bySite.length; id++) {
            if (sites[id].rule() < slots) {
                calls[sites[id].rule()] += bySite[id];
            }
        }
        return calls;
    }

    public static long calls(int slot) {
        return slot < 0 ? 0 : callsBySlot(slot + 1)[slot];
    }
}
