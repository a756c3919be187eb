package dev.chaosagent.tests;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The weave cache: a warm start reads woven classes back instead of weaving them, and behaves
 * exactly as the cold one; what it keeps is private, verified before use, and never required.
 */
class WeaveCacheTest extends ChildJvmTest {
    private static final String KEPT = "DEBUG weave cache: " + TARGET + " kept in ";
    private static final String READ = "DEBUG weave cache: " + TARGET + " read from ";

    /** A seeded run over three methods: plain (p=0.5), checkedIo (IOException where declared), noThrows (skipped). */
    private static ChildJvm.Result run(Jdk jdk, Path cache, String exception) {
        return ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.seed", 11).prop("chaos.log.level", "debug")
                .prop("chaos.weave.cache", cache)
                .rule("half", TARGET + "#plain", "exception", 0.5)
                .rule("io", TARGET + "#checkedIo;" + TARGET + "#noThrows", "exception", 1.0)
                .prop("chaos.rule.io.exception", exception)
                .run("calls", "400", "plain", "checkedIo", "noThrows");
    }

    /** What a run did, without the lines that differ between a cold and a warm start. */
    private static String behaviour(ChildJvm.Result r) {
        String out = r.stdout().lines().map(l -> l.replaceAll(" ms=[0-9]+", "")).collect(Collectors.joining("\n"));
        String said = r.stderr().lines().filter(l -> (l.contains(" wove ") || l.contains(" skips ")) && !l.contains("weave cache"))
                .collect(Collectors.joining("\n"));
        return out + "\n" + said;
    }

