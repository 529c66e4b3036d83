package io.pathprobe.bufferbloat.internal;

import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.pathprobe.ResponsivenessServerException;
import io.pathprobe.ResponsivenessServerException.Reason;
import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.internal.strategy.LoadEvents;
import io.pathprobe.bufferbloat.internal.strategy.LoadSession;
import io.pathprobe.bufferbloat.internal.strategy.NqConfig;
import io.pathprobe.core.internal.bufferbloat.spi.BufferbloatProvider;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.jspecify.annotations.Nullable;

/**
 * The Netty load of one bufferbloat test, as its strategy commands it: the configuration fetch, the
 * load connections (endless HTTP/2 or HTTP/1.1 downloads and uploads on the load loops) and the
 * foreign probes (a new connection each, on the probe loop) and self probes (a GET on a load
 * connection). Reports to {@link LoadEvents} from the Netty threads; its only shared state is the
 * connection table and the byte counters, both thread-safe. Measures the connect, handshake and GET
 * times with the system clock, as any transport stamps its own sends.
 */
final class NettyLoadSession implements LoadSession {
    private static final System.Logger LOG = System.getLogger(NettyLoadSession.class.getName());
    /** Connect and handshake limit of a foreign probe. */
    static final int PROBE_TIMEOUT_MILLIS = 3000;

    /** One load connection: its counter, and the connection once up. */
    private static final class Load {
        final boolean upload;
        final LongAdder bytes = new LongAdder();
        volatile @Nullable NqConnection conn;
        volatile boolean closed;

        Load(boolean upload) {
            this.upload = upload;
        }
    }

    private final BufferbloatRequest request;
    private final BufferbloatProvider.Loads context;
    private final LoadEvents events;
    private final Map<Integer, Load> loads = new ConcurrentHashMap<>();
    /**
     * Every connection the test opens, from its first moment (a probe still connecting, or in its TLS
     * handshake behind a deep queue): closed with the session, and any opened after that closed at once.
     */
    private final ChannelGroup channels = new DefaultChannelGroup("pathprobe-bufferbloat",
            ImmediateEventExecutor.INSTANCE,
            true);
    private volatile boolean closed;
    private volatile NqConnection.@Nullable Endpoint endpoint;
    private volatile @Nullable SslContext ssl;
    private volatile @Nullable NqConfig config;

    NettyLoadSession(BufferbloatRequest request, BufferbloatProvider.Loads context, LoadEvents events) {
        this.request = request;
        this.context = context;
        this.events = events;
    }

    // ------------------------------------------------------------------ configuration

    @Override
    public void fetchConfig(int connectTimeoutMillis) {
        URI url = request.url();
        boolean explicit = url.getRawPath() != null && !url.getRawPath().isEmpty() && !url.getRawPath().equals("/");
        List<URI> tries = explicit ? List.of(url) : List.of(url.resolve("/.well-known/nq"), url.resolve("/config"));
        // resolving may block: not on the caller's (the engine's) thread
        CompletableFuture.runAsync(() -> tryConfig(tries, 0, connectTimeoutMillis), context.probeGroup());
    }

    private void tryConfig(List<URI> tries, int i, int timeoutMillis) {
        URI u = tries.get(i);
        NqConnection.Endpoint ep;
        try {
            ep = endpointFor(u, Optional.empty());
        } catch (ResponsivenessServerException e) {
            events.setupFailed(e);
            return;
        }
        fetch(ep, NqConfig.pathOf(u), timeoutMillis).whenComplete((body, e) -> {
            if (closed) {
                return;
            }
            if (e != null) {
                Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (c instanceof NqConnection.HttpStatusException hs && hs.status() == 404 && i + 1 < tries.size()) {
                    tryConfig(tries, i + 1, timeoutMillis);
                    return;
                }
                events.setupFailed(classify(u, c));
                return;
            }
            try {
                NqConfig c = NqConfig.parse(body.text(), u);
                NqConnection.Endpoint load = endpointFor(c.large(), c.testEndpoint());
                config = c;
                endpoint = load;
                events.configured(u, load.address().getAddress(), load.tls());
            } catch (NqConfig.BadConfig x) {
                events.setupFailed(new ResponsivenessServerException(Reason.BAD_CONFIGURATION, u,
                        "bad configuration at " + u + ": " + x.getMessage(), x));
            } catch (ResponsivenessServerException x) {
                events.setupFailed(x);
            }
        });
    }

