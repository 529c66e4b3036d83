package io.pathprobe.core.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** The stop set: entries with their path below, the expected router at a TTL, start TTLs, bounds. */
class StopSetTest {
    private static final long S = 1_000_000_000L;

    static InetAddress ip(int a, int b) {
        try {
            return InetAddress.getByAddress(new byte[] {10, (byte) a, (byte) b, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Routers 10.branch.ttl.1 at TTL 1..n. */
    static InetAddress[] path(int branch, int n) {
        InetAddress[] p = new InetAddress[n];
        for (int t = 1; t <= n; t++) {
            p[t - 1] = ip(branch, t);
        }
        return p;
    }

    static boolean[] all(int n, boolean v) {
        boolean[] b = new boolean[n];
        java.util.Arrays.fill(b, v);
        return b;
    }

    @Test
    void anEntryKnowsThePathBelowItAndWhetherADestinationWasRightBehindIt() {
        StopSet s = new StopSet(100, 3600 * S);
        InetAddress[] p = path(0, 3);
        p[1] = null; // silent at TTL 2
        s.enter(p, all(3, true), 0, 0, 4);
        StopSet.Entry e = s.find(3, ip(0, 3), 0, S);
        assertThat(e).isNotNull();
        assertThat(e.at(1)).isEqualTo(ip(0, 1));
        assertThat(e.at(2)).isNull();
        assertThat(e.last()).isTrue();
        assertThat(s.find(1, ip(0, 1), 0, S).last()).isFalse();
        assertThat(s.find(3, ip(0, 3), 1, S)).as("another flow").isNull();
        assertThat(s.find(2, ip(0, 3), 0, S)).as("another TTL").isNull();
    }

    @Test
    void theExpectedRouterIsTheOnlyOneOrTheOnlyOneConfirmedLately() {
        StopSet s = new StopSet(100, 3600 * S);
        s.enter(path(0, 3), all(3, true), 0, 0, 4);
        assertThat(s.expected(3, 0, S, 10 * S).responder()).isEqualTo(ip(0, 3));
        // another branch seen at the same time: none expected
        s.enter(path(1, 3), all(3, true), 0, 2 * S, 4);
        assertThat(s.expected(3, 0, 3 * S, 10 * S)).isNull();
        // later only branch 1 is confirmed: the old entry is stale, branch 1 expected
        s.enter(path(1, 3), all(3, true), 0, 30 * S, 4);
        assertThat(s.expected(3, 0, 31 * S, 10 * S).responder()).isEqualTo(ip(1, 3));
        // taken from the set, not probed: its time is kept
        s.enter(path(1, 3), all(3, false), 0, 100 * S, 4);
        assertThat(s.find(3, ip(1, 3), 0, 100 * S).confirmed()).isEqualTo(30 * S);
    }

    @Test
    void theStartTtlIsTheMedianDistanceClamped() {
        StopSet s = new StopSet(100, 3600 * S);
        assertThat(s.startTtl(1, 30)).isEqualTo(1);
        for (int d : new int[] {11, 11, 12, 5, 11}) {
            s.reached(d);
        }
        assertThat(s.startTtl(1, 30)).isEqualTo(11);
        assertThat(s.startTtl(1, 8)).isEqualTo(8);
        assertThat(s.startTtl(12, 30)).isEqualTo(12);
        for (int i = 0; i < 200; i++) {
            s.reached(3); // only the latest 64 count
        }
        assertThat(s.startTtl(1, 30)).isEqualTo(3);
    }

    /** The router every observation of the proof test met at TTL 3. */
    private static final StopSet.Above ABOVE = StopSet.Above.router(ip(0, 3));

    /**
     * Issue 68: the router before a router is single only when the last n distinct traces that met that router met one
     * and the same before it, lately; once traces met two (a merge router's predecessors), it stays not single until
     * the last 16 traces all met one again.
     */
    @Test
    void theRouterBeforeARouterIsSingleOnlyWhenEnoughDistinctTracesMetOneLately() {
        StopSet s = new StopSet(100, 3600 * S);
        InetAddress a = ip(0, 2);
        InetAddress b = ip(1, 2);
        long[] traces = new long[20];
        for (int i = 0; i < traces.length; i++) {
            traces[i] = s.newTrace();
        }
        assertThat(traces).doesNotHaveDuplicates();
        for (int i = 0; i < 7; i++) {
            s.observe(2, 0, ABOVE, traces[i], a, i * S);
        }
        assertThat(s.proven(2, 0, ABOVE, 7 * S, 10 * S, 8)).as("7 traces are not 8").isNull();
        s.observe(2, 0, ABOVE, traces[6], a, 7 * S);
        assertThat(s.proven(2, 0, ABOVE, 7 * S, 10 * S, 8)).as("one trace counts once").isNull();
        s.observe(2, 0, ABOVE, traces[7], a, 8 * S);
        assertThat(s.proven(2, 0, ABOVE, 8 * S, 10 * S, 8)).isEqualTo(a);
        assertThat(s.proven(2, 1, ABOVE, 8 * S, 10 * S, 8)).as("another flow key").isNull();
        assertThat(s.proven(2, 0, ABOVE, 10 * S + 1, 10 * S, 8)).as("the oldest no longer fresh: the newest is").isEqualTo(a);
        assertThat(s.proven(2, 0, ABOVE, 18 * S + 1, 10 * S, 8)).as("the newest no longer fresh").isNull();
        assertThat(s.proven(2, 0, StopSet.Above.router(ip(9, 3)), 8 * S, 10 * S, 8)).as("behind another router")
                .isNull();
        assertThat(s.proven(2, 0, StopSet.Above.destination(ip(0, 3), 55), 8 * S, 10 * S, 8))
                .as("behind a destination of that address").isNull();
        // a ninth trace meets another router: a load balancer; then 8 more meeting one router do not make it single-path
        s.observe(2, 0, ABOVE, traces[8], b, 9 * S);
        for (int i = 9; i < 17; i++) {
            s.observe(2, 0, ABOVE, traces[i], a, (i + 1) * S);
        }
        assertThat(s.proven(2, 0, ABOVE, 17 * S, 10 * S, 8)).as("traces met two routers here").isNull();
        // the last 16 all met one: a route that moved, settled
        for (int i = 17; i < 20; i++) {
            s.observe(2, 0, ABOVE, traces[i], a, (i + 1) * S);
        }
        for (int i = 0; i < 5; i++) {
            s.observe(2, 0, ABOVE, s.newTrace(), a, 21 * S);
        }
        assertThat(s.proven(2, 0, ABOVE, 21 * S, 10 * S, 8)).isEqualTo(a);
        assertThatThrownBy(() -> s.proven(2, 0, ABOVE, 0, S, StopSet.OBSERVED + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theHopBelowDestinationsIsProvenPerNetwork() throws Exception {
        StopSet s = new StopSet(100, 3600 * S);
        InetAddress gateway = ip(0, 9);
        for (int i = 1; i <= 8; i++) {
            InetAddress d = InetAddress.getByName("198.19.1." + i);
            s.observe(9, 0, StopSet.Above.destination(d, 55), s.newTrace(), gateway, i * S);
        }
        InetAddress sibling = InetAddress.getByName("198.19.1.200");
        assertThat(s.proven(9, 0, StopSet.Above.destination(sibling, 55), 9 * S, 10 * S, 8)).as("one network's gateway")
                .isEqualTo(gateway);
        assertThat(s.proven(8, 0, StopSet.Above.destination(sibling, 55), 9 * S, 10 * S, 8))
                .as("a destination answering at another TTL").isNull();
        assertThat(s.proven(9, 0, StopSet.Above.destination(InetAddress.getByName("198.19.2.1"), 55), 9 * S, 10 * S, 8))
                .as("another network").isNull();
        assertThat(s.proven(9, 0, StopSet.Above.router(InetAddress.getByName("198.19.1.0")), 9 * S, 10 * S, 8))
                .as("a router whose address is the network's").isNull();
        assertThat(s.proven(9, 0, StopSet.Above.destination(sibling, 56), 9 * S, 10 * S, 8))
                .as("an answer from one hop nearer").isNull();
        assertThatThrownBy(() -> StopSet.Above.destination(sibling, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(StopSet.Above.destination(InetAddress.getByName("2001:db8:1:2:3:4:5:6"), 55).address())
                .isEqualTo(InetAddress.getByName("2001:db8:1:2::"));
        // two gateways before one network (a load balancer right before the destinations): nothing is proven
        s.observe(9, 0, StopSet.Above.destination(InetAddress.getByName("198.19.1.9"), 55), s.newTrace(), ip(1, 9), 10 * S);
        assertThat(s.proven(9, 0, StopSet.Above.destination(sibling, 55), 10 * S, 10 * S, 8)).isNull();
    }

    @Test
    void boundedByCapacityAndIdleTime() {
        StopSet s = new StopSet(50, 10 * S);
        for (int b = 0; b < 100; b++) {
            s.enter(path(b, 10), all(10, true), 0, 0, 11);
        }
        assertThat(s.size()).isEqualTo(50);
        assertThat(s.find(10, ip(99, 10), 0, S)).isNotNull();
        assertThat(s.find(1, ip(0, 1), 0, S)).as("the least recently used went first").isNull();
        s.sweep(11 * S);
        assertThat(s.size()).isZero();
        assertThat(s.expected(10, 0, 11 * S, S)).isNull();
        assertThatThrownBy(() -> new StopSet(0, S)).isInstanceOf(IllegalArgumentException.class);
    }
}
