package io.pathprobe.cli.live;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;
import org.jspecify.annotations.Nullable;

/**
 * {@code pathprobe mtr}'s live screen on the terminal, drawn with JLine: the alternate screen in raw mode (no echo,
 * a key at a time; Ctrl-C still interrupts), redrawn by JLine's {@link Display} (only what changed) after every round,
 * key and resize ({@code SIGWINCH}). The terminal is restored (its attributes, the normal screen, the cursor) on every
 * way out: {@code q} (the {@code quit} action stops the monitors, then the command closes the screen and prints the
 * report), Ctrl-C ({@code SIGINT}: restored, then the JVM exits with 130 as before, its shutdown hook printing the
 * report), {@code SIGTERM} (a shutdown hook of its own) and an error ({@link #close()} in a {@code finally}). Ctrl-Z
 * ({@code SIGTSTP}) restores it too and stops the process; {@code fg} ({@code SIGCONT}) enters raw mode and the
 * alternate screen again and draws the screen whole. While the screen is up, what is logged goes to its status lines
 * and is printed to stderr once it is left ({@link ScreenLog}), never over it.
 */
public final class LiveScreen implements AutoCloseable {
    private final ScreenModel model;
    private final Terminal terminal;
    private final Attributes saved;
    private final Display display;
    private final Runnable quit;
    private final Thread keys;
    private final Thread hook;
    private @Nullable ScreenLog log;
    private boolean closed;
    private boolean suspended;
    private Size size;

    private LiveScreen(ScreenModel model, Terminal terminal, Runnable quit) {
        this.model = model;
        this.terminal = terminal;
        this.quit = quit;
        this.saved = terminal.enterRawMode();
        this.size = terminal.getSize();
        this.display = new Display(terminal, true);
        this.hook = new Thread(this::close, "pathprobe-mtr-terminal");
        this.keys = new Thread(this::readKeys, "pathprobe-mtr-keys");
    }

    /**
     * Opens the screen on this process's terminal.
     *
     * @param model what the screen shows
     * @param quit what {@code q} does: stop the monitors (the command then closes the screen and prints the report)
     * @return the screen, drawn once
     * @throws IOException when this process has no terminal JLine can drive (then the command prints event lines)
     */
    public static LiveScreen open(ScreenModel model, Runnable quit) throws IOException {
        Terminal terminal = builder().build();
        if (Terminal.TYPE_DUMB.equals(terminal.getType()) || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
            terminal.close();
            throw new IOException("a dumb terminal");
        }
        LiveScreen s = new LiveScreen(model, terminal, quit);
        Runtime.getRuntime().addShutdownHook(s.hook);
        terminal.handle(Terminal.Signal.WINCH, sig -> s.resized());
        terminal.handle(Terminal.Signal.INT, sig -> s.interrupted());
        terminal.handle(Terminal.Signal.TSTP, sig -> s.suspended());
        terminal.handle(Terminal.Signal.CONT, sig -> s.resumed());
        terminal.puts(Capability.enter_ca_mode);
        terminal.puts(Capability.cursor_invisible);
        terminal.puts(Capability.clear_screen);
        terminal.flush();
        s.redraw();
        // what is logged from here on goes to the status lines, held for stderr until the screen is left
        ScreenLog log = ScreenLog.install(line -> {
            model.event(line);
            if (!Thread.holdsLock(s)) { // logged while drawing (JLine's): drawn with the next redraw
                s.redraw();
            }
        }, System.err);
        synchronized (s) {
            s.log = log;
        }
        s.keys.setDaemon(true);
        s.keys.start();
        return s;
    }

    /** {@code SIGWINCH}: the terminal's size read again (exec's costs a process: not at every redraw), a redraw. */
    private void resized() {
        synchronized (this) {
            if (!closed) {
                size = terminal.getSize();
            }
        }
        redraw();
    }

