package dev.chaosagent.bootstrap;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GlobsTest {
    @ParameterizedTest(name = "{0} ~ {1}")
    @CsvSource(delimiter = '|', value = {
            "order-worker-*   | order-worker-7    | true",
            "order-worker-*   | order-worker-     | true",
            "order-worker-*   | payment-worker-1  | false",
            "*-worker-?       | order-worker-7    | true",
            "*-worker-?       | order-worker-17   | false",
            "main             | main              | true",
            "main             | main2             | false",
            "*                | anything          | true",
            "a*b*c            | axxbyyc           | true",
            "a*b*c            | axxbyy            | false",
            "http-nio-*-exec-* | http-nio-8080-exec-3 | true",
    })
    void globs(String glob, String name, boolean matches) {
        assertEquals(matches, new Globs(new String[] {glob}).matches(name));
    }
}
