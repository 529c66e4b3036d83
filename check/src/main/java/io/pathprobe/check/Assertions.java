package io.pathprobe.check;

import io.pathprobe.MeasurementType;
import io.pathprobe.check.Verdict.State;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.ping.PingResult;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.trace.FirstChange;
import io.pathprobe.trace.TraceResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks a measurement's result against assertions: a {@link Verdict} per assertion, in their order. Loss is the loss
 * the result claims (a rate-limited router is not loss); a destination that never answered holds no bound on its loss,
 * RTT or hops.
 */
public final class Assertions {
    private Assertions() {}

    /**
     * {@return a verdict per assertion, in their order, on a trace}
     *
     * @param trace the trace's result
     * @param assertions the assertions
     */
    public static List<Verdict> check(TraceResult trace, List<? extends Assertion> assertions) {
        return check(Observed.of(trace), assertions);
    }

    /**
     * {@return a verdict per assertion, in their order, on a monitor (its whole run)}
     *
     * @param monitor the monitor's result
     * @param assertions the assertions
     */
    public static List<Verdict> check(MonitorResult monitor, List<? extends Assertion> assertions) {
        return check(Observed.of(monitor), assertions);
    }

    /**
     * {@return a verdict per assertion, in their order, on a ping's first target} A ping has no hops: the assertions
     * on them are not applicable.
     *
     * @param ping the ping's result
     * @param assertions the assertions
     * @throws IllegalArgumentException if the ping has no target
     */
    public static List<Verdict> check(PingResult ping, List<? extends Assertion> assertions) {
        if (ping.targets().isEmpty()) {
            throw new IllegalArgumentException("a ping of no target");
        }
        return check(Observed.of(ping.targets().get(0)), assertions);
    }

    /**
     * {@return the trace's path ids, one per flow, as {@code --path-id} and the agent's {@code pathprobe_path_id}
     * read them: a Paris trace's flows each (the responder at a TTL the address that answered most of the flow's
     * probes there), a classic trace one of its hops' most frequent responders}
     *
     * @param trace the trace's result
     */
    public static List<Long> pathIds(TraceResult trace) {
        return Observed.tracePathIds(trace);
    }

    /**
     * {@return why an assertion cannot be checked on a measurement of this kind, empty when it can
     * ({@link Assertion#reads()}): {@code "--max-hops 3 reads a trace or a monitor, not a ping"}} {@code pathprobe
     * check} exits 2 for it and the agent refuses the job; {@link #check} itself calls such an assertion not
     * applicable.
     *
     * @param assertion the assertion
     * @param kind the measurement it would be checked on
     */
    public static Optional<String> refusal(Assertion assertion, MeasurementType<?, ?> kind) {
        Set<MeasurementType<?, ?>> reads = assertion.reads();
        if (reads.contains(kind)) {
            return Optional.empty();
        }
        return Optional.of(assertion + " reads a " + Stream.of(MeasurementType.TRACE, MeasurementType.MONITOR,
                MeasurementType.PING).filter(reads::contains).map(MeasurementType::name)
                .collect(Collectors.joining(" or a ")) + ", not a " + kind.name());
    }

    /** {@return whether every verdict is {@link State#HELD}: what {@code pathprobe check} exits 0 for} */
    public static boolean allHeld(List<Verdict> verdicts) {
        return verdicts.stream().allMatch(v -> v.state() == State.HELD);
    }

    private static List<Verdict> check(Observed o, List<? extends Assertion> assertions) {
        List<Verdict> verdicts = new ArrayList<>(assertions.size());
        for (Assertion a : assertions) {
            verdicts.add(verdict(o, a));
        }
        return verdicts;
    }

    private static Verdict verdict(Observed o, Assertion a) {
        if (a instanceof Assertion.MaxLoss l) {
            return maxLoss(o, l);
        } else if (a instanceof Assertion.MaxRtt r) {
            return maxRtt(o, r);
        } else if (a instanceof Assertion.MaxHops h) {
            return maxHops(o, h);
        } else if (a instanceof Assertion.MustReach) {
            return o.destination().received() > 0
                    ? new Verdict(a, State.HELD, "the destination " + o.destinationAddress() + " answered"
                            + o.destinationTtl().stream().mapToObj(t -> " at hop " + t).findFirst().orElse(""))
                    : silent(o, a);
        } else if (a instanceof Assertion.MustTraverse t) {
            return traverse(o, a, t.waypoint(), true);
        } else if (a instanceof Assertion.MustNotTraverse t) {
            return traverse(o, a, t.waypoint(), false);
        } else if (a instanceof Assertion.NoHeaderChange c) {
            return headerChange(o, c);
        } else if (a instanceof Assertion.PathId p) {
            return pathId(o, p);
        } else {
            return maxJitter(o, (Assertion.MaxJitter) a);
        }
    }

    /** The destination never answered: every bound on it fails (a dead target is never "no loss"). */
    private static Verdict silent(Observed o, Assertion a) {
        return new Verdict(a, State.FAILED, "the destination " + o.destinationAddress() + " never answered ("
                + o.kind() + ")");
    }

    private static Verdict notApplicable(Observed o, Assertion a, String what) {
        return new Verdict(a, State.NOT_APPLICABLE, "a " + o.kind() + " " + what);
    }

