package dev.chaosagent.jmx;

import dev.chaosagent.bootstrap.LastInjection;
import dev.chaosagent.config.ConfigKeys;
import dev.chaosagent.config.RuleConfig;
import dev.chaosagent.control.Applier;
import dev.chaosagent.control.RuleCounts;
import dev.chaosagent.plan.RulePlan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One Rule MXBean, by rule name: reads the rule as it is now; writes go through the applier like any key. */
public final class RuleControl implements RuleMXBean {
    private final Applier applier;
    private final String name;

    public RuleControl(Applier applier, String name) {
        this.applier = applier;
        this.name = name;
    }

    private RulePlan plan() {
        RulePlan r = applier.plan().rule(name);
        if (r == null) {
            throw new IllegalStateException("rule '" + name + "' was removed");
        }
        return r;
    }

    private RuleConfig rule() {
        return plan().config();
    }

    private String key(String suffix) {
        return ConfigKeys.ruleKey(name, suffix);
    }

    @Override
    public double getProbability() {
        return rule().probability();
    }

    @Override
    public void setProbability(double probability) {
        applier.setProperty(key(ConfigKeys.PROBABILITY.name()), Double.toString(probability), Callers.origin(null));
    }

    @Override
    public boolean isEnabled() {
        return rule().enabled();
    }

    @Override
    public void setEnabled(boolean enabled) {
        applier.setProperty(key(ConfigKeys.ENABLED.name()), Boolean.toString(enabled), Callers.origin(null));
    }

    @Override
    public String getFault() {
        return rule().fault().text();
    }

    @Override
    public String getTarget() {
        return rule().targetText();
    }

    @Override
    public String getLatency() {
        RuleConfig r = rule();
        return r.latency() == null ? "" : r.latency().text();
    }

    @Override
    public String getException() {
        RuleConfig r = rule();
        return r.exception() == null ? "" : r.exception();
    }

    @Override
    public String[] getKeys() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, String> e : rule().keys().entrySet()) {
            lines.add(key(e.getKey()) + "=" + e.getValue());
        }
        return lines.toArray(new String[0]);
    }

    @Override
    public int getMethodsWoven() {
        return applier.record().wovenCount(plan().slot());
    }

    @Override
    public String[] getWovenMethods() {
        RulePlan r = plan();
        List<String> lines = new ArrayList<>(applier.record().wovenMethods(r.slot()));
        lines.addAll(applier.record().skippedMethods(r.slot(), r.generation()));
        return lines.toArray(new String[0]);
    }

    @Override
    public long getCalls() {
        return RuleCounts.calls(plan().slot());
    }

    @Override
    public long getInjections() {
        return plan().stats().injections();
    }

    @Override
    public long getInterruptedDelays() {
        return plan().stats().interruptedDelays();
    }

    @Override
    public long getRemainingInjections() {
        RulePlan r = plan();
        long max = r.config().maxInjections();
        return max < 0 ? -1 : Math.max(0, max - r.stats().injections());
    }

    @Override
    public int getHanging() {
        RulePlan r = plan();
        return r.config().fault() == dev.chaosagent.config.FaultKind.HANG ? r.stats().inDelay() : 0;
    }

    @Override
    public long getCapped() {
        return plan().stats().capped();
    }

    @Override
    public long getRateLimited() {
        return plan().stats().rateLimited();
    }

    @Override
    public long getWouldInject() {
        return plan().stats().wouldInject();
    }

    @Override
    public String getLastInjection() {
        LastInjection last = plan().stats().last();
        return last == null ? "" : Instant.ofEpochMilli(last.epochMillis()) + " thread '" + last.thread() + "' " + last.method();
    }
}
