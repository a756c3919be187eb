package dev.chaosagent.bootstrap;

/**
 * Thrown on a victim thread to end it. An {@link Error}, so that the usual {@code catch (Exception)}
 * does not swallow it; {@code Thread.stop} is not used because it throws
 * {@code UnsupportedOperationException} since JDK 20.
 */
public final class ChaosThreadKill extends Error {
    private static final long serialVersionUID = 1L;

    public ChaosThreadKill(String message) {
        super(message);
    }
}