    private static Verdict maxLoss(Observed o, Assertion.MaxLoss a) {
        String where;
        Observed.Loss loss;
        if (a.hop().isPresent()) {
            int ttl = a.hop().getAsInt();
            loss = o.hopLoss().get(ttl);
            if (o.kind().equals("ping")) {
                return notApplicable(o, a, "has no hops");
            }
            if (loss == null) {
                return new Verdict(a, State.NOT_APPLICABLE, "hop " + ttl + " was not probed");
            }
            where = "at hop " + ttl + " (loss on the way out)";
        } else {
            loss = o.destination();
            if (loss.received() == 0) {
                return silent(o, a);
            }
            where = "at the destination " + o.destinationAddress()
                    + o.destinationTtl().stream().mapToObj(t -> " (hop " + t + ")").findFirst().orElse("");
        }
        if (loss.decided() == 0) {
            return new Verdict(a, State.NOT_APPLICABLE, "no probe decided " + where + ": every miss may be a "
                    + "rate limit's refusal");
        }
        String evidence = Words.percent(loss.percent()) + " loss " + where + ": " + loss.lost() + " of "
                + loss.decided() + " probes lost";
        return loss.percent() <= a.percent() + 1e-9
                ? new Verdict(a, State.HELD, evidence + ", at most " + Words.percent(a.percent()))
                : new Verdict(a, State.FAILED, evidence + ", above " + Words.percent(a.percent()));
    }

    private static Verdict maxRtt(Observed o, Assertion.MaxRtt a) {
        if (o.destination().received() == 0 || o.rtt().isEmpty()) {
            return silent(o, a);
        }
        RttStatistics r = o.rtt().get();
        Optional<Duration> value = switch (a.measure()) {
            case AVG -> Optional.of(r.avg());
            case MAX -> Optional.of(r.max());
            case P50 -> r.percentiles().map(p -> p.p50());
        };
        String name = a.measure().name().toLowerCase(java.util.Locale.ROOT);
        if (value.isEmpty()) {
            return notApplicable(o, a, "keeps no " + name + " RTT");
        }
        return bound(a, value.get(), a.bound(), name + " RTT " + Words.duration(value.get()) + " at the destination "
                + o.destinationAddress());
    }

    private static Verdict bound(Assertion a, Duration value, Duration bound, String evidence) {
        return value.compareTo(bound) <= 0
                ? new Verdict(a, State.HELD, evidence + ", at most " + Words.duration(bound))
                : new Verdict(a, State.FAILED, evidence + ", above " + Words.duration(bound));
    }

    private static Verdict maxHops(Observed o, Assertion.MaxHops a) {
        if (o.kind().equals("ping")) {
            return notApplicable(o, a, "has no hops");
        }
        if (o.destinationTtl().isEmpty()) {
            return silent(o, a);
        }
        int hops = o.destinationTtl().getAsInt();
        String evidence = "the destination " + o.destinationAddress() + " answered at hop " + hops;
        return hops <= a.hops() ? new Verdict(a, State.HELD, evidence + ", at most " + a.hops())
                : new Verdict(a, State.FAILED, evidence + ", beyond " + a.hops());
    }

    private static Verdict traverse(Observed o, Assertion a, Waypoint w, boolean must) {
        if (o.kind().equals("ping")) {
            return notApplicable(o, a, "has no hops");
        }
        int unknown = 0;
        for (Observed.Node n : o.nodes()) {
            Optional<Boolean> m = w.matches(n.address(), n.hostname(), n.asn());
            if (m.isEmpty()) {
                unknown++;
            } else if (m.get()) {
                String at = "hop " + n.ttl() + " " + AddressText.of(n.address()) + " is " + w;
                return new Verdict(a, must ? State.HELD : State.FAILED, at);
            }
        }
        if (unknown > 0) {
            return new Verdict(a, State.NOT_APPLICABLE, unknown + " of " + o.nodes().size() + " responders' "
                    + (w instanceof Waypoint.As ? "AS" : "name") + " unknown (lookups off, pending or failed)");
        }
        String none = "no responder of " + o.nodes().size() + " is " + w;
        return new Verdict(a, must ? State.FAILED : State.HELD, none);
    }

    private static Verdict headerChange(Observed o, Assertion.NoHeaderChange a) {
        if (!o.kind().equals("trace")) {
            return notApplicable(o, a, "reads no router's quote");
        }
        if (o.headerChanges().isEmpty()) {
            return notApplicable(o, a, "read no router's quote (the transport cannot, or no router quoted)");
        }
        List<FirstChange> changes = o.headerChanges().get().stream().filter(c -> c.change().field() == a.field())
                .toList();
        return changes.isEmpty() ? new Verdict(a, State.HELD, "every quote kept the " + a.field() + " as sent")
                : new Verdict(a, State.FAILED, changes.get(0).toString());
    }

    private static Verdict pathId(Observed o, Assertion.PathId a) {
        if (o.pathIds().isEmpty()) {
            return notApplicable(o, a, "has no path");
        }
        String ids = o.pathIds().stream().distinct().map(String::valueOf).collect(Collectors.joining(", "));
        return o.pathIds().contains(a.id()) ? new Verdict(a, State.HELD, "the path's id is " + a.id())
                : new Verdict(a, State.FAILED, "the path's id is " + ids + ", not " + a.id());
    }

    private static Verdict maxJitter(Observed o, Assertion.MaxJitter a) {
        if (o.kind().equals("trace")) {
            return notApplicable(o, a, "measures no jitter (a ping or a monitor does)");
        }
        if (o.destination().received() == 0) {
            return silent(o, a);
        }
        if (o.jitter().isEmpty()) {
            return notApplicable(o, a, "had fewer than two answers: no jitter");
        }
        return bound(a, o.jitter().get(), a.bound(), "jitter " + Words.duration(o.jitter().get())
                + " at the destination " + o.destinationAddress());
    }
}
