package io.pathprobe.core.internal.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A plain application (SLF4J on the class path through dnsjava, no provider) prints nothing on
 * stderr when dnsjava and Netty start logging after the tracer factory ran (issue 23: every plain
 * application and every CLI run printed SLF4J's "Failed to load class" warning). In a fresh JVM each:
 * SLF4J initialises once per JVM.
 */
class QuietSlf4jTest {

    /** The child: optionally QuietSlf4j first, then what dnsjava and Netty do with logging. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            if (args.length > 0 && args[0].equals("quiet")) {
                QuietSlf4j.init(Child.class.getClassLoader());
            }
            io.netty.util.internal.logging.InternalLoggerFactory.getInstance("pathprobe.test").debug("netty");
            org.slf4j.LoggerFactory.getLogger("org.xbill.DNS").debug("dnsjava");
            org.xbill.DNS.Name.fromString("a.lab.example.");
            System.out.println("done");
        }
    }

    private static String[] run(String mode) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), Child.class.getName(),
                mode)).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("liveness").isTrue();
        return new String[] {new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)};
    }

    @Test
    void withoutAProviderNothingReachesStderr() throws Exception {
        String[] quiet = run("quiet");
        assertThat(quiet[0]).contains("done");
        assertThat(quiet[1]).isEmpty();
        assertThat(System.getProperty("slf4j.internal.verbosity")).as("not left set in this JVM").isNull();
    }

    @Test
    void theWarningItSilencesIsRealHere() throws Exception {
        // the control: the same child without QuietSlf4j prints SLF4J's warning (else the test above proves nothing)
        String[] loud = run("loud");
        assertThat(loud[0]).contains("done");
        assertThat(loud[1]).contains("SLF4J");
    }
}
