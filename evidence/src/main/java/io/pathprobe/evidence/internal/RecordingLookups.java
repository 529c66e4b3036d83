package io.pathprobe.evidence.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pathprobe.core.internal.lookup.HostLookups;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.EnrichmentStatistics;
import io.pathprobe.enrich.Exchange;
import io.pathprobe.enrich.GeoLocation;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.PublicAddress;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The tracer's lookups, each answer written: at once when it was already known (a cache hit: the engine goes on
 * in the same step), or when it comes, as an event of its own ({@code K<what><address>#<n>}).
 */
final class RecordingLookups implements HostLookups {
    private final Recorder rec;
    private final HostLookups lookups;

    RecordingLookups(Recorder rec, HostLookups lookups) {
        this.rec = rec;
        this.lookups = lookups;
        ObjectNode n = Codec.NODES.objectNode();
        n.put("type", "lookups");
        n.put("enabled", lookups.enabled());
        n.put("timeoutNanos", lookups.timeout().toNanos());
        rec.journal.head("lookups", n);
    }

    static String key(String what, String subject) {
        return what + " " + subject;
    }

    private <T> CompletableFuture<Lookup<T>> record(String what, String subject,
            Supplier<CompletableFuture<Lookup<T>>> lookup, Function<T, JsonNode> value) {
        String written = rec.mask.subject(what, subject); // a hidden address: its stand-in, as the replay sees it
        String key = key(what, written);
        String event = "K" + what + written + "#" + rec.ordinal(key);
        String from = rec.causality.root();
        CompletableFuture<Lookup<T>> f = lookup.get();
        if (f.isDone() && !f.isCompletedExceptionally()) {
            write(event, what, subject, written, true, Codec.lookup(f.join(), value), null, from, -1);
            return f;
        }
        CompletableFuture<Lookup<T>> out = new CompletableFuture<>();
        f.whenComplete((l, e) -> {
            synchronized (rec.order) { // one end at a time, written in the order they end: a replay's order
                write(event, what, subject, written, false, l == null ? null : Codec.lookup(l, value), e, from,
                        rec.serial++);
                rec.causality.event(event, () -> {
                    if (e != null) {
                        out.completeExceptionally(e);
                    } else {
                        out.complete(l);
                    }
                });
            }
        });
        return out;
    }

    private void write(String event, String what, String subject, String written, boolean sync,
            @org.jspecify.annotations.Nullable ObjectNode result, @org.jspecify.annotations.Nullable Throwable error,
            @org.jspecify.annotations.Nullable String from, int seq) {
        ObjectNode n = Codec.NODES.objectNode();
        n.put("type", "lookup");
        n.put("k", event);
        n.put("what", what);
        n.put("subject", written);
        n.put("sync", sync);
        if (seq >= 0) {
            n.put("seq", seq);
        }
        if (from != null) {
            n.put("from", from);
        }
        java.util.List<ObjectNode> aliases = new java.util.ArrayList<>(1);
        if (result != null) {
            n.set("result", rec.mask.result(what, subject, written, result, aliases::add));
        } else {
            n.put("error", String.valueOf(error));
        }
        rec.journal.line(n);
        aliases.forEach(rec.journal::line);
    }

    @Override
    public CompletableFuture<Lookup<String>> hostname(InetAddress address) {
        return record("h", Codec.text(address), () -> lookups.hostname(address), Codec::hostname);
    }

    @Override
    public CompletableFuture<Lookup<AsnInfo>> asn(InetAddress address) {
        return record("a", Codec.text(address), () -> lookups.asn(address), Codec::asn);
    }

    @Override
    public CompletableFuture<Lookup<GeoLocation>> location(InetAddress address) {
        return record("g", Codec.text(address), () -> lookups.location(address), GeoCodec::location);
    }

    @Override
    public CompletableFuture<Lookup<Exchange>> exchange(InetAddress address) {
        return record("x", Codec.text(address), () -> lookups.exchange(address), GeoCodec::exchange);
    }

    @Override
    public CompletableFuture<Lookup<PublicAddress>> publicAddress(boolean ipv6) {
        return record("p", ipv6 ? "6" : "4", () -> lookups.publicAddress(ipv6), Codec::publicAddress);
    }

    @Override
    public Duration timeout() {
        return lookups.timeout();
    }

    @Override
    public boolean enabled() {
        return lookups.enabled();
    }

    @Override
    public EnrichmentStatistics statistics() {
        return lookups.statistics();
    }

    @Override
    public void close() {
        lookups.close();
    }
}
