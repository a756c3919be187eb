package ownlibs;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.bytebuddy.matcher.ElementMatchers.named;

/** An application with its own Byte Buddy 1.12, slf4j 1.7 and logback, used at run time. */
public class OwnLibsApp {
    private static final Logger LOG = LoggerFactory.getLogger(OwnLibsApp.class);

    public static void target() {
    }

    public static void main(String[] args) throws Exception {
        Class<?> made = new ByteBuddy().subclass(Object.class).name("ownlibs.Made")
                .method(named("toString")).intercept(FixedValue.value("made by the app's Byte Buddy from "
                        + new java.io.File(ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation().getPath()).getName()))
                .make().load(OwnLibsApp.class.getClassLoader()).getLoaded();
        System.out.println(made.getDeclaredConstructor().newInstance());
        LOG.info("logged through the app's logback");
        LOG.debug("below the app's configured level");
        try {
            target();
            System.out.println("target returned");
        } catch (RuntimeException e) {
            System.out.println("target threw: " + e.getMessage());
        }
    }
}
