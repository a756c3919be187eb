package dev.chaosagent.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Which methods each rule has woven, and what it skipped, fed by {@link WeaveListener} events.
 * Kept per class, so that a retransformation replaces what that class carried, and per rule
 * slot, so that a removed rule's entries go with it. Read by the reporter and the MXBeans.
 */
public final class WeaveRecord implements WeaveListener {
    private static final int SKIPPED_KEPT = 1000; // a bounded record; the log has every line

    /** class key -> rule slot -> methods. */
    private final Map<String, Map<Integer, List<String>>> byClass = new HashMap<>();
    /** rule slot -> what its current weaving skipped. */
    private final Map<Integer, Skipped> skipped = new HashMap<>();

    /** The skip lines of one generation of a rule: a new weaving of the rule starts a new list. */
    private static final class Skipped {
        final int generation;
        final List<String> lines = new ArrayList<>();

        Skipped(int generation) {
            this.generation = generation;
        }
    }

    @Override
    public synchronized void classWoven(String classKey, List<RulePlan> rules, List<List<String>> methods) {
        if (rules.isEmpty()) {
            byClass.remove(classKey);
            return;
        }
        Map<Integer, List<String>> bySlot = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            bySlot.put(rules.get(i).slot(), new ArrayList<>(methods.get(i)));
        }
        byClass.put(classKey, bySlot);
    }

    @Override
    public synchronized void skipped(RulePlan rule, String line) {
        Skipped entry = skipped.get(rule.slot());
        if (entry == null || entry.generation != rule.generation()) {
            entry = new Skipped(rule.generation());
            skipped.put(rule.slot(), entry);
        }
        String text = "skipped: " + line;
        if (entry.lines.size() < SKIPPED_KEPT && !entry.lines.contains(text)) {
            entry.lines.add(text);
        }
    }

    @Override
    public void failed(String className, String reason) {
        // nothing to keep: the reporter logs it
    }

    /** Forgets a removed rule. */
    public synchronized void forget(int slot) {
        skipped.remove(slot);
        for (Iterator<Map<Integer, List<String>>> it = byClass.values().iterator(); it.hasNext(); ) {
            Map<Integer, List<String>> bySlot = it.next();
            bySlot.remove(slot);
            if (bySlot.isEmpty()) {
                it.remove();
            }
        }
    }

    /** The methods the rule in {@code slot} carries now, as {@code Class#method(params)}, sorted. */
    public synchronized List<String> wovenMethods(int slot) {
        List<String> out = new ArrayList<>();
        for (Map<Integer, List<String>> bySlot : byClass.values()) {
            List<String> methods = bySlot.get(slot);
            if (methods != null) {
                out.addAll(methods);
            }
        }
        java.util.Collections.sort(out);
        return out;
    }

    public synchronized int wovenCount(int slot) {
        int n = 0;
        for (Map<Integer, List<String>> bySlot : byClass.values()) {
            List<String> methods = bySlot.get(slot);
            n += methods == null ? 0 : methods.size();
        }
        return n;
    }

    /** What the rule's current weaving skipped, each line saying why. */
    public synchronized List<String> skippedMethods(int slot, int generation) {
        Skipped entry = skipped.get(slot);
        return entry == null || entry.generation != generation ? new ArrayList<String>() : new ArrayList<>(entry.lines);
    }
}
