package dev.chaosagent.demo;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's charts: every point lies inside the band of the phase its requests belong to. */
class HtmlReportTest {
    @Test
    void pointsSitInsideTheirPhasesBand() {
        // phases that start 0.7 s into a second, with a gap between them, as the experiment's do
        long[][] bounds = {{10_700, 30_705}, {31_400, 51_410}, {52_050, 72_060}};
        String[] names = {"steady", "chaos", "recovery"};
        List<Sample> all = new ArrayList<>();
        List<PhaseResult> phases = new ArrayList<>();
        for (int i = 0; i < bounds.length; i++) {
            List<Sample> samples = new ArrayList<>();
            for (long t = bounds[i][0]; t <= bounds[i][1]; t += 10) {
                boolean firstChaosSecond = i == 1 && t < bounds[i][0] + 1000;
                samples.add(new Sample(t, firstChaosSecond ? 900_000 : 5_000, "ok", t));
            }
            all.addAll(samples);
            phases.add(new PhaseResult(names[i], bounds[i][0], bounds[i][1], samples, 8, 0, Map.of()));
        }
        HtmlReport.Series s = HtmlReport.Series.of(phases, all);
        double origin = bounds[0][0] / 1000.0;
        int points = 0;
        for (int j = 0; j < s.x.size(); j++) {
            double x = Double.parseDouble(s.x.get(j)) + origin;
            if (s.p99.get(j).equals("null")) {
                continue;
            }
            points++;
            int phase = -1;
            for (int i = 0; i < bounds.length; i++) {
                if (x * 1000 >= bounds[i][0] && x * 1000 <= bounds[i][1]) {
                    phase = i;
                }
            }
            assertTrue(phase >= 0, "point at " + x + " s lies outside every phase");
            boolean spike = Double.parseDouble(s.p99.get(j)) > 100;
            assertEquals(phase == 1 && x * 1000 < bounds[1][0] + 1000, spike, "the p99 spike is the chaos phase's first second, at " + x);
            assertEquals(100.0, Double.parseDouble(s.throughput.get(j)), 1.0, "requests per second at " + x);
        }
        assertEquals(60, points, "20 one-second pieces per phase");
    }
}
