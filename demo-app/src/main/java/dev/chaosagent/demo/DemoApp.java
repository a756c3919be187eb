package dev.chaosagent.demo;

import java.util.Arrays;

/**
 * {@code java -jar demo-app.jar experiment [options]}: run the chaos experiment (see
 * {@link Experiment}); {@code serve [--port=N]}: run the order service until stopped.
 */
public final class DemoApp {
    private DemoApp() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "experiment" : args[0];
        switch (command) {
            case "experiment":
                Experiment.Options options;
                try {
                    options = Experiment.Options.parse(args, 1);
                } catch (IllegalArgumentException e) {
                    System.err.println("demo-app: " + e.getMessage());
                    System.exit(2);
                    return;
                }
                System.exit(new Experiment(options, System.out).run());
                break;
            case "serve":
                int port = args.length > 1 && args[1].startsWith("--port=") ? Integer.parseInt(args[1].substring(7)) : 8080;
                OrderSystem system = new OrderSystem("orders", port);
                System.out.println("order service on http://127.0.0.1:" + system.api().port()
                        + " (POST /orders, GET /orders/{id}, GET /health); payments on port " + system.payments().port());
                Thread.currentThread().join();
                break;
            default:
                System.err.println("demo-app: unknown command " + Arrays.toString(args)
                        + "; use: experiment [--quick] [--phase=<seconds>] [--clients=<n>] [--port=<n>] [--timeout-ms=<n>]"
                        + " [--report=<file>] | serve [--port=<n>]");
                System.exit(2);
        }
    }
}
