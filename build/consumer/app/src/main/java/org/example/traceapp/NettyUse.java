package org.example.traceapp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.logging.LogLevel;
import io.netty.handler.logging.LoggingHandler;
import io.netty.util.Version;
import java.nio.charset.StandardCharsets;

/** The application's own Netty code, written against Netty 4.1's API (which Netty 4.2 keeps). */
final class NettyUse {
    static String exercise() {
        EmbeddedChannel channel = new EmbeddedChannel(new LoggingHandler(LogLevel.TRACE));
        channel.writeInbound(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));
        ByteBuf in = channel.readInbound();
        String text = in.toString(StandardCharsets.US_ASCII);
        in.release();
        channel.finishAndReleaseAll();
        if (!text.equals("hello")) {
            throw new IllegalStateException("Netty pipeline returned " + text);
        }
        Version handler = Version.identify().get("netty-handler");
        Version common = Version.identify().get("netty-common");
        return "a pipeline with a LoggingHandler passed a message; netty-handler "
                + (handler == null ? "?" : handler.artifactVersion()) + ", netty-common "
                + (common == null ? "?" : common.artifactVersion());
    }

    private NettyUse() {
    }
}
