package dev.chaosagent.weave;

import dev.chaosagent.config.ConfigKeys;
import dev.chaosagent.config.RuleConfig;
import dev.chaosagent.plan.RulePlan;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * Woven classes kept on disk for the next JVM, so that a warm start weaves without loading ASM
 * (measured: loading and running the weaver is most of what weaving the first class costs).
 *
 * <p>Safe by construction rather than by trust:
 * <ul>
 * <li>private to the OS user: the directory is created {@code rwx------}, and used only while it is a
 *     real directory (not a link) owned by the JVM's user with no group or other permissions; an
 *     entry is written to a private temporary file and renamed into place, so no reader sees half of one;</li>
 * <li>keyed by what the weave depends on: the agent build (the class pack's checksum), the JDK's runtime
 *     version, the class's name and whether it is a JDK class, and each candidate rule's weaving keys;
 *     the weaver marks outcomes that asked other classes (supertypes, annotations, application
 *     exception types, enums) uncacheable, and they are never stored;</li>
 * <li>verified before use: an entry holds its key and the whole original class file, both compared
 *     with what is being loaded, and a CRC-32 over everything, so a damaged, colliding or stale entry
 *     is a miss (and is replaced), never woven code for another class;</li>
 * <li>optional: a directory that cannot be created or written (a read-only container) only means
 *     weaving without the cache; nothing stops the application.</li>
 * </ul>
 */
final class WeaveCache {
    private static final int MAGIC = 0x43415743; // "CAWC"
    private static final int FORMAT = 2; // 1 wrote strings as DataOutputStream.writeUTF does
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final String ENTRY_SUFFIX = ".woven";
    private static final String TEMPORARY_SUFFIX = ".tmp";
    /** How long entries of other agent builds stay after their last write. */
    static final int OTHER_BUILDS_KEPT_DAYS = 7;
    /**
     * The file whose time says when the directory was last tidied: at most once a day, since
     * tidying reads the attributes of every other build's entry, and a directory that many builds
     * wove many classes into holds hundreds of thousands (seconds of a core at every JVM's start).
     */
    static final String TIDIED = ".tidied";
    private static final long TIDY_EVERY_MILLIS = 24 * 3600 * 1000L;

    /** What the cache has to say: a warning (unusable directory) or a debug line (hits, misses, a read-only place). */
    interface Notes {
        void note(String line, boolean warning);
    }

    private final Path dir;
    private final String build;
    private final Notes notes;
    private boolean writable = true;

    private WeaveCache(Path dir, String build, Notes notes) {
        this.dir = dir;
        this.build = build;
        this.notes = notes;
    }

    /**
     * The directory a setting names: {@code off} for none, a path, or (empty) the default
     * {@code $XDG_CACHE_HOME/chaos-agent/weave}, else {@code ~/.cache/chaos-agent/weave}.
     *
     * @return null for {@code off}
     */
    static Path directory(String setting) {
        if (setting != null && !setting.isEmpty()) {
            return "off".equals(setting) ? null : Paths.get(setting);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && xdg.startsWith("/") ? Paths.get(xdg) : Paths.get(System.getProperty("user.home"), ".cache");
        return base.resolve("chaos-agent").resolve("weave");
    }

    /**
     * Opens the cache in {@code dir}, creating it private if it is missing.
     *
     * @param build the agent build's identity, or null for a development build (no cache: its classes change without it)
     * @return the cache, or null when there is none to use (a line says why)
     */
    static WeaveCache open(Path dir, String build, String settingKey, Notes notes) {
        if (dir == null || build == null) {
            return null;
        }
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Path parent = dir.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
                } catch (FileAlreadyExistsException raced) {
                    // another JVM made it meanwhile: checked below like any other
                }
            }
            String problem = problem(dir);
            if (problem != null) {
                notes.note(settingKey + "=" + dir + " " + problem + "; weaving without the cache", true);
                return null;
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            notes.note(settingKey + "=" + dir + " cannot be used (" + e + "): weaving without the cache (a read-only file system"
                    + " needs none)", false);
            return null;
        }
        return new WeaveCache(dir, build, notes);
    }

    /** Why {@code dir} is no place for the cache, or null when it is a private directory of this JVM's user. */
    private static String problem(Path dir) throws IOException {
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isDirectory()) {
            return "is not a directory";
        }
        if (!ownedByUs(dir, a.owner())) {
            return "is owned by " + a.owner().getName() + ", not by this JVM's user " + System.getProperty("user.name");
        }
        if (!PRIVATE.containsAll(a.permissions())) {
            return "is open to other users (" + PosixFilePermissions.toString(a.permissions()) + "), and woven code read"
                    + " from it would run in this JVM: make it private (chmod 700)";
        }
        return null;
    }

    /**
     * Removes what no JVM of this build will read: entries of other agent builds written more than
     * {@value #OTHER_BUILDS_KEPT_DAYS} days ago (a JVM of such a build that still starts on this
     * host only weaves and writes them again), and temporary files that an interrupted write left
     * over an hour ago. Entries of this build stay. Only in a directory that exists and passes the
     * checks of {@link #open}, and at most once a day (the time of {@value #TIDIED}, the one file
     * it creates); a failure only leaves files in place.
     *
     * @param build this agent build's identity, or null for a development build (which keeps no cache)
     * @param now   the time, in milliseconds since the epoch
     */
    static void prune(Path dir, String build, Notes notes, long now) {
        if (dir == null || build == null) {
            return;
        }
        String own = buildTag(build) + "-";
        int entries = 0;
        int temporary = 0;
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || problem(dir) != null) {
                return; // not ours to tidy (opening it says why, if a class is ever woven)
            }
            Path tidied = dir.resolve(TIDIED);
            if (Files.isRegularFile(tidied, LinkOption.NOFOLLOW_LINKS)
                    && now - Files.getLastModifiedTime(tidied, LinkOption.NOFOLLOW_LINKS).toMillis() < TIDY_EVERY_MILLIS) {
                notes.note("weave cache: " + dir + " was tidied within the day; not again until a day has passed", false);
                return;
            }
            if (!Files.exists(tidied, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createFile(tidied, PRIVATE_FILE);
                } catch (FileAlreadyExistsException raced) {
                    // another JVM tidies it too: harmless
                }
            }
            if (Files.isRegularFile(tidied, LinkOption.NOFOLLOW_LINKS)) { // anything else there: tidied at every start
                Files.setLastModifiedTime(tidied, FileTime.fromMillis(now));
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    boolean otherBuild = name.endsWith(ENTRY_SUFFIX) && !name.startsWith(own);
                    boolean leftOver = name.endsWith(TEMPORARY_SUFFIX);
                    if (!otherBuild && !leftOver) {
                        continue;
                    }
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    long age = now - a.lastModifiedTime().toMillis();
                    long limit = otherBuild ? OTHER_BUILDS_KEPT_DAYS * 24 * 3600 * 1000L : 3600 * 1000L;
                    if (a.isRegularFile() && age > limit && Files.deleteIfExists(f)) {
                        if (otherBuild) {
                            entries++;
                        } else {
                            temporary++;
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            notes.note("weave cache: could not tidy " + dir + " (" + e + "); its files stay", false);
        }
        if (entries + temporary > 0) {
            notes.note("weave cache: removed " + entries + " entries of other agent builds unwritten for "
                    + OTHER_BUILDS_KEPT_DAYS + " days and " + temporary + " left-over temporary files from " + dir, false);
        }
    }

    /**
     * Whether {@code owner} is this JVM's user: by name, or (a user without a name, as containers
     * run with arbitrary ids) by the owner of a file this JVM creates there.
     */
    private static boolean ownedByUs(Path dir, UserPrincipal owner) throws IOException {
        if (owner.getName().equals(System.getProperty("user.name"))) {
            return true;
        }
        Path probe = privateFile(dir, "owner", new byte[0]);
        try {
            return Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS).equals(owner);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** The key of one class's weave: everything the outcome depends on when the weaver calls it cacheable. */
    String key(String binaryName, boolean jdkClass, List<RulePlan> candidates) {
        StringBuilder b = new StringBuilder(128).append(build).append('|').append(System.getProperty("java.runtime.version"))
                .append('|').append(jdkClass ? "jdk" : "app").append('|').append(binaryName);
        for (RulePlan r : candidates) {
            RuleConfig c = r.config();
            b.append("|rule ").append(r.name()).append('\u0000').append(c.targetText()).append('\u0000').append(c.fault())
                    .append('\u0000').append(c.exception()).append('\u0000').append(c.returnValue()).append('\u0000')
                    .append(c.args().keySet()).append('\u0000').append(c.keys().get(ConfigKeys.EXCLUDE.name()));
        }
        return b.toString();
    }

    /** @return the woven class kept in {@code file} for this key and class file, or null (a miss; a damaged entry says so) */
    WovenClass find(File file, String key, String className, byte[] classFile, int candidates) {
        byte[] data;
        try (InputStream in = new FileInputStream(file)) {
            data = in.readAllBytes();
        } catch (IOException e) {
            return null; // none yet
        }
        String why;
        try {
            why = check(data, key, classFile);
            if (why == null) {
                int at = data.length - 8 - 4 - EntryFormat.getInt(data, data.length - 8 - 4);
                WovenClass woven = WovenClass.fromBytes(new EntryFormat.Reader(data, at, data.length - 12), candidates);
                notes.note("weave cache: " + className + " read from " + file.getName(), false);
                return woven;
            }
        } catch (IOException | RuntimeException e) {
            why = e.toString();
        }
        if (why != null && !why.isEmpty()) {
            notes.note("weave cache entry " + file + " is damaged (" + why + "); the class is woven afresh and the entry"
                    + " replaced", true);
        }
        return null;
    }

    /**
     * @return null when the entry is this key's and class file's and intact; "" when it is another key's
     *         (a collision of names or a stale entry: a plain miss); else what is wrong
     */
    private static String check(byte[] data, String key, byte[] classFile) throws IOException {
        if (data.length < 24 || EntryFormat.getInt(data, 0) != MAGIC || EntryFormat.getInt(data, 4) != FORMAT) {
            return "not a weave cache entry of this agent";
        }
        CRC32 crc = new CRC32();
        crc.update(data, 0, data.length - 8);
        if (crc.getValue() != EntryFormat.getLong(data, data.length - 8)) {
            return "its checksum does not match";
        }
        EntryFormat.Reader in = new EntryFormat.Reader(data, 8, data.length - 8);
        if (!key.equals(in.readString())) {
            return "";
        }
        if (in.readInt() != classFile.length || !in.nextEquals(classFile)) {
            return "";
        }
        int body = EntryFormat.getInt(data, data.length - 8 - 4);
        return body >= 0 && in.position() + body == data.length - 12 ? null : "its parts' lengths do not add up";
    }

    /** Keeps a woven class for the next JVM; a failure only means the next JVM weaves it again. */
    void store(File file, String key, String className, byte[] classFile, WovenClass woven) {
        if (!writable) {
            return;
        }
        Path tmp = null;
        try {
            byte[] body = woven.toBytes();
            EntryFormat.Writer out = new EntryFormat.Writer(classFile.length + body.length + key.length() + 64);
            out.writeInt(MAGIC).writeInt(FORMAT).writeString(key).writeInt(classFile.length).write(classFile).write(body)
                    .writeInt(body.length);
            byte[] data = out.toByteArray();
            CRC32 crc = new CRC32();
            crc.update(data, 0, data.length);
            out.writeLong(crc.getValue());
            tmp = privateFile(dir, "entry", out.toByteArray());
            Files.move(tmp, file.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
            notes.note("weave cache: " + className + " kept in " + file.getName(), false);
        } catch (IOException | RuntimeException e) {
            writable = false; // said once; reads go on
            notes.note("weave cache: cannot write in " + dir + " (" + e + "); woven classes are not kept from now on", false);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file stays; it is never read as an entry
                }
            }
        }
    }

    /**
     * Writes {@code bytes} to a new file of its own in {@code dir}, created {@code rw-------} and
     * only if no file of that name exists (no link is followed). Not {@code Files.createTempFile}:
     * its random names come from {@code SecureRandom}, whose set-up cost a cold start some 50 ms.
     */
    private static Path privateFile(Path dir, String prefix, byte[] bytes) throws IOException {
        FileAlreadyExistsException last = null;
        for (int attempt = 0; attempt < 4; attempt++) {
            Path file = dir.resolve(prefix + "-" + Long.toHexString(System.nanoTime()) + "-"
                    + Integer.toHexString(System.identityHashCode(new Object())) + "-" + NAMES.incrementAndGet() + TEMPORARY_SUFFIX);
            try (SeekableByteChannel out = Files.newByteChannel(file,
                    EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), PRIVATE_FILE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                return file;
            } catch (FileAlreadyExistsException taken) {
                last = taken; // another JVM's name: try another
            }
        }
        throw last;
    }

    /**
     * The entry's file, for {@link #find} and {@link #store}: the build's tag (so that {@link #prune}
     * knows other builds' entries by name), then a hash of the key, the class file's CRC-32 and its length.
     */
    File entry(String key, byte[] classFile) {
        CRC32 crc = new CRC32();
        crc.update(classFile, 0, classFile.length);
        long h = WovenClass.fnv(0xcbf29ce484222325L, key);
        h = (h ^ crc.getValue()) * 0x100000001b3L;
        h = (h ^ classFile.length) * 0x100000001b3L;
        return new File(dir.toFile(), buildTag(build) + "-" + Long.toHexString(h) + ENTRY_SUFFIX);
    }

    /** A short name for an agent build, at the start of its entries' file names. */
    static String buildTag(String build) {
        return Long.toHexString(WovenClass.fnv(0xcbf29ce484222325L, build) >>> 32);
    }
}
