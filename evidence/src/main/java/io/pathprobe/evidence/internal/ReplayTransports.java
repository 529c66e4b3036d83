package io.pathprobe.evidence.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.spi.Availability;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.spi.TransportException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The recorded transports: availability, sessions, send times and answers as recorded; nothing is sent. */
final class ReplayTransports {
    private final ReplayLog log;
    private final ReplayLoop loop;
    private final Map<Integer, Session> open = new HashMap<>();
    private final Set<Integer> used = new HashSet<>();
    private final Map<String, Runnable> handOvers = new HashMap<>();
    /** The answers ({@code R<n>}) and hand-overs ({@code P<n>}) fired, by number; any other root by name. */
    private final java.util.BitSet firedAnswers = new java.util.BitSet();
    private final java.util.BitSet firedHandOvers = new java.util.BitSet();
    private final Set<String> fired = new HashSet<>();
    private int pends;

    ReplayTransports(ReplayLog log, ReplayLoop loop) {
        this.log = log;
        this.loop = loop;
    }

    /** The discovered transports as recorded, in the order they were found. */
    List<ProbeTransportProvider> providers() {
        List<ProbeTransportProvider> out = new ArrayList<>();
        for (JsonNode p : log.providers.values()) {
            String name = Codec.string(p, "name");
            int priority = Codec.integer(p, "priority");
            Set<TransportCapability> caps = Codec.capabilities(p, "capabilities");
            out.add(new ProbeTransportProvider() {
                private @Nullable Availability last;

                @Override
                public String name() {
                    return name;
                }

                @Override
                public int priority() {
                    return priority;
                }

                @Override
                public Set<TransportCapability> capabilities() {
                    return caps;
                }

                @Override
                public Availability availability() {
                    ArrayDeque<JsonNode> q = log.availability.get(name);
                    if (q != null && !q.isEmpty()) {
                        last = Codec.availability(q.pollFirst());
                    }
                    Availability a = last;
                    return a != null ? a : Availability.unavailable("not asked while recording");
                }

                @Override
                public ProbeTransport open() {
                    ArrayDeque<JsonNode> q = log.opened.get(name);
                    JsonNode o = q == null ? null : q.pollFirst();
                    if (o == null) {
                        throw new TransportException(name + " was not opened while recording");
                    }
                    String error = Codec.optString(o, "error");
                    if (error != null) {
                        throw new TransportException(error);
                    }
                    return new Transport(name, Codec.capabilities(o, "capabilities"));
                }
            });
        }
        return out;
    }

    /** The application's transport as recorded. */
    ProbeTransport userTransport(JsonNode n) {
        return new Transport(Codec.string(n, "name"), Codec.capabilities(n, "capabilities"));
    }

    /** Fires an answer ({@code R<n>}) or a hand-over ({@code P<n>}); false if {@code root} is neither. */
    boolean fire(String root) {
        if (fired(root, false)) {
            return false;
        }
        if (root.startsWith("R")) {
            JsonNode a = log.answer(Integer.parseInt(root.substring(1)));
            Session s = a == null ? null : open.get(Codec.integer(a, "s"));
            if (a == null || s == null || s.closed) {
                return false;
            }
            fired(root, true);
            ProbeResponse r = Codec.response(a.path("r"));
            loop.causality.event(root, () -> s.listener.onResponse(r));
            return true;
        }
        if (root.startsWith("P")) {
            Runnable action = handOvers.remove(root);
            if (action == null) {
                return false;
            }
            fired(root, true);
            loop.causality.event(root, action);
            return true;
        }
        return false;
    }

    /** Whether {@code root} was fired; with {@code mark}, it is now. */
    private boolean fired(String root, boolean mark) {
        java.util.BitSet numbered = root.startsWith("R") ? firedAnswers : root.startsWith("P") ? firedHandOvers : null;
        int n = -1;
        if (numbered != null && root.length() > 1 && root.length() < 11) {
            try {
                n = Integer.parseInt(root, 1, root.length(), 10);
            } catch (NumberFormatException e) {
                n = -1;
            }
        }
        if (numbered == null || n < 0 || !(root.charAt(0) + Integer.toString(n)).equals(root)) {
            return mark ? !fired.add(root) : fired.contains(root);
        }
        boolean was = numbered.get(n);
        if (mark) {
            numbered.set(n);
        }
        return was;
    }

    private final class Transport implements ProbeTransport {
        private final String name;
        private final Set<TransportCapability> caps;

        Transport(String name, Set<TransportCapability> caps) {
            this.name = name;
            this.caps = caps;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Set<TransportCapability> capabilities() {
            return caps;
        }

        @Override
        public ProbeSession openSession(SessionSpec spec, ResponseListener listener) {
            for (ReplayLog.Session s : log.sessions) {
                if (used.contains(s.id()) || !s.transport().equals(name) || !Codec.session(s.spec()).equals(spec)) {
                    continue;
                }
                used.add(s.id());
                if (s.error() != null) {
                    throw new TransportException(s.error());
                }
                Session session = new Session(s, listener);
                open.put(s.id(), session);
                return session;
            }
            loop.diverge("the engine opened a session the recording does not hold ("
                    + spec.protocol().name().toLowerCase(java.util.Locale.ROOT) + " to "
                    + Codec.text(spec.destination()) + ")", String.valueOf(spec));
            Session session = new Session(new ReplayLog.Session(-1, name, Codec.session(spec), null, 65535, 0,
                    Integer.MAX_VALUE), listener);
            return session;
        }

        @Override
        public void close() {
            open.values().forEach(s -> s.closed = true);
        }
    }

    private final class Session implements ProbeSession {
        private final ReplayLog.Session recorded;
        final ResponseListener listener;
        boolean closed;

        Session(ReplayLog.Session recorded, ResponseListener listener) {
            this.recorded = recorded;
            this.listener = listener;
        }

        @Override
        public int maxSequence() {
            return recorded.maxSequence();
        }

        @Override
        public int maxFlow() {
            return recorded.maxFlow();
        }

        @Override
        public int maxInFlight() {
            return recorded.maxInFlight();
        }

        @Override
        public long send(ProbeSpec probe) throws SendFailedException {
            if (closed) {
                throw new IllegalStateException("session closed");
            }
            JsonNode n = log.nextSend(recorded.id());
            if (loop.following()) {
                if (n == null || !Codec.probe(n).equals(probe)) {
                    String to = recorded.spec().path("destination").asText();
                    loop.diverge(n == null ? "the engine sent more probes to " + to + " than the recording holds"
                            : "the engine sent another probe to " + to + " than the recording did (TTL "
                                    + probe.ttl() + " where the recording's was TTL " + Codec.probe(n).ttl() + ")",
                            "sent " + probe + (n == null ? "" : " where the recording sent " + Codec.probe(n)));
                } else {
                    log.sent(recorded.id());
                    loop.followed();
                    JsonNode failed = n.get("failed");
                    if (failed != null) {
                        throw Codec.sendFailure(failed);
                    }
                    String error = Codec.optString(n, "error");
                    if (error != null) {
                        throw new IllegalStateException(error);
                    }
                    return Codec.number(n, "at");
                }
            }
            return loop.time(); // off the record: sent, never answered
        }

        @Override
        public void afterPendingAnswers(Runnable action) {
            int p = pends++;
            Boolean sync = log.pendingSync(p);
            if (sync == null || sync || !loop.following()) {
                action.run();
            } else {
                handOvers.put("P" + p, action);
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