    private NqConnection.Endpoint endpointFor(URI u,
            Optional<String> testEndpoint) throws ResponsivenessServerException {
        boolean https = "https".equalsIgnoreCase(u.getScheme());
        if (https && ssl == null) {
            ssl = Tls.clientContext(request.insecure());
        }
        String host = testEndpoint.orElse(u.getHost());
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress a;
        try {
            a = context.resolver().resolve(host).get(0);
        } catch (UnknownHostException | IndexOutOfBoundsException e) {
            throw new ResponsivenessServerException(Reason.UNREACHABLE, u, "unknown host " + host, e);
        }
        return new NqConnection.Endpoint(u, new InetSocketAddress(a, NqConfig.port(u)), https);
    }

    /**
     * A GET of {@code path} on a new connection, closed after. Its time limit runs on the connection's event
     * loop, not on {@code CompletableFuture.orTimeout}, whose JDK-wide timer thread would outlive the tracer.
     */
    private CompletableFuture<NqConnection.Body> fetch(NqConnection.Endpoint ep, String path, int timeoutMillis) {
        long limit = Math.max(500, timeoutMillis * 2L);
        return NqConnection.open(context.probeGroup(), context.channelClass(), ep, ssl, timeoutMillis, channels,
                System::nanoTime).thenCompose(c -> {
                    CompletableFuture<NqConnection.Body> body = c.fetch(path);
                    io.netty.util.concurrent.ScheduledFuture<?> timer = context.probeGroup().next().schedule(
                            () -> body.completeExceptionally(new java.util.concurrent.TimeoutException(
                                    "no answer for " + path + " in " + limit + " ms")), limit, TimeUnit.MILLISECONDS);
                    return body.whenComplete((b, e) -> {
                        timer.cancel(false);
                        c.close();
                    });
                });
    }

