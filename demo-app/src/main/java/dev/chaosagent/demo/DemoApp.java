package dev.chaosagent.demo;

import java.util.Arrays;

/**
 * {@code java -jar demo-app.jar experiment [options]}: run the chaos experiment (see
 * {@link Experiment}); {@code serve [--port=N] [--host=H]}: run the order service until stopped.
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
                int port = 8080;
                String host = "127.0.0.1";
                for (int i = 1; i < args.length; i++) {
                    if (args[i].startsWith("--port=")) {
                        port = Integer.parseInt(args[i].substring(7));
                    } else if (args[i].startsWith("--host=")) {
                        host = args[i].substring(7);
                    } else {
                        System.err.println("demo-app: unknown option " + args[i] + "; use: serve [--port=<n>] [--host=<address>]");
                        System.exit(2);
                    }
                }
                OrderSystem system = new OrderSystem("orders", host, port, OrderSystem.STOCK_PER_SKU);
                System.out.println("order service on http://" + host + ":" + system.api().port()
                        + " (POST /orders, GET /orders/{id}, GET /health); payments on port " + system.payments().port());
                Thread.currentThread().join();
                break;
            default:
                System.err.println("demo-app: unknown command " + Arrays.toString(args)
                        + "; use: experiment [--quick] [--phase=<seconds>] [--clients=<n>] [--port=<n>] [--timeout-ms=<n>]"
                        + " [--report=<file>] | serve [--port=<n>] [--host=<address>]");
                System.exit(2);
        }
    }
}
