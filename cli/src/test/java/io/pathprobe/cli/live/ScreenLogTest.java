package io.pathprobe.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** What is logged while the live screen is up: in the status lines, held, and printed only after the screen. */
class ScreenLogTest {
    @Test
    void aWarningGoesToTheStatusLineAndIsPrintedOnlyWhenTheScreenIsLeft() {
        Logger root = Logger.getLogger("");
        List<String> console = new CopyOnWriteArrayList<>();
        Handler before = new Handler() {
            @Override
            public void publish(LogRecord r) {
                console.add(r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        root.addHandler(before);
        List<String> status = new CopyOnWriteArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try {
            ScreenLog log = ScreenLog.install(status::add, err);
            System.getLogger("io.pathprobe.test").log(System.Logger.Level.WARNING,
                    "the listener of the monitor threw (ignored)\nat its second line");
            Logger.getLogger("io.pathprobe.test").fine("below the console's level");
            assertThat(status).containsExactly("warning: the listener of the monitor threw (ignored)");
            assertThat(console).as("nothing reaches the handlers that write to the terminal").isEmpty();
            assertThat(bytes.size()).as("nothing printed while the screen is up").isZero();

            log.close();
            String printed = bytes.toString(StandardCharsets.UTF_8);
            assertThat(printed).contains("WARNING: the listener of the monitor threw (ignored)\nat its second line")
                    .doesNotContain("below the console's level");
            assertThat(root.getHandlers()).contains(before).doesNotContain(log);
            Logger.getLogger("io.pathprobe.test").warning("after the screen");
            assertThat(console).containsExactly("after the screen");
            assertThat(status).hasSize(1);
        } finally {
            root.removeHandler(before);
        }
    }

    @Test
    void aRecordLoggedWhileTheStatusLineIsDrawnIsHeldNotDrawnAgain() {
        List<String> status = new CopyOnWriteArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ScreenLog log = ScreenLog.install(line -> {
            status.add(line);
            Logger.getLogger("org.jline.test").warning("the drawing's own warning");
        }, err);
        Logger.getLogger("io.pathprobe.test").warning("first");
        log.close();
        assertThat(status).containsExactly("warning: first");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).containsSubsequence("first", "the drawing's own warning");
    }
}