    /** Maps a connection or request failure to the reason the server cannot be used. */
    static ResponsivenessServerException classify(URI u, @Nullable Throwable t) {
        Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        String m = e == null ? "unknown error" : e.getMessage() == null ? e.toString() : e.getMessage();
        Reason r = Reason.UNREACHABLE;
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof NotSslRecordException
                    || (c instanceof SSLException && String.valueOf(c.getMessage()).contains("not an SSL/TLS record"))
                    || (c instanceof ClosedChannelException && "https".equalsIgnoreCase(u.getScheme()))) {
                r = Reason.NOT_TLS;
                m = "the server at " + u.getHost() + ":" + NqConfig.port(u) + " does not speak TLS" + plainText(m);
                break;
            }
            if (c instanceof CertificateException || c instanceof CertPathValidatorException
                    || (c instanceof SSLHandshakeException && String.valueOf(c.getMessage()).matches(
                            "(?s).*(PKIX|certificate|No subject alternative|No name matching).*"))) {
                r = Reason.CERTIFICATE_REJECTED;
                m = "the server's certificate was rejected (" + m
                        + "); for a self-signed server you control, use --insecure";
                break;
            }
            if (c instanceof NqConnection.HttpStatusException) {
                r = Reason.BAD_CONFIGURATION;
                m = "no configuration at " + u + " (" + m + ")";
                break;
            }
            if (c instanceof ConnectException && String.valueOf(c.getMessage()).toLowerCase().contains("refused")) {
                r = Reason.REFUSED;
                m = "connection refused by " + u.getHost() + ":" + NqConfig.port(u);
                break;
            }
        }
        if (r == Reason.UNREACHABLE && e != null) {
            m = "cannot reach " + u.getHost() + ":" + NqConfig.port(u) + " (" + detail(e) + ")";
        }
        return new ResponsivenessServerException(r, u, m, e == null ? new IOException(m) : e);
    }

    /**
     * A failure's words for a message: its message without the "null: " that Netty's annotated
     * connect exceptions put before the address when the OS gave no text, else its class name.
     */
    /**
     * What a server that does not speak TLS sent instead, from the TLS layer's hex dump of it ("not an SSL/TLS
     * record: 485454502f..."): {@code " (it answered in plain text: 'HTTP/1.1 400 Bad Request')"}, its first
     * line in printable ASCII, at most 60 characters; "" when there is no dump (never the dump itself: a whole
     * HTML page in hex is no message).
     */
    static String plainText(String message) {
        java.util.regex.Matcher hex = java.util.regex.Pattern.compile("([0-9a-fA-F]{2}){4,}").matcher(message);
        if (!hex.find()) {
            return "";
        }
        String h = hex.group();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i + 1 < h.length() && b.length() < 60; i += 2) {
            char c = (char) Integer.parseInt(h.substring(i, i + 2), 16);
            if (c == '\r' || c == '\n') {
                break;
            }
            b.append(c >= 0x20 && c < 0x7f ? c : '.');
        }
        return b.isEmpty() ? "" : " (it answered in plain text: '" + b + "')";
    }

    static String detail(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return m.startsWith("null: ") ? e.getClass().getSimpleName() + ": " + m.substring(6) : m;
    }

    private static String words(Throwable e) {
        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    // ------------------------------------------------------------------ load

    @Override
    public void open(int id, boolean upload, int connectTimeoutMillis) {
        NqConnection.Endpoint ep = endpoint;
        NqConfig c = config;
        if (ep == null || c == null || closed) {
            events.failed(id, "no configuration");
            return;
        }
        Load l = new Load(upload);
        loads.put(id, l);
        NqConnection.open(context.loadGroup(), context.channelClass(), ep, ssl, connectTimeoutMillis, channels,
                System::nanoTime).whenComplete((conn, e) -> {
                    if (e != null) {
                        if (!l.closed) {
                            events.failed(id, words(e));
                        }
                        return;
                    }
                    l.conn = conn;
                    if (l.closed || closed) {
                        conn.close();
                        return;
                    }
                    events.opened(id, conn.h2());
                    conn.channel().closeFuture().addListener(f -> {
                        if (!conn.closing() && !l.closed) {
                            events.failed(id, "a load connection closed");
                        }
                    });
                    if (upload) {
                        conn.congestionControl().ifPresent(cc -> events.congestionControl(id, cc));
                        conn.upload(NqConfig.pathOf(c.upload()), l.bytes, x -> failedUnlessClosed(id, l, x));
                    } else {
                        conn.download(NqConfig.pathOf(c.large()), l.bytes, x -> failedUnlessClosed(id, l, x),
                                cc -> events.congestionControl(id, cc));
                    }
                });
    }

    private void failedUnlessClosed(int id, Load l, Throwable e) {
        if (!l.closed && !closed) {
            events.failed(id, words(e));
        }
    }

    @Override
    public void close(int id) {
        Load l = loads.get(id);
        if (l != null) {
            l.closed = true;
            NqConnection c = l.conn;
            if (c != null) {
                c.close();
            }
        }
    }

    @Override
    public void closeAll() {
        for (int id : loads.keySet()) {
            close(id);
        }
    }

    @Override
    public long delivered(int id) {
        Load l = loads.get(id);
        if (l == null) {
            return 0;
        }
        long n = l.bytes.sum();
        NqConnection c = l.conn;
        return l.upload && c != null ? Math.max(0, n - c.unackedBytes()) : n;
    }

    // ------------------------------------------------------------------ probes

    @Override
    public void probe(int id, int selfOn) {
        NqConnection.Endpoint ep = endpoint;
        NqConfig c = config;
        if (ep == null || c == null || closed) {
            events.probeFailed(id, false, "no configuration");
            return;
        }
        String small = NqConfig.pathOf(c.small());
        NqConnection.open(context.probeGroup(), context.channelClass(), ep, ssl, PROBE_TIMEOUT_MILLIS, channels,
                System::nanoTime).thenCompose(conn -> {
                    events.probeConnected(id, conn.connectNanos(), conn.tlsNanos(), conn.tlsProtocol());
                    return conn.fetch(small).whenComplete((b, e) -> conn.close());
                }).whenComplete((b, e) -> {
                    if (b != null) {
                        events.probeAnswered(id, false, b.nanos());
                    } else {
                        events.probeFailed(id, false, e == null ? "no answer" : words(e));
                    }
                });
        Load l = selfOn < 0 ? null : loads.get(selfOn);
        NqConnection self = l == null ? null : l.conn;
        if (self != null && self.h2() && self.isOpen()) {
            self.fetch(small).whenComplete((b, e) -> {
                if (b != null) {
                    events.probeAnswered(id, true, b.nanos());
                } else {
                    events.probeFailed(id, true, e == null ? "no answer" : words(e));
                }
            });
        }
    }

    // ------------------------------------------------------------------ end

    @Override
    public void close() {
        closed = true;
        closeAll();
        // Not waited for (called on the engine loop, which never blocks on I/O), and past the pipeline: with
        // a close through the pipeline alone, 22 sockets were still open long after the tracer closed, at the
        // end of a deep-queue lab test (TLS's close_notify lets the socket close on a timer up to 3 s later,
        // which a tracer closed meanwhile cancels with its loops: the likely cause, not proven). The test is
        // over: each socket closes on its loop's next turn.
        for (io.netty.channel.Channel ch : channels) {
            ch.eventLoop().execute(() -> ch.unsafe().close(ch.unsafe().voidPromise()));
        }
        channels.close().addListener(f -> {
            if (!f.isSuccess()) {
                LOG.log(System.Logger.Level.DEBUG, "closing the bufferbloat connections: " + f.cause());
            }
        });
    }
}
