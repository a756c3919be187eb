package dev.chaosagent.bootstrap;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stamps a table's slots get when it is published: what tells a thread whether the next hit it
 * keeps was drawn under the settings in force.
 */
class DispatchTableTest {
    private static final int S = DispatchTable.HOT_STRIDE;

    @Test
    void aSlotKeepsItsStampWhileItsProbabilityAndSeedStayAndGetsANewOneWhenEitherChanges() {
        DispatchTable first = table(5, 0.1, 0.2, 0.3);
        first.stampAfter(DispatchTable.EMPTY);
        for (int slot = 0; slot < 3; slot++) {
            assertNotEquals(0, first.hot[slot * S + 1], "never 0, the stamp of a fresh thread's entry");
        }
        assertNotEquals(first.hot[1], first.hot[S + 1], "a stamp per slot");

        DispatchTable next = new DispatchTable(true, 5, false, RuleSettings.UNLIMITED,
                new RuleSettings[] {rule(0.1, false, 0), rule(0.25, false, 0), rule(0.3, true, 9), rule(0.4, false, 0)});
        next.stampAfter(first);
        assertEquals(first.hot[1], next.hot[1], "same probability and seed: the same stamp");
        assertNotEquals(first.hot[S + 1], next.hot[S + 1], "another probability");
        assertNotEquals(first.hot[2 * S + 1], next.hot[2 * S + 1], "another seed (the rule's own)");
        assertNotEquals(0, next.hot[3 * S + 1], "a new slot");

        DispatchTable back = table(5, 0.1, 0.2, 0.3);
        back.stampAfter(next);
        assertNotEquals(first.hot[S + 1], back.hot[S + 1], "back to earlier settings: a new stamp, never an old one");
        assertEquals(next.hot[1], back.hot[1]);

        DispatchTable reseeded = table(6, 0.1, 0.2, 0.3);
        reseeded.stampAfter(back);
        assertNotEquals(back.hot[1], reseeded.hot[1], "the agent's seed changed");

        long kept = first.hot[1];
        first.stampAfter(reseeded);
        assertEquals(kept, first.hot[1], "a table published again keeps the stamps it has");
    }

    /**
     * At probability 0 no call is ever hit, whatever the seed: every such slot has the one stamp a
     * thread's fresh entries hold, so that their calls go on without drawing; leaving 0 gives a new
     * stamp, as any change does.
     */
    @Test
    void everySlotAtProbabilityZeroHasTheStampOfFreshEntries() {
        DispatchTable first = table(5, 0.0, 0.2);
        first.stampAfter(DispatchTable.EMPTY);
        assertEquals(DispatchTable.NEVER_STAMP, first.hot[1]);
        assertNotEquals(DispatchTable.NEVER_STAMP, first.hot[S + 1]);
        DispatchTable reseeded = table(6, 0.0, 0.0);
        reseeded.stampAfter(first);
        assertEquals(DispatchTable.NEVER_STAMP, reseeded.hot[1], "another seed, still probability 0");
        assertEquals(DispatchTable.NEVER_STAMP, reseeded.hot[S + 1], "down to probability 0");
        DispatchTable up = table(5, 0.1, 0.2);
        up.stampAfter(reseeded);
        assertTrue(up.hot[1] > 0, "up from probability 0: a new stamp");
        assertNotEquals(first.hot[S + 1], up.hot[S + 1], "back to 0.2 after 0: a new stamp, never an old one");
    }

    private static DispatchTable table(long seed, double... probabilities) {
        RuleSettings[] rules = new RuleSettings[probabilities.length];
        for (int i = 0; i < rules.length; i++) {
            rules[i] = rule(probabilities[i], false, 0);
        }
        return new DispatchTable(true, seed, false, RuleSettings.UNLIMITED, rules);
    }

    private static RuleSettings rule(double p, boolean ownSeed, long seed) {
        return new RuleSettings("r", 1, DispatchTable.EXCEPTION, p, true, RuleSettings.UNIFORM, 0, 0, 0, 0, 0,
                "hit", RuleSettings.UNLIMITED, RuleSettings.UNLIMITED, RuleSettings.UNLIMITED, null, null, ownSeed, seed);
    }
}
