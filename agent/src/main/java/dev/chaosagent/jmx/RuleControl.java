package dev.chaosagent.jmx;

import dev.chaosagent.bootstrap.LastInjection;
import dev.chaosagent.config.ConfigKeys;
import dev.chaosagent.config.RuleConfig;
import dev.chaosagent.control.ControlLoop;
import dev.chaosagent.plan.RuleTarget;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One Rule MXBean: reads the rule's state; writes go through the control loop like any key. */
public final class RuleControl implements RuleMXBean {
    private final ControlLoop loop;
    private final RuleTarget target;

    public RuleControl(ControlLoop loop, RuleTarget target) {
        this.loop = loop;
        this.target = target;
    }

    private RuleConfig rule() {
        return loop.config().rules().get(target.name());
    }

    private String key(String suffix) {
        return ConfigKeys.RULE_PREFIX + target.name() + "." + suffix;
    }

    @Override
    public double getProbability() {
        return rule().probability();
    }

    @Override
    public void setProbability(double probability) {
        loop.setProperty(key(ConfigKeys.PROBABILITY), Double.toString(probability));
    }

    @Override
    public boolean isEnabled() {
        return rule().enabled();
    }

    @Override
    public void setEnabled(boolean enabled) {
        loop.setProperty(key(ConfigKeys.ENABLED), Boolean.toString(enabled));
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
    public String[] getWovenMethods() {
        List<String> lines = new ArrayList<>(loop.transformer().wovenMethods(target.index()));
        lines.addAll(loop.transformer().skippedMethods(target.index()));
        return lines.toArray(new String[0]);
    }

    @Override
    public long getCalls() {
        return loop.callsPerRule()[target.index()];
    }

    @Override
    public long getInjections() {
        return target.stats().injections();
    }

    @Override
    public long getInterruptedDelays() {
        return target.stats().interruptedDelays();
    }

    @Override
    public String getLastInjection() {
        LastInjection last = target.stats().last();
        return last == null ? "" : Instant.ofEpochMilli(last.epochMillis()) + " thread '" + last.thread() + "' " + last.method();
    }
}
