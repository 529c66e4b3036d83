package io.pathprobe.bufferbloat.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** One request of an {@link NqConnection} and its response, over HTTP/1.1 or as an HTTP/2 stream. */
final class NqExchange {
    private final NqConnection connection;
    final String path;
    final NqConnection.Mode mode;
    final @Nullable LongAdder bytes;
    final Consumer<Throwable> failed;
    @Nullable Consumer<NqConnection.Body> onEnd;
    @Nullable Consumer<String> congestion;
    long startNanos;
    int status;
    boolean ended;
    final java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();

    NqExchange(NqConnection connection, String path, NqConnection.Mode mode, @Nullable LongAdder bytes,
            Consumer<Throwable> failed) {
        this.connection = connection;
        this.path = path;
        this.mode = mode;
        this.bytes = bytes;
        this.failed = failed;
    }

    void fail(Throwable t) {
        if (!ended) {
            ended = true;
            failed.accept(t);
        }
    }

    void data(ByteBuf b) {
        int n = b.readableBytes();
        if (mode == NqConnection.Mode.DOWNLOAD && bytes != null) {
            bytes.add(n);
        } else if (mode == NqConnection.Mode.FETCH && body.size() < NqConnection.MAX_BODY) {
            int keep = Math.min(n, NqConnection.MAX_BODY - body.size());
            byte[] a = new byte[keep];
            b.getBytes(b.readerIndex(), a);
            body.write(a, 0, keep);
        }
    }

    void end() {
        if (ended) {
            return;
        }
        if (mode != NqConnection.Mode.FETCH) {
            fail(new IOException("the server ended the " + (mode == NqConnection.Mode.DOWNLOAD ? "download" : "upload")
                    + " of " + path));
            return;
        }
        ended = true;
        if (onEnd != null) {
            onEnd.accept(new NqConnection.Body(connection.ticker.getAsLong() - startNanos, body.toByteArray()));
        }
    }

    /** The response's headers: a download hears the sender's congestion control when the server names it. */
    void headers(@Nullable CharSequence congestionHeader) {
        Consumer<String> c = congestion;
        if (c != null && congestionHeader != null && TcpCongestion.valid(congestionHeader.toString())) {
            c.accept(congestionHeader.toString());
        }
    }

    boolean statusOk(int code) {
        status = code;
        if (code != 200) {
            fail(new NqConnection.HttpStatusException(code, path));
            return false;
        }
        return true;
    }

    // ---- HTTP/2
    void sendH2(Http2StreamChannel s) {
        Http2Headers h = new DefaultHttp2Headers().method(mode == NqConnection.Mode.UPLOAD ? "POST" : "GET")
                .scheme(connection.endpoint.tls() ? "https" : "http")
                .authority(connection.endpoint.authority()).path(path);
        h.set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.IDENTITY);
        if (mode == NqConnection.Mode.UPLOAD) {
            h.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
        }
        s.writeAndFlush(new DefaultHttp2HeadersFrame(h, mode != NqConnection.Mode.UPLOAD)).addListener(f -> {
            if (!f.isSuccess()) {
                fail(f.cause());
            } else if (mode == NqConnection.Mode.UPLOAD) {
                pump(s, true);
            }
        });
    }

    ChannelInboundHandlerAdapter h2Handler() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                    if (msg instanceof Http2HeadersFrame hf) {
                        CharSequence st = hf.headers().status();
                        if (st != null && !statusOk(Integer.parseInt(st.toString()))) {
                            ctx.close();
                            return;
                        }
                        if (st != null) {
                            headers(hf.headers().get(TcpCongestion.HEADER));
                        }
                        if (hf.isEndStream()) {
                            end();
                            ctx.close();
                        }
                    } else if (msg instanceof Http2DataFrame df) {
                        data(df.content());
                        if (df.isEndStream()) {
                            end();
                            ctx.close();
                        }
                    } else if (msg instanceof Http2ResetFrame rf) {
                        fail(new IOException("the server reset the stream of " + path + " (error "
                                + rf.errorCode() + ")"));
                    }
                } finally {
                    ReferenceCountUtil.release(msg);
                }
            }

            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                if (mode == NqConnection.Mode.UPLOAD && ctx.channel().isWritable()) {
                    pump(ctx.channel(), true);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                if (!connection.closing) {
                    fail(new IOException("the stream of " + path + " closed"));
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                fail(cause);
                ctx.close();
            }
        };
    }

    /** Writes upload chunks while the channel takes them; each chunk counts once written. */
    void pump(Channel c, boolean h2frames) {
        int budget = 64; // a bounded burst per call: the loop stays responsive to probes
        while (c.isActive() && c.isWritable() && !ended && budget-- > 0) {
            ByteBuf chunk = NqConnection.UPLOAD_CHUNK.duplicate();
            Object msg = h2frames ? new DefaultHttp2DataFrame(chunk, false) : new DefaultHttpContent(chunk);
            c.write(msg).addListener(f -> {
                if (f.isSuccess() && bytes != null) {
                    bytes.add(NqConnection.CHUNK);
                }
            });
        }
        c.flush();
        if (c.isActive() && c.isWritable() && !ended) {
            c.eventLoop().execute(() -> pump(c, h2frames));
        }
    }

    // ---- HTTP/1.1
    void sendH1(Channel c) {
        HttpRequest r;
        if (mode == NqConnection.Mode.UPLOAD) {
            r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path);
            r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
        } else {
            r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
        }
        r.headers().set(HttpHeaderNames.HOST, connection.endpoint.authority());
        r.headers().set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.IDENTITY);
        c.writeAndFlush(r).addListener(f -> {
            if (!f.isSuccess()) {
                fail(f.cause());
            } else if (mode == NqConnection.Mode.UPLOAD) {
                pump(c, false);
            }
        });
    }

    ChannelInboundHandlerAdapter h1Handler() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                    if (msg instanceof HttpResponse r) {
                        if (!statusOk(r.status().code())) {
                            ctx.close();
                            return;
                        }
                        headers(r.headers().get(TcpCongestion.HEADER));
                    }
                    if (msg instanceof HttpContent hc) {
                        data(hc.content());
                        if (msg instanceof LastHttpContent) {
                            end();
                            ctx.pipeline().remove(this);
                        }
                    }
                } finally {
                    ReferenceCountUtil.release(msg);
                }
            }

            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
                if (mode == NqConnection.Mode.UPLOAD && ctx.channel().isWritable()) {
                    pump(ctx.channel(), false);
                }
                super.channelWritabilityChanged(ctx);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                if (!connection.closing) {
                    fail(new IOException("the server closed the connection during " + path));
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                fail(cause);
                ctx.close();
            }
        };
    }
}
