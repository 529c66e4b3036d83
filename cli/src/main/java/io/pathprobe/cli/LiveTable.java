package io.pathprobe.cli;

import io.pathprobe.Measurement;
import io.pathprobe.monitor.MonitorEvent;
import io.pathprobe.monitor.MonitorListener;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorRound;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
/**
 * {@code pathprobe mtr} on a terminal: mtr's table of every monitor, redrawn in place after each round
 * (cursor home, clear the screen, the table), with the latest events under it. One instance is the
 * listener of every monitor of the run; redraws are serialized.
 */
final class LiveTable {
    /** ANSI: cursor home, then erase the whole screen. */
    static final String CLEAR = "\033[H\033[2J";
    private static final int EVENTS_SHOWN = 8;

    private final PrintStream out;
    private final List<Measurement<MonitorRequest, MonitorResult>> monitors = new ArrayList<>();
    private final ArrayDeque<String> events = new ArrayDeque<>();
    private boolean finished;

    /** How a monitor's table reads (mtr's report, its responders named as the options ask). */
    private final java.util.function.Function<io.pathprobe.monitor.MonitorResult, String> text;

    LiveTable(PrintStream out, java.util.function.Function<io.pathprobe.monitor.MonitorResult, String> text) {
        this.out = out;
        this.text = text;
    }

    /** The listener of one target's monitor; {@code prefix} starts its event lines. */
    MonitorListener listener(String prefix) {
        return listener(prefix, new io.pathprobe.evidence.MonitorMasking(io.pathprobe.evidence.Masking.NONE));
    }

    /** As {@link #listener(String)}; the event lines masked as {@code --mask} asks ({@code mask}). */
    MonitorListener listener(String prefix, io.pathprobe.evidence.MonitorMasking mask) {
        return new MonitorListener() {
            private volatile @org.jspecify.annotations.Nullable MonitorRound last;

            @Override
            public void roundCompleted(MonitorRound round) {
                last = mask.apply(round);
                redraw();
            }

            @Override
            public void event(MonitorEvent event) {
                synchronized (LiveTable.this) {
                    events.addLast(prefix + MtrCommand.withReason(mask.apply(event), last));
                    while (events.size() > EVENTS_SHOWN) {
                        events.removeFirst();
                    }
                }
                redraw();
            }
        };
    }

    /** The monitors to draw, once started. */
    synchronized void show(List<Measurement<MonitorRequest, MonitorResult>> started) {
        monitors.addAll(started);
    }

    /** Draws every monitor's table as it is now, in place; nothing once {@link #finish() finished}. */
    synchronized void redraw() {
        if (finished) {
            return;
        }
        StringBuilder b = new StringBuilder(CLEAR);
        b.append("pathprobe mtr (Ctrl-C: stop and print the report)\n\n");
        for (Measurement<MonitorRequest, MonitorResult> m : monitors) {
            b.append(text.apply(m.snapshot())).append("\n\n");
        }
        if (!events.isEmpty()) {
            b.append("latest events:\n");
            events.forEach(e -> b.append("  ").append(e).append('\n'));
        }
        synchronized (out) {
            out.print(b);
            out.flush();
        }
    }

    /**
     * Clears the table for the reports that replace it. A monitor's listener may still hear its last
     * rounds after its result is complete (listeners run on their own executor): those redraws are
     * dropped, so nothing draws the table over the reports.
     */
    synchronized void finish() {
        finished = true;
        synchronized (out) {
            out.print(CLEAR);
            out.flush();
        }
    }
}
