package dev.chaosagent.jmx;

import dev.chaosagent.config.ChaosConfig;
import dev.chaosagent.config.ConfigKeys;
import dev.chaosagent.control.Applier;
import dev.chaosagent.plan.RulePlan;

/** The Agent MXBean: reads the applier's state; every write goes through the applier. */
public final class AgentControl implements AgentMXBean {
    private final Applier applier;
    private final String version;

    public AgentControl(Applier applier, String version) {
        this.applier = applier;
        this.version = version;
    }

    @Override
    public boolean isArmed() {
        return applier.config().armed();
    }

    @Override
    public void setArmed(boolean armed) {
        applier.setProperty(ConfigKeys.ARMED.name(), Boolean.toString(armed));
    }

    @Override
    public String getVersion() {
        return version;
    }

    @Override
    public String getStatus() {
        ChaosConfig c = applier.config();
        int woven = 0;
        for (RulePlan r : applier.plan().rules()) {
            woven += applier.record().wovenCount(r.slot());
        }
        String error = applier.reporter().lastConfigError();
        int rules = applier.plan().rules().size();
        return (c.armed() ? "ARMED" : "disarmed") + ", " + rules + " rule" + (rules == 1 ? "" : "s")
                + ", " + woven + " method" + (woven == 1 ? "" : "s") + " woven, " + getTotalInjections() + " injections"
                + (error.isEmpty() ? "" : ", last config error: " + error);
    }

    @Override
    public String[] getRuleNames() {
        return applier.plan().byName().keySet().toArray(new String[0]);
    }

    @Override
    public String getArmedUntil() {
        long until = applier.armedUntil();
        return until < 0 ? "" : java.time.Instant.ofEpochMilli(until).toString();
    }

    @Override
    public long getTotalInjections() {
        long total = 0;
        for (RulePlan r : applier.plan().rules()) {
            total += r.stats().injections();
        }
        return total;
    }

    @Override
    public String getLastConfigError() {
        return applier.reporter().lastConfigError();
    }

    @Override
    public String[] getConfigSources() {
        return applier.configSources().toArray(new String[0]);
    }

    @Override
    public void arm() {
        setArmed(true);
    }

    @Override
    public void disarm() {
        setArmed(false);
    }

    @Override
    public void setProperty(String key, String value) {
        applier.setProperty(key, value);
    }

    @Override
    public void clearProperty(String key) {
        applier.clearProperty(key);
    }

    @Override
    public void defineRule(String name, String definition) {
        applier.defineRule(name, definition);
    }

    @Override
    public void removeRule(String name) {
        applier.removeRule(name);
    }

    @Override
    public void resetCounters() {
        applier.resetCounters();
    }
}
