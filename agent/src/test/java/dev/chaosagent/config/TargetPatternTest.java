package dev.chaosagent.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TargetPatternTest {

    @ParameterizedTest(name = "{0} vs {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "com.acme.Repo#find          | com.acme.Repo           | true",
            "com.acme.Repo#find          | com.acme.RepoX          | false",
            "com.acme.Repo#find          | com.acme.sub.Repo       | false",
            "com.acme.*#find             | com.acme.Repo           | true",
            "com.acme.*#find             | com.acme.sub.Repo       | false",
            "com.*.Repo#find             | com.acme.Repo           | true",
            "com.acme.*Repo#find         | com.acme.OrderRepo      | true",
            "com.acme.*Repo#find         | com.acme.OrderService   | false",
            "com.acme.**.Repo#find       | com.acme.Repo           | true",
            "com.acme.**.Repo#find       | com.acme.a.b.Repo       | true",
            "com.acme.**.Repo#find       | com.acmex.Repo          | false",
            "com.**#find                 | com.acme.x.Y            | true",
            "com.acme.**#find            | com.acme.Y              | true",
            "com.acme.**#find            | com.acmeY               | false",
            "**.Repo#find                | Repo                    | true",
            "**.Repo#find                | a.b.Repo                | true",
            "com.acme.Outer$Inner#find   | com.acme.Outer$Inner    | true",
            "com.acme.Outer$Inner#find   | com.acme.Outer          | false",
            "com.acme.Outer$*#find       | com.acme.Outer$Inner    | true",
    })
    void classPart(String pattern, String className, boolean expected) {
        assertEquals(expected, TargetPattern.parse(pattern).matchesClass(className));
    }

    @ParameterizedTest(name = "{0} vs {1}({2}): {3}")
    @CsvSource(delimiter = '|', value = {
            "a.B#find                          | find      |                          | true",
            "a.B#find                          | findAll   |                          | false",
            "a.B#find*                         | findAll   | int                      | true",
            "a.B#*                             | anything  | int                      | true",
            "a.B#*All                          | findAll   |                          | true",
            "a.B#find()                        | find      |                          | true",
            "a.B#find()                        | find      | int                      | false",
            "a.B#find(int)                     | find      | int                      | true",
            "a.B#find(int)                     | find      | long                     | false",
            "a.B#find(java.lang.String,int)    | find      | java.lang.String;int     | true",
            "a.B#find(String,int)              | find      | java.lang.String;int     | true",
            "a.B#find(java.lang.String)        | find      | java.lang.Object         | false",
            "a.B#find(int[])                   | find      | int[]                    | true",
            "a.B#find(Entry)                   | find      | java.util.Map$Entry      | true",
    })
    void methodPart(String pattern, String method, String params, boolean expected) {
        String[] types = params == null ? new String[0] : params.split(";");
        assertEquals(expected, TargetPattern.parse(pattern).matchesMethod(method, types));
    }

    @ParameterizedTest(name = "{0}: explicit={1}")
    @CsvSource(delimiter = '|', value = {
            "java.net.Socket#connect | true",
            "java.net.Sock*#connect  | true",
            "java.*.Socket#connect   | false",
            "java.**.Socket#connect  | false",
            "*.Socket#connect        | false",
    })
    void explicitPackage(String pattern, boolean expected) {
        assertEquals(expected, TargetPattern.parse(pattern).explicitPackage());
    }

    @ParameterizedTest(name = "rejects {0}")
    @CsvSource(delimiter = '|', value = {
            "com.acme.Repo",
            "#find",
            "com.acme.Repo#",
            "com..Repo#find",
            "com.acme.Re**po#find",
            "com.acme.Repo#find(int",
            "com.acme.Repo#find(in t)",
            "com.acme.Repo#fi-nd",
            "com.acme.Repo#a#b",
            "com/acme/Repo#find",
    })
    void rejectsMalformed(String pattern) {
        assertThrows(IllegalArgumentException.class, () -> TargetPattern.parse(pattern));
    }
}
