package dev.chaosagent.jmx;

import dev.chaosagent.config.ChaosConfig;
import dev.chaosagent.config.ConfigKeys;
import dev.chaosagent.control.ControlLoop;
import dev.chaosagent.plan.RuleTarget;

import java.util.List;

/** The Agent MXBean: reads the control loop's state; every write goes through the control loop. */
public final class AgentControl implements AgentMXBean {
    private final ControlLoop loop;
    private final String version;

    public AgentControl(ControlLoop loop, String version) {
        this.loop = loop;
        this.version = version;
    }

    @Override
    public boolean isArmed() {
        return loop.config().armed();
    }

    @Override
    public void setArmed(boolean armed) {
        loop.setProperty(ConfigKeys.ARMED, Boolean.toString(armed));
    }

    @Override
    public String getVersion() {
        return version;
    }

    @Override
    public String getStatus() {
        ChaosConfig c = loop.config();
        int woven = 0;
        for (RuleTarget t : loop.targets()) {
            woven += loop.transformer().wovenCount(t.index());
        }
        String error = loop.lastConfigError();
        return (c.armed() ? "ARMED" : "disarmed") + ", " + c.rules().size() + " rule" + (c.rules().size() == 1 ? "" : "s")
                + ", " + woven + " method" + (woven == 1 ? "" : "s") + " woven, " + getTotalInjections() + " injections"
                + (error.isEmpty() ? "" : ", last config error: " + error);
    }

    @Override
    public String[] getRuleNames() {
        List<RuleTarget> targets = loop.targets();
        String[] names = new String[targets.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = targets.get(i).name();
        }
        return names;
    }

    @Override
    public long getTotalInjections() {
        long total = 0;
        for (RuleTarget t : loop.targets()) {
            total += t.stats().injections();
        }
        return total;
    }

    @Override
    public String getLastConfigError() {
        return loop.lastConfigError();
    }

    @Override
    public String[] getConfigSources() {
        return loop.configSources().toArray(new String[0]);
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
        loop.setProperty(key, value);
    }

    @Override
    public void clearProperty(String key) {
        loop.clearProperty(key);
    }

    @Override
    public void resetCounters() {
        loop.resetCounters();
    }
}
