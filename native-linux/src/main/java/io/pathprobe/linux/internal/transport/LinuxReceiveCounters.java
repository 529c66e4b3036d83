package io.pathprobe.linux.internal.transport;

import io.pathprobe.nativecommon.ReceiveCounters;
import io.pathprobe.spi.TransportCounters;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Linux transports' {@link ReceiveCounters}, and the unexpected failures on the I/O thread (caught, logged):
 * diagnostics, not part of the SPI counters.
 */
final class LinuxReceiveCounters extends ReceiveCounters {
    private final LongAdder loopFailures = new LongAdder();

    void loopFailure() {
        loopFailures.increment();
    }

    long loopFailures() {
        return loopFailures.sum();
    }

    @Override
    public String toString() {
        TransportCounters c = snapshot();
        return "read=" + c.read() + ", delivered=" + c.delivered() + ", dropped=" + c.dropped()
                + ", loopFailures=" + loopFailures();
    }
}
