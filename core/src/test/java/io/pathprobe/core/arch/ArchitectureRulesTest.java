package io.pathprobe.core.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.pathprobe.core.arch.ArchitectureRules.KnownEdge;
import io.pathprobe.core.arch.fixture.ImpureStrategy;
import io.pathprobe.core.arch.fixture.PureStrategy;
import io.pathprobe.core.arch.fixture.cycle.Root;
import io.pathprobe.core.arch.fixture.cycle.b.B;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each rule of {@link ArchitectureRules} fails on a made-up violation (a rule that cannot fail checks nothing). */
class ArchitectureRulesTest {
    private static final Path TEST_SOURCES = Path.of("src/test/java");
    private static final String CYCLE = "io.pathprobe.core.arch.fixture.cycle";

    @Test
    void strategyCodeIsEveryStrategyAndWhatItUsesInItsPackage() {
        JavaClasses classes = new ClassFileImporter().importPackagesOf(ImpureStrategy.class);

        assertThat(ArchitectureRules.strategyClasses(classes, Set.of())).extracting(JavaClass::getSimpleName)
                .contains("ImpureStrategy", "ImpureHelper", "PureStrategy")
                .doesNotContain("NotUsedByAStrategy", "ProbingStrategy");
    }

    @Test
    void impuritiesFindsThreadsLocksSynchronizedMethodsAndBlocksAndClockReads() {
        JavaClasses classes = new ClassFileImporter().importPackagesOf(ImpureStrategy.class);
        Set<JavaClass> impure = Set.of(classes.get(ImpureStrategy.class),
                classes.get("io.pathprobe.core.arch.fixture.ImpureHelper"));

        Set<String> found = ArchitectureRules.impurities(impure, TEST_SOURCES);

        assertThat(found).anyMatch(l -> l.startsWith("clock: ") && l.contains("ImpureStrategy calls java.lang.System.nanoTime()"))
                .anyMatch(l -> l.startsWith("clock: ") && l.contains("calls java.time.Instant.now()"))
                .anyMatch(l -> l.startsWith("thread: ") && l.contains("uses java.lang.Thread "))
                .anyMatch(l -> l.startsWith("thread: ") && l.contains("uses java.util.concurrent.CompletableFuture "))
                .anyMatch(l -> l.startsWith("lock: ") && l.contains("uses java.util.concurrent.locks.ReentrantLock "))
                .anyMatch(l -> l.equals("lock: io.pathprobe.core.arch.fixture.ImpureHelper.count() is synchronized"))
                .anyMatch(l -> l.matches("lock: synchronized block in io/pathprobe/core/arch/fixture/ImpureHelper.java:\\d+"));
    }

    @Test
    void aPureStrategyHasNoImpurity() {
        JavaClasses classes = new ClassFileImporter().importClasses(PureStrategy.class);

        assertThat(ArchitectureRules.impurities(Set.of(classes.get(PureStrategy.class)), TEST_SOURCES)).isEmpty();
    }

    @Test
    void aPackageCycleThroughTheRootPackageFails() {
        JavaClasses classes = new ClassFileImporter().importPackagesOf(Root.class);

        var result = ArchitectureRules.cycles(classes, CYCLE, List.of());

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("Slice " + CYCLE + " ", "Slice " + CYCLE + ".a", "Slice " + CYCLE + ".b");
    }

    @Test
    void aKnownEdgeOrPackagePairLiftsExactlyItsCycle() {
        JavaClasses classes = new ClassFileImporter().importPackagesOf(Root.class);

        assertThat(ArchitectureRules.cycles(classes, CYCLE, List.of(new KnownEdge(B.class.getName(), Root.class.getName(), "test")))
                .hasViolation()).isFalse();
        assertThat(ArchitectureRules.cycles(classes, CYCLE, List.of(new KnownEdge(CYCLE + ".b.*", CYCLE + ".*", "test")))
                .hasViolation()).isFalse();
        // an edge that is not in the cycle lifts nothing
        assertThat(ArchitectureRules.cycles(classes, CYCLE, List.of(new KnownEdge(CYCLE + ".a.*", CYCLE + ".*", "test")))
                .hasViolation()).isTrue();
    }

    @Test
    void theMainStrategiesAreFoundWithTheirHelpers() {
        // a rule that sees no strategy checks nothing: the real tree's strategy code is what ArchitectureTest checks
        JavaClasses core = new ClassFileImporter().importPackages("io.pathprobe.core.internal");
        Set<String> names = ArchitectureRules.strategyClasses(core, Set.of(ArchitectureRules.PROBE_PACKAGE)).stream()
                .map(JavaClass::getSimpleName).collect(Collectors.toSet());

        assertThat(names).contains("TraceStrategy", "MultipathStrategy", "PingStrategy", "MdaBounds", "ProbeTable", "WaitPolicy")
                .doesNotContain("TraceHandle", "MultipathHandle", "PingHandle", "EngineLoop", "BufferbloatHandle");
    }
}
