package io.pathprobe.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The requests of one HTTP/1.1 connection, or of one HTTP/2 stream (behind
 * {@code Http2StreamFrameToHttpObjectCodec}, so both speak {@code HttpObject}s). Runs on the channel's
 * event loop only: no state is shared but {@link ServerShared}'s counters.
 *
 * <p>The large body is written only while the channel is writable (for an HTTP/2 stream: its
 * flow-control window, the connection's and the socket's) <em>and</em> while fewer than
 * {@link #MAX_IN_FLIGHT} bytes of it are written but not yet on the socket; each completed write
 * resumes the pump. So a reader that stops reading stops the server, which then holds at most
 * {@code MAX_IN_FLIGHT} bytes for it (plus what the kernel's socket buffer holds).
 */
final class NqHandler extends ChannelInboundHandlerAdapter {
    /** Size of one write of the large body. */
    static final int CHUNK = 16 * 1024;
    /**
     * Most bytes of a large body written to Netty and not yet to the socket, per connection or stream.
     * Small on purpose (draft-09 asks servers to keep their send queues short): a self probe's answer
     * on a loaded connection waits behind this much, so a megabyte here would be the server's own
     * bufferbloat (400 ms at 20 Mbit/s), not the network's.
     */
    static final int MAX_IN_FLIGHT = 64 * 1024;

    private enum Route { CONFIG, SMALL, LARGE, UPLOAD, NOT_FOUND, BAD_METHOD, BUSY }

    private final ServerShared shared;
    private final boolean http2;
    private @Nullable Route route;
    private boolean keepAlive = true;
    private @Nullable String host;
    private long uploaded;
    private boolean loadCounted;
    // the large body
    private boolean streaming;
    private long inFlight;
    private int offset;
    private final ChannelFutureListener written = this::written;

    NqHandler(ServerShared shared, boolean http2) {
        this.shared = shared;
        this.http2 = http2;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest req) {
                request(ctx, req);
            }
            if (msg instanceof HttpContent c && route != null) {
                if (route == Route.UPLOAD) {
                    uploaded += c.content().readableBytes();
                    shared.received(c.content().readableBytes());
                }
                if (c instanceof LastHttpContent) {
                    respond(ctx);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void request(ChannelHandlerContext ctx, HttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            route = Route.NOT_FOUND;
            keepAlive = false;
            sendFull(ctx, HttpResponseStatus.BAD_REQUEST, "text/plain; charset=utf-8", "bad request\n");
            route = null;
            return;
        }
        keepAlive = HttpUtil.isKeepAlive(req);
        host = req.headers().get(HttpHeaderNames.HOST);
        String uri = req.uri();
        String path = uri;
        if (path.startsWith("http://") || path.startsWith("https://")) { // absolute form
            int slash = path.indexOf('/', path.indexOf("//") + 2);
            path = slash < 0 ? "/" : path.substring(slash);
        }
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        HttpMethod m = req.method();
        boolean get = m.equals(HttpMethod.GET);
        Route r = switch (path) {
            case "/.well-known/nq", "/config" -> get ? Route.CONFIG : Route.BAD_METHOD;
            case "/small" -> get ? Route.SMALL : Route.BAD_METHOD;
            case "/large" -> get ? Route.LARGE : Route.BAD_METHOD;
            case "/upload" -> m.equals(HttpMethod.POST) || m.equals(HttpMethod.PUT) ? Route.UPLOAD : Route.BAD_METHOD;
            default -> Route.NOT_FOUND;
        };
        if (r == Route.LARGE || r == Route.UPLOAD) {
            if (!shared.tryStartLoad()) {
                r = Route.BUSY;
            } else {
                loadCounted = true;
            }
        }
        route = r;
        uploaded = 0;
        if (r == Route.LARGE) {
            respond(ctx); // at once: a GET body, if any, is ignored
        }
    }

    private void respond(ChannelHandlerContext ctx) {
        Route r = route;
        if (r == null) {
            return;
        }
        route = null;
        switch (r) {
            case CONFIG -> sendFull(ctx, HttpResponseStatus.OK, "application/json", shared.configJson(host));
            case SMALL -> sendFull(ctx, HttpResponseStatus.OK, "application/octet-stream", new byte[] {'x'});
            case UPLOAD -> {
                endLoad();
                sendFull(ctx, HttpResponseStatus.OK, "text/plain; charset=utf-8", uploaded + "\n");
            }
            case LARGE -> startLarge(ctx);
            case NOT_FOUND -> sendFull(ctx, HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8", "not found\n");
            case BAD_METHOD -> sendFull(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
                    "method not allowed\n");
            case BUSY -> {
                HttpResponse busy = full(HttpResponseStatus.TOO_MANY_REQUESTS, "text/plain; charset=utf-8",
                        "busy: too many load connections\n".getBytes(StandardCharsets.UTF_8));
                busy.headers().set(HttpHeaderNames.RETRY_AFTER, "5");
                write(ctx, busy);
            }
        }
    }

    private void sendFull(ChannelHandlerContext ctx, HttpResponseStatus status, String type, String body) {
        sendFull(ctx, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private void sendFull(ChannelHandlerContext ctx, HttpResponseStatus status, String type, byte[] body) {
        write(ctx, full(status, type, body));
    }

    private void write(ChannelHandlerContext ctx, HttpResponse response) {
        if (!http2 && keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ChannelFuture f = ctx.writeAndFlush(response);
        if (!http2 && !keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static FullHttpResponse full(HttpResponseStatus status, String type, byte[] body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        headers(r, type);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return r;
    }

    private static void headers(HttpResponse r, String type) {
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    }

    private void startLarge(ChannelHandlerContext ctx) {
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        headers(r, "application/octet-stream");
        if (!http2) {
            HttpUtil.setTransferEncodingChunked(r, true); // endless; HTTP/2 needs no framing header
        }
        // which congestion control sends this body: the client's result names the load it measured under
        io.pathprobe.bufferbloat.internal.TcpCongestion.of(ctx.channel())
                .ifPresent(cc -> r.headers().set(io.pathprobe.bufferbloat.internal.TcpCongestion.HEADER, cc));
        streaming = true;
        offset = ThreadLocalRandom.current().nextInt(shared.data().capacity() / CHUNK) * CHUNK;
        ctx.write(r);
        pump(ctx.channel());
    }

    /** Writes chunks while the channel is writable and the in-flight bound allows; then flushes. */
    private void pump(Channel ch) {
        boolean wrote = false;
        while (streaming && ch.isActive() && ch.isWritable() && inFlight < MAX_IN_FLIGHT) {
            ByteBuf data = shared.data();
            ByteBuf chunk = data.slice(offset, CHUNK); // an unreleasable slice: nothing to free
            offset = (offset + CHUNK) % data.capacity();
            inFlight += CHUNK;
            shared.queued(CHUNK);
            ch.write(new DefaultHttpContent(chunk)).addListener(written);
            wrote = true;
        }
        if (wrote || streaming) {
            ch.flush(); // also the response head, when nothing could follow it yet
        }
    }

    private void written(ChannelFuture f) {
        inFlight -= CHUNK;
        shared.sent(CHUNK);
        if (!f.isSuccess()) {
            streaming = false;
            f.channel().close();
            return;
        }
        if (streaming) {
            pump(f.channel());
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (streaming && ctx.channel().isWritable()) {
            pump(ctx.channel());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        streaming = false;
        endLoad();
        ctx.fireChannelInactive();
    }

    private void endLoad() {
        if (loadCounted) {
            loadCounted = false;
            shared.endLoad();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a reset stream, a peer gone, a TLS alert: nothing to tell anyone but the peer
        streaming = false;
        ctx.close();
    }
}
