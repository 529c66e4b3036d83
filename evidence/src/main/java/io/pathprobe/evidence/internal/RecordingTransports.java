package io.pathprobe.evidence.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pathprobe.spi.Availability;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.spi.TransportCounters;
import java.util.Optional;
import java.util.Set;

/** Transports that write what they hand the engine: availability, sessions, send times, answers. */
final class RecordingTransports {
    private RecordingTransports() {}

    static ProbeTransportProvider provider(Recorder rec, ProbeTransportProvider p) {
        ObjectNode n = Codec.NODES.objectNode();
        n.put("type", "provider");
        n.put("name", p.name());
        n.put("priority", p.priority());
        n.set("capabilities", Codec.capabilities(p.capabilities()));
        rec.journal.head("provider " + p.name(), n);
        return new ProbeTransportProvider() {
            @Override
            public String name() {
                return p.name();
            }

            @Override
            public int priority() {
                return p.priority();
            }

            @Override
            public Set<TransportCapability> capabilities() {
                return p.capabilities();
            }

            @Override
            public Availability availability() {
                Availability a = p.availability();
                ObjectNode x = Codec.availability(a);
                x.put("type", "availability");
                x.put("name", p.name());
                rec.journal.line(x);
                return a;
            }

            @Override
            public ProbeTransport open() {
                ObjectNode x = Codec.NODES.objectNode();
                x.put("type", "opened");
                x.put("name", p.name());
                try {
                    ProbeTransport t = p.open();
                    x.set("capabilities", Codec.capabilities(t.capabilities()));
                    rec.journal.line(x);
                    return new Transport(rec, t);
                } catch (RuntimeException e) {
                    x.put("error", String.valueOf(e.getMessage()));
                    rec.journal.line(x);
                    throw e;
                }
            }

            @Override
            public void configureEngineThread() {
                p.configureEngineThread();
            }

            @Override
            public void configureBackgroundThread() {
                p.configureBackgroundThread();
            }
        };
    }

    static ProbeTransport userTransport(Recorder rec, ProbeTransport t) {
        ObjectNode n = Codec.NODES.objectNode();
        n.put("type", "userTransport");
        n.put("name", t.name());
        n.set("capabilities", Codec.capabilities(t.capabilities()));
        rec.journal.head("userTransport", n);
        return new Transport(rec, t);
    }

    /** An opened transport: its sessions are recorded. */
    static final class Transport implements ProbeTransport {
        private final Recorder rec;
        private final ProbeTransport t;

        Transport(Recorder rec, ProbeTransport t) {
            this.rec = rec;
            this.t = t;
        }

        @Override
        public String name() {
            return t.name();
        }

        @Override
        public Set<TransportCapability> capabilities() {
            return t.capabilities();
        }

        @Override
        public ProbeSession openSession(SessionSpec spec, ResponseListener listener) {
            int id = rec.sessions.incrementAndGet();
            ObjectNode n = Codec.NODES.objectNode();
            n.put("type", "session");
            n.put("s", id);
            n.put("transport", t.name());
            n.set("spec", Codec.session(spec));
            rec.mask.destination(spec.destination());
            java.util.Map<Integer, Integer> ttls = new java.util.concurrent.ConcurrentHashMap<>();
            ResponseListener recorded = r -> {
                int a = rec.answers.getAndIncrement();
                ObjectNode x = Codec.NODES.objectNode();
                x.put("type", "answer");
                x.put("n", a);
                x.put("s", id);
                ObjectNode written = Codec.response(r);
                rec.mask.answer(written, r.responder(), ttls.getOrDefault(r.sequence(), -1));
                x.set("r", written);
                rec.journal.line(x);
                rec.causality.event("R" + a, () -> listener.onResponse(r));
            };
            try {
                ProbeSession s = t.openSession(spec, recorded);
                n.put("maxSequence", s.maxSequence());
                n.put("maxFlow", s.maxFlow());
                n.put("maxInFlight", s.maxInFlight());
                rec.journal.line(n);
                return new Session(rec, id, s, ttls);
            } catch (RuntimeException e) {
                n.put("error", String.valueOf(e.getMessage()));
                rec.journal.line(n);
                throw e;
            }
        }

        @Override
        public Optional<TransportCounters> counters() {
            return t.counters();
        }

        @Override
        public void close() {
            t.close();
        }
    }

    /** A session: every send's time or failure, and when it hands over pending answers. */
    static final class Session implements ProbeSession {
        private final Recorder rec;
        private final int id;
        private final ProbeSession s;
        /** Each sequence's TTL as last sent: the TTL an answer came back for (a masked recording hides by it). */
        private final java.util.Map<Integer, Integer> ttls;

        Session(Recorder rec, int id, ProbeSession s, java.util.Map<Integer, Integer> ttls) {
            this.rec = rec;
            this.id = id;
            this.s = s;
            this.ttls = ttls;
        }

        @Override
        public int maxSequence() {
            return s.maxSequence();
        }

        @Override
        public int maxFlow() {
            return s.maxFlow();
        }

        @Override
        public int maxInFlight() {
            return s.maxInFlight();
        }

        @Override
        public long send(ProbeSpec probe) throws SendFailedException {
            ObjectNode n = Codec.NODES.objectNode();
            n.put("type", "send");
            n.put("s", id);
            Codec.probe(n, probe);
            if (rec.mask.active()) {
                ttls.put(probe.sequence(), probe.ttl());
            }
            try {
                long at = s.send(probe);
                n.put("at", at);
                rec.journal.line(n);
                return at;
            } catch (SendFailedException e) {
                n.set("failed", Codec.sendFailure(e));
                rec.journal.line(n);
                throw e;
            } catch (RuntimeException e) {
                n.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
                rec.journal.line(n);
                throw e;
            }
        }

        @Override
        public void afterPendingAnswers(Runnable action) {
            int p = rec.pends.getAndIncrement();
            String from = rec.causality.root();
            Thread caller = Thread.currentThread();
            boolean[] calling = {true};
            boolean[] sync = {false};
            s.afterPendingAnswers(() -> {
                if (calling[0] && Thread.currentThread() == caller) {
                    sync[0] = true;
                    action.run();
                } else {
                    rec.causality.event("P" + p, action);
                }
            });
            calling[0] = false;
            ObjectNode n = Codec.NODES.objectNode();
            n.put("type", "pending");
            n.put("n", p);
            n.put("s", id);
            n.put("sync", sync[0]);
            if (from != null) {
                n.put("from", from); // asked for while that event ran: a replay fires it first
            }
            rec.journal.line(n);
        }

        @Override
        public void close() {
            s.close();
        }
    }
}
