package com.example.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.PathTracer;
import io.pathprobe.enrich.HostResolver;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.testing.FakeTime;
import io.pathprobe.testing.ScriptedHop;
import io.pathprobe.testing.ScriptedTransport;
import io.pathprobe.time.Scheduler;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the docs promise of FakeTime, ScriptedHop and the builder's time seam. */
class FakeTimeAndScriptTest {

    @Test
    void timersRunInTimeOrderOnlyWhenTimeMovesAndSeeTheirOwnTime() {
        FakeTime time = new FakeTime();
        List<String> ran = new ArrayList<>();
        time.schedule(() -> ran.add("b@" + time.elapsed().toMillis()), Duration.ofMillis(20));
        time.schedule(() -> ran.add("a@" + time.elapsed().toMillis()), Duration.ofMillis(10));
        Scheduler.Timer cancelled = time.schedule(() -> ran.add("never"), Duration.ofMillis(15));
        time.execute(() -> ran.add("now"));
        cancelled.cancel();
        assertThat(ran).isEmpty();

        time.advance(Duration.ofMillis(25));

        assertThat(ran).containsExactly("now", "a@10", "b@20");
        assertThat(time.elapsed()).isEqualTo(Duration.ofMillis(25));
        assertThat(time.pendingTimers()).isZero();
    }

    @Test
    void runUntilMovesTimeTimerByTimerUntilTheConditionHolds() {
        FakeTime time = new FakeTime();
        List<Long> ran = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            time.schedule(() -> ran.add(time.elapsed().toSeconds()), Duration.ofSeconds(i));
        }
        assertThat(time.runUntil(() -> ran.size() == 3)).isTrue();
        assertThat(ran).containsExactly(1L, 2L, 3L);
        assertThat(time.inLoop()).isFalse();
        assertThat(time.advanceUntil(() -> ran.size() == 5, Duration.ofMillis(500))).isFalse();
        assertThat(time.elapsed()).isEqualTo(Duration.ofMillis(3500));
    }

    @Test
    void aNameIsResolvedByTheBuildersResolverAndASeededFractionLosesTheSameProbesEveryRun() {
        assertThat(unansweredPings(7)).isEqualTo(unansweredPings(7)).isBetween(5L, 35L);
    }

    /** 40 pings by name to a destination that loses a seeded half of them; how many went unanswered. */
    private static long unansweredPings(long seed) {
        FakeTime time = new FakeTime();
        ScriptedTransport path = ScriptedTransport.builder(time)
                .destination(ScriptedHop.destination().loseFraction(0.5, seed)).build();
        HostResolver names = host -> List.of(InetAddress.getByName("198.18.100.7"));
        try (PathTracer tracer = PathTracer.builder().transport(path).ticker(time).scheduler(time).offline()
                .hostResolver(names).build()) {
            PingResult ping = tracer.measure(PingRequest.builder("app.example").count(40).build());
            assertThat(ping.targets().get(0).address()).hasValueSatisfying(
                    a -> assertThat(a.getHostAddress()).isEqualTo("198.18.100.7"));
            return ping.targets().get(0).statistics().lost();
        }
    }

    @Test
    void theDocsExampleIsTheOneRunHere() throws Exception {
        String page = Files.readString(Path.of("..", "docs", "testing.md"));
        int start = page.indexOf("```java\n") + "```java\n".length();
        String example = page.substring(start, page.indexOf("```\n", start));
        String run = Files.readString(Path.of("src", "test", "java", "com", "example", "app", "PathCheckTest.java"));
        assertThat(run).as("PathCheckTest is docs/testing.md's first example").endsWith(example);
    }

    @Test
    void aTickerWithoutASchedulerIsRefused() {
        FakeTime time = new FakeTime();
        assertThatThrownBy(() -> PathTracer.builder().ticker(time).offline().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ticker and scheduler go together");
        assertThatThrownBy(() -> PathTracer.builder().ticker(time).ticker(time))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already set");
    }

    @Test
    void aScriptTakesLiteralAddressesAndRoutersOnTheWayOnly() {
        FakeTime time = new FakeTime();
        assertThatThrownBy(() -> ScriptedHop.router("router.example")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScriptedHop.router("198.18.2.256")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ScriptedHop.router("198.19.113.255").address()).isNotNull();
        assertThat(ScriptedHop.router("2001:db8::1").address()).isNotNull();
        assertThatThrownBy(() -> ScriptedTransport.builder(time).hop(ScriptedHop.destination()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScriptedTransport.builder(time).destination(ScriptedHop.router("198.18.2.9")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScriptedHop.silent().loseEvery(0)).isInstanceOf(IllegalArgumentException.class);
        ScriptedTransport path = ScriptedTransport.builder(time).hop(ScriptedHop.silent()).build();
        assertThat(path.destinationTtl()).isEqualTo(2);
        assertThat(path.name()).isEqualTo("scripted");
    }
}
