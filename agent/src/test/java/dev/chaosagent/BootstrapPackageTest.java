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

    /** Thread.stop throws since JDK 20 and is gone in 26: kills are thrown errors, never stop(). */
    @Test
    void noAgentClassCallsThreadStop() throws IOException {
        TreeSet<String> callers = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Paths.get("target/classes"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList())) {
                ClassReader reader = new ClassReader(Files.readAllBytes(file));
                reader.accept(new ClassVisitor(Opcodes.ASM9) {
                    @Override
                    public org.objectweb.asm.MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                                       String[] exceptions) {
                        String method = name;
                        return new org.objectweb.asm.MethodVisitor(Opcodes.ASM9) {
                            @Override
                            public void visitMethodInsn(int opcode, String owner, String called, String desc, boolean itf) {
                                if (owner.equals("java/lang/Thread") && called.equals("stop")) {
                                    callers.add(reader.getClassName() + "#" + method);
                                }
                            }
                        };
                    }
                }, 0);
            }
        }
        assertTrue(callers.isEmpty(), "Thread.stop called from " + callers);
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
