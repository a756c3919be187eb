package dev.chaosagent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RuleDefinitionTest {
    @Test
    void tokensWithQuotedValues() {
        Map<String, String> keys = RuleDefinition.parse("db",
                "target=com.acme.Repo#find* fault=exception  probability=0.1 message=\"db down\" exception='java.io.IOException'");
        assertEquals(Map.of("target", "com.acme.Repo#find*", "fault", "exception", "probability", "0.1",
                "message", "db down", "exception", "java.io.IOException"), keys);
    }

    @Test
    void writtenFormParsesBackToTheSameKeys() {
        Map<String, String> keys = Map.of("target", "a.B#c", "fault", "latency", "probability", "1", "latency", "1s",
                "message", "it's slow now", "exception", "a\"b");
        assertEquals(keys, RuleDefinition.parse("r", RuleDefinition.write(new java.util.TreeMap<>(keys))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "target | rule 'db' definition 'target' must be key=value tokens, but has 'target'; nothing changes",
            "colour=red | rule 'db' definition 'colour=red' has the unknown key 'colour': rule keys are target, fault, probability, exception, message, latency, enabled, max-injections, max-concurrent, max-rate, exclude, threads, return, seed, arg.<index>; nothing changes",
            "message=\"open | rule 'db' definition 'message=\"open' has an unclosed \" after 'message='; nothing changes",
            "fault=kill fault=latency | rule 'db' definition 'fault=kill fault=latency' sets 'fault' twice; nothing changes",
            "'' | rule 'db' definition '' sets no key: it needs at least target, fault and probability; nothing changes (removeRule removes a rule)",
    })
    void badDefinitionsSayWhatIsWrong(String definition, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RuleDefinition.parse("db", definition));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void badRuleName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RuleDefinition.parse("d b", "fault=kill"));
        assertEquals("rule name 'd b' may use only letters, digits, '-' and '_'; nothing changes", e.getMessage());
    }
}
