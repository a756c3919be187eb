package dev.chaosagent.control;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReporterFormatTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"0, 0.00%", "0.05, 5.00%", "0.0555, 5.55%", "0.001, 0.10%", "0.00004, 0.00%", "0.123456, 12.35%", "1, 100.00%"})
    void percentIsWrittenWithTwoDecimals(double p, String expected) {
        assertEquals(expected, Reporter.percent(p));
    }
}
