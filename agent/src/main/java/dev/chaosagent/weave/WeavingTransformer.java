package dev.chaosagent.weave;

import dev.chaosagent.bootstrap.Dispatcher;
import dev.chaosagent.plan.RuleTarget;
import org.slf4j.Logger;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Decides per loading class, by name alone, whether any rule could apply; only then does it hand
 * the class to {@link ClassWeaver}, which is the first code to touch ASM. So an application whose
 * rules have matched nothing yet pays a string comparison per class and nothing more.
 *
 * <p>Never throws: a class that cannot be woven is logged and defined unchanged.
 */
public final class WeavingTransformer implements ClassFileTransformer {
    private static final String OWN_ROOT = "dev/chaosagent/";
    /** Woven classes logged at info per rule; after that at debug (an app may generate thousands). */
    static final int CLASSES_LOGGED = 10;
    /** The agent's own packages (the demo app and user code may live under dev.chaosagent too). */
    private static final String[] OWN_PACKAGES = {"bootstrap/", "config/", "plan/", "weave/", "control/", "log/", "shaded/"};

    private final Instrumentation instrumentation;
    private final List<RuleTarget> rules;
    private final Logger log;
    private final ClassLoader platform = ClassLoader.getPlatformClassLoader();
    /** Per rule, the methods woven so far, as {@code Class#method(params)}; each list guarded by itself. */
    private final List<List<String>> wovenMethods;
    /** Per rule, what was skipped and why; each list guarded by itself. */
    private final List<List<String>> skippedMethods;
    private final Map<ClassLoader, Boolean> reachable = new WeakHashMap<>();
    private volatile ExceptionTypes exceptionTypes;

