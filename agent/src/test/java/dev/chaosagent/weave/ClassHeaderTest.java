package dev.chaosagent.weave;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The header reader that {@code ^} rules use on every loading class: the same answers as ASM's full reader. */
class ClassHeaderTest {
    @Test
    void everyClassOfTheJdkBaseModuleReadsAsAsmReadsIt() throws IOException {
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        List<Path> classes;
        try (Stream<Path> walk = Files.walk(jrt.getPath("/modules/java.base"))) {
            classes = walk.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList());
        }
        assertTrue(classes.size() > 1000, "java.base classes: " + classes.size());
        int withInterfaces = 0;
        for (Path p : classes) {
            byte[] b = Files.readAllBytes(p);
            ClassReader asm = new ClassReader(b);
            ClassHeader header = ClassHeader.read(b);
            assertEquals(asm.getSuperName(), header.superName, p::toString);
            assertArrayEquals(asm.getInterfaces(), header.interfaces, p::toString);
            withInterfaces += header.interfaces.length > 0 ? 1 : 0;
        }
        assertTrue(withInterfaces > 100, "classes with interfaces: " + withInterfaces);
    }

    @Test
    void namesOutsideAsciiLongAndDoubleConstantsAndNoSuperclass() {
        String name = "shop/Gr\u00f6\u00dfe\u20ac\ud83d\ude00";
        ClassWriter w = new ClassWriter(0);
        w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name, null, "shop/\u00dcber", new String[] {"shop/\u03a9", "java/io/Serializable"});
        w.newConst(Long.valueOf(7L)); // two constant pool entries each, before the names are looked up
        w.newConst(Double.valueOf(1.5));
        w.newConst("\u0000 and \u07ff and \uffff");
        w.visitEnd();
        ClassHeader header = ClassHeader.read(w.toByteArray());
        assertEquals("shop/\u00dcber", header.superName);
        assertArrayEquals(new String[] {"shop/\u03a9", "java/io/Serializable"}, header.interfaces);

        ClassWriter object = new ClassWriter(0);
        object.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "java/lang/Object", null, null, null);
        object.visitEnd();
        assertNull(ClassHeader.read(object.toByteArray()).superName);
    }

    @Test
    void javaLangObjectAsSuperclassIsTheSharedNameAndItsNearNamesAreDecoded() {
        assertSame(ClassHeader.OBJECT, ClassHeader.read(classExtending("java/lang/Object")).superName);
        for (String near : new String[] {"java/lang/Objects", "java/lang/Objecu", "java/lang/Objec", "java/lang/\u00d6bject"}) {
            ClassHeader header = ClassHeader.read(classExtending(near));
            assertEquals(near, header.superName);
            assertNotSame(ClassHeader.OBJECT, header.superName);
        }
    }

    private static byte[] classExtending(String superName) {
        ClassWriter w = new ClassWriter(0);
        w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "shop/Cart", null, superName, null);
        w.visitEnd();
        return w.toByteArray();
    }

    @Test
    void whatIsNotAWholeClassFileIsRefused() {
        ClassWriter w = new ClassWriter(0);
        w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "shop/Cart", null, "java/lang/Object", new String[] {"shop/Basket"});
        w.visitEnd();
        byte[] whole = w.toByteArray();
        for (int length = 0; length < whole.length - 6; length++) { // the last six count fields, methods and attributes: not read
            byte[] cut = Arrays.copyOf(whole, length);
            assertThrows(RuntimeException.class, () -> ClassHeader.read(cut), "first " + length + " bytes");
        }
        byte[] notAClass = whole.clone();
        notAClass[0] = 0;
        assertThrows(IllegalArgumentException.class, () -> ClassHeader.read(notAClass));
    }
}
