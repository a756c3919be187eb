package dev.chaosagent.bench;

/** The hello world whose start-up is timed with and without the agent. */
public final class Hello {
    private Hello() {
    }

    public static void main(String[] args) {
        System.out.println(greeting("world"));
    }

    static String greeting(String who) {
        return "hello, " + who;
    }
}
