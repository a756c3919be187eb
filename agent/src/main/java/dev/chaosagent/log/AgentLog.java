package dev.chaosagent.log;

import dev.chaosagent.config.LogLevel;
import org.slf4j.Logger;
import org.slf4j.simple.SimpleLogger;
import org.slf4j.simple.SimpleLoggerFactory;

/**
 * The agent's one logger: the relocated slf4j-simple, writing to stderr, every line prefixed
 * {@code [chaos-agent]}. Built directly rather than through {@code LoggerFactory}, so start-up
 * pays for no provider discovery, and configured in code, because shading rewrites
 * slf4j-simple's property names and the application's own logging settings must never reach us.
 */
public final class AgentLog {
    private static volatile PrefixedLogger logger;

    private AgentLog() {
    }

    /** Creates the logger on first use; later calls only change the level. */
    public static Logger start(LogLevel level) {
        PrefixedLogger l = logger;
        if (l == null) {
            synchronized (AgentLog.class) {
                l = logger;
                if (l == null) {
                    l = create();
                    logger = l;
                }
            }
        }
        l.setLevel(level);
        return l;
    }

    /** The logger, created at level info if {@link #start(LogLevel)} has not run yet. */
    public static Logger get() {
        PrefixedLogger l = logger;
        return l != null ? l : start(LogLevel.INFO);
    }

    /**
     * slf4j-simple reads its settings once, from system properties, when the first logger is
     * made. Set ours (their names are relocated along with slf4j-simple), make the logger, and
     * remove them again so that the application never sees them.
     */
    private static PrefixedLogger create() {
        String[][] settings = {
                {SimpleLogger.SHOW_THREAD_NAME_KEY, "false"},
                {SimpleLogger.SHOW_LOG_NAME_KEY, "false"},
                {SimpleLogger.SHOW_SHORT_LOG_NAME_KEY, "false"},
                {SimpleLogger.SHOW_DATE_TIME_KEY, "false"},
                {SimpleLogger.LEVEL_IN_BRACKETS_KEY, "false"},
                {SimpleLogger.LOG_FILE_KEY, "System.err"},
        };
        String[] previous = new String[settings.length];
        for (int i = 0; i < settings.length; i++) {
            previous[i] = System.setProperty(settings[i][0], settings[i][1]);
        }
        // slf4j-simple also looks for simplelogger.properties through the context class loader.
        // An empty loader there means the application's file is never read, and start-up skips a
        // search of the whole class path and the JDK's module image.
        Thread thread = Thread.currentThread();
        ClassLoader context = thread.getContextClassLoader();
        thread.setContextClassLoader(NoResources.INSTANCE);
        try {
            new SimpleLoggerFactory(); // its constructor is the public way to make slf4j-simple read its settings
            return new PrefixedLogger();
        } finally {
            thread.setContextClassLoader(context);
            for (int i = 0; i < settings.length; i++) {
                if (previous[i] == null) {
                    System.clearProperty(settings[i][0]);
                } else {
                    System.setProperty(settings[i][0], previous[i]);
                }
            }
        }
    }

    /** A class loader that finds no resources (and, with no parent, no classes but the JDK's). */
    private static final class NoResources extends ClassLoader {
        static final NoResources INSTANCE = new NoResources();

        NoResources() {
            super(null);
        }

        @Override
        public java.net.URL getResource(String name) {
            return null;
        }

        @Override
        public java.io.InputStream getResourceAsStream(String name) {
            return null;
        }
    }

    /** slf4j-simple's logger with the {@code [chaos-agent]} prefix and a level we set in code. */
    static final class PrefixedLogger extends SimpleLogger {
        private static final long serialVersionUID = 1L;

        PrefixedLogger() {
            super("chaos-agent");
        }

        /** Compares rather than switches: a switch on another class's enum costs premain a synthetic class. */
        void setLevel(LogLevel next) {
            currentLogLevel = next == LogLevel.ERROR ? LOG_LEVEL_ERROR
                    : next == LogLevel.WARN ? LOG_LEVEL_WARN
                    : next == LogLevel.DEBUG ? LOG_LEVEL_DEBUG
                    : LOG_LEVEL_INFO;
        }

        @Override
        protected String renderLevel(int levelInt) {
            return "[chaos-agent] " + super.renderLevel(levelInt);
        }
    }
}
