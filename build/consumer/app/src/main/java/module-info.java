/** A user's application: only the API is required; the engine and the transports are bound as services. */
module org.example.traceapp {
    requires io.pathprobe.api;
    // only the --netty runs use Netty themselves (the netty-bom and netty41 variants)
    requires static io.netty.common;
    requires static io.netty.buffer;
    requires static io.netty.transport;
}
