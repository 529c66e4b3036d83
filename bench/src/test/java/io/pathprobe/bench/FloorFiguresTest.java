package io.pathprobe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The summary's reading of the floor comparison's RESULT lines. */
class FloorFiguresTest extends SummaryLines {
    @Test
    void batchesAreComparedWithBothFloorsInTimeAndCpuByTheirMediansOverTheRounds() {
        FloorFigures.floor(lines(
                "concurrent round=0 wait=adaptive protocol=UDP n=1000 total_ms=3000 reached=1000 threads_before=12 "
                        + "threads_during_max=12 threads_after=12 probes=87000 cpu_ms=2610 cpu_us_per_probe=30",
                "concurrent round=1 wait=adaptive protocol=UDP n=1000 total_ms=2000 reached=1000 threads_before=12 "
                        + "threads_during_max=12 threads_after=12 probes=87000 cpu_ms=1740 cpu_us_per_probe=20",
                "concurrent round=2 wait=adaptive protocol=UDP n=1000 total_ms=2500 reached=999 threads_before=12 "
                        + "threads_during_max=14 threads_after=12 probes=87000 cpu_ms=2175 cpu_us_per_probe=25",
                "concurrent_floor round=0 senders=1 n=1000 total_ms=2400 answered=87000 probes=87000 cpu_ms=870 "
                        + "cpu_us_per_probe=10",
                "concurrent_floor round=1 senders=1 n=1000 total_ms=2600 answered=87000 probes=87000 cpu_ms=870 "
                        + "cpu_us_per_probe=10",
                "concurrent_floor round=2 senders=1 n=1000 total_ms=2500 answered=86999 probes=87000 cpu_ms=870 "
                        + "cpu_us_per_probe=10",
                "concurrent_floor round=0 senders=2 n=1000 total_ms=1250 answered=87000 probes=87000 cpu_ms=1044 "
                        + "cpu_us_per_probe=12.5"), figures, problems);
        Summary.Figure time = figure("vs the kernel's floor, 1 sender");
        assertThat(time.pathprobe()).isEqualTo(2500);
        assertThat(time.peer()).isEqualTo(2500);
        assertThat(time.ratio()).isEqualTo(1.0);
        assertThat(time.name()).contains("target ≤ 1.0×");
        assertThat(figure("vs the kernel's floor, 2 senders").ratio()).isEqualTo(2.0);
        Summary.Figure cpu = figure("CPU per probe, 1000 concurrent traces UDP (adaptive wait) vs the kernel's floor, "
                + "1 sender");
        assertThat(cpu.pathprobe()).isEqualTo(25);
        assertThat(cpu.ratio()).isCloseTo(2.5, within(1e-9));
        assertThat(figure("1000 concurrent traces UDP (adaptive wait)").spread())
                .contains("2 of 3 rounds").contains("12/14/12 (grew)");
        assertThat(problems).hasSize(2).anyMatch(p -> p.contains("999 of 1000") && p.contains("round 3"))
                .anyMatch(p -> p.contains("86999 of 87000"));
    }

    @Test
    void theSameBatchOnATracerWithoutSenderThreadsIsAFigureOfItsOwn() {
        FloorFigures.floor(lines(
                "concurrent round=0 wait=adaptive protocol=UDP n=1000 total_ms=3000 reached=1000 threads_before=12 "
                        + "threads_during_max=12 threads_after=12 probes=87000 cpu_ms=2610 cpu_us_per_probe=30",
                "concurrent round=0 wait=adaptive,engine protocol=UDP n=1000 total_ms=3300 reached=1000 "
                        + "threads_before=12 threads_during_max=12 threads_after=12 probes=87000 cpu_ms=2610 "
                        + "cpu_us_per_probe=30",
                "concurrent_floor round=0 senders=1 n=1000 total_ms=2400 answered=87000 probes=87000 cpu_ms=870 "
                        + "cpu_us_per_probe=10"), figures, problems);
        assertThat(figure("1000 concurrent traces UDP (adaptive wait)").pathprobe()).isEqualTo(3000);
        Summary.Figure engine = figure("UDP (adaptive wait, every send on the engine thread) vs the kernel's floor");
        assertThat(engine.pathprobe()).isEqualTo(3300);
        assertThat(engine.name()).doesNotContain("target");
        assertThat(problems).isEmpty();
    }

    @Test
    void theOneRecvmsgAMessageBaselineIsAFigureOfItsOwnWithItsHeapPerProbe() {
        FloorFigures.floor(lines(
                "concurrent round=0 wait=adaptive protocol=UDP n=1000 total_ms=3000 reached=1000 threads_before=12 "
                        + "threads_during_max=12 threads_after=12 probes=87000 cpu_ms=2610 cpu_us_per_probe=30 "
                        + "bytes_per_probe=400 engine_bytes_per_probe=350",
                "concurrent round=0 wait=adaptive,recvmsg protocol=UDP n=1000 total_ms=3300 reached=1000 "
                        + "threads_before=12 threads_during_max=12 threads_after=12 probes=87000 cpu_ms=3480 "
                        + "cpu_us_per_probe=40 bytes_per_probe=500",
                "concurrent_floor round=0 senders=1 n=1000 total_ms=2400 answered=87000 probes=87000 cpu_ms=870 "
                        + "cpu_us_per_probe=10"), figures, problems);
        assertThat(figure("CPU per probe, 1000 concurrent traces UDP (adaptive wait, one recvmsg a message) vs the "
                + "kernel's floor, 1 sender").ratio()).isCloseTo(4.0, within(1e-9));
        assertThat(figure("heap allocated per probe, 1000 concurrent traces UDP (adaptive wait)").pathprobe())
                .isEqualTo(400);
        assertThat(figure("heap allocated per probe, 1000 concurrent traces UDP (adaptive wait, one recvmsg a "
                + "message)").pathprobe()).isEqualTo(500);
        // pathprobe's own threads' part is a figure beside it, where the result has it
        assertThat(figure("heap allocated per probe by pathprobe's threads, 1000 concurrent traces UDP (adaptive "
                + "wait)").pathprobe()).isEqualTo(350);
        assertThat(figures).noneMatch(f -> f.name().startsWith("heap allocated per probe by pathprobe's threads")
                && f.name().contains("recvmsg"));
        assertThat(problems).isEmpty();
    }
}
