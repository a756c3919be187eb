package dev.chaosagent.cli;

/** Ends a CLI command with an exit code and one line for stderr. */
final class CliException extends Exception {
    private static final long serialVersionUID = 1L;
    /** The agent refused the request (its own one-line message). */
    static final int REJECTED = 1;
    /** A usage error, or a JVM that cannot be found, reached, or runs no agent. */
    static final int USAGE_OR_UNREACHABLE = 2;

    final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }
}
