package org.example.traceapp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.Version;
import java.nio.charset.StandardCharsets;

/**
 * The application's own Netty code, written against Netty 4.1's API (which Netty 4.2 keeps). It uses
 * netty-transport's classes only, so that it compiles against pathprobe-core alone too (core brings
 * netty-transport, not netty-handler); the --netty variants add netty-handler themselves.
 */
final class NettyUse {
    static String exercise() {
        int[] seen = {0};
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seen[0]++;
                ctx.fireChannelRead(msg);
            }
        });
        channel.writeInbound(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));
        ByteBuf in = channel.readInbound();
        String text = in.toString(StandardCharsets.US_ASCII);
        in.release();
        channel.finishAndReleaseAll();
        if (!text.equals("hello") || seen[0] != 1) {
            throw new IllegalStateException("Netty pipeline returned " + text);
        }
        Version handler = Version.identify().get("netty-handler");
        Version common = Version.identify().get("netty-common");
        return "a pipeline with a handler of the application's passed a message; netty-handler "
                + (handler == null ? "?" : handler.artifactVersion()) + ", netty-common "
                + (common == null ? "?" : common.artifactVersion());
    }

    private NettyUse() {
    }
}
