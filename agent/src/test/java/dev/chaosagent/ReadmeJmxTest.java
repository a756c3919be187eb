package dev.chaosagent;

import dev.chaosagent.jmx.AgentMXBean;
import dev.chaosagent.jmx.RuleMXBean;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every MXBean attribute and operation has a row in the README's JMX tables. */
class ReadmeJmxTest {
    @Test
    void everyAttributeAndOperationIsDocumented() throws IOException {
        String readme = Files.readString(Paths.get("../README.md"));
        for (Class<?> bean : new Class<?>[] {AgentMXBean.class, RuleMXBean.class}) {
            for (Method m : bean.getMethods()) {
                String n = m.getName();
                String row;
                if (n.startsWith("get") && m.getParameterCount() == 0) {
                    row = "| `" + n.substring(3) + "` |";
                } else if (n.startsWith("is") && m.getParameterCount() == 0) {
                    row = "| `" + n.substring(2) + "` |";
                } else if (n.startsWith("set") && m.getParameterCount() == 1 && m.getReturnType() == void.class
                        && !n.equals("setProperty")) {
                    row = "| `" + n.substring(3) + "` | read/write |";
                } else {
                    row = "| `" + n + "(";
                }
                assertTrue(readme.contains(row), bean.getSimpleName() + "." + n + ": the README lacks a row starting " + row);
            }
        }
    }
}
