package io.pathprobe.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;

/** After the TLS handshake: HTTP/2 or HTTP/1.1, as ALPN chose. Failed handshakes close quietly. */
final class AlpnNegotiation extends ApplicationProtocolNegotiationHandler {
    private final ServerShared s;

    AlpnNegotiation(ServerShared s) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.s = s;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            ctx.pipeline().addLast(
                    Http2FrameCodecBuilder.forServer()
                            .initialSettings(Http2Settings.defaultSettings()
                                    .initialWindowSize(ResponsivenessServer.STREAM_WINDOW).maxConcurrentStreams(256))
                            .build(),
                    new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                        @Override
                        protected void initChannel(Http2StreamChannel ch) {
                            ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                                    new HttpServerExpectContinueHandler(), new NqHandler(s, true));
                        }
                    }),
                    // the connection's own errors (a peer that resets it at the end of a test): closed
                    // quietly, not logged by Netty as unhandled at the pipeline's tail
                    new ChannelInboundHandlerAdapter() {
                        @Override
                        public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
                            c.close();
                        }
                    });
            // the connection window: 64 KiB by default whatever the settings say
            ctx.channel()
                    .writeAndFlush(new DefaultHttp2WindowUpdateFrame(ResponsivenessServer.CONNECTION_WINDOW - 65_535));
        } else if (ApplicationProtocolNames.HTTP_1_1.equals(protocol)) {
            ResponsivenessServer.http1(ctx.pipeline(), s);
        } else {
            ctx.close();
        }
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a client rejecting the certificate, or not speaking TLS: its business
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
