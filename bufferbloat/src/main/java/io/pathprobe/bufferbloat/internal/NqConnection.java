package io.pathprobe.bufferbloat.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.pathprobe.bufferbloat.internal.strategy.NqConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One connection to a responsiveness server: TCP, TLS (ALPN h2, else HTTP/1.1) or plain HTTP/1.1,
 * with the timings draft-09's foreign probes need (TCP connect, TLS handshake and its protocol),
 * and the requests the test makes on it: a GET of a small object (timed), an endless GET (download
 * load: bytes received counted) or an endless POST (upload load: bytes written to the socket
 * counted). HTTP/2 carries any number of requests as streams; HTTP/1.1 one at a time.
 */
public final class NqConnection {
    /** HTTP/2 receive window per stream and for the connection: large enough for a long fat pipe. */
    static final int WINDOW = 8 << 20;
    /** Upload chunk. */
    static final int CHUNK = 16 << 10;
    /** The most body bytes kept by {@link #fetch}. */
    static final int MAX_BODY = 64 << 10;
    static final ByteBuf UPLOAD_CHUNK;

    static {
        byte[] b = new byte[CHUNK];
        ThreadLocalRandom.current().nextBytes(b); // incompressible
        UPLOAD_CHUNK = Unpooled.unreleasableBuffer(Unpooled.directBuffer(CHUNK).writeBytes(b).asReadOnly());
    }

    /** Where a test connects: the URL's host and port, and the address to connect to. */
    public record Endpoint(URI origin, InetSocketAddress address, boolean tls) {
        String authority() {
            return origin.getHost() + ":" + NqConfig.port(origin);
        }
    }

    /** A response that is not 200. */
    public static final class HttpStatusException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int status;

        HttpStatusException(int status, String path) {
            super("HTTP status " + status + " for " + path);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** A fetched response body. */
    public record Body(long nanos, byte[] bytes) {
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private final Channel channel;
    private volatile boolean uploading;
    final Endpoint endpoint;
    private final boolean h2;
    private final long connectNanos;
    private final long tlsNanos;
    private final @Nullable String tlsProtocol;
    final LongSupplier ticker;
    volatile boolean closing;

    private NqConnection(Channel channel, Endpoint endpoint, boolean h2, long connectNanos, long tlsNanos,
            @Nullable String tlsProtocol, LongSupplier ticker) {
        this.ticker = ticker;
        this.channel = channel;
        this.endpoint = endpoint;
        this.h2 = h2;
        this.connectNanos = connectNanos;
        this.tlsNanos = tlsNanos;
        this.tlsProtocol = tlsProtocol;
    }

    /**
     * Opens a connection: completes when TCP (and TLS) are up and the HTTP codec is in place, or
     * exceptionally with the connect/handshake failure.
     */
    public static CompletableFuture<NqConnection> open(EventLoopGroup group, Class<? extends Channel> channelClass,
            Endpoint ep, @Nullable SslContext ssl, int timeoutMillis) {
        return open(group, channelClass, ep, ssl, timeoutMillis, null, System::nanoTime);
    }

    /**
     * {@link #open(EventLoopGroup, Class, Endpoint, SslContext, int)}, the channel joining {@code owner}
     * as soon as it exists (still connecting), so whoever owns the group can close it at any stage; the
     * connect, handshake and fetch times read {@code ticker}.
     */
    public static CompletableFuture<NqConnection> open(EventLoopGroup group, Class<? extends Channel> channelClass,
            Endpoint ep, @Nullable SslContext ssl, int timeoutMillis,
            io.netty.channel.group.@Nullable ChannelGroup owner,
            LongSupplier ticker) {
        CompletableFuture<NqConnection> ready = new CompletableFuture<>();
        long start = ticker.getAsLong();
        long[] connected = new long[1];
        Bootstrap b = new Bootstrap().group(group).channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                // short send queues (draft-09): a self probe on an upload connection waits behind them
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new io.netty.channel.WriteBufferWaterMark(32 << 10, 64 << 10))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (ssl != null) {
                            SslHandler h = ssl.newHandler(ch.alloc(), ep.origin().getHost(),
                                    NqConfig.port(ep.origin()));
                            h.setHandshakeTimeoutMillis(timeoutMillis);
                            p.addLast("tls", h);
                        }
                        p.addLast("setup", new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) throws Exception {
                                connected[0] = ticker.getAsLong();
                                if (ssl == null) {
                                    ready(ctx, false, 0, null);
                                }
                                super.channelActive(ctx);
                            }

                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
                                if (evt instanceof SslHandshakeCompletionEvent e) {
                                    if (e.isSuccess()) {
                                        SslHandler h = ctx.pipeline().get(SslHandler.class);
                                        String alpn = h.applicationProtocol();
                                        ready(ctx, ApplicationProtocolNames.HTTP_2.equals(alpn),
                                                ticker.getAsLong() - connected[0],
                                                h.engine().getSession().getProtocol());
                                    } else {
                                        fail(ctx, e.cause());
                                    }
                                    return;
                                }
                                super.userEventTriggered(ctx, evt);
                            }

                            private void ready(ChannelHandlerContext ctx, boolean h2, long tls,
                                    @Nullable String proto) {
                                ChannelPipeline p = ctx.pipeline();
                                p.remove(this);
                                if (h2) {
                                    p.addLast(Http2FrameCodecBuilder.forClient()
                                            .initialSettings(Http2Settings.defaultSettings().initialWindowSize(WINDOW)
                                                    .pushEnabled(false))
                                            .build());
                                    p.addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                                    p.addLast(new ChannelInboundHandlerAdapter() { // the connection's own errors
                                        @Override
                                        public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
                                            c.close();
                                        }
                                    });
                                    ctx.channel().writeAndFlush(new DefaultHttp2WindowUpdateFrame(WINDOW - 65_535));
                                } else {
                                    p.addLast(new HttpClientCodec());
                                }
                                ready.complete(new NqConnection(ctx.channel(), ep, h2,
                                        connected[0] - start, tls, proto, ticker));
                            }

