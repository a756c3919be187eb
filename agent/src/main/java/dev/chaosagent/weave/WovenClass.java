package dev.chaosagent.weave;

import dev.chaosagent.bootstrap.Dispatcher;
import dev.chaosagent.bootstrap.Site;
import dev.chaosagent.config.ReturnValue;
import dev.chaosagent.plan.RulePlan;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What weaving one class decided, apart from the numbers that only this JVM knows: the woven class
 * file with placeholders where each woven call's site id, rule slot, generation and site key go,
 * where those placeholders sit, the sites to register, and the lines to report. {@link #bind}
 * registers the sites and writes the numbers in; it needs no ASM, so a woven class read back from
 * the {@link WeaveCache} costs a copy and a few stores instead of loading the weaver.
 */
final class WovenClass {
    /**
     * One woven call: the candidate rule (index into the weave's candidates) and what its site
     * needs. {@code exception} and {@code returnValue} may be null.
     */
    record SiteCall(int rule, String method, String descriptor, String exception, String returnValue, String description,
                    String returnDescriptor) {
    }

    /** A line a candidate rule reports about this class (a method it skips, and why). */
    record Warning(int rule, String line) {
    }

    /** The class file with placeholders, or null when no method was woven. */
    final byte[] template;
    /** Per call, four offsets into {@link #template}: site id, rule slot, generation (ints), site key (a long). */
    final int[] offsets;
    final List<SiteCall> calls;
    /** Per candidate rule, the methods it wove, described. */
    final List<List<String>> methods;
    final List<Warning> warnings;

    WovenClass(byte[] template, int[] offsets, List<SiteCall> calls, List<List<String>> methods, List<Warning> warnings) {
        this.template = template;
        this.offsets = offsets;
        this.calls = calls;
        this.methods = methods;
        this.warnings = warnings;
    }

    /**
     * Registers the sites (keeping the ids of sites this loader's copy of the class had under the
     * same rule generation) and returns the class file with their numbers in place of the
     * placeholders; null when no method was woven.
     */
    byte[] bind(List<RulePlan> candidates, ClassLoader loader, String binaryName, SiteRegistry sites) {
        if (template == null) {
            return null;
        }
        byte[] out = template.clone();
        for (int i = 0; i < calls.size(); i++) {
            SiteCall call = calls.get(i);
            RulePlan rule = candidates.get(call.rule());
            String reuseKey = binaryName + "#" + call.method() + call.descriptor() + "|" + call.exception() + "|" + call.returnValue();
            int id = sites.find(rule.generation(), loader, reuseKey);
            if (id < 0) {
                int copy = sites.nextCopy(rule.generation(), binaryName + "#" + call.method() + call.descriptor());
                // another loader's copy of the class decides on its own; the first keeps the plain key
                long key = siteKey(rule.name(), copy == 0 ? binaryName : binaryName + "@copy" + copy, call.method(),
                        call.descriptor());
                Site site = call.returnValue() == null
                        ? new Site(rule.slot(), rule.generation(), key, rule.stats(), call.exception(), call.description())
                        : new Site(rule.slot(), rule.generation(), key, rule.stats(), null, call.description(),
                                ReturnValue.kind(call.returnValue()), ReturnValue.literal(call.returnValue()), call.returnDescriptor());
                id = Dispatcher.register(site);
                sites.remember(rule.generation(), loader, reuseKey, id);
            }
            Site site = Dispatcher.site(id);
            EntryFormat.putInt(out, offsets[4 * i], id);
            EntryFormat.putInt(out, offsets[4 * i + 1], site.rule());
            EntryFormat.putInt(out, offsets[4 * i + 2], site.generation());
            EntryFormat.putLong(out, offsets[4 * i + 3], site.key());
        }
        return out;
    }

    /** 64-bit FNV-1a: a stable key for (rule, method) that does not depend on load order. */
    static long siteKey(String rule, String owner, String method, String descriptor) {
        long h = 0xcbf29ce484222325L;
        h = fnv(h, rule);
        h = fnv(h, "|");
        h = fnv(h, owner);
        h = fnv(h, "#");
        h = fnv(h, method);
        return fnv(h, descriptor);
    }

    static long fnv(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    // ---- the cache's form ----

    byte[] toBytes() {
        EntryFormat.Writer out = new EntryFormat.Writer(template == null ? 256 : template.length + 256);
        out.writeInt(template == null ? -1 : template.length);
        if (template != null) {
            out.write(template);
        }
        out.writeInt(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            SiteCall c = calls.get(i);
            for (int j = 0; j < 4; j++) {
                out.writeInt(offsets[4 * i + j]);
            }
            out.writeInt(c.rule()).writeString(c.method()).writeString(c.descriptor()).writeNullable(c.exception())
                    .writeNullable(c.returnValue()).writeString(c.description()).writeString(c.returnDescriptor());
        }
        out.writeInt(methods.size());
        for (List<String> m : methods) {
            out.writeInt(m.size());
            for (String s : m) {
                out.writeString(s);
            }
        }
        out.writeInt(warnings.size());
        for (Warning w : warnings) {
            out.writeInt(w.rule()).writeString(w.line());
        }
        return out.toByteArray();
    }

    /**
     * @param in         the woven class's bytes, and nothing after them
     * @param candidates how many candidate rules the weave had: every index read must be below it
     * @throws IOException when the bytes are not a woven class of this form
     */
    static WovenClass fromBytes(EntryFormat.Reader in, int candidates) throws IOException {
        int length = in.readInt();
        byte[] template = length >= 0 ? in.read(length) : null;
        int n = in.readInt();
        if (n < 0 || n > (template == null ? 0 : template.length)) {
            throw new IOException(n + " woven calls");
        }
        int[] offsets = new int[4 * n];
        List<SiteCall> calls = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                offsets[4 * i + j] = in.readInt();
                if (template == null || offsets[4 * i + j] < 0 || offsets[4 * i + j] + (j == 3 ? 8 : 4) > template.length) {
                    throw new IOException("a placeholder offset outside the class file");
                }
            }
            calls.add(new SiteCall(index(in.readInt(), candidates), in.readString(), in.readString(), in.readNullable(),
                    in.readNullable(), in.readString(), in.readString()));
        }
        int m = in.readInt();
        if (m != candidates) {
            throw new IOException(m + " rules' methods for " + candidates + " candidate rules");
        }
        List<List<String>> methods = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            int k = in.readInt();
            if (k < 0) {
                throw new IOException(k + " methods");
            }
            List<String> list = new ArrayList<>(Math.min(k, 64));
            for (int j = 0; j < k; j++) {
                list.add(in.readString());
            }
            methods.add(list);
        }
        int w = in.readInt();
        if (w < 0) {
            throw new IOException(w + " warnings");
        }
        List<Warning> warnings = new ArrayList<>(Math.min(w, 64));
        for (int i = 0; i < w; i++) {
            warnings.add(new Warning(index(in.readInt(), candidates), in.readString()));
        }
        if (!in.atEnd()) {
            throw new IOException("bytes after the woven class");
        }
        return new WovenClass(template, offsets, Collections.unmodifiableList(calls), methods, Collections.unmodifiableList(warnings));
    }

    private static int index(int rule, int candidates) throws IOException {
        if (rule < 0 || rule >= candidates) {
            throw new IOException("rule index " + rule + " of " + candidates);
        }
        return rule;
    }
}
