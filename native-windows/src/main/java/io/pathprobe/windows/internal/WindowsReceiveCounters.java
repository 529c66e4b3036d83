package io.pathprobe.windows.internal;

import io.pathprobe.nativecommon.ReceiveCounters;
import io.pathprobe.spi.TransportCounters;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the transport did with the completions the waiters handled ({@link ReceiveCounters}). An answer
 * (a reply structure IcmpParseReplies found) counts as read, then as delivered or dropped; a request
 * that ended without an answer (IP_REQ_TIMED_OUT, cancelled by closing its handle) read nothing from
 * the network and is counted apart ({@link #noAnswer}), as are the statuses the SPI has no kind for
 * ({@link #otherStatus}).
 */
final class WindowsReceiveCounters extends ReceiveCounters {
    private final Map<Integer, LongAdder> noAnswer = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> otherStatus = new ConcurrentHashMap<>();
    private final LongAdder abandoned = new LongAdder();

    /** A request ended without an answer; {@code code} is the IP_STATUS or Win32 error that said so. */
    void noAnswer(int code) {
        noAnswer.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    /** An answer of a status the SPI has no kind for (it is also counted read and dropped MALFORMED). */
    void otherStatus(int status) {
        otherStatus.computeIfAbsent(status, k -> new LongAdder()).increment();
    }

    /** A request whose completion never came before the transport stopped waiting. */
    void abandoned() {
        abandoned.increment();
    }

    long noAnswerCount(int code) {
        LongAdder a = noAnswer.get(code);
        return a == null ? 0 : a.sum();
    }

    long otherStatusCount(int status) {
        LongAdder a = otherStatus.get(status);
        return a == null ? 0 : a.sum();
    }

    long abandonedCount() {
        return abandoned.sum();
    }

    @Override
    public String toString() {
        TransportCounters c = snapshot();
        return "read=" + c.read() + ", delivered=" + c.delivered() + ", dropped=" + c.dropped() + ", noAnswer="
                + sums(noAnswer) + ", otherStatus=" + sums(otherStatus) + ", abandoned=" + abandoned.sum();
    }

    private static String sums(Map<Integer, LongAdder> m) {
        StringBuilder b = new StringBuilder("{");
        m.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(IcmpStatus.describe(k))
                .append('=').append(v.sum()));
        return b.append('}').toString();
    }
}
