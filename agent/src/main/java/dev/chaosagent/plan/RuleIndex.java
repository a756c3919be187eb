package dev.chaosagent.plan;

import dev.chaosagent.config.ClassFacts;
import dev.chaosagent.config.TargetPattern;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules indexed by what their target patterns need a class's name to be, so that a loading
 * class is tested only against the rules that could name it: its cost does not grow with the
 * number of rules. A pattern that names one class is found by that name; a glob by its leading
 * segments without globs ({@code com.acme} for {@code com.acme.*Repo#find}), looked up for each
 * prefix of the class's name that ends before a dot, and for the whole name; a glob that starts
 * with one ({@code **.Repo}) by its last segment, looked up for the class's simple name; the rest
 * ({@code **.*Repo}, {@code ^}, {@code @}) are tried for every class. Every rule found
 * is then matched in full, so the index only ever leaves out rules that cannot match.
 */
public final class RuleIndex {
    public static final RuleIndex EMPTY = new RuleIndex(Collections.<RulePlan>emptyList());
    private static final int[] NONE = new int[0];

    private final List<RulePlan> rules;
    /** Positions in {@link #rules}, ascending, by a pattern's whole class name. */
    private final Map<String, int[]> byName = new HashMap<>();
    /** Positions by a glob's leading segments without globs ({@code com.acme}). */
    private final Map<String, int[]> byPrefix = new HashMap<>();
    /** Positions by a leading-glob pattern's last segment ({@code Repo} for {@code **.Repo}). */
    private final Map<String, int[]> bySimpleName = new HashMap<>();
    /** Positions of rules with a pattern that every class name must be tried against. */
    private final int[] everywhere;
    /** The most segments in a key of {@link #byPrefix}: no longer prefix of a name is looked up. */
    private final int deepestPrefix;

    public RuleIndex(List<RulePlan> rules) {
        this.rules = rules;
        List<Integer> always = new ArrayList<>();
        int deepest = 0;
        for (int i = 0; i < rules.size(); i++) {
            boolean tried = false;
            for (TargetPattern p : rules.get(i).patterns()) {
                String key = p.nameKey();
                String simple = p.simpleNameKey();
                if (key == null || (key.isEmpty() && simple == null)) {
                    tried = true;
                } else if (key.isEmpty()) {
                    add(bySimpleName, simple, i);
                } else if (p.namesOneClass()) {
                    add(byName, key, i);
                } else {
                    add(byPrefix, key, i);
                    deepest = Math.max(deepest, dots(key) + 1);
                }
            }
            if (tried) {
                always.add(i);
            }
        }
        everywhere = new int[always.size()];
        for (int i = 0; i < everywhere.length; i++) {
            everywhere[i] = always.get(i);
        }
        deepestPrefix = deepest;
    }

    private static void add(Map<String, int[]> map, String key, int position) {
        int[] old = map.get(key);
        if (old == null) {
            map.put(key, new int[] {position});
        } else if (old[old.length - 1] != position) { // a rule with two patterns of one key is listed once
            int[] grown = java.util.Arrays.copyOf(old, old.length + 1);
            grown[old.length] = position;
            map.put(key, grown);
        }
    }

    private static int dots(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '.') {
                n++;
            }
        }
        return n;
    }

    public List<RulePlan> rules() {
        return rules;
    }

    /**
     * The rules that name this class, in rule order, or null for none. Classes of the JDK (boot
     * and platform loaders) are only matched by patterns that write their package out in full.
     */
    public List<RulePlan> matching(ClassFacts facts, boolean jdkClass) {
        if (rules.isEmpty()) {
            return null;
        }
        String name = facts.name();
        long[] seen = new long[(rules.size() + 63) >>> 6];
        mark(seen, everywhere);
        mark(seen, byName.getOrDefault(name, NONE));
        if (!bySimpleName.isEmpty()) {
            mark(seen, bySimpleName.getOrDefault(name.substring(name.lastIndexOf('.') + 1), NONE));
        }
        if (!byPrefix.isEmpty()) {
            int segments = 0;
            int at = name.indexOf('.');
            while (segments < deepestPrefix) {
                segments++;
                int[] found = byPrefix.get(at < 0 ? name : name.substring(0, at));
                if (found != null) {
                    mark(seen, found);
                }
                if (at < 0) {
                    break;
                }
                at = name.indexOf('.', at + 1);
            }
        }
        List<RulePlan> out = null;
        for (int word = 0; word < seen.length; word++) {
            for (long bits = seen[word]; bits != 0; bits &= bits - 1) {
                RulePlan rule = rules.get((word << 6) + Long.numberOfTrailingZeros(bits));
                if (rule.matchesClass(facts, jdkClass)) {
                    if (out == null) {
                        out = new ArrayList<>(2);
                    }
                    out.add(rule);
                }
            }
        }
        return out;
    }

    private static void mark(long[] seen, int[] positions) {
        for (int p : positions) {
            seen[p >>> 6] |= 1L << p;
        }
    }
}
