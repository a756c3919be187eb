package dev.chaosagent.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the JVM a command names, as {@code jcmd} does: a PID, or a substring of the main class
 * or jar name that exactly one running JVM (of this OS user) matches.
 */
final class TargetJvm {
    final String pid;
    final String name;

    private TargetJvm(String pid, String name) {
        this.pid = pid;
        this.name = name;
    }

    static TargetJvm find(String spec) throws CliException {
        String self = Long.toString(ProcessHandle.current().pid());
        List<VirtualMachineDescriptor> all = new ArrayList<>();
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            if (!d.id().equals(self)) {
                all.add(d);
            }
        }
        if (isNumber(spec)) {
            for (VirtualMachineDescriptor d : all) {
                if (d.id().equals(spec)) {
                    return new TargetJvm(d.id(), mainOf(d));
                }
            }
            // not listed (another user's, or started without the attach listener files yet): try it anyway
            return new TargetJvm(spec, "pid " + spec);
        }
        List<VirtualMachineDescriptor> matches = new ArrayList<>();
        for (VirtualMachineDescriptor d : all) {
            if (mainOf(d).contains(spec)) {
                matches.add(d);
            }
        }
        if (matches.size() == 1) {
            return new TargetJvm(matches.get(0).id(), mainOf(matches.get(0)));
        }
        String candidates = describe(matches.isEmpty() ? all : matches);
        if (matches.isEmpty()) {
            throw new CliException(CliException.USAGE_OR_UNREACHABLE, "no running JVM matches '" + spec + "'; JVMs of this user: "
                    + (all.isEmpty() ? "none" : candidates));
        }
        throw new CliException(CliException.USAGE_OR_UNREACHABLE, "'" + spec + "' matches " + matches.size()
                + " JVMs: " + candidates + "; name one by its PID");
    }

    /** The main class or jar, without the program's arguments. */
    private static String mainOf(VirtualMachineDescriptor d) {
        String display = d.displayName().trim();
        int space = display.indexOf(' ');
        return space < 0 ? display : display.substring(0, space);
    }

    private static String describe(List<VirtualMachineDescriptor> list) {
        StringBuilder b = new StringBuilder();
        for (VirtualMachineDescriptor d : list) {
            b.append(b.length() == 0 ? "" : ", ").append(d.id()).append(' ').append(mainOf(d).isEmpty() ? "(unnamed)" : mainOf(d));
        }
        return b.toString();
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return pid + " (" + name + ")";
    }
}
