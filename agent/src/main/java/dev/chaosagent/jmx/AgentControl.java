package dev.chaosagent.jmx;

import dev.chaosagent.config.ChaosConfig;
import dev.chaosagent.config.ConfigKeys;
import dev.chaosagent.control.Applier;
import dev.chaosagent.control.Reporter;
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
        applier.setProperty(ConfigKeys.ARMED.name(), Boolean.toString(armed), Callers.origin(null));
    }

    @Override
    public boolean isFleetMember() {
        return applier.config().takesPart();
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
        return Reporter.armedState(c, "disarmed") + ", " + rules + " rule" + (rules == 1 ? "" : "s")
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
    public String getLeaseExpires() {
        long expires = applier.leaseExpires();
        return expires < 0 ? "" : java.time.Instant.ofEpochMilli(expires).toString();
    }

    @Override
    public String getLeaseLapsed() {
        return applier.leaseLapsed();
    }

    @Override
    public String getLastStop() {
        return applier.lastStop();
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
        arm(null);
    }

    @Override
    public void arm(String origin) {
        applier.setProperty(ConfigKeys.ARMED.name(), "true", Callers.origin(origin));
    }

    @Override
    public void disarm() {
        disarm(null);
    }

    @Override
    public void disarm(String origin) {
        applier.setProperty(ConfigKeys.ARMED.name(), "false", Callers.origin(origin));
    }

    @Override
    public void renewLease() {
        renewLease(null);
    }

    @Override
    public void renewLease(String origin) {
        applier.renewLease(Callers.origin(origin));
    }

    @Override
    public void setProperty(String key, String value) {
        setProperty(key, value, null);
    }

    @Override
    public void setProperty(String key, String value, String origin) {
        applier.setProperty(key, value, Callers.origin(origin));
    }

    @Override
    public void clearProperty(String key) {
        clearProperty(key, null);
    }

    @Override
    public void clearProperty(String key, String origin) {
        applier.clearProperty(key, Callers.origin(origin));
    }

    @Override
    public void defineRule(String name, String definition) {
        defineRule(name, definition, null);
    }

    @Override
    public void defineRule(String name, String definition, String origin) {
        applier.defineRule(name, definition, Callers.origin(origin));
    }

    @Override
    public void removeRule(String name) {
        removeRule(name, null);
    }

    @Override
    public void removeRule(String name, String origin) {
        applier.removeRule(name, Callers.origin(origin));
    }

    @Override
    public void resetCounters() {
        resetCounters(null);
    }

    @Override
    public void resetCounters(String origin) {
        applier.resetCounters(Callers.origin(origin));
    }
}
