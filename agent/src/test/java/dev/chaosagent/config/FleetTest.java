package dev.chaosagent.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FleetTest {
    /** The README's published formula, written out again: the agent's positions must be exactly it. */
    private static double published(long seed, String member) {
        long h = SplitMix.finalise(seed ^ 0x9E3779B97F4A7C15L);
        for (byte b : member.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h = SplitMix.finalise((h ^ (b & 0xFF)) + 0x9E3779B97F4A7C15L);
        }
        return (h >>> 11) / (double) (1L << 53);
    }

    @Test
    void positionsFollowThePublishedFormula() {
        for (String m : new String[] {"orders-0", "orders-7c9f-2", "pod-ü", ""}) {
            for (long seed : new long[] {0, 7, -1}) {
                assertEquals(published(seed, m), Fleet.position(seed, m), m + " seed " + seed);
            }
        }
        assertTrue(Fleet.position(0, "orders-0") != Fleet.position(1, "orders-0"), "the seed moves positions");
    }

    @Test
    void raisingTheFractionOnlyAddsMembers() {
        for (int i = 0; i < 2000; i++) {
            double p = Fleet.position(42, "pod-" + i);
            for (double f = 0; f <= 1.0; f += 0.05) {
                if (Fleet.takesPart(p, f)) {
                    assertTrue(Fleet.takesPart(p, Math.min(1, f + 0.05)), "pod-" + i + " leaves when the fraction rises");
                }
            }
        }
        assertTrue(Fleet.takesPart(0.9999, 1));
        assertFalse(Fleet.takesPart(0, 0));
    }

    /** 20,000 names at fraction 0.25: binomial mean 5,000, sigma 61.2; 5 sigma either way. */
    @Test
    void aFractionTakesThatShareOfAFleet() {
        int in = 0;
        for (int i = 0; i < 20_000; i++) {
            in += Fleet.takesPart(Fleet.position(Fleet.DEFAULT_SEED, "orders-" + i), 0.25) ? 1 : 0;
        }
        assertTrue(in >= 4694 && in <= 5306, in + " of 20000");
    }

    @Test
    void aMemberOutsideTheFractionIsDisarmedWhateverArmedSays() {
        ConfigParser.Outcome o = ConfigParser.parse(Map.of("chaos.armed", "true", "chaos.seed", "7",
                "chaos.fleet.fraction", "0.25", "chaos.fleet.member", "orders-1"), null, 1);
        ChaosConfig c = o.config();
        assertEquals(Fleet.position(7, "orders-1"), c.fleetPosition());
        assertEquals(c.fleetPosition() < 0.25, c.takesPart());
        assertEquals(c.takesPart(), c.fires());
        assertTrue(c.armed());
        ChaosConfig all = ConfigParser.parse(Map.of("chaos.armed", "true"), null, 1).config();
        assertTrue(all.takesPart());
        assertEquals(null, all.fleetMember(), "fraction 1 needs no member name");
    }

    @Test
    void withoutASeedTheFleetAgreesOnSeedZero() {
        ChaosConfig c = ConfigParser.parse(Map.of("chaos.fleet.fraction", "0.5", "chaos.fleet.member", "orders-3"), null, 99)
                .config();
        assertEquals(Fleet.position(0, "orders-3"), c.fleetPosition());
    }

    @Test
    void aBadFractionIsRejected() {
        ConfigParser.Outcome o = ConfigParser.parse(Map.of("chaos.fleet.fraction", "1.7"), null, 1);
        assertEquals("chaos.fleet.fraction=1.7 must be a number between 0 and 1; using the default 1",
                o.problems().get(0).toString());
        assertEquals(1.0, o.config().fleetFraction());
    }

    @Test
    void positionsShowFourDecimals() {
        assertEquals("0.1834", Fleet.show(0.18349));
        assertEquals("0.0000", Fleet.show(0));
        assertEquals("0.9999", Fleet.show(0.99999));
    }
}
