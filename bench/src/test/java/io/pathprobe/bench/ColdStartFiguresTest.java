package io.pathprobe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The summary's reading of the cold-start comparison's RESULT lines. */
class ColdStartFiguresTest extends SummaryLines {
    @Test
    void coldStartKindsCarryTheirJdkAndTargetsAndAppCdsIsComparedWithoutIt() {
        ColdStartFigures.coldStart(lines(
                "part=jdk jdk=17 version=17.0.15 home=/j17",
                "part=jdk_missing name=jdk25 reason=not_found looked_in=/usr/lib/jvm",
                "part=appcds jdk=17 archive_bytes=8000000 training_ms=3000 ok=true",
                "kind=jdk17-library-total jdk=17 n=4 median_ms=400 min_ms=300 max_ms=500 wrong=0",
                "kind=jdk17-library-appcds-total jdk=17 n=4 median_ms=200 min_ms=150 max_ms=250 wrong=0",
                "kind=jdk17-cli-process jdk=17 n=4 median_ms=900 min_ms=800 max_ms=1000 wrong=1",
                "part=profile jdk=17 variant=library ok=true build_ms=300 trace_ms=100 process_ms=900 classes_jnr=278 "
                        + "classes_netty=200 classes_pathprobe=300 classes_jdk=1700 classes_other=30 "
                        + "classes_total=2508 classes_shared=1000 cpu_ms=1500 wall_ms=1000 cpu_gc=10 cpu_jit=600 "
                        + "cpu_main=400 cpu_other=0 cpu_pathprobe=400 cpu_exited=90"), figures, problems);
        assertThat(figure("build() and the first trace() together, jdk17 library ").name())
                .contains("target ≤ 250 ms");
        assertThat(figure("jdk25: missing").spread()).isEqualTo("not found (looked in /usr/lib/jvm)");
        Summary.Figure appcds = figure("with AppCDS vs without, jdk17");
        assertThat(appcds.ratio()).isEqualTo(0.5);
        assertThat(figure("whole process (fork to exit), jdk17 cli").name()).contains("target ≤ 500 ms");
        assertThat(figure("classes loaded by a fresh JVM").pathprobe()).isEqualTo(2508);
        assertThat(figure("CPU of that JVM").ratio()).isEqualTo(1.5);
        assertThat(problems).containsExactly("coldstart: 1 jdk17-cli JVMs did not trace the lab's path cleanly");
    }

    @Test
    void theFfmBindingIsComparedWithJffiOnItsJdkAndAFailedOneIsAProblem() {
        ColdStartFigures.coldStart(lines(
                "part=binding_ffm jdk=22 ok=false",
                "part=binding_ffm jdk=25 ok=true",
                "kind=jdk17-binding-jffi-bind jdk=17 n=4 median_ms=90 min_ms=80 max_ms=100 wrong=0",
                "kind=jdk25-binding-jffi-bind jdk=25 n=4 median_ms=100 min_ms=90 max_ms=110 wrong=0",
                "kind=jdk25-binding-ffm-bind jdk=25 n=4 median_ms=150 min_ms=140 max_ms=160 wrong=2"), figures, problems);
        Summary.Figure ffm = figure("FFM vs jffi, jdk25");
        assertThat(ffm.ratio()).isEqualTo(1.5);
        assertThat(figures).noneMatch(x -> x.name().contains("FFM vs jffi, jdk17"));
        assertThat(figure("libc bound and first called in a fresh JVM (main to socket, close, memory), jdk17 "
                + "binding-jffi").pathprobe()).isEqualTo(90);
        assertThat(problems).containsExactly("coldstart: jdk22: the FFM binding was not compiled",
                "coldstart: 2 jdk25-binding-ffm JVMs failed or read back a wrong value");
    }

    @Test
    void kindsAreDescribedByTheirFigureAndJdk() {
        assertThat(ColdStartFigures.describe("jdk25-library-appcds-total"))
                .isEqualTo("build() and the first trace() together, jdk25 library-appcds");
        assertThat(ColdStartFigures.describe("jdk17-cli-launcher-process"))
                .isEqualTo("whole process (fork to exit), jdk17 cli-launcher");
    }
}
