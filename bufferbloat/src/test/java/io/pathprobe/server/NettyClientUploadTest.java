package io.pathprobe.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An HTTP/2 upload from a Netty client (what the bufferbloat load generator is): the server's windows let it run fast. */
class NettyClientUploadTest {
    @Test
    void http2UploadFromNetty() throws Exception {
        long size = 200L * 1024 * 1024;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (ResponsivenessServer server = ResponsivenessServer.builder().build()) {
            InetSocketAddress a = server.start();
            SslContext ssl = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
                    .build();
            Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(ssl.newHandler(c.alloc(), "127.0.0.1", a.getPort()),
                                    Http2FrameCodecBuilder.forClient().build(),
                                    new Http2MultiplexHandler(new SimpleChannelInboundHandler<Object>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {}
                                    }));
                        }
                    }).connect(a).sync().channel();
            ch.pipeline().get(SslHandler.class).handshakeFuture().sync();
            CompletableFuture<String> answer = new CompletableFuture<>();
            StringBuilder body = new StringBuilder();
            Http2StreamChannel stream = new Http2StreamChannelBootstrap(ch).handler(new ChannelInitializer<Http2StreamChannel>() {
                @Override
                protected void initChannel(Http2StreamChannel c) {
                    c.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false), new SimpleChannelInboundHandler<HttpObject>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
                            if (msg instanceof HttpContent hc) {
                                body.append(hc.content().toString(StandardCharsets.US_ASCII));
                                if (msg instanceof LastHttpContent) {
                                    answer.complete(body.toString().trim());
                                }
                            }
                        }
                    });
                }
            }).open().sync().getNow();
            ByteBuf chunk = Unpooled.unreleasableBuffer(Unpooled.directBuffer(64 * 1024).writeZero(64 * 1024));
            long t0 = System.nanoTime();
            CompletableFuture<Void> sent = new CompletableFuture<>();
            stream.eventLoop().execute(() -> {
                DefaultHttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/upload");
                req.headers().set(HttpHeaderNames.HOST, "127.0.0.1:" + a.getPort());
                stream.write(req);
                new Object() {
                    long left = size;

                    void pump() {
                        while (left > 0 && stream.isWritable()) {
                            left -= 64 * 1024;
                            stream.write(new DefaultHttpContent(chunk.duplicate()));
                        }
                        if (left == 0) {
                            stream.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                            sent.complete(null);
                            return;
                        }
                        stream.flush();
                        stream.eventLoop().schedule(this::pump, 200, TimeUnit.MICROSECONDS);
                    }
                }.pump();
            });
            assertThat(answer.get(60, TimeUnit.SECONDS)).isEqualTo(Long.toString(size));
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("h2 upload from Netty: 200 MiB in %.2f s = %.0f Mbit/s%n", s, size * 8 / s / 1e6);
            ch.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
