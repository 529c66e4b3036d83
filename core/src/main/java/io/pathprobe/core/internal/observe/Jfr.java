package io.pathprobe.core.internal.observe;

import io.pathprobe.spi.ResponseKind;
import java.net.InetAddress;
import jdk.jfr.EventType;

/**
 * Emits the JFR events; loaded only when the runtime has the {@code jdk.jfr} module ({@link #AVAILABLE}).
 * Each method checks that the event type is enabled before it makes anything: with no recording
 * (or one that leaves the {@code io.pathprobe.*} events off) a call is a field read.
 */
final class Jfr {
    /** Whether this runtime has JFR at all (a jlinked runtime may not). */
    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.jfr").isPresent() && load();

    private static EventType sentType;
    private static EventType answeredType;
    private static EventType timedOutType;
    private static EventType startedType;
    private static EventType endedType;

    private Jfr() {}

    private static boolean load() {
        try {
            sentType = EventType.getEventType(ProbeSentEvent.class);
            answeredType = EventType.getEventType(ProbeAnsweredEvent.class);
            timedOutType = EventType.getEventType(ProbeTimedOutEvent.class);
            startedType = EventType.getEventType(MeasurementStartedEvent.class);
            endedType = EventType.getEventType(MeasurementEndedEvent.class);
            return true;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static void sent(String kind, String target, int ttl, int sequence, int flow) {
        if (!sentType.isEnabled()) {
            return;
        }
        ProbeSentEvent e = new ProbeSentEvent();
        if (e.shouldCommit()) {
            e.kind = kind;
            e.destination = target;
            e.ttl = ttl;
            e.sequence = sequence;
            e.flow = flow;
            e.commit();
        }
    }

    static void answered(String kind, String target, int ttl, long rttNanos, InetAddress responder,
            ResponseKind response) {
        if (!answeredType.isEnabled()) {
            return;
        }
        ProbeAnsweredEvent e = new ProbeAnsweredEvent();
        if (e.shouldCommit()) {
            e.kind = kind;
            e.destination = target;
            e.ttl = ttl;
            e.rtt = rttNanos;
            e.responder = responder.getHostAddress();
            e.response = response.name();
            e.commit();
        }
    }

    static void timedOut(String kind, String target, int ttl, long waitedNanos) {
        if (!timedOutType.isEnabled()) {
            return;
        }
        ProbeTimedOutEvent e = new ProbeTimedOutEvent();
        if (e.shouldCommit()) {
            e.kind = kind;
            e.destination = target;
            e.ttl = ttl;
            e.waited = waitedNanos;
            e.commit();
        }
    }

    static void started(String kind, String target, String transport) {
        if (!startedType.isEnabled()) {
            return;
        }
        MeasurementStartedEvent e = new MeasurementStartedEvent();
        if (e.shouldCommit()) {
            e.kind = kind;
            e.target = target;
            e.transport = transport;
            e.commit();
        }
    }

    static void ended(String kind, String target, String transport, String status, long probes) {
        if (!endedType.isEnabled()) {
            return;
        }
        MeasurementEndedEvent e = new MeasurementEndedEvent();
        if (e.shouldCommit()) {
            e.kind = kind;
            e.target = target;
            e.transport = transport;
            e.status = status;
            e.probes = probes;
            e.commit();
        }
    }
}
