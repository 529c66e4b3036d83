package io.pathprobe.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** What every connection of a server shares: the large body's bytes, counters, the configuration. */
final class ServerShared {
    private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+)(:\\d{1,5})?");
    private static final int DATA = 4 * 1024 * 1024;
    private final ByteBuf data;
    private final boolean tls;
    private final @Nullable String hostName;
    private final @Nullable String testEndpoint;
    private final int maxLoad;
    final AtomicLong queued = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong received = new AtomicLong();
    final AtomicInteger load = new AtomicInteger();
    volatile int port;
    volatile String fallbackHost = "127.0.0.1";

    ServerShared(boolean tls, @Nullable String hostName, @Nullable String testEndpoint, int maxLoad) {
        byte[] random = new byte[DATA];
        new SecureRandom().nextBytes(random);
        // read by every connection at once, never written, never freed: slices need no release
        this.data = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(random).asReadOnly());
        this.tls = tls;
        this.hostName = hostName;
        this.testEndpoint = testEndpoint;
        this.maxLoad = maxLoad;
    }

    ByteBuf data() {
        return data;
    }

    void queued(int n) {
        queued.addAndGet(n);
    }

    void sent(int n) {
        sent.addAndGet(n);
    }

    void received(int n) {
        received.addAndGet(n);
    }

    boolean tryStartLoad() {
        while (true) {
            int n = load.get();
            if (n >= maxLoad) {
                return false;
            }
            if (load.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void endLoad() {
        load.decrementAndGet();
    }

    /** The configuration for a request that named {@code host} (its Host header, may be absent or bad). */
    String configJson(@Nullable String host) {
        String authority;
        if (host != null && HOST.matcher(host).matches()) {
            authority = host;
        } else {
            authority = (hostName != null ? UrlHosts.bracket(hostName) : fallbackHost) + ":" + port;
        }
        String base = (tls ? "https://" : "http://") + authority;
        StringBuilder j = new StringBuilder(512);
        j.append("{\"version\":1,\"urls\":{");
        j.append("\"large_download_url\":\"").append(base).append("/large\",");
        j.append("\"small_download_url\":\"").append(base).append("/small\",");
        j.append("\"upload_url\":\"").append(base).append("/upload\",");
        j.append("\"large_https_download_url\":\"").append(base).append("/large\",");
        j.append("\"small_https_download_url\":\"").append(base).append("/small\",");
        j.append("\"https_upload_url\":\"").append(base).append("/upload\"}");
        if (testEndpoint != null) {
            j.append(",\"test_endpoint\":\"").append(testEndpoint).append('"');
        }
        return j.append("}\n").toString();
    }
}
