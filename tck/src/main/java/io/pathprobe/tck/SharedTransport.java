package io.pathprobe.tck;

import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import org.jspecify.annotations.Nullable;

/** The transport a kit's tests share, for both kits: opened before all tests, closed after. */
final class SharedTransport {
    private @Nullable ProbeTransport transport;

    void open(ProbeTransportProvider provider) {
        transport = provider.open();
    }

    /** The open transport; throws when it was not opened. */
    ProbeTransport get() {
        ProbeTransport t = transport;
        if (t == null) {
            throw new IllegalStateException("transport not open");
        }
        return t;
    }

    void close() {
        ProbeTransport t = transport;
        if (t != null) {
            t.close();
        }
    }
}
