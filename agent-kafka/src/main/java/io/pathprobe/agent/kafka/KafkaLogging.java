package io.pathprobe.agent.kafka;

import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Keeps Kafka's producer quiet by default. It logs through SLF4J: at INFO its whole configuration when it
 * starts, and at WARN every failed attempt to connect while a broker is down (about once a second), which the
 * sink reports already (the agent's "sink ... is down" and "is up again", and its counters). So, once per JVM,
 * when the first Kafka sink opens:
 *
 * <ul>
 *   <li>SLF4J without a provider (nothing the application logs goes through it): SLF4J is initialised with its
 *       own reports limited to errors, so it does not print its "no providers" warning on standard error (as
 *       pathprobe-core's QuietSlf4j does for dnsjava and Netty);
 *   <li>SLF4J over {@code java.util.logging} (slf4j-jdk14, the command line's provider): the
 *       {@code org.apache.kafka} logger is set to {@code SEVERE}, unless the logging configuration gives it a
 *       level ({@code org.apache.kafka.level = WARNING} in logging.properties brings the warnings back);
 *   <li>any other provider (Logback, Log4j): untouched, the application's configuration decides.
 * </ul>
 */
final class KafkaLogging {
    /** The logger whose level is set (java.util.logging keeps loggers weakly: this keeps its level). */
    static final String KAFKA_LOGGER = "org.apache.kafka";
    private static final String VERBOSITY = "slf4j.internal.verbosity";
    private static final String JUL_FACTORY = "org.slf4j.jul.JDK14LoggerFactory";
    private static @Nullable Logger quieted;
    private static boolean done;

    private KafkaLogging() {}

    /** Applies the quiet default (once per JVM; later calls do nothing). */
    static synchronized void quiet() {
        if (done) {
            return;
        }
        done = true;
        ClassLoader loader = KafkaLogging.class.getClassLoader();
        boolean provider = loader.getResource("META-INF/services/org.slf4j.spi.SLF4JServiceProvider") != null
                || loader.getResource("org/slf4j/impl/StaticLoggerBinder.class") != null;
        if (!provider && System.getProperty(VERBOSITY) == null) {
            System.setProperty(VERBOSITY, "ERROR");
            try {
                factoryName();
            } finally {
                System.clearProperty(VERBOSITY);
            }
            return;
        }
        if (JUL_FACTORY.equals(factoryName())) {
            Logger kafka = Logger.getLogger(KAFKA_LOGGER);
            if (kafka.getLevel() == null && LogManager.getLogManager().getProperty(KAFKA_LOGGER + ".level") == null) {
                kafka.setLevel(Level.SEVERE);
                quieted = kafka;
            }
        }
    }

    /** {@return the logger that was set to SEVERE, if one was} */
    static synchronized @Nullable Logger quieted() {
        return quieted;
    }

    private static String factoryName() {
        try {
            return org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName();
        } catch (LinkageError e) {
            return ""; // an SLF4J this code was not compiled against: it speaks as it will
        }
    }
}
