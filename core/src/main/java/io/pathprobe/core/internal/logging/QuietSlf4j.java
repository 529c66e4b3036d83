package io.pathprobe.core.internal.logging;

/**
 * Keeps an application that logs nothing quiet: dnsjava logs through SLF4J and Netty probes for it,
 * and SLF4J, finding no provider, prints a three-line warning to stderr on first use. When the
 * class path has SLF4J but no provider (so nothing the application logs goes through SLF4J), SLF4J is
 * initialised here, once, with its internal reports limited to errors; it then uses its no-operation
 * logger, as it would have, without the warning, and Netty falls back to {@code java.util.logging}.
 * With a provider present SLF4J is only initialised here, on the caller's thread, before Netty starts
 * any: the application's SLF4J speaks as configured. Needs
 * slf4j-api 2.0.10 or later (the version this module depends on); an application that pins 1.7
 * gets 1.7's warning.
 *
 * <p>Called where pathprobe code may first touch Netty or dnsjava: the tracer factory, and the
 * bufferbloat module's responsiveness server (an application that starts a server before any tracer).
 */
public final class QuietSlf4j {
    private static final String VERBOSITY = "slf4j.internal.verbosity";
    private static volatile boolean done;

    private QuietSlf4j() {}

    /**
     * Initialises SLF4J quietly when it has no provider (once per JVM; later calls do nothing).
     *
     * @param loader the class loader whose SLF4J Netty and dnsjava would use
     */
    public static void init(ClassLoader loader) {
        if (done) {
            return;
        }
        synchronized (QuietSlf4j.class) {
            if (done) {
                return;
            }
            done = true;
            if (loader.getResource("org/slf4j/helpers/Reporter.class") == null) {
                return; // no SLF4J 2.0.10+: nothing to do
            }
            if (loader.getResource("META-INF/services/org.slf4j.spi.SLF4JServiceProvider") != null
                    || loader.getResource("org/slf4j/impl/StaticLoggerBinder.class") != null) {
                // a provider speaks as configured, but is initialised here, before Netty's threads exist: one
                // of them logging while SLF4J initialised on another made it print a "replay" warning (1 of 20
                // cold CLI JVMs in one fresh-clone run)
                initialise();
                return;
            }
            if (System.getProperty(VERBOSITY) != null) {
                return; // the application chose
            }
            System.setProperty(VERBOSITY, "ERROR");
            try {
                initialise();
            } finally {
                System.clearProperty(VERBOSITY);
            }
        }
    }

    private static void initialise() {
        try {
            org.slf4j.LoggerFactory.getILoggerFactory();
        } catch (LinkageError e) {
            // an SLF4J this code was not compiled against: it speaks as it will
        }
    }
}
