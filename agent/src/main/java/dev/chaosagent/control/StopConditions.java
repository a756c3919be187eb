package dev.chaosagent.control;

import dev.chaosagent.config.StopCondition;

import javax.management.MBeanServer;
import javax.management.openmbean.CompositeData;
import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads the MBean attributes that {@code chaos.stop.<name>} conditions name, on the control
 * thread. An attribute that cannot be read (no such MBean yet, not a number) is reported once
 * while it stays unreadable and never disarms the agent.
 */
final class StopConditions {
    /** A condition that holds, with the value seen. */
    record Hit(String name, StopCondition condition, String value) {
    }

    private final Reporter reporter;
    /** name=condition of the conditions reported unreadable and not read well since. */
    private final Set<String> unreadable = new HashSet<>();

    StopConditions(Reporter reporter) {
        this.reporter = reporter;
    }

    /** The first condition (by name) that holds now, or null. */
    Hit firstHolding(Map<String, StopCondition> stops) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (Map.Entry<String, StopCondition> e : stops.entrySet()) {
            StopCondition c = e.getValue();
            String id = e.getKey() + "=" + c;
            Number value;
            try {
                value = read(server, c);
            } catch (Exception | LinkageError ex) {
                if (unreadable.add(id)) {
                    reporter.stopUnreadable(e.getKey(), c, ex instanceof IllegalStateException ? ex.getMessage() : ex.toString());
                }
                continue;
            }
            unreadable.remove(id);
            if (c.holds(value.doubleValue())) {
                return new Hit(e.getKey(), c, shown(value));
            }
        }
        return null;
    }

    private static Number read(MBeanServer server, StopCondition c) throws Exception {
        Object value = server.getAttribute(c.objectName(), c.attribute());
        if (c.item() != null) {
            if (!(value instanceof CompositeData)) {
                throw new IllegalStateException(c.attribute() + " is not a composite, so it has no item '" + c.item() + "'");
            }
            value = ((CompositeData) value).get(c.item());
        } else if (value instanceof CompositeData) {
            throw new IllegalStateException(c.attribute() + " is a composite: name one of its items after a dot ("
                    + String.join(", ", ((CompositeData) value).getCompositeType().keySet()) + ")");
        }
        if (!(value instanceof Number)) {
            throw new IllegalStateException(c.attribute() + (c.item() == null ? "" : "." + c.item()) + " is "
                    + (value == null ? "null" : "a " + value.getClass().getSimpleName() + " (" + value + ")") + ", not a number");
        }
        return (Number) value;
    }

    private static String shown(Number n) {
        double d = n.doubleValue();
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