                            private void fail(ChannelHandlerContext ctx, Throwable cause) {
                                if (ready.completeExceptionally(cause)) {
                                    ctx.close();
                                }
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                fail(ctx, cause);
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                                fail(ctx, new ClosedChannelException() {
                                    private static final long serialVersionUID = 1L;

                                    @Override
                                    public String getMessage() {
                                        return "the server closed the connection during the TLS handshake";
                                    }
                                });
                                super.channelInactive(ctx);
                            }
                        });
                    }
                });
        if (io.netty.channel.epoll.EpollSocketChannel.class.isAssignableFrom(channelClass)) {
            b.option(io.netty.channel.epoll.EpollChannelOption.TCP_NOTSENT_LOWAT, 16L << 10);
        }
        io.netty.channel.ChannelFuture connecting = b.connect(ep.address());
        if (owner != null) {
            owner.add(connecting.channel());
        }
        connecting.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                ready.completeExceptionally(f.cause());
            }
        });
        return ready;
    }

    /** Whether the connection speaks HTTP/2 (so self probes can share it). */
    public boolean h2() {
        return h2;
    }

    /** TCP connect time (draft tcp_f). */
    public long connectNanos() {
        return connectNanos;
    }

    /** TLS handshake time, 0 for plain HTTP. */
    public long tlsNanos() {
        return tlsNanos;
    }

    /** The TLS protocol version ("TLSv1.3"), null for plain HTTP. */
    public @Nullable String tlsProtocol() {
        return tlsProtocol;
    }

    public Channel channel() {
        return channel;
    }

    public boolean isOpen() {
        return channel.isActive() && !closing;
    }

    /** Closes the connection (and its streams). */
    public void close() {
        closing = true;
        channel.close();
    }

    /** Whether {@link #close()} was called (its close is not a failure). */
    public boolean closing() {
        return closing;
    }

    /** A GET of {@code path}: completes with the time to the response's end and (up to 64 KiB of) its body. */
    public CompletableFuture<Body> fetch(String path) {
        CompletableFuture<Body> done = new CompletableFuture<>();
        NqExchange x = new NqExchange(this, path, Mode.FETCH, null, done::completeExceptionally);
        x.onEnd = done::complete;
        start(x);
        return done;
    }

    /**
     * An endless GET of {@code path}: body bytes add to {@code bytes}; {@code failed} hears an abnormal end;
     * {@code congestion} hears the sender's congestion control when the response names it (pathprobe's server
     * does, in {@link TcpCongestion#HEADER}).
     */
    public void download(String path, LongAdder bytes, Consumer<Throwable> failed, Consumer<String> congestion) {
        NqExchange x = new NqExchange(this, path, Mode.DOWNLOAD, bytes, failed);
        x.congestion = congestion;
        start(x);
    }

    /**
     * The congestion control of this connection's own socket (what an upload sends with); empty where it cannot be
     * read.
     */
    public java.util.Optional<String> congestionControl() {
        return TcpCongestion.of(channel);
    }

    /**
     * An endless POST to {@code path}: bytes written to the socket add to {@code bytes} (what the
     * peer has not acknowledged yet is {@link #unackedBytes()}).
     */
    public void upload(String path, LongAdder bytes, Consumer<Throwable> failed) {
        uploading = true;
        start(new NqExchange(this, path, Mode.UPLOAD, bytes, failed));
    }

    /** Whether {@link #upload} was called on this connection. */
    public boolean uploading() {
        return uploading;
    }

    /**
     * Bytes written to the socket that the peer has not acknowledged yet, from the kernel's
     * {@code TCP_INFO} (unacknowledged segments × MSS): what an upload's bytes written overcount its
     * goodput by. 0 where the channel is not an epoll socket or is closed.
     */
    public long unackedBytes() {
        if (channel instanceof io.netty.channel.epoll.EpollSocketChannel e && channel.isActive()) {
            try {
                io.netty.channel.epoll.EpollTcpInfo info = e.tcpInfo();
                return info.unacked() * info.sndMss();
            } catch (RuntimeException ex) {
                return 0; // closed under us
            }
        }
        return 0;
    }

    private void start(NqExchange x) {
        x.startNanos = ticker.getAsLong();
        if (h2) {
            new Http2StreamChannelBootstrap(channel).handler(x.h2Handler()).open().addListener(f -> {
                if (!f.isSuccess()) {
                    x.fail(f.cause());
                    return;
                }
                Http2StreamChannel s = (Http2StreamChannel) f.getNow();
                x.sendH2(s);
            });
        } else {
            channel.eventLoop().execute(() -> {
                if (channel.pipeline().get("exchange") != null) {
                    x.fail(new IllegalStateException("HTTP/1.1 connection busy"));
                    return;
                }
                channel.pipeline().addLast("exchange", x.h1Handler());
                x.sendH1(channel);
            });
        }
    }

    enum Mode { FETCH, DOWNLOAD, UPLOAD }

    @Override
    public String toString() {
        return "NqConnection{" + endpoint.address() + (h2 ? ", h2" : ", http/1.1") + "}";
    }
}
