package dev.chaosagent.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the experiment as one self-contained HTML page: a per-second timeline of throughput,
 * error rate and p99 latency with the phases shaded (drawn by uPlot, inlined from its WebJar, so
 * the page fetches nothing), and the phase, injection and hypothesis tables.
 */
final class HtmlReport {
    /** Kept in step with uplot.version in the parent pom. */
    private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.";
    private static final String[] PHASE_COLOURS = {"rgba(60,160,90,0.10)", "rgba(220,60,60,0.12)", "rgba(60,120,220,0.10)"};

    private HtmlReport() {
    }

    static Path write(Path file, List<PhaseResult> phases, List<Experiment.Hypothesis> hypotheses, List<Sample> samples,
                      Map<String, String> faultByRule) throws IOException {
        StringBuilder h = new StringBuilder(200_000);
        h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>chaos experiment: order service</title>\n<style>\n")
                .append(resource(UPLOT + "min.css"))
                .append("\nbody{font-family:system-ui,sans-serif;margin:2em;color:#222} table{border-collapse:collapse;margin:1em 0}"
                        + " td,th{border:1px solid #ccc;padding:4px 10px;text-align:right} td:first-child,th:first-child{text-align:left}"
                        + " .pass{color:#185} .fail{color:#b22;font-weight:bold} .legend{font-size:90%;color:#555}\n</style></head><body>\n")
                .append("<h1>Chaos experiment: order service</h1>\n");
        boolean allHold = true;
        for (Experiment.Hypothesis x : hypotheses) {
            allHold &= x.holds();
        }
        h.append("<p>").append(allHold ? "<span class=pass>All hypotheses hold.</span>" : "<span class=fail>Some hypotheses failed.</span>")
                .append(" Phases: ");
        for (int i = 0; i < phases.size(); i++) {
            h.append(i == 0 ? "" : " → ").append(escape(phases.get(i).name));
        }
        h.append(".</p>\n<h2 id=\"timeline\">Timeline</h2>\n<p class=legend>Per second of the run; shaded: ");
        for (int i = 0; i < phases.size(); i++) {
            h.append("<span style=\"background:").append(PHASE_COLOURS[i % PHASE_COLOURS.length]).append("\">&nbsp;")
                    .append(escape(phases.get(i).name)).append("&nbsp;</span> ");
        }
        h.append("</p>\n<div id=\"throughput\"></div>\n<div id=\"latency\"></div>\n");

        h.append("<h2>Phases</h2>\n<table><tr><th>phase</th><th>seconds</th><th>requests</th><th>req/s</th><th>success</th>"
                + "<th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th><th>live workers</th><th>workers killed</th><th>errors</th></tr>\n");
        for (PhaseResult p : phases) {
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.1f</td><td>%d</td><td>%.1f</td><td>%.2f%%</td><td>%.1f</td>"
                            + "<td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%d/%d</td><td>%d</td><td>%s</td></tr>\n", escape(p.name), p.seconds(),
                    p.requests, p.throughput(), p.successRate() * 100, p.p50 / 1000.0, p.p95 / 1000.0, p.p99 / 1000.0, p.max / 1000.0,
                    p.liveWorkers, OrderApi.WORKERS, p.workersLost, p.errors.isEmpty() ? "-" : escape(p.errors.toString().replaceAll("[{}]", ""))));
        }
        h.append("</table>\n");
        if (!faultByRule.isEmpty()) {
            h.append("<h2>Injections per rule</h2>\n<table><tr><th>rule</th><th>fault</th>");
            for (PhaseResult p : phases) {
                h.append("<th>").append(escape(p.name)).append("</th>");
            }
            h.append("</tr>\n");
            for (Map.Entry<String, String> rule : faultByRule.entrySet()) {
                h.append("<tr><td>").append(escape(rule.getKey())).append("</td><td>").append(escape(rule.getValue())).append("</td>");
                for (PhaseResult p : phases) {
                    h.append("<td>").append(p.injections.getOrDefault(rule.getKey(), 0L)).append("</td>");
                }
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("<h2>Hypotheses</h2>\n<table><tr><th>hypothesis</th><th>result</th><th>evidence</th></tr>\n");
        for (Experiment.Hypothesis x : hypotheses) {
            h.append("<tr><td>").append(escape(x.name())).append("</td><td class=").append(x.holds() ? "pass>PASS" : "fail>FAIL")
                    .append("</td><td style=\"text-align:left\">").append(escape(x.evidence())).append("</td></tr>\n");
        }
        h.append("</table>\n<script>\n").append(resource(UPLOT + "iife.min.js")).append("\n</script>\n<script>\n");
        timeline(h, phases, samples);
        h.append("</script>\n</body></html>\n");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, h.toString(), StandardCharsets.UTF_8);
        return file;
    }

    /**
     * The charts' points. Each phase is cut into whole seconds from its own start (a last piece
     * shorter than half a second joins the one before), and each piece is drawn at its middle, in
     * seconds since the first phase began: so every point sits inside the band of the phase its
     * requests belong to, and no point mixes two phases. A null point between phases breaks the
     * lines there. Throughput is requests per second of the piece's own length.
     */
    static final class Series {
        final List<String> x = new ArrayList<>();
        final List<String> throughput = new ArrayList<>();
        final List<String> errorRate = new ArrayList<>();
        final List<String> p99 = new ArrayList<>();

        static Series of(List<PhaseResult> phases, List<Sample> samples) {
            Series out = new Series();
            long origin = phases.get(0).startMillis;
            for (int i = 0; i < phases.size(); i++) {
                PhaseResult p = phases.get(i);
                long length = Math.max(1, p.endMillis - p.startMillis);
                int pieces = (int) Math.max(1, Math.round(length / 1000.0));
                if (i > 0) {
                    out.add((phases.get(i - 1).endMillis + p.startMillis) / 2.0 - origin, "null", "null", "null");
                }
                List<List<Sample>> in = new ArrayList<>();
                for (int k = 0; k < pieces; k++) {
                    in.add(new ArrayList<>());
                }
                for (Sample s : samples) {
                    if (s.startMillis() >= p.startMillis && s.startMillis() <= p.endMillis) {
                        in.get((int) Math.min(pieces - 1, (s.startMillis() - p.startMillis) / 1000)).add(s);
                    }
                }
                for (int k = 0; k < pieces; k++) {
                    long from = p.startMillis + k * 1000L;
                    long to = k == pieces - 1 ? p.endMillis : from + 1000;
                    List<Sample> piece = in.get(k);
                    int errors = 0;
                    long[] latencies = new long[piece.size()];
                    for (int j = 0; j < piece.size(); j++) {
                        errors += piece.get(j).ok() ? 0 : 1;
                        latencies[j] = piece.get(j).latencyMicros();
                    }
                    Arrays.sort(latencies);
                    double seconds = Math.max(1, to - from) / 1000.0;
                    out.add((from + to) / 2.0 - origin, String.format(Locale.ROOT, "%.1f", piece.size() / seconds),
                            piece.isEmpty() ? "null" : String.format(Locale.ROOT, "%.2f", 100.0 * errors / piece.size()),
                            piece.isEmpty() ? "null" : String.format(Locale.ROOT, "%.2f", PhaseResult.percentile(latencies, 0.99) / 1000.0));
                }
            }
            return out;
        }

        private void add(double millis, String rps, String errors, String p99Ms) {
            x.add(String.format(Locale.ROOT, "%.3f", millis / 1000.0));
            throughput.add(rps);
            errorRate.add(errors);
            p99.add(p99Ms);
        }
    }

    /** The per-second series and the charts, as a script. */
    private static void timeline(StringBuilder h, List<PhaseResult> phases, List<Sample> samples) {
        Series series = Series.of(phases, samples);
        double first = phases.get(0).startMillis / 1000.0;
        String x = String.join(",", series.x);
        String rps = String.join(",", series.throughput);
        String errorRate = String.join(",", series.errorRate);
        String p99 = String.join(",", series.p99);
        StringBuilder shades = new StringBuilder();
        for (int i = 0; i < phases.size(); i++) {
            PhaseResult p = phases.get(i);
            shades.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "{name:\"%s\",start:%.2f,end:%.2f,colour:\"%s\"}",
                    p.name, p.startMillis / 1000.0 - first, p.endMillis / 1000.0 - first, PHASE_COLOURS[i % PHASE_COLOURS.length]));
            // the same x as the points: seconds since the first phase began
        }
        h.append("const seconds=[").append(x).append("];\nconst phases=[").append(shades).append("];\n")
                .append("const throughput=[").append(rps).append("];\nconst errorRate=[").append(errorRate)
                .append("];\nconst p99=[").append(p99).append("];\n")
                .append("function shade(u){const c=u.ctx;for(const p of phases){const a=u.valToPos(p.start,'x',true),"
                        + "b=u.valToPos(p.end,'x',true);c.save();c.fillStyle=p.colour;c.fillRect(a,u.bbox.top,b-a,u.bbox.height);c.restore();}}\n")
                .append("const width=Math.min(1100,document.body.clientWidth-40);\n")
                .append("new uPlot({title:'Throughput and error rate per second',width:width,height:300,scales:{x:{time:false},pct:{range:(u,min,max)=>[0,Math.max(10,Math.ceil(max))]}},"
                        + "series:[{label:'second'},{label:'requests/s',stroke:'#2a7',width:2},{label:'errors %',stroke:'#c33',width:2,scale:'pct'}],"
                        + "axes:[{label:'seconds since start'},{label:'requests/s'},{side:1,scale:'pct',label:'errors %',grid:{show:false}}],"
                        + "hooks:{drawClear:[shade]}},[seconds,throughput,errorRate],document.getElementById('throughput'));\n")
                .append("new uPlot({title:'p99 latency per second',width:width,height:260,scales:{x:{time:false}},"
                        + "series:[{label:'second'},{label:'p99 ms',stroke:'#36c',width:2}],"
                        + "axes:[{label:'seconds since start'},{label:'ms'}],hooks:{drawClear:[shade]}},[seconds,p99],document.getElementById('latency'));\n");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing " + name + " (uPlot) on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("</script", "<\\/script");
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
