package io.pathprobe.bufferbloat.internal.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The send times of the last probes, by id, and what it no longer knows. */
class ProbeRingTest {
    @Test
    void knowsTheLastProbesAndForgetsOnesWhoseSlotWasReused() {
        ProbeRing r = new ProbeRing();
        assertThat(r.sentAt(0)).as("never sent, id 0 included").isEqualTo(-1);
        r.sent(0, 100);
        r.sent(7, 170);
        assertThat(r.sentAt(0)).isEqualTo(100);
        assertThat(r.sentAt(7)).isEqualTo(170);
        assertThat(r.sentAt(8)).isEqualTo(-1);
        r.sent(ProbeRing.SIZE, 999); // the same slot as id 0
        assertThat(r.sentAt(0)).isEqualTo(-1);
        assertThat(r.sentAt(ProbeRing.SIZE)).isEqualTo(999);
    }
}
