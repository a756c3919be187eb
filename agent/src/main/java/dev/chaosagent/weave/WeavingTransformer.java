package dev.chaosagent.weave;

import dev.chaosagent.bootstrap.Dispatcher;
import dev.chaosagent.plan.DispatcherGate;
import dev.chaosagent.plan.Plan;
import dev.chaosagent.plan.RuleIndex;
import dev.chaosagent.plan.RulePlan;
import dev.chaosagent.plan.WeaveListener;
import dev.chaosagent.plan.Weaving;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides per loading class, by name alone, whether any rule could apply; only then does it hand
 * the class to {@link ClassWeaver}, which is the first code to touch ASM. So an application whose
 * rules have matched nothing yet pays a few lookups in the rules' {@link RuleIndex} per class, however
 * many rules there are, and nothing more.
 *
 * <p>Rules change while the JVM runs: {@link #apply(Plan)} installs the next rules and
 * retransforms the loaded classes that a changed rule names. A retransformation hands this
 * transformer the class file as it was first loaded, so a class no rule names any more gets
 * exactly its original bytes back (this transformer returns null for it).
 *
 * <p>Never throws: a class that cannot be woven is reported and defined unchanged.
 */
public final class WeavingTransformer implements ClassFileTransformer, Weaving {
    /** The dispatcher's package, by name: its classes are defined only when the first class is woven. */
    private static final String BOOTSTRAP_PACKAGE = "dev/chaosagent/bootstrap/";

    private final Instrumentation instrumentation;
    private final DispatcherGate gate;
    private final WeaveListener[] listeners;
    private final ClassLoader platform = ClassLoader.getPlatformClassLoader();
    /**
     * The agent's own classes all come from the agent jar, so they share this protection domain
     * (a class loader makes one per code source): a test that cannot drift as packages are
     * added. The dispatcher classes in the boot loader have none, and are recognised by package.
     */
    private final ProtectionDomain ownDomain = WeavingTransformer.class.getProtectionDomain();
    /** The entry point's classes come from the same jar through the system class loader: their domain. */
    private final ProtectionDomain entryDomain;
    private final Map<ClassLoader, Boolean> reachable = new WeakHashMap<>();
    /** Made at the first class woven (premain of a JVM whose rules match nothing never loads it); read through {@link #sites()}. */
    private volatile SiteRegistry sites;
    private volatile RuleIndex rules = RuleIndex.EMPTY;
    private volatile ExceptionTypes exceptionTypes;
    /** Supertypes from class-file headers, for {@code ^} patterns: made when one first asks. */
    private volatile HeaderSupertypes headerSupertypes;
    /** Byte Buddy's type pools, created when a rule first needs a class's supertypes or annotations. */
    private volatile TypeDescriptions typeDescriptions;
    /** The thread inside {@link #retransform}, whose transformations are timed; null when none. */
    private volatile Thread retransforming;
    /** Time this transformer spent on {@link #retransforming}'s classes; written by that thread only. */
    private long retransformWeavingNanos;
    /** Classes offered as they loaded (not retransformed): the control thread's measure of a start-up still busy. */
    private final AtomicLong classesLoaded = new AtomicLong();
    /** Rule generations that reported a supertype they could not resolve: once per rule. */
    private final Set<Integer> reportedUnresolved = new HashSet<>(); // guarded by itself

    /** Where woven classes are kept between JVMs (see {@link WeaveCache#directory}); opened at the first weave. */
    private final String cacheSetting;
    private final String build;
    private final String cacheSettingKey;
    private volatile boolean cacheOpened;
    private WeaveCache cache; // written once under this, before cacheOpened

    /**
     * @param entryDomain    the protection domain of the agent's entry point, which the system class
     *                       loader loads (the rest of the agent has {@link #ownDomain})
     * @param cacheSetting   the weave cache setting ({@code off}, a directory, or empty for the default place)
     * @param cacheKey       the setting's key, for the lines that name it
     * @param build          the agent build's identity, or null for a development build (no cache)
     * @param listeners      told in this order (the record before the reporter, which reads it)
     */
    public WeavingTransformer(Instrumentation instrumentation, ProtectionDomain entryDomain, DispatcherGate gate, String cacheSetting,
                              String cacheKey, String build, WeaveListener... listeners) {
        this.instrumentation = instrumentation;
        this.gate = gate;
        this.entryDomain = entryDomain;
        this.cacheSetting = cacheSetting;
        this.cacheSettingKey = cacheKey;
        this.build = build;
        this.listeners = listeners.clone();
    }

    /** The weave cache, opened (and its directory checked) at the first class that needs it; null when there is none. */
    private WeaveCache cache() {
        if (!cacheOpened) {
            synchronized (this) {
                if (!cacheOpened) {
                    cache = WeaveCache.open(WeaveCache.directory(cacheSetting), build, cacheSettingKey, notes());
                    cacheOpened = true;
                }
            }
        }
        return cache;
    }

    private WeaveCache.Notes notes() {
        return new WeaveCache.Notes() {
            @Override
            public void note(String line, boolean warning) {
                for (WeaveListener l : listeners) {
                    l.weaveCache(line, warning);
                }
            }
        };
    }

    /** Drops the weave cache's entries that no JVM of this build reads (see {@link WeaveCache#prune}). */
    @Override
    public void tidy() {
        WeaveCache.prune(WeaveCache.directory(cacheSetting), build, notes(), System.currentTimeMillis());
    }

    /** The rules to weave from now on, without touching classes already loaded (start-up). */
    public void startWith(Plan plan) {
        rules = new RuleIndex(plan.rules());
    }

    private void woven(String classKey, List<RulePlan> rules, List<List<String>> methods) {
        for (WeaveListener l : listeners) {
            l.classWoven(classKey, rules, methods);
        }
    }

    private void skipped(RulePlan rule, String line) {
        for (WeaveListener l : listeners) {
            l.skipped(rule, line);
        }
    }

    /** What went wrong, with why a class could not be loaded (a damaged library pack in the agent jar says so). */
    private static String reason(Throwable t) {
        Throwable cause = t.getCause();
        return t instanceof LinkageError && cause != null && cause.getMessage() != null ? t + " (" + cause.getMessage() + ")"
                : t.toString();
    }

    private void failed(String className, String reason) {
        for (WeaveListener l : listeners) {
            l.failed(className, reason);
        }
    }

    @Override
    public long classesLoaded() {
        return classesLoaded.get();
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String internalName, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classFile) {
        if (classBeingRedefined == null) {
            classesLoaded.incrementAndGet();
        }
        if (classBeingRedefined == null || Thread.currentThread() != retransforming) {
            return transformClass(module, loader, internalName, classBeingRedefined, protectionDomain, classFile);
        }
        long start = System.nanoTime();
        try {
            return transformClass(module, loader, internalName, classBeingRedefined, protectionDomain, classFile);
        } finally {
            retransformWeavingNanos += System.nanoTime() - start;
        }
    }

    private byte[] transformClass(Module module, ClassLoader loader, String internalName, Class<?> classBeingRedefined,
                                  ProtectionDomain protectionDomain, byte[] classFile) {
        if (internalName == null || classFile == null || isOwn(loader, internalName, protectionDomain)) {
            return null; // hidden classes arrive without a name; our own classes are never woven
        }
        try {
            boolean jdkClass = loader == null || loader == platform;
            String binaryName = internalName.replace('/', '.');
            RuleIndex current = rules;
            TypeFacts facts = new TypeFacts(this, loader, binaryName, classFile, classBeingRedefined);
            List<RulePlan> candidates = current.matching(facts, jdkClass);
            reportUnresolved(facts, current.rules());
            if (candidates == null) {
                if (classBeingRedefined != null) {
                    // retransformed because a rule that named it changed: it gets its original bytes back
                    woven(classKey(loader, binaryName), Collections.<RulePlan>emptyList(),
                            Collections.<List<String>>emptyList());
                }
                return null;
            }
            gate.ensure(); // the woven code calls the dispatcher: it must be there, with the plan in force
            boolean exempt = Dispatcher.exemptCurrentThread(true);
            try {
                return weave(module, loader, binaryName, internalName, classFile, candidates, jdkClass, facts);
            } finally {
                Dispatcher.exemptCurrentThread(exempt);
            }
        } catch (Throwable t) {
            failed(internalName.replace('/', '.'), reason(t));
            return null;
        }
    }

    HeaderSupertypes headerSupertypes() {
        HeaderSupertypes h = headerSupertypes;
        if (h == null) {
            synchronized (this) {
                h = headerSupertypes;
                if (h == null) {
                    h = new HeaderSupertypes();
                    headerSupertypes = h;
                }
            }
        }
        return h;
    }

    /** Called once per class woven, which is rare: a plain lock (the registry takes its own next). */
    private synchronized SiteRegistry sites() {
        if (sites == null) {
            sites = new SiteRegistry();
        }
        return sites;
    }

    /** Byte Buddy's type pools: the first call loads Byte Buddy's type descriptions, and only a {@code ^} or {@code @} rule makes it. */
    TypeDescriptions typeDescriptions() {
        TypeDescriptions d = typeDescriptions;
        if (d == null) {
            synchronized (this) {
                if (typeDescriptions == null) {
                    typeDescriptions = new TypeDescriptions();
                }
                d = typeDescriptions;
            }
        }
        return d;
    }

    /** A supertype that the class's loader cannot serve is said once per rule, never thrown into the application. */
    private void reportUnresolved(TypeFacts facts, List<RulePlan> current) {
        List<String> unresolved = facts.unresolved();
        if (unresolved.isEmpty()) {
            return;
        }
        for (RulePlan rule : current) {
            boolean first;
            synchronized (reportedUnresolved) {
                first = rule.needsTypeFacts() && reportedUnresolved.add(rule.generation());
            }
            if (first) {
                skipped(rule, "rule '" + rule.name() + "' cannot see every supertype of " + facts.name() + " from its class loader ("
                        + String.join("; ", unresolved) + "); it matches by the ones it can see, here and in any other class");
            }
        }
    }

    private byte[] weave(Module module, ClassLoader loader, String binaryName, String internalName, byte[] classFile,
                         List<RulePlan> candidates, boolean jdkClass, TypeFacts facts) {
        String key = classKey(loader, binaryName);
        if (!dispatcherReachable(loader)) {
            String why = binaryName + ": the agent's dispatcher is unreachable from its class loader " + loader
                    + " (the loader does not delegate to the bootstrap class loader), so its methods are not woven";
            for (RulePlan r : candidates) {
                skipped(r, "rule '" + r.name() + "' skips " + why);
            }
            return null;
        }
        WeaveCache cache = cache();
        String cacheKey = cache == null ? null : cache.key(binaryName, jdkClass, candidates);
        java.io.File entry = cache == null ? null : cache.entry(cacheKey, classFile);
        WovenClass woven = cache == null ? null : cache.find(entry, cacheKey, binaryName, classFile, candidates.size());
        if (woven == null) {
            woven = weaveAfresh(loader, binaryName, internalName, classFile, candidates, jdkClass, facts, cache, entry, cacheKey);
        }
        if (woven == null) {
            woven(key, candidates, emptyLists(candidates.size()));
            return null;
        }
        for (WovenClass.Warning w : woven.warnings) {
            skipped(candidates.get(w.rule()), w.line());
        }
        byte[] bytes = woven.bind(candidates, loader, binaryName, sites());
        if (bytes != null && module != null && module.isNamed() && !module.canRead(Dispatcher.class.getModule())) {
            // Woven code in a named module (java.base, an application module) must read the
            // bootstrap loader's unnamed module, where the dispatcher lives.
            instrumentation.redefineModule(module, Set.of(Dispatcher.class.getModule()), Map.of(), Map.of(), Set.of(), Map.of());
        }
        woven(key, candidates, woven.methods);
        return bytes;
    }

    /** Weaves with ASM (the first code to load it), and keeps the outcome in the cache when it may. Null: a failure, said. */
    private WovenClass weaveAfresh(ClassLoader loader, String binaryName, String internalName, byte[] classFile,
                                   List<RulePlan> candidates, boolean jdkClass, TypeFacts facts, WeaveCache cache,
                                   java.io.File entry, String cacheKey) {
        ExceptionTypes types = exceptionTypes;
        if (types == null) {
            synchronized (this) {
                if (exceptionTypes == null) {
                    exceptionTypes = new ExceptionTypes();
                }
                types = exceptionTypes;
            }
        }
        ClassWeaver.Result result = ClassWeaver.weave(loader, internalName, classFile, candidates, jdkClass, types, facts);
        if (result.failure != null) {
            for (WovenClass.Warning w : result.warnings) {
                skipped(candidates.get(w.rule()), w.line());
            }
            failed(binaryName, result.failure);
            return null;
        }
        if (cache != null && result.cacheable) {
            cache.store(entry, cacheKey, binaryName, classFile, result.woven);
        }
        return result.woven;
    }

    private static List<List<String>> emptyLists(int n) {
        List<List<String>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Collections.<String>emptyList());
        }
        return out;
    }

    @Override
    public Retransformation apply(Plan plan) {
        long start = System.nanoTime();
        rules = new RuleIndex(plan.rules());
        if (!plan.changesWeaving()) {
            return new Retransformation(0, 0, 0, 0, Collections.<String>emptyList());
        }
        SiteRegistry registry = sites;
        if (registry != null) { // none: nothing was ever woven, so no generation has sites
            for (RulePlan r : plan.retired()) {
                registry.retire(r.generation());
            }
        }
        List<RulePlan> changed = new ArrayList<>(plan.retired());
        changed.addAll(plan.added());
        List<Class<?>> targets = loadedClassesNamedBy(new RuleIndex(changed));
        return retransform(targets, start);
    }

    /**
     * Re-weaves every loaded class some rule names: when the agent was attached to a running JVM,
     * or at start-up when a rule names JDK classes ({@code onlyJdk}), which are loaded before it.
     */
    public Retransformation retransformLoaded(boolean onlyJdk) {
        long start = System.nanoTime();
        List<Class<?>> targets = new ArrayList<>();
        for (Class<?> c : loadedClassesNamedBy(rules)) {
            ClassLoader loader = c.getClassLoader();
            if (!onlyJdk || loader == null || loader == platform) {
                targets.add(c);
            }
        }
        return retransform(targets, start);
    }

    private List<Class<?>> loadedClassesNamedBy(RuleIndex named) {
        List<Class<?>> targets = new ArrayList<>();
        if (named.rules().isEmpty()) {
            return targets;
        }
        for (Class<?> c : instrumentation.getAllLoadedClasses()) {
            if (c.isArray() || c.isPrimitive() || c.isHidden()) {
                continue;
            }
            ClassLoader loader = c.getClassLoader();
            boolean jdkClass = loader == null || loader == platform;
            String name = c.getName();
            TypeFacts facts = new TypeFacts(this, loader, name, null, c);
            if (named.matching(facts, jdkClass) != null && !isOwn(loader, name.replace('.', '/'), c.getProtectionDomain())
                    && instrumentation.isModifiableClass(c)) {
                targets.add(c);
            }
        }
        return targets;
    }

    /**
     * Retransforms in one call (one safepoint); on failure, class by class, to name the ones that
     * fail. Times the JVM's call and this transformer's share of it.
     *
     * @param start when the change began, for the whole of its time
     */
    private Retransformation retransform(List<Class<?>> targets, long start) {
        List<String> failures = new ArrayList<>();
        if (targets.isEmpty()) {
            return new Retransformation(0, System.nanoTime() - start, 0, 0, failures);
        }
        long jvmStart = System.nanoTime();
        retransformWeavingNanos = 0;
        retransforming = Thread.currentThread();
        try {
            instrumentation.retransformClasses(targets.toArray(new Class<?>[0]));
        } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
            for (Class<?> c : targets) { // find out which
                try {
                    instrumentation.retransformClasses(c);
                } catch (UnmodifiableClassException | RuntimeException | LinkageError again) {
                    failures.add("cannot retransform " + c.getName() + ": " + again + "; it keeps the code it had");
                }
            }
        } finally {
            retransforming = null;
        }
        long end = System.nanoTime();
        return new Retransformation(targets.size(), end - start, end - jvmStart, retransformWeavingNanos, failures);
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

    private boolean isOwn(ClassLoader loader, String internalName, ProtectionDomain domain) {
        if (domain != null) {
            return domain == ownDomain || domain == entryDomain;
        }
        return loader == null && internalName.startsWith(BOOTSTRAP_PACKAGE);
    }

    /** A class's name and its loader's identity, for the weave record (which must not hold loaders). */
    static String classKey(ClassLoader loader, String binaryName) {
        return loader == null ? binaryName : binaryName + "@" + Integer.toHexString(System.identityHashCode(loader));
    }
}