    /**
     * JLine's exec provider (it runs {@code stty}) on Unix, with its pipes and descriptors made without JLine's native
     * library: JLine would extract that library to the temp directory under a name anyone can know, and a root
     * process must load nothing from there. On Windows, JLine's JNI provider (its own native library; no stty).
     */
    private static TerminalBuilder builder() {
        boolean windows = System.getProperty("os.name", "").startsWith("Windows");
        if (!windows) {
            System.setProperty(TerminalBuilder.PROP_FILE_DESCRIPTOR_CREATION_MODE,
                    TerminalBuilder.PROP_FILE_DESCRIPTOR_CREATION_MODE_REFLECTION);
            System.setProperty(TerminalBuilder.PROP_REDIRECT_PIPE_CREATION_MODE,
                    TerminalBuilder.PROP_REDIRECT_PIPE_CREATION_MODE_REFLECTION);
        }
        return TerminalBuilder.builder().system(true).dumb(false).ffm(false).jansi(false).jna(false).jni(windows)
                .exec(!windows);
    }

    /** Draws the screen as the model is now, at the terminal's size; nothing once closed. */
    public synchronized void redraw() {
        if (closed || suspended) {
            return;
        }
        int rows = size.getRows() > 0 ? size.getRows() : 24;
        int columns = size.getColumns() > 0 ? size.getColumns() : 80;
        // a list of our own: JLine keeps it as the screen drawn and edits it when lines move up (a status line
        // scrolling away); an unmodifiable one made that update throw and left the screen half drawn
        List<AttributedString> lines = model.lines(columns, rows).stream().map(AttributedString::new)
                .collect(Collectors.toCollection(ArrayList::new));
        display.resize(rows, columns);
        display.update(lines, -1);
        terminal.flush();
    }

    /** Ctrl-C: the terminal restored first, then the JVM's exit as the default handler makes it (130). */
    private void interrupted() {
        close();
        new Thread(() -> System.exit(130), "pathprobe-mtr-interrupt").start();
    }

    /**
     * Ctrl-Z ({@code SIGTSTP}): the terminal restored as {@link #close()} restores it, then this process stopped
     * ({@code SIGSTOP}: JLine's handler holds {@code SIGTSTP}), the shell's job control taking over.
     */
    private void suspended() {
        synchronized (this) {
            if (closed || suspended) {
                return;
            }
            suspended = true;
            leave();
        }
        try {
            new ProcessBuilder("kill", "-STOP", Long.toString(ProcessHandle.current().pid())).start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code SIGCONT} after Ctrl-Z ({@code fg}): raw mode and the alternate screen again, drawn whole. */
    private void resumed() {
        synchronized (this) {
            if (closed || !suspended) {
                return;
            }
            suspended = false;
            terminal.enterRawMode();
            terminal.puts(Capability.enter_ca_mode);
            terminal.puts(Capability.cursor_invisible);
            terminal.puts(Capability.clear_screen);
            display.reset(); // the screen was cleared: every line drawn again
            size = terminal.getSize();
        }
        redraw();
    }

    /** The normal screen, the cursor and the terminal's attributes back as they were before the screen. */
    private void leave() {
        terminal.puts(Capability.cursor_visible);
        terminal.puts(Capability.exit_ca_mode);
        terminal.flush();
        terminal.setAttributes(saved);
    }

    private void readKeys() {
        NonBlockingReader reader = terminal.reader();
        try {
            while (!isClosed()) {
                int c = reader.read(200);
                if (c == NonBlockingReader.READ_EXPIRED) {
                    continue;
                }
                if (c < 0) {
                    return;
                }
                if (model.key(c) == ScreenModel.Action.QUIT) {
                    quit.run();
                    return;
                }
                redraw();
            }
        } catch (IOException e) {
            if (!isClosed()) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Leaves the screen: the normal screen and the cursor back, the terminal's attributes as they were; idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!suspended) {
                leave();
            }
            terminal.close(); // JLine's signal handlers go: Ctrl-C is the JVM's again
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (log != null) {
                log.close(); // the normal screen back: what was logged while it was up, printed
            }
            if (Thread.currentThread() != hook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // shutting down: the hook runs, and finds the screen closed
                }
            }
        }
    }
}
