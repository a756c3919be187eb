package dev.chaosagent;

/**
 * Defines classes into the bootstrap class loader by calling {@code jdk.internal.misc.Unsafe}
 * directly. Compiled on its own with {@code --add-exports java.base/jdk.internal.misc} (which
 * {@code --release} forbids); at run time the call links only after {@link BootstrapDefiner} has
 * opened the package to the agent with {@code Instrumentation.redefineModule}.
 *
 * <p>Why not reflection: since JDK 18 {@code Method.invoke} runs on method handles, and its first
 * use for a six-argument method costs about 24 ms of start-up on JDK 25 (measured here).
 */
final class InternalDefiner {
    private InternalDefiner() {
    }

    static void define(String[] names, byte[][] bytes) {
        jdk.internal.misc.Unsafe unsafe = jdk.internal.misc.Unsafe.getUnsafe();
        for (int i = 0; i < names.length; i++) {
            unsafe.defineClass(names[i], bytes[i], 0, bytes[i].length, null, null);
        }
    }
}
