package io.pathprobe.probe;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a measurement cost the routers it asked to answer (issue 73: a probing budget and what each result cost each
 * router): the probes it sent, the answers it got, and per router ({@link RouterCost}) the probes that asked that
 * router to answer and its answers. Every result with hops reports it ({@code TraceResult.cost()},
 * {@code TraceAllResult}, {@code MultipathResult}, {@code MonitorResult}, {@code CompareResult}) and so does a
 * ping (per target: the target is the router that answers). A result derives it from its own probes, so a
 * recording's replay, a masked result and a snapshot report theirs as they report the rest.
 *
 * <p>The routers' probes add up to {@link #probes()} and their answers to {@link #answers()}: a probe is charged to
 * the router that answered it, or, unanswered, to the router that answered its TTL (most, where several did) — the
 * router a {@link io.pathprobe.options.ProbeBudget}'s per-router rate charges it to — or to no known router (an
 * entry whose router is empty, listed last).
 *
 * <pre>{@code
 * ProbeCost cost = tracer.trace("198.19.0.1").cost();
 * System.out.println(cost); // "8 probes, 8 answers: 198.18.1.1: 3 probes, 3 answers; 198.19.0.1: 5 probes, 5 answers"
 * }</pre>
 *
 * @param probes probes sent (send failures excluded)
 * @param answers answers received
 * @param routers per router, in the order first met (by TTL); the entry for no known router last
 */
public record ProbeCost(long probes, long answers, List<RouterCost> routers) {
    /** The cost of a measurement that sent nothing. */
    public static final ProbeCost NONE = new ProbeCost(0, 0, List.of());

    /**
     * Checks the components (see the record's description) and copies {@code routers}.
     *
     * @param probes probes sent
     * @param answers answers received
     * @param routers per router; their probes and answers add up to {@code probes} and {@code answers}
     * @throws NullPointerException if {@code routers} is or holds null
     * @throws IllegalArgumentException if the routers' counts do not add up, or a router is listed twice
     */
    public ProbeCost {
        routers = List.copyOf(routers);
        long p = 0;
        long a = 0;
        for (RouterCost r : routers) {
            p += r.probes();
            a += r.answers();
        }
        if (p != probes || a != answers) {
            throw new IllegalArgumentException("the routers' " + p + " probes and " + a + " answers are not the "
                    + probes + " probes and " + answers + " answers in all");
        }
        if (routers.stream().map(RouterCost::router).distinct().count() != routers.size()) {
            throw new IllegalArgumentException("a router is listed twice: " + routers);
        }
    }

    /**
     * {@return what it cost {@code router}, if it asked anything of it}
     *
     * @param router a router's address
     */
    public Optional<RouterCost> router(InetAddress router) {
        return routers.stream().filter(r -> r.router().filter(router::equals).isPresent()).findFirst();
    }

    /** {@return the most probes it asked of one known router (0 if none)} */
    public long mostOfOneRouter() {
        return routers.stream().filter(r -> r.router().isPresent()).mapToLong(RouterCost::probes).max().orElse(0);
    }

    /**
     * {@return the costs of {@code parts} added up: a result's from its hops, traces or targets}
     *
     * @param parts the parts
     * @param cost what one part cost
     * @param <T> the parts' type
     */
    public static <T> ProbeCost sum(List<T> parts, Function<? super T, ProbeCost> cost) {
        Tally t = tally();
        for (T part : parts) {
            t.add(cost.apply(part));
        }
        return t.build();
    }

    /** {@return a tally to build one: what the results' {@code cost()} methods use} */
    public static Tally tally() {
        return new Tally();
    }

    /**
     * {@return {@code "8 probes, 8 answers: 198.18.1.1: 3 probes, 3 answers; *: 2 probes, 0 answers"}, the routers
     * as {@link RouterCost#toString()} prints them}
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder().append(probes).append(" probes, ").append(answers).append(" answers");
        String sep = ": ";
        for (RouterCost r : routers) {
            b.append(sep).append(r);
            sep = "; ";
        }
        return b.toString();
    }

    /**
     * Adds up a cost, one TTL (or target) at a time: the one rule every result's cost follows. Not thread-safe.
     */
    public static final class Tally {
        private final Map<Optional<InetAddress>, long[]> routers = new LinkedHashMap<>();

        Tally() {}

        /**
         * Adds the probes sent to one TTL (or target): each answered one to its responder, the unanswered ones to the
         * responder listed with the most answers here (the first listed of those with as many; one listed with 0
         * answers: a router known to be there that did not answer), or to no known router if none is listed.
         *
         * @param sent probes sent there (send failures excluded)
         * @param answers answers received there, by responder (empty: a responder masking hid), in the order met
         * @return this tally
         * @throws IllegalArgumentException if a count is negative or the answers outnumber {@code sent}
         */
        public Tally hop(long sent, Map<Optional<InetAddress>, Long> answers) {
            long answered = 0;
            Optional<InetAddress> top = Optional.empty();
            long most = -1;
            for (Map.Entry<Optional<InetAddress>, Long> e : answers.entrySet()) {
                long n = e.getValue();
                if (n < 0) {
                    throw new IllegalArgumentException("negative answers from " + e.getKey() + ": " + n);
                }
                answered += n;
                if (e.getKey().isPresent() && n > most) {
                    top = e.getKey();
                    most = n;
                }
            }
            if (sent < answered) {
                throw new IllegalArgumentException(answered + " answers to " + sent + " probes");
            }
            answers.forEach((router, n) -> {
                if (n > 0) {
                    add(router, n, n);
                }
            });
            if (sent > answered) {
                add(top, sent - answered, 0);
            }
            return this;
        }

        /**
         * Adds the probes sent to one ping target: all of them asked it to answer, answered or not.
         *
         * @param target the target's address; empty if it never resolved
         * @param sent probes sent to it
         * @param answers its answers received
         * @return this tally
         * @throws IllegalArgumentException if a count is negative or {@code answers} exceeds {@code sent}
         */
        public Tally target(Optional<InetAddress> target, long sent, long answers) {
            if (answers < 0 || sent < answers) {
                throw new IllegalArgumentException(answers + " answers to " + sent + " probes");
            }
            if (sent > 0) {
                add(target, sent, answers);
            }
            return this;
        }

        /**
         * Adds a cost measured elsewhere (another trace of the same call, another protocol of a comparison).
         *
         * @param cost what to add
         * @return this tally
         */
        public Tally add(ProbeCost cost) {
            for (RouterCost r : cost.routers()) {
                add(r.router(), r.probes(), r.answers());
            }
            return this;
        }

        private void add(Optional<InetAddress> router, long probes, long answers) {
            long[] c = routers.computeIfAbsent(router, k -> new long[2]);
            c[0] += probes;
            c[1] += answers;
        }

        /** {@return the cost so far} */
        public ProbeCost build() {
            List<RouterCost> list = new ArrayList<>();
            long[] unknown = routers.get(Optional.<InetAddress>empty());
            long probes = 0;
            long answers = 0;
            for (Map.Entry<Optional<InetAddress>, long[]> e : routers.entrySet()) {
                probes += e.getValue()[0];
                answers += e.getValue()[1];
                if (e.getKey().isPresent()) {
                    list.add(new RouterCost(e.getKey(), e.getValue()[0], e.getValue()[1]));
                }
            }
            if (unknown != null) {
                list.add(new RouterCost(Optional.empty(), unknown[0], unknown[1]));
            }
            return new ProbeCost(probes, answers, list);
        }
    }
}
