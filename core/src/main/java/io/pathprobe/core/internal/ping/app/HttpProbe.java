package io.pathprobe.core.internal.ping.app;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.pathprobe.core.internal.ping.app.ProbeOutcome.FailureKind;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP/1.1 {@code GET} per probe, over a new TCP connection (and, for {@code https}, a new TLS
 * session), timed from the write of the request to the arrival of the first byte of the response.
 *
 * <p>Everything is non-blocking on the {@link AppProbeLoop} (a Netty socket channel carrying raw bytes: no
 * Netty codec or TLS handler): connect, TLS handshake (the JDK's {@link SSLEngine} driven here;
 * its delegated tasks run on the loop, so a handshake's crypto delays the loop's other probes by that
 * much), request, and reading the status line. Then the connection is closed: the body is not read,
 * redirects are not followed, and the status code is the {@code code} of the {@link
 * ProbeOutcome.Reply} (a 404 or a 503 is a reply).
 *
 * <p>What is measured: {@code sentNanos} is read just before the first write of the request (for https,
 * of its first encrypted record, after the handshake); the first byte's arrival is read when the loop
 * hands over the bytes it carries (for https: the read in which the first TLS record carrying
 * response bytes was complete, TLS decrypts whole records; session tickets and other post-handshake
 * records are not response bytes). {@code setupNanos} is connect plus handshake, not part of the RTT.
 * The timeout covers the whole exchange, connect included.
 *
 * <p>The request: {@code GET <path?query> HTTP/1.1}, {@code Host}, {@code User-Agent: pathprobe},
 * {@code Accept: *}{@code /*}, {@code Connection: close}. The caller gives the address to connect to
 * (the engine resolves names off the loop); the URL gives the Host header, SNI and, for https, the name
 * the certificate is checked against (endpoint identification "HTTPS" with the given {@link SSLContext},
 * by default the JDK's: a certificate that does not verify is a {@link FailureKind#TLS TLS} failure).
 */
public final class HttpProbe extends AbstractProbe {
    /** At most this many bytes are read looking for the end of the status line. */
    static final int MAX_STATUS_LINE = 8192;

    /**
     * What to request and where.
     *
     * @param url an {@code http://} or {@code https://} URL with a host
     * @param address the address to connect to (the URL's host, resolved by the caller)
     * @param timeout for the whole exchange
     * @param sslContext for https; null: {@link SSLContext#getDefault()}
     */
    public record Config(URI url, InetAddress address, Duration timeout, @Nullable SSLContext sslContext) {
        public Config {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(timeout, "timeout");
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("not an http or https URL: " + url);
            }
            if (url.getHost() == null) {
                throw new IllegalArgumentException("the URL has no host: " + url);
            }
            if (url.getPort() > 65535) {
                throw new IllegalArgumentException("port out of range: " + url);
            }
        }

        public boolean https() {
            return url.getScheme().equalsIgnoreCase("https");
        }

        /** The URL's port, or the scheme's. */
        public int port() {
            return url.getPort() >= 0 ? url.getPort() : https() ? 443 : 80;
        }

        /** The URL's host without the brackets of an IPv6 literal. */
        String host() {
            String h = url.getHost();
            return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        }
    }

    private final Config config;
    private final InetSocketAddress remote;
    private final byte[] request;
    private final @Nullable SSLContext ssl;

    /**
     * @throws IllegalStateException for https without a context when the JDK has no default one
     */
    public HttpProbe(AppProbeLoop loop, Config config) {
        super(loop, config.timeout());
        this.config = config;
        this.remote = new InetSocketAddress(config.address(), config.port());
        String path = config.url().getRawPath() == null || config.url().getRawPath().isEmpty()
                ? "/" : config.url().getRawPath();
        if (config.url().getRawQuery() != null) {
            path += "?" + config.url().getRawQuery();
        }
        String host = config.url().getHost() + (config.url().getPort() >= 0 ? ":" + config.url().getPort() : "");
        this.request = ("GET " + path + " HTTP/1.1\r\nHost: " + host
                + "\r\nUser-Agent: pathprobe\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        if (config.https()) {
            try {
                this.ssl = config.sslContext() != null ? config.sslContext() : SSLContext.getDefault();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("no default TLS context", e);
            }
        } else {
            this.ssl = null;
        }
    }

    public Config config() {
        return config;
    }

    @Override
    AppProbeLoop.Exchange newExchange(int sequence, Callback cb) {
        return new Request(this, sequence, cb);
    }

    private enum State { CONNECTING, HANDSHAKING, SENDING, RECEIVING }

    private static final class Request extends AppProbeLoop.Exchange {
        private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
        private final HttpProbe probe;
        private State state = State.CONNECTING;
        private @Nullable AppProbeLoop loop;
        private @Nullable SSLEngine engine;
        private @Nullable ByteBuffer netOut;
        private @Nullable ByteBuffer netIn;
        private @Nullable ByteBuffer appIn;
        private long setupNanos;
        private long sentNanos;
        private long firstByteNanos = -1;
        private final ByteBuffer statusLine = ByteBuffer.allocate(MAX_STATUS_LINE);

        Request(HttpProbe probe, int sequence, Callback cb) {
            super(probe, sequence, cb);
            this.probe = probe;
        }

        @Override
        void begin(AppProbeLoop loop, long now) {
            this.loop = loop;
            SocketChannel ch = loop.loops().newSocketChannel();
            channel = ch;
            ch.config().setTcpNoDelay(true);
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    long arrived = loop.now();
                    try {
                        if (msg instanceof ByteBuf b && !done) {
                            received(b, arrived);
                        }
                    } catch (Exception e) {
                        loop.fail(Request.this, e);
                    } finally {
                        ReferenceCountUtil.release(msg);
                    }
                }

                @Override
                public void channelInactive(ChannelHandlerContext ctx) {
                    if (!done) { // the server closed it (ours are closed once done)
                        loop.fail(Request.this, firstByteNanos < 0
                                ? new EOFException("the server closed the connection before a response")
                                : new MalformedReply("the connection ended inside the status line"));
                    }
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    loop.fail(Request.this, cause);
                }
            });
            loop.eventLoop().register(ch).addListener(registered -> {
                if (!registered.isSuccess()) {
                    loop.fail(this, registered.cause());
                } else if (!done) {
                    ch.connect(probe.remote).addListener(connected -> {
                        if (!connected.isSuccess()) {
                            loop.fail(this, connected.cause());
                        } else if (!done) {
                            try {
                                connected(loop.now());
                            } catch (Exception e) {
                                loop.fail(this, e);
                            }
                        }
                    });
                }
            });
        }

        private AppProbeLoop loop() {
            return Objects.requireNonNull(loop);
        }

        private void connected(long now) throws IOException {
            SSLContext ssl = probe.ssl;
            if (ssl == null) {
                setupNanos = now - startedNanos;
                state = State.SENDING;
            } else {
                SSLEngine e = ssl.createSSLEngine(probe.config.host(), probe.config.port());
                e.setUseClientMode(true);
                SSLParameters params = e.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                if (!isIpLiteral(probe.config.host())) {
                    params.setServerNames(List.of(new SNIHostName(probe.config.host())));
                }
                e.setSSLParameters(params);
                engine = e;
                netOut = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
                netIn = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
                appIn = ByteBuffer.allocate(e.getSession().getApplicationBufferSize());
                e.beginHandshake();
                state = State.HANDSHAKING;
            }
            drive(now);
        }

        /** Bytes from the server: response bytes, or TLS records to unwrap. */
        private void received(ByteBuf b, long arrived) throws IOException {
            if (engine == null) {
                if (state == State.RECEIVING) {
                    take(b.nioBuffer(), arrived);
                }
                return;
            }
            ByteBuffer in = Objects.requireNonNull(netIn);
            if (in.remaining() < b.readableBytes()) {
                ByteBuffer bigger = ByteBuffer.allocate(in.position() + b.readableBytes());
                in.flip();
                bigger.put(in);
                netIn = in = bigger;
            }
            in.put(b.nioBuffer());
            if (state == State.HANDSHAKING) {
                drive(arrived);
            } else if (state == State.RECEIVING) {
                receiveTls(arrived);
            }
        }

        /** Drives the handshake and the request until it must wait for the server. */
        private void drive(long now) throws IOException {
            while (!done && state == State.HANDSHAKING) {
                SSLEngine e = Objects.requireNonNull(engine);
                switch (e.getHandshakeStatus()) {
                    case NEED_WRAP -> {
                        wrap(e, EMPTY);
                        flushNetOut();
                    }
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        if (!unwrapHandshake(e)) {
                            return; // more must be read first
                        }
                    }
                    case NEED_TASK -> runTasks(e);
                    default -> { // FINISHED, NOT_HANDSHAKING
                        setupNanos = loop().now() - startedNanos;
                        state = State.SENDING;
                    }
                }
            }
            if (!done && state == State.SENDING) {
                Channel ch = Objects.requireNonNull(channel);
                SSLEngine e = engine;
                ByteBuffer out = ByteBuffer.wrap(probe.request);
                if (e != null) {
                    while (out.hasRemaining()) {
                        wrap(e, out);
                    }
                }
                sentNanos = loop().now();
                state = State.RECEIVING;
                if (e == null) {
                    write(ch, Unpooled.wrappedBuffer(probe.request));
                } else {
                    flushNetOut();
                    if (Objects.requireNonNull(netIn).position() > 0) {
                        receiveTls(now); // records that came with the end of the handshake
                    }
                }
            }
        }

        private void write(Channel ch, ByteBuf bytes) {
            ch.writeAndFlush(bytes).addListener(w -> {
                if (!w.isSuccess()) {
                    loop().fail(this, w.cause());
                }
            });
        }

        /** Unwraps what has been read: response bytes, and post-handshake messages. */
        private void receiveTls(long arrived) throws IOException {
            SSLEngine e = Objects.requireNonNull(engine);
            ByteBuffer in = Objects.requireNonNull(netIn);
            ByteBuffer app = Objects.requireNonNull(appIn);
            while (!done) {
                in.flip();
                SSLEngineResult r = e.unwrap(in, app);
                in.compact();
                if (r.getStatus() == SSLEngineResult.Status.CLOSED && app.position() == 0) {
                    throw new EOFException("the server closed the TLS session before a response");
                }
                if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runTasks(e);
                }
                if (e.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                    wrap(e, EMPTY); // a post-handshake message (key update)
                    flushNetOut();
                }
                if (app.position() > 0) {
                    app.flip();
                    take(app, arrived);
                    app.clear();
                }
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
                        || r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                    break;
                }
            }
        }

        /** Response bytes: times the first, completes at the end of the status line. */
        private void take(ByteBuffer bytes, long arrived) {
            if (!bytes.hasRemaining()) {
                return;
            }
            if (firstByteNanos < 0) {
                firstByteNanos = arrived;
            }
            while (bytes.hasRemaining() && statusLine.hasRemaining()) {
                byte b = bytes.get();
                if (b == '\n') {
                    complete();
                    return;
                }
                statusLine.put(b);
            }
            if (!statusLine.hasRemaining()) {
                loop().finish(this, failure(FailureKind.MALFORMED, arrived,
                        "no end of the status line in " + MAX_STATUS_LINE + " bytes"));
            }
        }

        private void complete() {
            String line = new String(statusLine.array(), 0, statusLine.position(), StandardCharsets.ISO_8859_1).strip();
            // HTTP/1.1 404 Not Found
            int code = -1;
            if (line.startsWith("HTTP/") && line.length() >= 12 && line.charAt(8) == ' ') {
                try {
                    code = Integer.parseInt(line.substring(9, 12));
                } catch (NumberFormatException e) {
                    code = -1;
                }
            }
            if (code < 100 || code > 999) {
                loop().finish(this, failure(FailureKind.MALFORMED, firstByteNanos, "not an HTTP status line: "
                        + (line.length() > 80 ? line.substring(0, 80) + "..." : line)));
                return;
            }
            loop().finish(this, new ProbeOutcome.Reply(sequence, sentNanos, firstByteNanos - sentNanos, code, line,
                    setupNanos));
        }

        /** Sends what the engine wrapped. */
        private void flushNetOut() {
            ByteBuffer b = Objects.requireNonNull(netOut);
            b.flip();
            if (b.hasRemaining()) {
                write(Objects.requireNonNull(channel), Unpooled.copiedBuffer(b));
            }
            b.clear();
        }

        private void wrap(SSLEngine e, ByteBuffer src) throws SSLException {
            SSLEngineResult r = e.wrap(src, Objects.requireNonNull(netOut));
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("the TLS engine closed while sending");
            }
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                flushNetOut(); // a record is at most the packet size: room again
                r = e.wrap(src, Objects.requireNonNull(netOut));
                if (r.getStatus() != SSLEngineResult.Status.OK) {
                    throw new SSLException("TLS output buffer overflow");
                }
            }
        }

        /** Unwraps handshake data; false if more must be read first. */
        private boolean unwrapHandshake(SSLEngine e) throws SSLException {
            ByteBuffer in = Objects.requireNonNull(netIn);
            in.flip();
            SSLEngineResult r = e.unwrap(in, Objects.requireNonNull(appIn));
            in.compact();
            return switch (r.getStatus()) {
                case OK -> true;
                case BUFFER_UNDERFLOW -> false;
                case CLOSED -> throw new SSLException("the server closed the TLS session in the handshake");
                default -> throw new SSLException("TLS buffer overflow in the handshake");
            };
        }

        private static void runTasks(SSLEngine e) {
            for (Runnable t; (t = e.getDelegatedTask()) != null; ) {
                t.run();
            }
        }

        @Override
        String timeoutDetail() {
            return super.timeoutDetail() + " (" + switch (state) {
                case CONNECTING -> "connecting";
                case HANDSHAKING -> "in the TLS handshake";
                case SENDING -> "sending the request";
                case RECEIVING -> firstByteNanos < 0 ? "waiting for the response" : "reading the status line";
            } + ")";
        }
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /** A reply that is not HTTP; classified {@link FailureKind#MALFORMED}. */
    static final class MalformedReply extends IOException {
        MalformedReply(String message) {
            super(message);
        }
    }
}
