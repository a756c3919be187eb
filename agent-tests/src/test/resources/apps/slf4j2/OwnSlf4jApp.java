package ownlibs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An application with its own slf4j 2 and slf4j-simple, configured by its own simplelogger.properties. */
public class OwnSlf4jApp {
    private static final Logger LOG = LoggerFactory.getLogger(OwnSlf4jApp.class);

    public static void target() {
    }

    public static void main(String[] args) {
        LOG.info("logged through the app's slf4j-simple");
        LOG.debug("below the app's configured level");
        try {
            target();
            System.out.println("target returned");
        } catch (RuntimeException e) {
            System.out.println("target threw: " + e.getMessage());
        }
    }
}