    public WeavingTransformer(Instrumentation instrumentation, List<RuleTarget> rules, Logger log) {
        this.instrumentation = instrumentation;
        this.rules = rules;
        this.log = log;
        List<List<String>> methods = new ArrayList<>();
        List<List<String>> skipped = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            methods.add(new ArrayList<String>());
            skipped.add(new ArrayList<String>());
        }
        this.wovenMethods = methods;
        this.skippedMethods = skipped;
        this.wovenClasses = new int[rules.size()];
    }

    /** How many methods rule {@code index} has woven so far. */
    public int wovenCount(int index) {
        List<String> methods = wovenMethods.get(index);
        synchronized (methods) {
            return methods.size();
        }
    }

    /** The methods rule {@code index} has woven so far, as {@code Class#method(params)}. */
    public List<String> wovenMethods(int index) {
        synchronized (wovenMethods.get(index)) {
            return new ArrayList<>(wovenMethods.get(index));
        }
    }

    /** Per rule, how many classes it has woven; guarded by that rule's wovenMethods list. */
    private final int[] wovenClasses;

    /** What rule {@code index} skipped so far, each line saying why. */
    public List<String> skippedMethods(int index) {
        synchronized (skippedMethods.get(index)) {
            return new ArrayList<>(skippedMethods.get(index));
        }
    }

    private void skipped(int index, String why) {
        List<String> list = skippedMethods.get(index);
        synchronized (list) {
            if (list.size() < 1000) { // a bounded record; the log has every line
                list.add("skipped: " + why);
            }
        }
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String internalName, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classFile) {
        if (internalName == null || classFile == null || isOwn(internalName)) {
            return null; // hidden classes arrive without a name; our own classes are never woven
        }
        try {
            boolean jdkClass = loader == null || loader == platform;
            String binaryName = internalName.replace('/', '.');
            List<RuleTarget> candidates = null;
            for (int i = 0; i < rules.size(); i++) {
                RuleTarget rule = rules.get(i);
                if (rule.matchesClass(binaryName, jdkClass)) {
                    if (candidates == null) {
                        candidates = new ArrayList<>(2);
                    }
                    candidates.add(rule);
                }
            }
            if (candidates == null) {
                return null;
            }
            boolean exempt = Dispatcher.exemptCurrentThread(true);
            try {
                return weave(module, loader, internalName, binaryName, classFile, candidates, jdkClass);
            } finally {
                Dispatcher.exemptCurrentThread(exempt);
            }
        } catch (Throwable t) {
            log.error("cannot weave {}: {}; the class is left as it was", internalName.replace('/', '.'), t.toString());
            return null;
        }
    }

    private byte[] weave(Module module, ClassLoader loader, String internalName, String binaryName, byte[] classFile,
                         List<RuleTarget> candidates, boolean jdkClass) {
        if (!dispatcherReachable(loader)) {
            String why = binaryName + ": the agent's dispatcher is unreachable from its class loader " + loader
                    + " (the loader does not delegate to the bootstrap class loader), so its methods are not woven";
            log.warn("rules {} skip {}", namesOf(candidates), why);
            for (RuleTarget r : candidates) {
                skipped(r.index(), why);
            }
            return null;
        }
        ExceptionTypes types = exceptionTypes;
        if (types == null) {
            synchronized (this) {
                if (exceptionTypes == null) {
                    exceptionTypes = new ExceptionTypes();
                }
                types = exceptionTypes;
            }
        }
        ClassWeaver.Result result = ClassWeaver.weave(loader, internalName, classFile, candidates, jdkClass, rules.size(), types);
        for (ClassWeaver.Warning w : result.warnings) {
            log.warn(w.line());
            skipped(w.rule(), w.line());
        }
        if (result.bytes == null) {
            return null;
        }
        if (module != null && module.isNamed() && !module.canRead(Dispatcher.class.getModule())) {
            // Woven code in a named module (java.base, an application module) must read the
            // bootstrap loader's unnamed module, where the dispatcher lives.
            instrumentation.redefineModule(module, Set.of(Dispatcher.class.getModule()), Map.of(), Map.of(), Set.of(), Map.of());
        }
        for (int i = 0; i < result.wovenByRule.length; i++) {
            List<String> methods = result.wovenByRule[i];
            if (methods != null) {
                List<String> all = wovenMethods.get(i);
                int total;
                int classes;
                synchronized (all) {
                    all.addAll(methods);
                    total = all.size();
                    classes = ++wovenClasses[i];
                }
                String name = rules.get(i).name();
                if (classes <= CLASSES_LOGGED) {
                    log.info("rule '{}' wove {} ({} method{} so far)", name, summarise(methods), total, total == 1 ? "" : "s");
                    if (classes == CLASSES_LOGGED) {
                        log.info("rule '{}' has woven {} classes; more are logged at debug level, and counted in the"
                                + " summary and the rule's MXBean", name, CLASSES_LOGGED);
                    }
                } else if (log.isDebugEnabled()) {
                    log.debug("rule '{}' wove {} ({} methods so far)", name, summarise(methods), total);
                }
            }
        }
        return result.bytes;
    }

    /**
     * Re-weaves classes that were loaded before the transformer was installed (JDK classes, or
     * everything when attached to a running JVM) and that some rule names.
     */
    public void retransformLoaded(boolean onlyJdk) {
        List<Class<?>> targets = new ArrayList<>();
        for (Class<?> c : instrumentation.getAllLoadedClasses()) {
            ClassLoader loader = c.getClassLoader();
            boolean jdkClass = loader == null || loader == platform;
            if ((onlyJdk && !jdkClass) || c.isArray() || c.isPrimitive() || c.isHidden()
                    || isOwn(c.getName().replace('.', '/')) || !instrumentation.isModifiableClass(c)) {
                continue;
            }
            for (RuleTarget rule : rules) {
                if (rule.matchesClass(c.getName(), jdkClass)) {
                    targets.add(c);
                    break;
                }
            }
        }
        for (Class<?> c : targets) {
            try {
                instrumentation.retransformClasses(c);
            } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
                log.error("cannot retransform already loaded {}: {}; it stays unwoven", c.getName(), e.toString());
            }
        }
    }

    private boolean dispatcherReachable(ClassLoader loader) {
        if (loader == null) {
            return true;
        }
        synchronized (reachable) {
            Boolean known = reachable.get(loader);
            if (known != null) {
                return known;
            }
        }
        boolean ok;
        try {
            ok = Class.forName(Dispatcher.class.getName(), false, loader) == Dispatcher.class;
        } catch (ClassNotFoundException | LinkageError e) {
            ok = false;
        }
        synchronized (reachable) {
            reachable.put(loader, ok);
        }
        return ok;
    }

    static boolean isOwn(String internalName) {
        if (!internalName.startsWith(OWN_ROOT)) {
            return false;
        }
        if (internalName.indexOf('/', OWN_ROOT.length()) < 0) {
            return true; // ChaosAgent, AgentInstaller, ... in the root package
        }
        for (String p : OWN_PACKAGES) {
            if (internalName.startsWith(p, OWN_ROOT.length())) {
                return true;
            }
        }
        return false;
    }

    private static String summarise(List<String> methods) {
        StringBuilder b = new StringBuilder();
        int shown = Math.min(methods.size(), 5);
        for (int i = 0; i < shown; i++) {
            b.append(i == 0 ? "" : ", ").append(methods.get(i));
        }
        if (methods.size() > shown) {
            b.append(" and ").append(methods.size() - shown).append(" more");
        }
        return b.toString();
    }

    private static String namesOf(List<RuleTarget> rules) {
        StringBuilder b = new StringBuilder();
        for (RuleTarget r : rules) {
            b.append(b.length() == 0 ? "'" : ", '").append(r.name()).append('\'');
        }
        return b.toString();
    }
}
