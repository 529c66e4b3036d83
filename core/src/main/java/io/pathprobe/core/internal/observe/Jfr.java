package io.pathprobe.core.internal.observe;

import io.pathprobe.spi.ResponseKind;
import java.net.InetAddress;
import jdk.jfr.FlightRecorder;

/**
 * Emits the JFR events; loaded only when the runtime has the {@code jdk.jfr} module ({@link #AVAILABLE}).
 * Until JFR has been initialised in this JVM (a recording started, from the command line, {@code jcmd} or
 * the API) no recording can want an event: each method returns at once and no event class is loaded.
 * That matters for a fresh JVM: asking JFR's metadata ({@code EventType.getEventType}) or
 * loading an event class initialises JFR's repository and instruments the class, about 150 ms and 100
 * classes. Once JFR is initialised each method makes its event and fills it only when
 * {@code shouldCommit()} (a recording that leaves the {@code io.pathprobe.*} events off costs an empty
 * object the JIT removes).
 */
final class Jfr {
    /** Whether this runtime has JFR at all (a jlinked runtime may not). */
    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    private Jfr() {}

    static void sent(String kind, String target, int ttl, int sequence, int flow) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        ProbeSentEvent e = new ProbeSentEvent();
        if (e.shouldCommit()) {
            e.sequence = sequence;
            e.flow = flow;
            e.commit(kind, target, ttl);
        }
    }

    static void answered(String kind, String target, int ttl, long rttNanos, InetAddress responder,
            ResponseKind response) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        ProbeAnsweredEvent e = new ProbeAnsweredEvent();
        if (e.shouldCommit()) {
            e.rtt = rttNanos;
            e.responder = responder.getHostAddress();
            e.response = response.name();
            e.commit(kind, target, ttl);
        }
    }

    static void timedOut(String kind, String target, int ttl, long waitedNanos) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        ProbeTimedOutEvent e = new ProbeTimedOutEvent();
        if (e.shouldCommit()) {
            e.waited = waitedNanos;
            e.commit(kind, target, ttl);
        }
    }

    static void started(String kind, String target, String transport) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        MeasurementStartedEvent e = new MeasurementStartedEvent();
        if (e.shouldCommit()) {
            e.commit(kind, target, transport);
        }
    }

    static void ended(String kind, String target, String transport, String status, long probes) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        MeasurementEndedEvent e = new MeasurementEndedEvent();
        if (e.shouldCommit()) {
            e.status = status;
            e.probes = probes;
            e.commit(kind, target, transport);
        }
    }
}
