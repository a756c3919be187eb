package dev.chaosagent.config;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * Which JVMs of a fleet take part in an experiment, with no controller: every JVM hashes its
 * member name ({@code chaos.fleet.member}, by default the host name, which is the pod's name on
 * Kubernetes) with the seed to a position in [0, 1), and takes part while that position is below
 * {@code chaos.fleet.fraction}. The same names and seed give the same positions on every start
 * and every JDK, so a fraction picks the same JVMs each time, and raising it only adds JVMs.
 *
 * <p>The position, a contract (the CLI's {@code fleet} command prints it): {@code h =
 * finalise(seed ^ GOLDEN)}, then for each byte {@code b} of the name's UTF-8 encoding {@code h =
 * finalise((h XOR b) + GOLDEN)}; the position is the top 53 bits of {@code h} as a fraction of 2^53.
 * {@code finalise} is SplitMix64's finaliser, {@code GOLDEN} {@code 0x9E3779B97F4A7C15}. The seed
 * is {@code chaos.seed}, or {@value #DEFAULT_SEED} when it is not set (each JVM's random seed
 * would give every JVM its own draw).
 */
public final class Fleet {
    /** The seed of positions when {@code chaos.seed} is not set: the whole fleet agrees without one. */
    public static final long DEFAULT_SEED = 0;
    private static volatile String hostName;

    private Fleet() {
    }

    /** The member's position in [0, 1) under this seed. */
    public static double position(long seed, String member) {
        long h = SplitMix.finalise(seed ^ SplitMix.GOLDEN);
        byte[] name = member.getBytes(StandardCharsets.UTF_8);
        for (byte b : name) {
            h = SplitMix.finalise((h ^ (b & 0xFF)) + SplitMix.GOLDEN);
        }
        return SplitMix.unit(h);
    }

    /** Whether a member at this position takes part under this fraction: 1 takes every JVM, 0 none. */
    public static boolean takesPart(double position, double fraction) {
        return fraction >= 1 || position < fraction;
    }

    /** A position as text, cut to four decimals ({@code 0.1834}): no formatter, which costs start-up. */
    public static String show(double position) {
        long tenThousandths = (long) (position * 10_000);
        String digits = Long.toString(10_000 + Math.max(0, Math.min(9_999, tenThousandths)));
        return "0." + digits.substring(1);
    }

    /**
     * This machine's host name: {@code HOSTNAME} from the environment (Kubernetes sets it to the
     * pod's name), else the kernel's ({@code /proc/sys/kernel/hostname}), else the JDK's lookup;
     * {@code localhost} when none answers. Looked up once.
     */
    public static String hostName() {
        String name = hostName;
        if (name == null) {
            name = lookUpHostName();
            hostName = name;
        }
        return name;
    }

    private static String lookUpHostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.trim().isEmpty()) {
            return env.trim();
        }
        try (InputStream in = new FileInputStream("/proc/sys/kernel/hostname")) {
            String kernel = new String(in.readNBytes(256), StandardCharsets.UTF_8).trim();
            if (!kernel.isEmpty()) {
                return kernel;
            }
        } catch (IOException | SecurityException e) {
            // not Linux: ask the JDK
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException | SecurityException e) {
            return "localhost";
        }
    }
}