    private static List<Path> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().collect(Collectors.toCollection(ArrayList::new));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aWarmStartReadsTheCacheAndBehavesAsTheColdOne(Jdk jdk, @TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("cache");
        ChildJvm.Result cold = run(jdk, cache, "java.io.IOException");
        assertEquals(0, cold.exitCode(), cold::toString);
        assertTrue(cold.stderr().contains(KEPT), cold::toString);
        assertFalse(cold.stderr().contains(READ), cold::toString);
        assertEquals("java.io.IOException:400,", cold.field("checkedIo ", "kinds"), cold::toString);
        long thrown = cold.count("plain ", "thrown");
        assertTrue(thrown >= 150 && thrown <= 250, cold::toString); // p=0.5 of 400 within 5 sigma (10 each)

        ChildJvm.Result warm = run(jdk, cache, "java.io.IOException");
        assertEquals(0, warm.exitCode(), warm::toString);
        assertTrue(warm.stderr().contains(READ), warm::toString);
        assertFalse(warm.stderr().contains(KEPT), warm::toString);
        assertEquals(behaviour(cold), behaviour(warm), "same seed, same decisions, same lines\n" + cold + "\n" + warm);

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
        List<Path> kept = entries(cache);
        assertEquals(1, kept.size(), kept::toString);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept.get(0))));

        // another exception type is another weave: a miss, kept beside the first, and the new type is thrown
        ChildJvm.Result other = run(jdk, cache, "java.io.FileNotFoundException");
        assertTrue(other.stderr().contains(KEPT), other::toString);
        assertEquals("java.io.FileNotFoundException:400,", other.field("checkedIo ", "kinds"), other::toString);
        assertEquals(2, entries(cache).size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aDamagedEntryIsNeverUsedAndIsReplaced(Jdk jdk, @TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("cache");
        ChildJvm.Result cold = run(jdk, cache, "java.io.IOException");
        Path entry = entries(cache).get(0);
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length / 2] ^= 0x5A; // inside the woven class file
        Files.write(entry, bytes);

        ChildJvm.Result damaged = run(jdk, cache, "java.io.IOException");
        assertEquals(0, damaged.exitCode(), damaged::toString);
        assertTrue(damaged.stderr().contains("WARN weave cache entry " + entry + " is damaged (its checksum does not match); the class"
                + " is woven afresh and the entry replaced"), damaged::toString);
        assertTrue(damaged.stderr().contains(KEPT), damaged::toString);
        assertEquals(behaviour(cold), behaviour(damaged), damaged::toString);

        ChildJvm.Result again = run(jdk, cache, "java.io.IOException");
        assertTrue(again.stderr().contains(READ), again::toString);
        assertFalse(again.stderr().contains("damaged"), again::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aDirectoryOthersCanReachIsNotUsed(Jdk jdk, @TempDir Path tmp) throws Exception {
        Path cache = Files.createDirectory(tmp.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxr-xr-x")); // whatever the umask did
        ChildJvm.Result r = run(jdk, cache, "java.io.IOException");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("WARN chaos.weave.cache=" + cache + " is open to other users (rwxr-xr-x), and woven code read"
                + " from it would run in this JVM: make it private (chmod 700); weaving without the cache"), r::toString);
        assertEquals(1, occurrences(r.stderr(), "weaving without the cache"), "said once\n" + r);
        assertEquals("java.io.IOException:400,", r.field("checkedIo ", "kinds"), r::toString);
        assertEquals(List.of(), entries(cache));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aPlaceThatCannotBeWrittenOrOffMeansWeavingWithoutIt(Jdk jdk, @TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
        ChildJvm.Result readOnly = run(jdk, file.resolve("cache"), "java.io.IOException"); // as a read-only mount behaves, even for root
        assertEquals(0, readOnly.exitCode(), readOnly::toString);
        assertTrue(readOnly.stderr().contains("DEBUG chaos.weave.cache=" + file.resolve("cache") + " cannot be used ("),
                readOnly::toString);
        assertTrue(readOnly.stderr().lines().noneMatch(l -> l.contains("cache") && (l.contains("WARN") || l.contains("ERROR"))),
                readOnly::toString); // a read-only place is normal: no warning
        assertEquals("java.io.IOException:400,", readOnly.field("checkedIo ", "kinds"), readOnly::toString);

        ChildJvm.Result off = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.log.level", "debug")
                .prop("chaos.weave.cache", "off").rule("half", TARGET + "#plain", "exception", 1.0).run("calls", "10", "plain");
        assertEquals(10, off.count("plain ", "thrown"), off::toString);
        assertFalse(off.stderr().contains("weave cache"), off::toString);
    }

    /**
     * A class whose own constant pool holds the weaver's first placeholder values keeps its
     * constants, and its woven calls get their own numbers, cold and warm.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aClassHoldingThePlaceholderValuesKeepsItsConstants(Jdk jdk, @TempDir Path tmp) {
        for (String start : List.of("cold", "warm")) {
            ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.log.level", "debug")
                    .prop("chaos.weave.cache", tmp.resolve("cache")).rule("c", FIXTURES + "Constants#*", "exception", 0.0)
                    .run("constants");
            assertEquals(0, r.exitCode(), r::toString);
            assertEquals(String.valueOf(0x7CA00000 + 1), r.field("constants ", "int"), () -> start + "\n" + r);
            assertEquals(String.valueOf(0x7CA0_5EED_0000_0000L + 1), r.field("constants ", "long"), () -> start + "\n" + r);
            assertTrue(r.stderr().contains("rule 'c' wove " + FIXTURES + "Constants#intConstant(int), " + FIXTURES
                    + "Constants#longConstant(long)"), () -> start + "\n" + r);
            assertTrue(r.stderr().contains("weave cache: " + FIXTURES + "Constants " + (start.equals("cold") ? "kept in" : "read from")),
                    () -> start + "\n" + r);
        }
    }

    /** A {@code ^} rule's outcome depends on other classes (the supertypes): never kept. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void outcomesThatAskedOtherClassesAreNotKept(Jdk jdk, @TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("cache");
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.log.level", "debug")
                .prop("chaos.weave.cache", cache).rule("sup", "^" + TARGET + "#plain", "exception", 1.0)
                .run("calls", "10", "plain");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(10, r.count("plain ", "thrown"), r::toString);
        assertFalse(r.stderr().contains("weave cache: " + TARGET), r::toString);
        assertEquals(List.of(), entries(cache));
    }

    private static Path plant(Path dir, String name, long ageMillis) throws IOException {
        Path f = Files.writeString(dir.resolve(name), "planted");
        Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() - ageMillis));
        return f;
    }

    /**
     * The control thread's first poll tidies the cache, at most once a day (the time of its
     * {@code .tidied} file): entries of other agent builds written more than a week ago go, and
     * temporary files an interrupted write left over an hour ago; this build's entries (however
     * old), other builds' recent ones, fresh temporary files and files the agent did not name stay.
     * Within the day after a tidying, a JVM's first poll leaves even old entries alone.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void theFirstPollRemovesOldEntriesOfOtherBuildsAndLeftOverFiles(Jdk jdk, @TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("cache");
        ChildJvm.Result first = run(jdk, cache, "java.io.IOException");
        assertTrue(first.stderr().contains(KEPT), first::toString);
        List<Path> ours = entries(cache);
        assertEquals(1, ours.size(), ours::toString);
        long day = 24 * 3600 * 1000L;
        Files.setLastModifiedTime(ours.get(0), FileTime.fromMillis(System.currentTimeMillis() - 30 * day));
        Path oldOther = plant(cache, "0badc0de-123456789abc.woven", 8 * day);
        Path untagged = plant(cache, "89abcdef01234567.woven", 8 * day); // named before entries carried their build
        Path recentOther = plant(cache, "0badc0de-fedcba987654.woven", 6 * day);
        Path leftOver = plant(cache, "entry-1a-2b-3.tmp", 2 * 3600 * 1000L);
        Path freshTemporary = plant(cache, "entry-4c-5d-6.tmp", 60 * 1000L);
        Path notOurs = plant(cache, "notes.woven.txt", 30 * day);
        try (ChildJvm.Running r = lingering(jdk, cache)) {
            String line = r.awaitErrLine("weave cache: removed", Duration.ofSeconds(60));
            assertTrue(line.contains("removed 2 entries of other agent builds") && line.contains(" and 1 left-over temporary"), line);
        }
        assertFalse(Files.exists(oldOther));
        assertFalse(Files.exists(untagged));
        assertFalse(Files.exists(leftOver));
        assertTrue(Files.exists(ours.get(0)), "this build's entry stays, however old");
        assertTrue(Files.exists(recentOther));
        assertTrue(Files.exists(freshTemporary));
        assertTrue(Files.exists(notOurs));

        Path tidied = cache.resolve(".tidied");
        assertTrue(Files.isRegularFile(tidied), "the tidying left its time");
        Path oldAgain = plant(cache, "0badc0de-aaaabbbbcccc.woven", 8 * day);
        try (ChildJvm.Running r = lingering(jdk, cache)) {
            r.awaitErrLine("was tidied within the day", Duration.ofSeconds(60));
        }
        assertTrue(Files.exists(oldAgain), "within the day of a tidying the directory is not read again");
        Files.setLastModifiedTime(tidied, FileTime.fromMillis(System.currentTimeMillis() - day - 60_000));
        try (ChildJvm.Running r = lingering(jdk, cache)) {
            String line = r.awaitErrLine("weave cache: removed", Duration.ofSeconds(60));
            assertTrue(line.contains("removed 1 entries of other agent builds"), line);
        }
        assertFalse(Files.exists(oldAgain), "a day later it is");
    }

    private static ChildJvm.Running lingering(Jdk jdk, Path cache) {
        return ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.log.level", "debug").prop("chaos.poll", "100ms")
                .prop("chaos.weave.cache", cache).rule("half", TARGET + "#plain", "exception", 0.5).start("linger", "60000");
    }
}
