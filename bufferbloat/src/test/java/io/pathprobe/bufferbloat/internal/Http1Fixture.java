package io.pathprobe.bufferbloat.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** A minimal plain HTTP/1.1 responsiveness server on 127.0.0.1 for tests (no h2, no TLS). */
final class Http1Fixture implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("fixture", true),
            NioIoHandler.newFactory());
    private final Channel server;
    private volatile String config;

    Http1Fixture(String configOverride) throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new Handler());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        int port = port();
        config = configOverride != null ? configOverride
                : "{\"version\":1,\"urls\":{\"large_download_url\":\"http://127.0.0.1:" + port + "/large\","
                        + "\"small_download_url\":\"http://127.0.0.1:" + port + "/small\","
                        + "\"upload_url\":\"http://127.0.0.1:" + port + "/upload\"},\"extra\":[1,true,null]}";
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        private boolean streaming;
        private boolean uploading;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest r) {
                    String path = r.uri();
                    if (path.equals("/.well-known/nq")) {
                        full(ctx, HttpResponseStatus.OK, config.getBytes(StandardCharsets.UTF_8));
                    } else if (path.equals("/small")) {
                        full(ctx, HttpResponseStatus.OK, new byte[] {'x'});
                    } else if (path.equals("/large")) {
                        DefaultHttpResponse resp = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                        resp.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                        ctx.writeAndFlush(resp);
                        streaming = true;
                        pump(ctx);
                    } else if (path.equals("/upload")) {
                        uploading = true;
                    } else {
                        full(ctx, HttpResponseStatus.NOT_FOUND, new byte[0]);
                    }
                }
                if (msg instanceof LastHttpContent && uploading) {
                    full(ctx, HttpResponseStatus.OK, new byte[0]);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void full(ChannelHandlerContext ctx, HttpResponseStatus st, byte[] body) {
            DefaultFullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, st, Unpooled.wrappedBuffer(body));
            resp.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
            ctx.writeAndFlush(resp);
        }

        private void pump(ChannelHandlerContext ctx) {
            while (streaming && ctx.channel().isActive() && ctx.channel().isWritable()) {
                ByteBuf b = ctx.alloc().buffer(16384).writeZero(16384);
                ctx.write(new DefaultHttpContent(b));
            }
            ctx.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (streaming && ctx.channel().isWritable()) {
                pump(ctx);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    static void unused(HttpContent c, ChannelFutureListener l) {}
}
