package io.pathprobe.cli.live;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * While the live screen owns the terminal, what is logged (a listener that threw, anything else a library logs through
 * {@code java.util.logging} or {@code System.Logger}) must not be written to stderr over it: this handler takes the
 * root logger's place, shows each record's message in the status lines ({@code warning: ...}) and holds its whole
 * text; {@link #close()} gives the root logger its handlers back and prints what it held to stderr, the normal screen
 * back by then. A record logged while the status line is drawn (JLine's own) is held only.
 */
final class ScreenLog extends Handler implements AutoCloseable {
    private final Logger root = Logger.getLogger("");
    private final Handler[] replaced;
    private final Consumer<String> status;
    private final PrintStream err;
    private final List<String> held = new ArrayList<>();
    private final ThreadLocal<Boolean> drawing = ThreadLocal.withInitial(() -> false);
    private boolean closed;

    private ScreenLog(Consumer<String> status, PrintStream err) {
        this.status = status;
        this.err = err;
        this.replaced = root.getHandlers();
        Level level = Level.INFO; // the console handler's default
        for (Handler h : replaced) {
            level = h.getLevel().intValue() < level.intValue() ? h.getLevel() : level;
        }
        setLevel(level);
        setFormatter(new SimpleFormatter());
    }

    /**
     * Takes the root logger's handlers' place until {@link #close()}.
     *
     * @param status shows a line in the status lines (and redraws)
     * @param err where the held records are printed at the end
     * @return the handler, installed
     */
    static ScreenLog install(Consumer<String> status, PrintStream err) {
        ScreenLog log = new ScreenLog(status, err);
        for (Handler h : log.replaced) {
            log.root.removeHandler(h);
        }
        log.root.addHandler(log);
        return log;
    }

    @Override
    public void publish(LogRecord r) {
        if (!isLoggable(r)) {
            return;
        }
        String text = getFormatter().format(r);
        synchronized (this) {
            if (closed) {
                err.print(text);
                return;
            }
            held.add(text);
        }
        if (drawing.get()) {
            return;
        }
        drawing.set(true);
        try {
            String message = getFormatter().formatMessage(r);
            int nl = message.indexOf('\n');
            status.accept(r.getLevel().getName().toLowerCase(java.util.Locale.ROOT) + ": "
                    + (nl < 0 ? message : message.substring(0, nl)).strip());
        } finally {
            drawing.set(false);
        }
    }

    @Override
    public void flush() {}

    /** The root logger's handlers back; what was held printed to stderr, in the order logged. Idempotent. */
    @Override
    public void close() {
        List<String> out;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            out = List.copyOf(held);
            held.clear();
        }
        root.removeHandler(this);
        for (Handler h : replaced) {
            root.addHandler(h);
        }
        out.forEach(err::print);
        err.flush();
    }
}
