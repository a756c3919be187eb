package dev.chaosagent.demo;

/**
 * One request as the load generator saw it.
 *
 * @param startMillis  when it was sent, in milliseconds since the experiment began
 * @param latencyMicros how long until the answer (or the error)
 * @param outcome      {@code ok}, or the kind of error: {@code database}, {@code payment},
 *                     {@code internal}, {@code http-<status>}, {@code connection}, {@code timeout}
 * @param orderId      the new order's id when the outcome is ok, else -1
 */
record Sample(long startMillis, long latencyMicros, String outcome, long orderId) {
    boolean ok() {
        return orderId >= 0;
    }
}
