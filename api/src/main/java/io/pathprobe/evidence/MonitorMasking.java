package io.pathprobe.evidence;

import io.pathprobe.monitor.MonitorEvent;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorRound;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link Masking} applied to a running monitor's rounds, events and results as they come
 * ({@code pathprobe mtr --mask}): it remembers every address a round or an event showed at a hidden TTL, so that a
 * hop that changed at a hidden TTL hides its old responder, which the round that reports the change no longer shows.
 * One per monitor (its destination is never hidden); safe to call from its listener and the caller's thread at once.
 */
public final class MonitorMasking {
    private Masking masking;
    private Optional<InetAddress> destination = Optional.empty();

    /**
     * A masking with nothing learnt yet.
     *
     * @param masking the masking asked for
     */
    public MonitorMasking(Masking masking) {
        this.masking = masking;
    }

    /**
     * {@return the round masked ({@link Masking#apply(MonitorRound)}) by what it and the earlier rounds showed}
     *
     * @param round one round of the monitor
     */
    public synchronized MonitorRound apply(MonitorRound round) {
        masking = MaskedResults.learn(masking, round);
        destination = round.trace().destination();
        return MaskedResults.apply(masking, round);
    }

    /**
     * {@return the event masked by what it and the earlier rounds showed (the destination never hidden)}
     *
     * @param event an event of the monitor
     */
    public synchronized MonitorEvent apply(MonitorEvent event) {
        List<InetAddress> hidden = new ArrayList<>();
        MaskedResults.learn(masking, event, hidden);
        masking = masking.hiding(hidden);
        return MaskedResults.apply(masking, event, destination);
    }

    /**
     * {@return the result masked ({@link Masking#apply(MonitorResult)}) by what it and the rounds showed}
     *
     * @param r the monitor's result (a snapshot or the final one)
     */
    public synchronized MonitorResult apply(MonitorResult r) {
        masking = MaskedResults.learn(masking, r);
        return MaskedResults.apply(masking, r);
    }
}
