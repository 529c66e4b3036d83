package io.pathprobe.cli;

import io.pathprobe.lab.Lab;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pathprobe lab demo}: builds a real routed lab in network namespaces and traces through it. */
@Command(name = "lab", mixinStandardHelpOptions = true, description = "The network-namespace lab (Linux, root).",
        subcommands = LabCommand.Demo.class)
final class LabCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = "Build a chain of routers in network namespaces (some silent), trace through it live with "
                    + "ICMP and UDP from inside the lab, then tear it down. Nothing leaves the machine.")
    static final class Demo implements Callable<Integer> {
        @Option(names = "--hops", description = "TTL of the destination (default ${DEFAULT-VALUE}).")
        int hops = 29;

        @Option(names = "--silent", split = ",", description = "TTLs whose router drops its Time Exceeded (default 5,12,20).")
        List<Integer> silent = new ArrayList<>(List.of(5, 12, 20));

        @Option(names = "--json", description = "Print JSON results instead of live tables.")
        boolean json;

        @Option(names = "--kernel-rate-limits",
                description = "Keep the routers' default ICMP rate limit (about 6 errors at once, then 1/s per "
                        + "source): the second trace then shows '*' where the first used the budget up.")
        boolean kernelRateLimits;

        @Override
        public Integer call() throws Exception {
            int[] silentHops = silent.stream().filter(t -> t < hops).mapToInt(Integer::intValue).toArray();
            long t0 = System.nanoTime();
            Lab.Builder builder = Lab.chain(hops).silentHops(silentHops);
            if (!kernelRateLimits) {
                builder.icmpUnlimited();
            }
            try (Lab lab = builder.build()) {
                System.out.printf(Locale.ROOT, "lab: %d routers + destination %s in network namespaces (host namespace %s), "
                        + "silent hops %s, ICMP rate limits %s, built in %d ms%n", hops - 1,
                        lab.destination().getHostAddress(), lab.hostNamespace(), silent,
                        kernelRateLimits ? "the kernel's" : "off", (System.nanoTime() - t0) / 1_000_000);
                System.out.println("expected path: " + describe(lab.expectedPath()));
                int worst = run(lab, List.of("transports"));
                for (String protocol : List.of("icmp", "udp")) {
                    System.out.println();
                    List<String> args = new ArrayList<>(List.of("trace", "--protocol", protocol));
                    if (json) {
                        args.add("--json");
                    }
                    args.add(lab.destination().getHostAddress());
                    worst = Math.max(worst, run(lab, args));
                }
                System.out.println();
                System.out.println("tearing the lab down");
                return worst;
            }
        }

        /** Runs this CLI in the lab's host namespace (a child JVM), output straight to the terminal. */
        private static int run(Lab lab, List<String> cliArgs) throws Exception {
            Process p = lab.command(Lab.javaCommand(PathProbeCli.class, cliArgs.toArray(String[]::new))).inheritIO().start();
            return p.waitFor();
        }

        private static String describe(List<Optional<InetAddress>> path) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < path.size(); i++) {
                sb.append(i == 0 ? "" : " ").append(i + 1).append(':')
                        .append(path.get(i).map(InetAddress::getHostAddress).orElse("*"));
            }
            return sb.toString();
        }
    }
}
