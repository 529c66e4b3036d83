package io.pathprobe.bufferbloat.internal.strategy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.pathprobe.ResponsivenessServerException;
import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.core.internal.bufferbloat.spi.BufferbloatProvider;
import io.pathprobe.core.internal.runtime.FakeScheduler;
import io.pathprobe.enrich.HostResolver;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;

/**
 * A load generator on fake time, with no sockets: a bottleneck of {@link #capacity} bit/s shared by the
 * open connections, each at most {@link #perConnection} bit/s, whose delivered bytes are integrated on
 * the {@link FakeScheduler}'s clock; the configuration and the probes answer at once (an answer's
 * time is a function of how many load connections are open). Scripted faults: a connection that
 * stops delivering, a failure at a chosen time, a configuration that never comes or fails.
 */
final class FakeLoad implements LoadProvider {
    final FakeScheduler clock;
    double capacity = 40e6;
    double perConnection = 10e6;
    /** Connections that deliver nothing. */
    IntPredicate stalled = id -> false;
    /** Load connections whose open fails (a connect or TLS handshake that timed out): they never open. */
    IntPredicate openFails = id -> false;
    /** Configuration: answered at once unless {@link #configError} or {@link #configSilent}. */
    @Nullable ResponsivenessServerException configError;
    boolean configSilent;
    boolean h2 = true;
    /** Every command the session got, in order: "fetch", "open 0 down", "close 3", "closeAll", "probe 7 self 2". */
    final List<String> log = new ArrayList<>();
    final Map<Integer, Conn> conns = new LinkedHashMap<>();
    boolean closed;
    @Nullable LoadEvents events;
    private long updated;

    static final class Conn {
        final boolean upload;
        boolean open;
        double bytes;

        Conn(boolean upload) {
            this.upload = upload;
        }
    }

    FakeLoad(FakeScheduler clock) {
        this.clock = clock;
    }

    int opened() {
        return (int) log.stream().filter(l -> l.startsWith("open ")).count();
    }

    long openNow() {
        return conns.values().stream().filter(c -> c.open).count();
    }

    /** Fails load connection {@code id} (as a server error mid-run). */
    void fail(int id, String reason) {
        java.util.Objects.requireNonNull(events).failed(id, reason);
    }

    /** Integrates the bytes delivered up to now. */
    private void update() {
        long now = clock.read();
        long dt = now - updated;
        updated = now;
        if (dt <= 0) {
            return;
        }
        List<Map.Entry<Integer, Conn>> flowing = conns.entrySet().stream()
                .filter(e -> e.getValue().open && !stalled.test(e.getKey())).toList();
        if (flowing.isEmpty()) {
            return;
        }
        double rate = Math.min(perConnection, capacity / flowing.size());
        for (Map.Entry<Integer, Conn> e : flowing) {
            e.getValue().bytes += rate / 8 * dt / 1e9;
        }
    }

    @Override
    public LoadSession open(BufferbloatRequest request, BufferbloatProvider.Loads context, LoadEvents ev) {
        events = ev;
        updated = clock.read();
        return new LoadSession() {
            @Override
            public void fetchConfig(int connectTimeoutMillis) {
                log.add("fetch");
                if (configSilent) {
                    return;
                }
                if (configError != null) {
                    ev.setupFailed(configError);
                    return;
                }
                ev.configured(URI.create(request.url() + "/.well-known/nq"), InetAddress.getLoopbackAddress(), true);
            }

            @Override
            public void open(int id, boolean upload, int connectTimeoutMillis) {
                update();
                log.add("open " + id + (upload ? " up" : " down"));
                if (openFails.test(id)) {
                    ev.failed(id, "handshake timed out after " + connectTimeoutMillis + "ms");
                    return;
                }
                Conn c = new Conn(upload);
                c.open = true;
                conns.put(id, c);
                ev.opened(id, h2);
            }

            @Override
            public void close(int id) {
                update();
                log.add("close " + id);
                Conn c = conns.get(id);
                if (c != null) {
                    c.open = false;
                }
            }

            @Override
            public void closeAll() {
                update();
                log.add("closeAll");
                conns.values().forEach(c -> c.open = false);
            }

            @Override
            public void probe(int id, int selfOn) {
                log.add("probe " + id + (selfOn >= 0 ? " self " + selfOn : ""));
                long load = openNow();
                long rtt = (10 + 30 * load) * 1_000_000L; // latency grows with the load: bufferbloat
                ev.probeConnected(id, rtt, rtt, "TLSv1.3");
                ev.probeAnswered(id, false, rtt);
                if (selfOn >= 0) {
                    ev.probeAnswered(id, true, rtt);
                }
            }

            @Override
            public long delivered(int id) {
                update();
                Conn c = conns.get(id);
                return c == null ? 0 : (long) c.bytes;
            }

            @Override
            public void close() {
                log.add("close session");
                closed = true;
            }
        };
    }

    /** A context whose loops are never used (the fake opens nothing). */
    static BufferbloatProvider.Loads context() {
        return new BufferbloatProvider.Loads() {
            @Override
            public EventLoopGroup loadGroup() {
                throw new UnsupportedOperationException();
            }

            @Override
            public EventLoopGroup probeGroup() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Class<? extends SocketChannel> channelClass() {
                throw new UnsupportedOperationException();
            }

            @Override
            public HostResolver resolver() {
                return host -> List.of(InetAddress.getByName(host));
            }
        };
    }
}
