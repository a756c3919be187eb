package dev.chaosagent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** chaos.stop.<name>: the written form, what holds, and what a bad value gets. */
class StopConditionTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "com.zaxxer.hikari:type=Pool (db)#ThreadsAwaitingConnection > 5 | com.zaxxer.hikari:type=Pool (db) | ThreadsAwaitingConnection | | 6 | 5",
            "java.lang:type=Memory#HeapMemoryUsage.used > 900000000 | java.lang:type=Memory | HeapMemoryUsage | used | 900000001 | 900000000",
            "a:name=x#y#Count>=3 | a:name=x#y | Count | | 3 | 2.5",
            "a:type=T#Free < 0.5 | a:type=T | Free | | 0.4 | 0.5",
            "a:type=T#Free<=10 | a:type=T | Free | | 10 | 10.5",
    })
    void writtenForms(String text, String objectName, String attribute, String item, double holds, double doesNot) {
        StopCondition c = StopCondition.parse(text);
        assertEquals(objectName, c.objectName().toString());
        assertEquals(attribute, c.attribute());
        assertEquals(item, c.item());
        assertTrue(c.holds(holds));
        assertFalse(c.holds(doesNot));
        assertEquals(text, c.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "java.lang:type=Memory#HeapMemoryUsage.used >> 5 | " + StopCondition.EXPECTED,
            "java.lang:type=Memory#HeapMemoryUsage.used = 5 | " + StopCondition.EXPECTED,
            "java.lang:type=Memory HeapMemoryUsage > 5 | " + StopCondition.EXPECTED,
            "java.lang:type=Memory#HeapMemoryUsage > lots | " + StopCondition.EXPECTED,
            "java.lang:type=Memory#Heap Memory > 1 | " + StopCondition.EXPECTED,
            "java.lang:type=Memory# > 1 | " + StopCondition.EXPECTED,
            "java.lang:type=*#Count > 1 | must name one MBean, not a pattern such as java.lang:type=*",
            "nodomain#Count > 1 | must start with a valid ObjectName before '#' (Key properties cannot be empty)",
    })
    void badValues(String text, String expected) {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> StopCondition.parse(text));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void aBadValueAtRunTimeKeepsTheConditionInForce() {
        Map<String, String> raw = new TreeMap<>();
        raw.put("chaos.stop.db", "a:type=Pool#Waiting > 5");
        ConfigParser.Outcome first = ConfigParser.parse(raw, null, 1);
        assertTrue(first.problems().isEmpty(), first.problems().toString());
        raw.put("chaos.stop.db", "a:type=Pool#Waiting >> 5");
        raw.put("chaos.stop.new", "a:type=Pool#Waiting ~ 5");
        ConfigParser.Outcome second = ConfigParser.parse(raw, first.config(), 1);
        assertEquals("a:type=Pool#Waiting > 5", second.config().stops().get("db").toString());
        assertNull(second.config().stops().get("new"));
        assertEquals("[chaos.stop.db=a:type=Pool#Waiting >> 5 " + StopCondition.EXPECTED + "; keeps a:type=Pool#Waiting > 5, "
                + "chaos.stop.new=a:type=Pool#Waiting ~ 5 " + StopCondition.EXPECTED + "; ignored]", second.problems().toString());
        raw.remove("chaos.stop.db");
        assertTrue(ConfigParser.parse(raw, second.config(), 1).config().stops().isEmpty(), "removed with its key");
    }

    @Test
    void aStopConditionsNameIsChecked() {
        Map<String, String> raw = new TreeMap<>();
        raw.put("chaos.stop.d b", "a:type=Pool#Waiting > 5");
        assertEquals("[chaos.stop.d b=a:type=Pool#Waiting > 5: a stop condition's name may use only letters, digits, '-' and '_';"
                + " ignored]", ConfigParser.parse(raw, null, 1).problems().toString());
    }
}
