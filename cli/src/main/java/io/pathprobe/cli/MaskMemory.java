package io.pathprobe.cli;

import io.pathprobe.evidence.MaskedResults;
import io.pathprobe.evidence.Masking;
import io.pathprobe.monitor.MonitorEvent;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorRound;

/**
 * A {@code --mask} that remembers, across a monitor's rounds, every address it has hidden: a hop that changed at a
 * hidden TTL names its old responder, which the round that reports the change no longer shows.
 */
final class MaskMemory {
    private Masking masking;

    MaskMemory(Masking masking) {
        this.masking = masking;
    }

    /** {@return the masking with every address hidden so far, after learning what {@code round} hides} */
    synchronized Masking learn(MonitorRound round) {
        masking = MaskedResults.learn(masking, round);
        return masking;
    }

    /** {@return the masking with every address hidden so far, after learning what {@code r} hides} */
    synchronized Masking learn(MonitorResult r) {
        masking = MaskedResults.learn(masking, r);
        return masking;
    }

    /** {@return the masking, after learning the addresses a hop change at a hidden TTL names} */
    synchronized Masking learn(MonitorEvent event) {
        if (event instanceof MonitorEvent.HopChanged h && masking.hides(h.ttl())) {
            masking = masking.hiding(h.before()).hiding(h.after());
        }
        return masking;
    }

    /** {@return {@code text} with every address hidden so far written {@code masked}} */
    synchronized String redact(String text) {
        return masking.redact(text);
    }

    synchronized Masking masking() {
        return masking;
    }
}
