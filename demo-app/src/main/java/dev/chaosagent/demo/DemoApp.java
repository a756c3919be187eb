package dev.chaosagent.demo;

/** Placeholder demo until the demo-app issue makes it a real service. */
public final class DemoApp {
    public static void main(String[] args) {
        System.out.println("demo-app: nothing here yet");
    }
}
