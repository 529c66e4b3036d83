package io.pathprobe.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.pathprobe.bufferbloat.internal.Tls;
import io.pathprobe.core.internal.logging.QuietSlf4j;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A responsiveness server: the server side of draft-ietf-ippm-responsiveness-09 (what Apple's
 * {@code networkQuality}, goresponsiveness and {@link io.pathprobe.PathTracer#testBufferbloat
 * pathprobe's bufferbloat test} measure against), on Netty.
 *
 * <pre>{@code
 * try (ResponsivenessServer server = ResponsivenessServer.builder()
 *         .bind(InetAddress.getByName("192.0.2.10"), 4443).build()) {
 *     server.start();
 *     System.out.println(server.urls().config()); // https://192.0.2.10:4443/.well-known/nq
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Endpoints.</b> {@code GET /.well-known/nq} (and its alias {@code /config}): the configuration,
 * {@code {"version":1,"urls":{"large_download_url":..,"small_download_url":..,"upload_url":..}}} (plus
 * Apple's {@code large_https_download_url}, {@code small_https_download_url}, {@code https_upload_url}
 * aliases and {@code test_endpoint} when set), with URLs on the scheme, host and port the client used
 * (its {@code Host} header or HTTP/2 {@code :authority}; else the configured {@link Builder#hostName
 * host name}; else the bound address). {@code GET /small}: 200, one byte,
 * {@code application/octet-stream}. {@code GET /large}: 200, an endless incompressible body
 * (random bytes), written only as fast as the client reads it. {@code POST /upload} (or {@code PUT}):
 * a body of any size, read and discarded; the answer is its length in bytes, in decimal, as
 * {@code text/plain}. Every answer has {@code Cache-Control: no-store} and no content encoding; query
 * strings are ignored; other paths get 404, other methods 405; more than
 * {@link Builder#maxLoadRequests} concurrent {@code /large} and {@code /upload} requests get 429 with
 * {@code Retry-After: 5}.
 *
 * <p><b>Protocols.</b> With TLS (the default): HTTP/2 and HTTP/1.1, chosen by ALPN ({@code h2}
 * preferred), TLS 1.3 and 1.2 through the JDK's {@code SSLEngine}; {@link Builder#http1Only()} offers
 * HTTP/1.1 only. Without TLS ({@link Builder#plain()}): HTTP/1.1 (no h2c). The certificate is either
 * given ({@link Builder#certificate(Path, Path)}: PEM chain and PKCS#8 PEM key) or made at
 * {@link #start()}: self-signed, EC P-256, for the {@link Builder#certificateNames names} given (host
 * names and IP addresses in its subjectAltName); clients must then skip verification (pathprobe's
 * {@code insecure(true)}, {@code --insecure}) or trust {@link #certificate()}.
 *
 * <p><b>Threads.</b> One acceptor thread ({@code pathprobe-nq-boss-*}) and a fixed group of I/O
 * threads ({@code pathprobe-nq-io-*}, {@link Builder#ioThreads default} up to 4), daemon threads, on
 * epoll when Netty's native transport is available, else NIO. Nothing blocks them. {@link #close()}
 * closes every connection and ends every thread before it returns.
 *
 * <p>Thread-safe. One {@link #start()} per server.
 */
public final class ResponsivenessServer implements AutoCloseable {
    /** The path of the configuration (RFC 8615). */
    public static final String CONFIG_PATH = "/.well-known/nq";
    /** HTTP/2 stream receive window (so an upload is not held to 64 KiB per round trip). */
    static final int STREAM_WINDOW = 8 * 1024 * 1024;
    /** HTTP/2 connection receive window. */
    static final int CONNECTION_WINDOW = 32 * 1024 * 1024;

    /** The URLs of a started server. */
    public record Urls(URI config, URI small, URI large, URI upload) {
        public Urls {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(small, "small");
            Objects.requireNonNull(large, "large");
            Objects.requireNonNull(upload, "upload");
        }
    }

    private final Builder b;
    private final Object lock = new Object();
    private @Nullable EventLoopGroup boss;
    private @Nullable EventLoopGroup io;
    /**
     * Every thread the groups made, joined by {@link #shutdown()}: a group's termination future completes just before
     * its threads exit.
     */
    private final java.util.Queue<Thread> threads = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private @Nullable Channel serverChannel;
    private @Nullable InetSocketAddress bound;
    private @Nullable X509Certificate certificate;
    private @Nullable ServerShared shared;
    private boolean started;
    private boolean closed;

    private ResponsivenessServer(Builder b) {
        this.b = b;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Makes the certificate (if self-signed), binds and starts serving; returns the bound address
     * (with the real port when port 0 was asked).
     *
     * @throws IOException the address cannot be bound, or the certificate or key cannot be read
     * @throws IllegalStateException started before, or closed
     */
    public InetSocketAddress start() throws IOException {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            if (started) {
                throw new IllegalStateException("started already");
            }
            started = true;
            SslContext ssl = b.tls ? sslContext() : null;
            boolean epoll = b.epoll && Epoll.isAvailable();
            IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
            Class<? extends ServerChannel> channelClass = epoll ? EpollServerSocketChannel.class
                    : NioServerSocketChannel.class;
            EventLoopGroup bossGroup = new MultiThreadIoEventLoopGroup(1,
                    tracked(new DefaultThreadFactory("pathprobe-nq-boss", true)), factory);
            EventLoopGroup ioGroup = new MultiThreadIoEventLoopGroup(b.ioThreads,
                    tracked(new DefaultThreadFactory("pathprobe-nq-io", true)), factory);
            boss = bossGroup;
            io = ioGroup;
            ServerShared s = new ServerShared(b.tls, b.hostName, b.testEndpoint, b.maxLoadRequests);
            shared = s;
            ServerBootstrap sb = new ServerBootstrap().group(bossGroup, ioGroup).channel(channelClass)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (ssl == null) {
                                http1(ch.pipeline(), s);
                            } else {
                                ch.pipeline().addLast(ssl.newHandler(ch.alloc()), new AlpnNegotiation(s));
                            }
                        }
                    });
            if (epoll) {
                // Keep the kernel's unsent queue short too (draft-09: TCP_NOTSENT_LOWAT), so a self
                // probe's answer is not queued behind megabytes of the large body on this host.
                sb.childOption(EpollChannelOption.TCP_NOTSENT_LOWAT, 16L * 1024);
            }
            try {
                Channel ch = sb.bind(new InetSocketAddress(b.address, b.port)).sync().channel();
                serverChannel = ch;
                bound = (InetSocketAddress) ch.localAddress();
                s.port = bound.getPort();
                s.fallbackHost = UrlHosts.hostText(UrlHosts.urlHost(bound.getAddress()));
                return bound;
            } catch (Exception e) { // Netty rethrows the bind's checked exception undeclared
                shutdown();
                if (e instanceof IOException io) {
                    throw io;
                }
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("cannot listen on " + UrlHosts.hostText(b.address) + ":" + b.port
                        + ": " + e.getMessage(), e);
            }
        }
    }

    private SslContext sslContext() throws IOException {
        SslContextBuilder scb;
        if (b.certFile != null && b.keyFile != null) {
            try (InputStream in = Files.newInputStream(b.certFile)) {
                certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            } catch (GeneralSecurityException e) {
                throw new IOException("not a PEM certificate: " + b.certFile + ": " + e.getMessage(), e);
            }
            try {
                scb = SslContextBuilder.forServer(b.certFile.toFile(), b.keyFile.toFile());
            } catch (IllegalArgumentException e) {
                throw new IOException("cannot read the certificate or key (PEM, key unencrypted PKCS#8): "
                        + e.getMessage(), e);
            }
        } else {
            LinkedHashSet<String> names = new LinkedHashSet<>();
            if (b.hostName != null) {
                names.add(b.hostName);
            }
            names.addAll(b.certificateNames);
            names.add("localhost");
            if (!b.address.isAnyLocalAddress()) {
                names.add(UrlHosts.hostText(b.address));
            }
            names.add("127.0.0.1");
            names.add("::1");
            try {
                SelfSigned.Generated g = SelfSigned.generate(new ArrayList<>(names), Duration.ofDays(365));
                certificate = g.certificate();
                scb = SslContextBuilder.forServer(g.key(), g.certificate());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot make a self-signed certificate", e);
            }
        }
        List<String> alpn = b.http1Only ? List.of(ApplicationProtocolNames.HTTP_1_1)
                : List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);
        try {
            return scb.sslProvider(Tls.provider())
                    .protocols("TLSv1.3", "TLSv1.2")
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn))
                    .build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    static void http1(ChannelPipeline p, ServerShared s) {
        p.addLast(new HttpServerCodec(), new HttpServerExpectContinueHandler(), new NqHandler(s, false));
    }

    /** The bound address; empty before {@link #start()}. */
    public Optional<InetSocketAddress> address() {
        synchronized (lock) {
            return Optional.ofNullable(bound);
        }
    }

    /**
     * The URLs, on the {@link Builder#hostName host name} if one was given, else on the bound address
     * (a wildcard address gives the loopback address of its family).
     *
     * @throws IllegalStateException not started
     */
    public Urls urls() {
        InetSocketAddress a;
        synchronized (lock) {
            if (bound == null) {
                throw new IllegalStateException("not started");
            }
            a = bound;
        }
        String host = b.hostName != null ? UrlHosts.bracket(b.hostName)
                : UrlHosts.hostText(UrlHosts.urlHost(a.getAddress()));
        String base = (b.tls ? "https://" : "http://") + host + ":" + a.getPort();
        return new Urls(URI.create(base + CONFIG_PATH), URI.create(base + "/small"), URI.create(base + "/large"),
                URI.create(base + "/upload"));
    }

    /** Whether the server speaks TLS. */
    public boolean tls() {
        return b.tls;
    }

    /** Whether the certificate was made at start (self-signed). */
    public boolean selfSigned() {
        return b.tls && b.certFile == null;
    }

    /** The server's certificate (made at start, or read from the given file); empty without TLS or before start. */
    public Optional<X509Certificate> certificate() {
        synchronized (lock) {
            return Optional.ofNullable(certificate);
        }
    }

    /** Stops serving: closes the listening socket and every connection, ends every thread. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            shutdown();
        }
    }

    private void shutdown() {
        Channel ch = serverChannel;
        if (ch != null) {
            ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        EventLoopGroup bg = boss;
        EventLoopGroup ig = io;
        if (bg != null) {
            bg.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        if (ig != null) {
            ig.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        if (bg != null) {
            bg.terminationFuture().awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        if (ig != null) {
            ig.terminationFuture().awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        threads.clear();
    }

    private java.util.concurrent.ThreadFactory tracked(java.util.concurrent.ThreadFactory f) {
        return r -> {
            Thread t = f.newThread(r);
            threads.add(t);
            return t;
        };
    }

    /** Bytes of large bodies handed to Netty, and of those, written to sockets (tests). */
    long largeBytesQueued() {
        ServerShared s = shared;
        return s == null ? 0 : s.queued.get();
    }

    long largeBytesSent() {
        ServerShared s = shared;
        return s == null ? 0 : s.sent.get();
    }

    long bytesReceived() {
        ServerShared s = shared;
        return s == null ? 0 : s.received.get();
    }

    int loadRequests() {
        ServerShared s = shared;
        return s == null ? 0 : s.load.get();
    }

    /** Options of a server. Set-once values are checked at once ({@link IllegalArgumentException}). */
    public static final class Builder {
        private InetAddress address = InetAddress.getLoopbackAddress();
        private int port;
        private boolean tls = true;
        private boolean http1Only;
        private @Nullable Path certFile;
        private @Nullable Path keyFile;
        private final List<String> certificateNames = new ArrayList<>();
        @Nullable String hostName;
        private @Nullable String testEndpoint;
        private int ioThreads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        private int maxLoadRequests = 512;
        private boolean epoll = true;

        private Builder() {}

        /** Listen on {@code address} and {@code port} (0: an ephemeral port). Default: the loopback address, port 0. */
        public Builder bind(InetAddress address, int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.address = Objects.requireNonNull(address, "address");
            this.port = port;
            return this;
        }

        /** Listen on an address. */
        public Builder bind(InetSocketAddress address) {
            if (address.isUnresolved()) {
                throw new IllegalArgumentException("an unresolved address: " + address);
            }
            return bind(address.getAddress(), address.getPort());
        }

        /** HTTP/1.1 without TLS (no HTTP/2: h2c is not offered). */
        public Builder plain() {
            this.tls = false;
            return this;
        }

        /** TLS on (default) or off. */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /** Offer only HTTP/1.1 in ALPN (a server as old ones are: for testing clients' fallbacks). */
        public Builder http1Only() {
            this.http1Only = true;
            return this;
        }

        /** Whether HTTP/2 is offered (default yes). */
        public Builder http1Only(boolean http1Only) {
            this.http1Only = http1Only;
            return this;
        }

        /**
         * Use this certificate chain (PEM) and key (PEM, unencrypted PKCS#8: {@code BEGIN PRIVATE KEY},
         * what {@code openssl req -nodes} writes) instead of a self-signed certificate.
         */
        public Builder certificate(Path chainPem, Path keyPem) {
            this.certFile = Objects.requireNonNull(chainPem, "chainPem");
            this.keyFile = Objects.requireNonNull(keyPem, "keyPem");
            return this;
        }

        /**
         * Names the self-signed certificate is for besides the {@link #hostName host name},
         * {@code localhost}, the bound address, {@code 127.0.0.1} and {@code ::1}: host names or IP
         * literals (literals go into the subjectAltName as IP addresses).
         */
        public Builder certificateNames(String... names) {
            for (String n : names) {
                certificateNames.add(checkHost(n));
            }
            return this;
        }

        /**
         * The host name of the URLs when a request does not name one (and of {@link #urls()}); also a
         * name of the self-signed certificate. Default: the bound address.
         */
        public Builder hostName(String host) {
            this.hostName = checkHost(host);
            return this;
        }

        /** The configuration's {@code test_endpoint}: where clients should connect, whatever the URLs' host. */
        public Builder testEndpoint(String host) {
            this.testEndpoint = checkHost(host);
            return this;
        }

        /** I/O threads (default: the processors, 1 to 4). */
        public Builder ioThreads(int n) {
            if (n < 1 || n > 64) {
                throw new IllegalArgumentException("ioThreads must be 1 to 64: " + n);
            }
            this.ioThreads = n;
            return this;
        }

        /** Concurrent {@code /large} and {@code /upload} requests before 429 (default 512). */
        public Builder maxLoadRequests(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxLoadRequests must be positive: " + n);
            }
            this.maxLoadRequests = n;
            return this;
        }

        /** Use epoll when available (default), else NIO; false: NIO always. */
        public Builder epoll(boolean epoll) {
            this.epoll = epoll;
            return this;
        }

        public ResponsivenessServer build() {
            if (!tls && certFile != null) {
                throw new IllegalArgumentException("a certificate needs TLS (not plain)");
            }
            // Netty probes SLF4J on first use: an application that starts a server before any tracer and
            // has no SLF4J provider stays quiet too
            QuietSlf4j.init(ResponsivenessServer.class.getClassLoader());
            return new ResponsivenessServer(this);
        }

        private static String checkHost(String host) {
            Objects.requireNonNull(host, "host");
            String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            if (h.isEmpty() || !h.matches("[A-Za-z0-9._:-]+")) {
                throw new IllegalArgumentException("not a host name or IP address: " + host);
            }
            return h;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // As a process

    /**
     * Runs a server until the process is stopped (SIGINT, SIGTERM) or, with {@code --until-eof}, until
     * its standard input ends. Arguments: {@code --listen ADDR:PORT} (an IP literal; IPv6 as
     * {@code [::1]:4443}; required), {@code --plain}, {@code --http1-only}, {@code --cert FILE --key FILE},
     * {@code --name HOST} (the URLs' host when a request names none, and a certificate name; repeatable:
     * the others are certificate names), {@code --test-endpoint HOST}, {@code --until-eof}. Prints one
     * line when ready: {@code ready <configuration URL>}. Exit code 2 for bad arguments or an address
     * that cannot be bound.
     */
    public static void main(String[] args) {
        int code = ServerProcess.run(args, System.in, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * {@code ADDR:PORT} with an IP literal ({@code 192.0.2.1:4443}, {@code [2001:db8::1]:4443},
     * {@code 0.0.0.0:4443}); names are refused (nothing is looked up).
     *
     * @throws IllegalArgumentException malformed
     */
    public static InetSocketAddress parseListen(String text) {
        String host;
        String portText;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "': the IPv6 address has no closing ']' (give "
                        + "[ADDR]:PORT, e.g. [::1]:4443)");
            }
            host = text.substring(1, close);
            if (!text.startsWith(":", close + 1) || close + 2 == text.length()) {
                throw new IllegalArgumentException("'" + text + "' is not [ADDR]:PORT (e.g. [::1]:4443)");
            }
            portText = text.substring(close + 2);
            if (host.indexOf(':') < 0) {
                throw new IllegalArgumentException("not an IPv6 address: " + text);
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new IllegalArgumentException("not ADDR:PORT: " + text);
            }
            host = text.substring(0, colon);
            portText = text.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException("'" + text + "': an IPv6 address goes in brackets, e.g. [" + host
                        + "]:" + portText);
            }
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port: " + portText);
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        byte[] raw = SelfSigned.ipLiteral(host);
        if (raw == null) {
            throw new IllegalArgumentException("not an IP address: " + host);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(raw), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + host);
        }
    }

}
