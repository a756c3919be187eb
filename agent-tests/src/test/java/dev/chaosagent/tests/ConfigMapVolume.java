package dev.chaosagent.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A directory that the test updates exactly as the kubelet updates a mounted ConfigMap volume
 * (its {@code AtomicWriter}): the payload goes into a new timestamped directory
 * {@code ..2026_12_03_10_00_05.<random>}, a symbolic link {@code ..data_tmp} to it is renamed over
 * {@code ..data} (one atomic rename), each key is a user-visible link {@code <key> -> ..data/<key>}
 * created when missing and removed when its key is gone, and the previous timestamped directory
 * is deleted last.
 */
final class ConfigMapVolume {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss");
    private static final AtomicLong SUFFIX = new AtomicLong(System.nanoTime() & 0xFFFFFF);
    private final Path dir;

    ConfigMapVolume(Path dir) {
        this.dir = dir;
    }

    /** The user-visible path of a key: what a container names in its configuration. */
    Path path(String key) {
        return dir.resolve(key);
    }

    /** One update of the ConfigMap to exactly these keys (an empty map: a deleted optional ConfigMap). */
    void write(Map<String, String> payload) {
        try {
            Files.createDirectories(dir);
            Path data = dir.resolve("..data");
            Path previous = Files.isSymbolicLink(data) ? dir.resolve(Files.readSymbolicLink(data)) : null;
            String stamp = STAMP.format(ZonedDateTime.now(ZoneOffset.UTC));
            Path fresh = dir.resolve(".." + stamp + "." + SUFFIX.incrementAndGet());
            Files.createDirectory(fresh);
            for (Map.Entry<String, String> e : payload.entrySet()) {
                Files.writeString(fresh.resolve(e.getKey()), e.getValue());
            }
            Path tmp = dir.resolve("..data_tmp");
            Files.deleteIfExists(tmp);
            Files.createSymbolicLink(tmp, fresh.getFileName());
            Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING); // rename(2)
            for (String key : payload.keySet()) {
                Path visible = dir.resolve(key);
                if (!Files.isSymbolicLink(visible)) {
                    Files.createSymbolicLink(visible, Path.of("..data", key));
                }
            }
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path p : (Iterable<Path>) entries::iterator) {
                    String name = p.getFileName().toString();
                    if (!name.startsWith("..") && !payload.containsKey(name)) {
                        Files.delete(p); // a key gone from the ConfigMap
                    }
                }
            }
            if (previous != null && !previous.equals(fresh)) {
                try (Stream<Path> files = Files.list(previous)) {
                    for (Path p : (Iterable<Path>) files::iterator) {
                        Files.delete(p);
                    }
                }
                Files.delete(previous);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
