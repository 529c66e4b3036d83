package io.pathprobe.core.internal.trace;

import io.pathprobe.core.internal.probe.ProbeLedger;
import java.util.Optional;

/**
 * The note of a trace whose destination was placed by the TTL its answer quoted
 * ({@link ProbeLedger#distanceByQuote}): its own probes at its TTL went unanswered, a probe sent one TTL or more
 * beyond reached it. Without the quote the trace would show a silent hop that is not there and the destination
 * one TTL too far, as traceroute does.
 */
final class QuotedEnd {
    private QuotedEnd() {}

    /** {@code note} with the quote's part added when the path ends at {@code last} by a quote. */
    static Optional<String> note(ProbeLedger ledger, int last, Optional<String> note) {
        int at = ledger.quotedDestinationTtl();
        if (at < 0 || at != last) {
            return note;
        }
        String q = "TTL " + at + ": the destination, by the TTL quoted in its answer to a probe sent with TTL "
                + ledger.quotedFromTtl() + "; its probes at TTL " + at + " went unanswered";
        return Optional.of(note.map(x -> x + "; " + q).orElse(q));
    }
}
