package dev.chaosagent.weave;

import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The site ids already handed out, per rule generation and class loader, so that a class woven
 * again (another rule on it changed) keeps the ids of the rules that did not change: their
 * woven code, call indexes and counts go on where they were. Forgotten when a generation retires.
 * Holds loaders weakly, like everything the agent keeps about application classes.
 */
final class SiteRegistry {
    private final Map<Integer, WeakHashMap<ClassLoader, Map<String, Integer>>> byGeneration = new HashMap<>();
    private final Map<Integer, Map<String, Integer>> bootByGeneration = new HashMap<>();
    /** Per generation and method, how many copies (class loaders) got a site: the next copy's number. */
    private final Map<Integer, Map<String, Integer>> copiesByGeneration = new HashMap<>();

    /**
     * The number of this copy of a method among the loaders that wove it in this generation: 0
     * for the first, 1 for the next. Copies decide independently, and a run that loads them in the
     * same order numbers them the same way.
     */
    synchronized int nextCopy(int generation, String method) {
        Map<String, Integer> copies = copiesByGeneration.get(generation);
        if (copies == null) {
            copies = new HashMap<>();
            copiesByGeneration.put(generation, copies);
        }
        Integer n = copies.get(method);
        copies.put(method, n == null ? 1 : n + 1);
        return n == null ? 0 : n;
    }

    /** The id registered for this (generation, loader, method, exception), or -1. */
    synchronized int find(int generation, ClassLoader loader, String key) {
        Integer id = table(generation, loader, false) == null ? null : table(generation, loader, false).get(key);
        return id == null ? -1 : id;
    }

    synchronized void remember(int generation, ClassLoader loader, String key, int id) {
        table(generation, loader, true).put(key, id);
    }

    synchronized void retire(int generation) {
        byGeneration.remove(generation);
        bootByGeneration.remove(generation);
        copiesByGeneration.remove(generation);
    }

    private Map<String, Integer> table(int generation, ClassLoader loader, boolean create) {
        if (loader == null) {
            Map<String, Integer> t = bootByGeneration.get(generation);
            if (t == null && create) {
                t = new HashMap<>();
                bootByGeneration.put(generation, t);
            }
            return t;
        }
        WeakHashMap<ClassLoader, Map<String, Integer>> loaders = byGeneration.get(generation);
        if (loaders == null) {
            if (!create) {
                return null;
            }
            loaders = new WeakHashMap<>();
            byGeneration.put(generation, loaders);
        }
        Map<String, Integer> t = loaders.get(loader);
        if (t == null && create) {
            t = new HashMap<>();
            loaders.put(loader, t);
        }
        return t;
    }
}
