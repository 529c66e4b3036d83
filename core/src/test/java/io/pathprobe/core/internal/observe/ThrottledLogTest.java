package io.pathprobe.core.internal.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** At most one line per interval, on a made-up clock; the held-back lines are counted in the next one. */
class ThrottledLogTest {
    @Test
    void oneLinePerIntervalWithTheCountOfThoseHeldBack() {
        Logger jul = Logger.getLogger("io.pathprobe.test.throttled");
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        jul.setLevel(Level.FINE);
        jul.addHandler(h);
        try {
            AtomicLong now = new AtomicLong(5);
            ThrottledLog log = new ThrottledLog("io.pathprobe.test.throttled", 1000, now::get);
            AtomicLong built = new AtomicLong();
            for (int i = 0; i < 10; i++) {
                log.log(System.Logger.Level.DEBUG, () -> "failed " + built.incrementAndGet());
                now.addAndGet(99); // 10 calls within 1000 ns
            }
            assertThat(lines).containsExactly("failed 1");
            assertThat(built).hasValue(1); // a held-back message is never built
            now.addAndGet(1000);
            log.log(System.Logger.Level.DEBUG, () -> "failed again");
            assertThat(lines).containsExactly("failed 1", "failed again (9 similar line(s) held back)");
            log.log(System.Logger.Level.TRACE, () -> "below the level");
            assertThat(lines).hasSize(2);
        } finally {
            jul.removeHandler(h);
        }
    }
}
