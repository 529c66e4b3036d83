package io.pathprobe.cli;

import io.pathprobe.cli.live.LiveScreen;
import io.pathprobe.cli.live.ScreenModel;
import io.pathprobe.evidence.MonitorMasking;
import io.pathprobe.monitor.MonitorEvent;
import io.pathprobe.monitor.MonitorListener;
import io.pathprobe.monitor.MonitorRound;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * {@code pathprobe mtr} on a terminal: the live screen ({@link LiveScreen}, mtr's keys) of every monitor of the run.
 * One instance hears every monitor: each round goes to the {@link ScreenModel}, masked as {@code --mask} asks, each
 * event to its status lines as the event lines print it, and the screen is redrawn.
 */
final class LiveTable implements AutoCloseable {
    private final ScreenModel model;
    private final LiveScreen screen;

    private LiveTable(ScreenModel model, LiveScreen screen) {
        this.model = model;
        this.screen = screen;
    }

    /**
     * The screen on this process's terminal, or null when JLine cannot drive it (the command prints event lines).
     * {@code quit}: what {@code q} does (stop the monitors).
     */
    static @Nullable LiveTable open(ScreenModel model, Runnable quit) {
        try {
            return new LiveTable(model, LiveScreen.open(model, quit));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The listener of {@code target}'s monitor; {@code prefix} starts its event lines. */
    MonitorListener listener(String target, String prefix, MonitorMasking mask) {
        return new MonitorListener() {
            private volatile @Nullable MonitorRound last;

            @Override
            public void roundCompleted(MonitorRound round) {
                MonitorRound masked = mask.apply(round);
                last = masked;
                model.round(target, masked);
                screen.redraw();
            }

            @Override
            public void event(MonitorEvent event) {
                model.event(prefix + MtrCommand.withReason(mask.apply(event), last));
                screen.redraw();
            }
        };
    }

    /**
     * Leaves the screen for the reports that replace it. A monitor's listener may still hear its last rounds after its
     * result is complete (listeners run on their own executor): the closed screen draws nothing.
     */
    @Override
    public void close() {
        screen.close();
    }
}
