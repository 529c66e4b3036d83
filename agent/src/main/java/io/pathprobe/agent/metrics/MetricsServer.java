package io.pathprobe.agent.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.pathprobe.report.HtmlReport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * Serves a Prometheus registry's scrape in the Prometheus text format (0.0.4) over HTTP/1.1 at one path, and the
 * {@link Pages} given (the agent's {@link AgentPages}) at theirs: {@code GET} (and {@code HEAD}) of the path or a
 * page answers 200, any other path 404, any other method 405; one request a connection ({@code Connection: close}).
 *
 * <p>On Netty's HTTP codec, one event-loop thread for every connection (non-blocking: a client that sends slowly or
 * not at all holds no thread, so it delays no other scrape), at most {@link #MAX_CONNECTIONS} connections at once
 * (one beyond them is closed at once), a request head of at most {@link #MAX_HEAD} bytes (400 beyond), and a
 * connection that has not sent its whole head (TLS handshake included) within {@link Options#readTimeout} is
 * closed. With {@link Options#credentials} every path asks for HTTP
 * basic authentication (401 without it); with {@link Options#tls} it speaks HTTPS only.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * AgentMetrics metrics = new AgentMetrics(registry);
 * try (MetricsServer server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 9464), "/metrics", registry,
 *         metrics)) {
 *     ...
 * }
 * }</pre>
 */
public final class MetricsServer implements AutoCloseable {
    /** The content type of the Prometheus text format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** Connections open at once; one beyond them is closed as soon as it is accepted. */
    public static final int MAX_CONNECTIONS = 256;
    /** The longest request head (request line and headers) read, in bytes. */
    public static final int MAX_HEAD = 8192;

    /**
     * How the endpoint is guarded.
     *
     * @param readTimeout the longest a connection may take to send its request head
     * @param credentials {@code user:password} for HTTP basic authentication on every path, if any
     * @param tls the server's TLS context (its key and certificate), if it serves HTTPS
     */
    public record Options(Duration readTimeout, Optional<String> credentials, Optional<SSLContext> tls) {
        /** The default {@link #readTimeout}. */
        public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);

        /** Checks. */
        public Options {
            if (readTimeout.isNegative() || readTimeout.isZero()) {
                throw new IllegalArgumentException("readTimeout must be positive, was " + readTimeout);
            }
            Objects.requireNonNull(credentials, "credentials");
            Objects.requireNonNull(tls, "tls");
            if (credentials.isPresent() && credentials.get().indexOf(':') < 1) {
                throw new IllegalArgumentException("credentials must be user:password");
            }
        }

        /** {@return plain HTTP, no authentication, the default read timeout} */
        public static Options defaults() {
            return new Options(DEFAULT_READ_TIMEOUT, Optional.empty(), Optional.empty());
        }
    }

    /** What the endpoint serves besides the scrape: read-only pages, each found by its path. */
    @FunctionalInterface
    public interface Pages {
        /** No page: every path but the scrape's is 404. */
        Pages NONE = path -> Optional.empty();

        /**
         * {@return the page at {@code path}, empty if there is none (404)}
         *
         * @param path the path asked for, as sent (still percent-encoded), without its query
         */
        Optional<Page> page(String path);
    }

    /**
     * A page's answer, served with {@link HtmlReport#CONTENT_SECURITY_POLICY} (it fetches nothing).
     *
     * @param contentType its content type
     * @param body its text
     */
    public record Page(String contentType, String body) {
        /** Checks. */
        public Page {
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(body, "body");
        }
    }

    private final EventLoopGroup group;
    private final Channel server;
    private final ChannelGroup open;

    private MetricsServer(EventLoopGroup group, Channel server, ChannelGroup open) {
        this.group = group;
        this.server = server;
        this.open = open;
    }

    /**
     * Starts serving plain HTTP with the default options.
     *
     * @param address where to listen (port 0: any free port, see {@link #address()})
     * @param path the scrape's path, e.g. {@code "/metrics"}
     * @param registry the registry to scrape
     * @return the running server
     * @throws IOException if the address cannot be bound
     * @throws IllegalArgumentException if {@code path} does not start with {@code /}
     */
    public static MetricsServer start(InetSocketAddress address, String path, PrometheusMeterRegistry registry)
            throws IOException {
        Objects.requireNonNull(registry, "registry");
        return start(address, path, registry::scrape, Options.defaults(), Pages.NONE);
    }

    /**
     * Starts serving the scrape of {@code registry} taken while {@code metrics} changes none of its series
     * ({@link AgentMetrics#steady}), with the default options.
     *
     * @param address where to listen (port 0: any free port, see {@link #address()})
     * @param path the scrape's path, e.g. {@code "/metrics"}
     * @param registry the registry to scrape
     * @param metrics the agent's metrics in {@code registry}
     * @return the running server
     * @throws IOException if the address cannot be bound
     * @throws IllegalArgumentException if {@code path} does not start with {@code /}
     */
    public static MetricsServer start(InetSocketAddress address, String path, PrometheusMeterRegistry registry,
            AgentMetrics metrics) throws IOException {
        return start(address, path, registry, metrics, Options.defaults(), Pages.NONE);
    }

    /**
     * Starts serving the scrape of {@code registry} taken while {@code metrics} changes none of its series
     * ({@link AgentMetrics#steady}): the agent's own server scrapes so, and so never fails a scrape while a result
     * replaces its series (Micrometer's Prometheus registry throws {@code DuplicateLabelsException} for a series
     * removed and registered again during a scrape), nor serves half of one result's series.
     *
     * @param address where to listen (port 0: any free port, see {@link #address()})
     * @param path the scrape's path, e.g. {@code "/metrics"}
     * @param registry the registry to scrape
     * @param metrics the agent's metrics in {@code registry}
     * @param options the read timeout, authentication and TLS
     * @param pages what it serves besides the scrape, behind the same authentication and TLS ({@link Pages#NONE})
     * @return the running server
     * @throws IOException if the address cannot be bound
     * @throws IllegalArgumentException if {@code path} does not start with {@code /}
     */
    public static MetricsServer start(InetSocketAddress address, String path, PrometheusMeterRegistry registry,
            AgentMetrics metrics, Options options, Pages pages) throws IOException {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(metrics, "metrics");
        return start(address, path, () -> metrics.steady(registry::scrape), options, pages);
    }

    static MetricsServer start(InetSocketAddress address, String path, Supplier<String> scrape, Options options,
            Pages pages) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(pages, "pages");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("the path must start with /, was " + path);
        }
        @Nullable SslContext tls = options.tls().map(c -> (SslContext) new JdkSslContext(c, false, ClientAuth.NONE))
                .orElse(null);
        Optional<String> expected = options.credentials().map(c -> "Basic "
                + Base64.getEncoder().encodeToString(c.getBytes(StandardCharsets.UTF_8)));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("pathprobe-metrics-server", true), NioIoHandler.newFactory());
        ChannelGroup open = new DefaultChannelGroup(group.next());
        long timeoutNanos = options.readTimeout().toNanos();
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 64)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (open.size() >= MAX_CONNECTIONS) {
                            ch.close();
                            return;
                        }
                        open.add(ch);
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(MAX_HEAD / 2, MAX_HEAD, MAX_HEAD),
                                new Exchange(path, scrape, pages, expected, timeoutNanos));
                    }
                });
        try {
            Channel server = b.bind(address).sync().channel();
            return new MetricsServer(group, server, open);
        } catch (Exception e) { // Netty rethrows the bind's checked exception undeclared
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    /** One connection: its request head within the timeout, one answer, then the connection closes. */
    private static final class Exchange extends SimpleChannelInboundHandler<HttpObject> {
        private final String path;
        private final Supplier<String> scrape;
        private final Pages pages;
        private final Optional<String> expected;
        private final long timeoutNanos;
        private @Nullable ScheduledFuture<?> deadline;
        private boolean answered;

        Exchange(String path, Supplier<String> scrape, Pages pages, Optional<String> expected, long timeoutNanos) {
            this.path = path;
            this.scrape = scrape;
            this.pages = pages;
            this.expected = expected;
            this.timeoutNanos = timeoutNanos;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            // the whole head (and a TLS handshake before it) within the timeout, however slowly it trickles in
            closeIn(ctx);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            ScheduledFuture<?> d = deadline;
            if (d != null) {
                d.cancel(false);
            }
        }

        /** Closes the connection one timeout from now, whatever it is doing then. */
        private void closeIn(ChannelHandlerContext ctx) {
            handlerRemoved(ctx);
            deadline = ctx.executor().schedule(() -> {
                ctx.close();
            }, timeoutNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (!(msg instanceof HttpRequest request) || answered) {
                return; // a body, or what follows the one request: the connection closes after the answer
            }
            answered = true;
            closeIn(ctx); // the answer, too, within one timeout: a client that does not read it is closed
            if (!request.decoderResult().isSuccess()) {
                reply(ctx, HttpResponseStatus.BAD_REQUEST, null, "bad request\n", true);
                return;
            }
            HttpMethod method = request.method();
            boolean head = method.equals(HttpMethod.HEAD);
            String target = request.uri();
            int q = target.indexOf('?');
            String asked = q < 0 ? target : target.substring(0, q);
            if (expected.isPresent() && !authorized(request.headers().get(HttpHeaderNames.AUTHORIZATION),
                    expected.get())) {
                FullHttpResponse r = response(HttpResponseStatus.UNAUTHORIZED, null, "authentication required\n",
                        !head);
                r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"pathprobe\", charset=\"UTF-8\"");
                send(ctx, r);
                return;
            }
            Optional<Page> page = asked.equals(path) ? Optional.empty() : pages.page(asked);
            if (!asked.equals(path) && page.isEmpty()) {
                reply(ctx, HttpResponseStatus.NOT_FOUND, null, "not found: the metrics are at " + path + "\n", !head);
            } else if (!method.equals(HttpMethod.GET) && !head) {
                FullHttpResponse r = response(HttpResponseStatus.METHOD_NOT_ALLOWED, null, "method not allowed\n",
                        true);
                r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
                send(ctx, r);
            } else if (page.isPresent()) {
                FullHttpResponse r = response(HttpResponseStatus.OK, page.get().contentType(), page.get().body(),
                        !head);
                r.headers().set("Content-Security-Policy", HtmlReport.CONTENT_SECURITY_POLICY)
                        .set("X-Content-Type-Options", "nosniff");
                send(ctx, r);
            } else {
                reply(ctx, HttpResponseStatus.OK, CONTENT_TYPE, scrape.get(), !head);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // the client went, or TLS failed: its connection is closed
        }

        private static boolean authorized(@Nullable String given, String expected) {
            return given != null && MessageDigest.isEqual(given.strip().getBytes(StandardCharsets.UTF_8),
                    expected.getBytes(StandardCharsets.UTF_8));
        }

        private static void reply(ChannelHandlerContext ctx, HttpResponseStatus status, @Nullable String type,
                String text, boolean body) {
            send(ctx, response(status, type, text, body));
        }

        private static FullHttpResponse response(HttpResponseStatus status, @Nullable String type, String text,
                boolean body) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    body ? Unpooled.wrappedBuffer(bytes) : Unpooled.EMPTY_BUFFER);
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, type != null ? type : "text/plain; charset=utf-8")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            return r;
        }

        private static void send(ChannelHandlerContext ctx, FullHttpResponse r) {
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** {@return the address the server listens on (its port chosen when asked for 0)} */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /** Stops serving at once: closes the listening socket and every open connection, and ends its thread. */
    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        open.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
