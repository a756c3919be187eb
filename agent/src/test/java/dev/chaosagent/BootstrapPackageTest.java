package dev.chaosagent;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bootstrap package is defined into the bootstrap class loader, which sees only the JDK:
 * one reference to anything else would be a NoClassDefFoundError inside the application. It may
 * use java.* and the Flight Recorder API (jdk.jfr, a boot-loader module).
 */
class BootstrapPackageTest {
    private static final Path PACKAGE = Paths.get("target/classes/dev/chaosagent/bootstrap");

    @Test
    void bootstrapClassesReferenceOnlyJdkTypesAndEachOther() throws IOException {
        TreeSet<String> offending = new TreeSet<>();
        try (Stream<Path> files = Files.list(PACKAGE)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList())) {
                ClassReader reader = new ClassReader(Files.readAllBytes(file));
                Remapper collector = new Remapper() {
                    @Override
                    public String map(String internalName) {
                        if (!internalName.startsWith("java/") && !internalName.startsWith("jdk/jfr/")
                                && !internalName.startsWith("dev/chaosagent/bootstrap/")) {
                            offending.add(reader.getClassName() + " -> " + internalName);
                        }
                        return internalName;
                    }
                };
                reader.accept(new ClassRemapper(new ClassVisitor(Opcodes.ASM9) { }, collector), 0);
            }
        }
        assertTrue(offending.isEmpty(), "non-JDK references from the bootstrap package: " + offending);
    }

    @Test
    void definerListsEveryBootstrapClass() throws IOException {
        TreeSet<String> onDisk;
        try (Stream<Path> files = Files.list(PACKAGE)) {
            onDisk = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".class"))
                    .map(n -> "dev.chaosagent.bootstrap." + n.substring(0, n.length() - ".class".length()))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(onDisk, new TreeSet<>(Arrays.asList(BootstrapDefiner.CLASSES)),
                "BootstrapDefiner.CLASSES must name exactly the classes of dev.chaosagent.bootstrap");
    }
}
