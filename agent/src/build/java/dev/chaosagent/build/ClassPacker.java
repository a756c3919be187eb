package dev.chaosagent.build;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Build step, run on the shaded agent jar: adds the class pack that the agent's own class loader
 * ({@code dev.chaosagent.AgentClassLoader}) reads at start-up. The pack is one uncompressed entry:
 * {@code int magic, int count, int indexLength}, the index ({@code count × (u2 nameLength, ASCII
 * binary name, int length)}), then the class files in index order. It holds the agent's classes (the bootstrap ones included, which the agent defines into
 * the bootstrap loader from these bytes), slf4j and Byte Buddy's ASM; not the entry point, which
 * the system class loader loads, nor the CLI or the rest of Byte Buddy, which start-up never
 * needs and which the agent's loader reads from their own entries when something does.
 *
 * <p>It also moves the bootstrap classes' own entries ({@code dev/chaosagent/bootstrap/*.class})
 * under {@value #BOOT}: the JVM puts the agent jar on the system class path, and the agent defines
 * those classes in the bootstrap loader only when it first needs them, so until then a lookup of
 * one by name through the system class loader would find it there and define a second,
 * separate dispatcher. Where no class loader looks, the agent alone reads them.
 *
 * <p>Usage: {@code ClassPacker <jar>}; the jar is rewritten in place, every entry kept in order.
 */
public final class ClassPacker {
    static final String PACK = "META-INF/chaos-agent/classes.pack";
    static final int MAGIC = 0x43415031;
    /** Where the bootstrap classes' entries go: their class-path names under this prefix. */
    static final String BOOT = "META-INF/chaos-agent/boot/";
    private static final String BOOTSTRAP_CLASSES = "dev/chaosagent/bootstrap/";

    private ClassPacker() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ClassPacker <agent jar>");
        }
        Path jar = Path.of(args[0]);
        Path out = jar.resolveSibling(jar.getFileName() + ".packing");
        int packed;
        try (ZipFile in = new ZipFile(jar.toFile()); ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            List<String> names = new ArrayList<>();
            List<byte[]> classes = new ArrayList<>();
            long time = -1;
            for (ZipEntry e : Collections.list(in.entries())) {
                if (e.getName().equals(PACK)) {
                    continue; // packing a jar again replaces its pack
                }
                byte[] bytes = read(in, e);
                String name = e.getName();
                if (name.startsWith(BOOTSTRAP_CLASSES)) {
                    if (!name.endsWith(".class")) {
                        continue; // the package's directory entry: nothing is left in it
                    }
                    name = BOOT + name;
                }
                ZipEntry copy = new ZipEntry(name);
                copy.setTime(e.getTime());
                zip.putNextEntry(copy);
                zip.write(bytes);
                zip.closeEntry();
                if (time < 0) {
                    time = e.getTime();
                }
                String classEntry = name.startsWith(BOOT) ? name.substring(BOOT.length()) : name;
                if (packs(classEntry)) {
                    names.add(classEntry.substring(0, classEntry.length() - ".class".length()).replace('/', '.'));
                    classes.add(bytes);
                }
            }
            byte[] pack = pack(names, classes);
            CRC32 crc = new CRC32();
            crc.update(pack);
            ZipEntry entry = new ZipEntry(PACK);
            entry.setMethod(ZipEntry.STORED); // so a class's bytes are one skip and one read away
            entry.setSize(pack.length);
            entry.setCompressedSize(pack.length);
            entry.setCrc(crc.getValue());
            entry.setTime(time);
            zip.putNextEntry(entry);
            zip.write(pack);
            zip.closeEntry();
            packed = names.size();
        }
        Files.move(out, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("[class-pack] " + packed + " classes packed into " + PACK + " of " + jar);
    }

    /** Which classes start-up may need: ours (not the entry point's, the CLI's or the JUnit extension's), slf4j, ASM. */
    static boolean packs(String entry) {
        if (!entry.endsWith(".class") || !entry.startsWith("dev/chaosagent/")) {
            return false;
        }
        String name = entry.substring("dev/chaosagent/".length());
        if (name.startsWith("ChaosAgent") || name.startsWith("AgentEntry") || name.startsWith("AgentClassLoader")
                || name.startsWith("cli/") || name.startsWith("junit/")) {
            return false;
        }
        if (name.startsWith("shaded/net/bytebuddy/")) {
            String rest = name.substring("shaded/net/bytebuddy/".length());
            return rest.startsWith("jar/asm/") && rest.indexOf('/', "jar/asm/".length()) < 0;
        }
        return true;
    }

    private static byte[] pack(List<String> names, List<byte[]> classes) throws IOException {
        ByteArrayOutputStream index = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(index)) {
            for (int i = 0; i < names.size(); i++) {
                byte[] name = names.get(i).getBytes(StandardCharsets.US_ASCII);
                if (!new String(name, StandardCharsets.US_ASCII).equals(names.get(i)) || name.length > 0xFFFF) {
                    throw new IOException("class name not packable (ASCII, under 64 KiB): " + names.get(i));
                }
                out.writeShort(name.length);
                out.write(name);
                out.writeInt(classes.get(i).length);
            }
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeInt(MAGIC);
            out.writeInt(names.size());
            out.writeInt(index.size());
            index.writeTo(out);
            for (byte[] c : classes) {
                out.write(c);
            }
        }
        return buffer.toByteArray();
    }

    private static byte[] read(ZipFile zip, ZipEntry e) throws IOException {
        try (InputStream in = zip.getInputStream(e)) {
            return in.readAllBytes();
        }
    }
}
