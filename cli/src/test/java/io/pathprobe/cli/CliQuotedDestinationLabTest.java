package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.TraceJson;
import org.junit.jupiter.api.Test;

/**
 * Issue 68 item 2, the destination's TTL is where it is: a lossy link in front of a destination that answers every
 * UDP probe (its Port Unreachables unlimited) loses the trace's one probe at the destination's TTL now and then,
 * and a probe one TTL or more beyond reaches it. traceroute then shows a silent hop and the destination one TTL too
 * far. The Port Unreachable quotes the TTL the probe arrived with, so the built jar places the destination at its
 * own TTL every time, its lost probe there counted as lost, and says why in the note.
 */
@LabTest
class CliQuotedDestinationLabTest {
    private static final CliRuns CLI = new CliRuns(CliRuns.Enrichment.OFF);
    private static final int RUNS = 12;

    @Test
    void theDestinationIsPlacedByItsQuoteNotOneTtlBeyond() throws Exception {
        try (Lab lab = Lab.chain(4).inCurrentNamespace().destinationIcmpUnlimited("every Port Unreachable: only the link loses")
                .dropToDestination(60).build()) {
            String dest = lab.destination().getHostAddress();
            int quoted = 0;
            for (int i = 0; i < RUNS; i++) {
                String out = CLI.run("trace", "--json", "-P", "udp", "-q", "1", dest).out();
                TraceJson t = TraceJson.parse(out);
                System.out.println("trace -P udp -q 1, 60 % lost toward the destination: " + t);
                assertThat(t.hops()).as(out).isNotEmpty();
                TraceJson.Hop last = t.hops().get(t.hops().size() - 1);
                if (!t.destinationReached()) {
                    continue; // every probe from TTL 4 to the last lost: nothing placed it
                }
                assertThat(last.ttl()).as("the destination's TTL:%n%s", out).isEqualTo(4);
                if (last.received() == 0) {
                    quoted++;
                    assertThat(out).as("the note says the quote placed it").contains("by the TTL quoted in its answer");
                    assertThat(last.forwardLost() + last.backwardLost()).as(out).isEqualTo(last.sent());
                }
            }
            // the premise: 60 % of single probes at TTL 4 lost, in 12 runs a few were placed by their quote
            assertThat(quoted).as("runs whose probe at the destination's TTL was lost").isPositive();
        }
    }
}
