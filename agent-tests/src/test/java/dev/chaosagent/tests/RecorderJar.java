package dev.chaosagent.tests;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Builds the jar of {@code fixtures.RecorderAgent}, the second retransform-capable agent of the restoration tests. */
final class RecorderJar {
    private RecorderJar() {
    }

    static Path build(Path dir) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", "dev.chaosagent.fixtures.RecorderAgent");
        manifest.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        Path jar = dir.resolve("recorder-agent.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (String name : new String[] {"RecorderAgent.class", "RecorderAgent$1.class"}) {
                out.putNextEntry(new JarEntry("dev/chaosagent/fixtures/" + name));
                out.write(Files.readAllBytes(ChildJvm.TEST_CLASSES.resolve("dev/chaosagent/fixtures").resolve(name)));
                out.closeEntry();
            }
        }
        return jar;
    }
}
