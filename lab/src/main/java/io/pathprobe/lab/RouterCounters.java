package io.pathprobe.lab;

import io.pathprobe.lab.namespace.Exec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the routers of a chain lab sent, counted on the routers themselves: an nftables counter in each router's
 * output hook for the Time Exceeded messages it sends (ICMP and ICMPv6), the answers a tracer asks of a router.
 * {@link #read()} reads every router's counter once, with the monotonic times just before and just after, so a
 * check of a rate over a window knows the widest the window can be. Added by {@link #install}, gone with the lab.
 */
public final class RouterCounters {
    private static final Pattern PACKETS = Pattern.compile("counter packets (\\d+)");
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String RULES = """
            table inet pathprobe_counted {
                chain output {
                    type filter hook output priority filter; policy accept;
                    icmp type time-exceeded counter
                    icmpv6 type time-exceeded counter
                }
            }
            """;

    /** One reading: the routers' counts (TTL 1 first) and the monotonic nanoseconds around it. */
    public record Reading(long before, long after, List<Long> timeExceeded) {}

    private final List<String> namespaces;

    private RouterCounters(List<String> namespaces) {
        this.namespaces = namespaces;
    }

    /**
     * Counts what the routers of {@code lab} (TTL 1 to hops-1, one router per TTL) send.
     *
     * @throws LabException if nftables is missing or refuses the rules
     */
    public static RouterCounters install(Lab lab) {
        List<String> ns = new ArrayList<>();
        for (int ttl = 1; ttl < lab.hops(); ttl++) {
            ns.add(lab.namespace(ttl));
        }
        for (String n : ns) {
            Exec.check("counting the Time Exceeded messages of " + n, List.of("ip", "netns", "exec", n, "nft", "-f",
                    "-"), "nft -f - (" + n + ")", RULES, null, TIMEOUT);
        }
        return new RouterCounters(List.copyOf(ns));
    }

    /** {@return every router's count now} */
    public Reading read() {
        long before = System.nanoTime();
        List<Long> counts = new ArrayList<>();
        for (String n : namespaces) {
            Exec.Result r = Exec.check("reading the counters of " + n, List.of("ip", "netns", "exec", n, "nft", "list",
                    "chain", "inet", "pathprobe_counted", "output"), "nft list chain (" + n + ")", null, null, TIMEOUT);
            long sum = 0;
            Matcher m = PACKETS.matcher(r.stdout());
            while (m.find()) {
                sum += Long.parseLong(m.group(1));
            }
            counts.add(sum);
        }
        return new Reading(before, System.nanoTime(), List.copyOf(counts));
    }

    /** What {@link #readWhile} runs. */
    public interface Action {
        /** Runs. @throws Exception as it may */
        void run() throws Exception;
    }

    /**
     * Reads every router's count every {@code every} while {@code action} runs (on a thread of its own), then once
     * after it: the readings in order, the last one after the action's end.
     *
     * @throws Exception what the action threw
     */
    public List<Reading> readWhile(Duration every, Action action) throws Exception {
        List<Reading> readings = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                readings.add(read());
                try {
                    Thread.sleep(every.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "router-counters");
        reader.start();
        try {
            action.run();
        } finally {
            done.set(true);
            reader.join();
        }
        readings.add(read());
        return List.copyOf(readings);
    }

    /**
     * The most answers any router sent beyond {@code perSecond} a second plus {@code burst}: over every pair of
     * readings at least a second apart, the count's growth against the rate times the widest window the pair can
     * span (from just before the first to just after the second). 0 when no router exceeded it.
     */
    public static long violations(List<Reading> readings, int perSecond, int burst) {
        long worst = 0;
        for (int i = 0; i < readings.size(); i++) {
            for (int j = i + 1; j < readings.size(); j++) {
                Reading a = readings.get(i);
                Reading b = readings.get(j);
                if (b.before() - a.after() < 1_000_000_000L) {
                    continue;
                }
                double allowed = perSecond * (b.after() - a.before()) / 1e9 + burst;
                for (int r = 0; r < a.timeExceeded().size(); r++) {
                    long grew = b.timeExceeded().get(r) - a.timeExceeded().get(r);
                    worst = Math.max(worst, (long) Math.ceil(grew - allowed));
                }
            }
        }
        return worst;
    }

    /** {@return each router's most answers in any window between readings at least a second apart, per second} */
    public static List<Double> peakRates(List<Reading> readings) {
        int routers = readings.isEmpty() ? 0 : readings.get(0).timeExceeded().size();
        List<Double> peaks = new ArrayList<>();
        for (int r = 0; r < routers; r++) {
            double peak = 0;
            for (int i = 0; i < readings.size(); i++) {
                for (int j = i + 1; j < readings.size(); j++) {
                    Reading a = readings.get(i);
                    Reading b = readings.get(j);
                    if (b.before() - a.after() >= 1_000_000_000L) {
                        peak = Math.max(peak, (b.timeExceeded().get(r) - a.timeExceeded().get(r))
                                / ((b.before() - a.after()) / 1e9));
                    }
                }
            }
            peaks.add(peak);
        }
        return peaks;
    }
}
