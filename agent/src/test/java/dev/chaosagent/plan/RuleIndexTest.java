package dev.chaosagent.plan;

import dev.chaosagent.config.ClassFacts;
import dev.chaosagent.config.FaultKind;
import dev.chaosagent.config.TargetPattern;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The index finds exactly the rules that testing every rule against the class would find, in the same order. */
class RuleIndexTest {
    private static final String[] SEGMENTS = {"com", "acme", "orders", "Repo", "OrderRepo", "Repo$Inner", "a", "b"};
    private static final String[] GLOBS = {"*", "**", "**", "*Repo", "Order*", "Repo$*"};

    private static ClassFacts named(String name, List<String> supertypes) {
        return new ClassFacts() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<String> supertypes() {
                return supertypes;
            }

            @Override
            public List<String> annotations() {
                return Collections.emptyList();
            }

            @Override
            public List<String> methodAnnotations(String method, String descriptor) {
                return Collections.emptyList();
            }
        };
    }

    private static RulePlan rule(int slot, String target) {
        return new RulePlan(slot, slot + 1, "r" + slot, TargetPattern.parseList(target), FaultKind.EXCEPTION, null, new StatsCell(),
                null);
    }

    private static String randomName(Random random, boolean globs) {
        int n = 1 + random.nextInt(4);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append('.');
            }
            boolean glob = globs && random.nextInt(3) == 0;
            b.append(glob ? GLOBS[random.nextInt(GLOBS.length)] : SEGMENTS[random.nextInt(SEGMENTS.length)]);
        }
        return b.toString();
    }

    @Test
    void findsWhatTestingEveryRuleFinds() {
        Random random = new Random(20261203);
        for (int round = 0; round < 200; round++) {
            List<RulePlan> rules = new ArrayList<>();
            int count = 1 + random.nextInt(40);
            for (int i = 0; i < count; i++) {
                StringBuilder target = new StringBuilder();
                int patterns = 1 + random.nextInt(2);
                for (int k = 0; k < patterns; k++) {
                    String prefix = random.nextInt(10) == 0 ? "^" : "";
                    target.append(k > 0 ? ";" : "").append(prefix).append(randomName(random, true)).append("#find");
                }
                rules.add(rule(i, target.toString()));
            }
            RuleIndex index = new RuleIndex(rules);
            for (int c = 0; c < 50; c++) {
                String name = randomName(random, false);
                ClassFacts facts = named(name, List.of(name, randomName(random, false)));
                boolean jdk = random.nextInt(4) == 0;
                List<RulePlan> expected = new ArrayList<>();
                for (RulePlan r : rules) {
                    if (r.matchesClass(facts, jdk)) {
                        expected.add(r);
                    }
                }
                List<RulePlan> found = index.matching(facts, jdk);
                assertEquals(expected, found == null ? List.of() : found, () -> name + " against " + rules);
            }
        }
    }

    @Test
    void aRuleWithTwoPatternsOfOneKeyIsFoundOnce() {
        RuleIndex index = new RuleIndex(List.of(rule(0, "com.acme.*Repo#find;com.acme.Order*#save")));
        assertEquals(1, index.matching(named("com.acme.OrderRepo", List.of()), false).size());
        assertNull(index.matching(named("com.other.OrderRepo", List.of()), false));
    }

    @Test
    void aLeadingGlobIsFoundByTheSimpleName() {
        RuleIndex index = new RuleIndex(List.of(rule(0, "**.Handler#handle"), rule(1, "*.Handler#handle")));
        assertEquals(2, index.matching(named("a.Handler", List.of()), false).size());
        assertEquals(1, index.matching(named("Handler", List.of()), false).size());
        assertEquals(1, index.matching(named("a.b.Handler", List.of()), false).size());
        assertNull(index.matching(named("a.b.Handlers", List.of()), false));
    }

    @Test
    void aGlobEndingInDoubleStarMatchesTheNameOfItsPrefix() {
        RuleIndex index = new RuleIndex(List.of(rule(0, "com.acme.**#find")));
        assertEquals(1, index.matching(named("com.acme", List.of()), false).size());
        assertEquals(1, index.matching(named("com.acme.x.Y", List.of()), false).size());
        assertNull(index.matching(named("com.acmex.Y", List.of()), false));
    }
}
