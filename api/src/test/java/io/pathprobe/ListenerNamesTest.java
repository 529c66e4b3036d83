package io.pathprobe;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.testing.Samples;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import io.pathprobe.multipath.MultipathListener;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.ping.PingListener;
import io.pathprobe.ping.PingResult;
import io.pathprobe.trace.TraceListener;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
/**
 * One vocabulary for listeners (issue 23): the engine calls {@code started}/{@code completed}; a listener written
 * against the earlier names ({@code traceStarted}, {@code traceCompleted}, {@code discoveryStarted},
 * {@code discoveryCompleted}, {@code pingCompleted}) still hears them, once, through the new names' defaults.
 */
@SuppressWarnings("deprecation")
class ListenerNamesTest {
    private static final InetAddress DEST = InetAddress.getLoopbackAddress();

    @Test
    void aTraceListenerWrittenAgainstTheEarlierNamesStillHearsThem() {
        List<String> heard = new ArrayList<>();
        TraceListener old = new TraceListener() {
            @Override
            public void traceStarted(TraceRequest request, InetAddress destination, String transport) {
                heard.add("traceStarted " + transport);
            }

            @Override
            public void traceCompleted(TraceResult result) {
                heard.add("traceCompleted");
            }
        };
        old.started(TraceRequest.of(DEST), DEST, "t");
        old.completed(Samples.trace());
        assertThat(heard).containsExactly("traceStarted t", "traceCompleted");
    }

    @Test
    void aTraceListenerOnTheNewNamesDoesNotHearTheOldOnesToo() {
        List<String> heard = new ArrayList<>();
        TraceListener now = new TraceListener() {
            @Override
            public void started(TraceRequest request, InetAddress destination, String transport) {
                heard.add("started");
            }

            @Override
            public void completed(TraceResult result) {
                heard.add("completed");
            }

            @Override
            public void traceStarted(TraceRequest request, InetAddress destination, String transport) {
                heard.add("traceStarted");
            }
        };
        now.started(TraceRequest.of(DEST), DEST, "t");
        now.completed(Samples.trace());
        assertThat(heard).containsExactly("started", "completed");
    }

    @Test
    void multipathAndPingListenersWrittenAgainstTheEarlierNamesStillHearThem() {
        List<String> heard = new ArrayList<>();
        MultipathListener multipath = new MultipathListener() {
            @Override
            public void discoveryStarted(MultipathRequest request, InetAddress destination, String transport) {
                heard.add("discoveryStarted");
            }

            @Override
            public void discoveryCompleted(MultipathResult result) {
                heard.add("discoveryCompleted");
            }
        };
        PingListener ping = new PingListener() {
            @Override
            public void pingCompleted(PingResult result) {
                heard.add("pingCompleted");
            }
        };
        multipath.started(MultipathRequest.of("198.19.0.1"), DEST, "t");
        multipath.completed(Samples.multipath());
        ping.completed(Samples.ping());
        assertThat(heard).containsExactly("discoveryStarted", "discoveryCompleted", "pingCompleted");
    }
}
