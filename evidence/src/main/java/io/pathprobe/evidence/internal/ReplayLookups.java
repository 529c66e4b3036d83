package io.pathprobe.evidence.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.core.internal.lookup.HostLookups;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.EnrichmentStatistics;
import io.pathprobe.enrich.Exchange;
import io.pathprobe.enrich.GeoLocation;
import io.pathprobe.enrich.HostResolver;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.PublicAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** The recorded lookups and name resolutions: each answer as it came, when it came; nobody is asked. */
final class ReplayLookups implements HostLookups {
    private final ReplayLog log;
    private final ReplayLoop loop;
    private final Map<String, Integer> ordinals = new HashMap<>();
    private final Map<String, Runnable> waiting = new HashMap<>();
    private final boolean enabled;
    private final Duration timeout;

    ReplayLookups(ReplayLog log, ReplayLoop loop) {
        this.log = log;
        this.loop = loop;
        JsonNode n = log.lookups;
        this.enabled = n != null && n.path("enabled").asBoolean(false);
        this.timeout = Duration.ofNanos(n == null ? 0 : n.path("timeoutNanos").asLong(0));
    }

    private int ordinal(String key) {
        return ordinals.merge(key, 1, Integer::sum) - 1;
    }

    private <T> CompletableFuture<Lookup<T>> replay(String what, String subject, Function<JsonNode, T> value) {
        String event = "K" + what + subject + "#" + ordinal(RecordingLookups.key(what, subject));
        JsonNode n = log.lookupAnswers.get(event);
        if (n == null) {
            // asked, but its end is not in the recording: it was still pending when the recording's measurements
            // ended (a slow DNS server), so it stays pending here too (failing it would make the replay differ)
            return new CompletableFuture<>();
        }
        JsonNode r = aliased(what, n.get("result"));
        CompletableFuture<Lookup<T>> f = new CompletableFuture<>();
        Runnable complete = () -> {
            if (r == null) {
                f.completeExceptionally(new IllegalStateException(Codec.optString(n, "error")));
            } else {
                f.complete(Codec.lookup(r, value));
            }
        };
        if (n.path("sync").asBoolean(false) || !loop.following()) {
            complete.run();
        } else {
            waiting.put(event, complete);
        }
        return f;
    }

    /**
     * A masked recording's hidden AS that is another address's ({@link RecordingMask}): that address's AS, as
     * the recording shows it (the segments the masked document shows were found with it).
     */
    private @org.jspecify.annotations.Nullable JsonNode aliased(String what, @org.jspecify.annotations.Nullable
            JsonNode result) {
        JsonNode v = result == null ? null : result.get("value");
        if (result == null || !what.equals("a") || v == null || log.asAliases.isEmpty()) {
            return result;
        }
        String shown = log.asAliases.get(v.path("number").asLong());
        JsonNode found = shown == null ? null : log.asFound.get(shown);
        if (found == null) {
            return result;
        }
        com.fasterxml.jackson.databind.node.ObjectNode out = result.deepCopy();
        out.set("value", found);
        return out;
    }

    /**
     * Fires a lookup's end ({@code K...}), after the lookup ends and enrichment jobs recorded before it that are
     * waiting (an end that gave the loop no work of its own, one of two lookups a result waits for, still came
     * first); false if {@code root} is not a lookup waiting.
     */
    boolean fire(String root) {
        if (!waiting.containsKey(root)) {
            return false;
        }
        loop.catchUp(root);
        Runnable complete = waiting.remove(root);
        if (complete == null) {
            return false; // an earlier end asked for it and already ended it: fired
        }
        loop.causality.event(root, complete);
        return true;
    }

    @Override
    public CompletableFuture<Lookup<String>> hostname(InetAddress address) {
        return replay("h", Codec.text(address), Codec::hostname);
    }

    @Override
    public CompletableFuture<Lookup<AsnInfo>> asn(InetAddress address) {
        return replay("a", Codec.text(address), Codec::asn);
    }

    @Override
    public CompletableFuture<Lookup<GeoLocation>> location(InetAddress address) {
        return replay("g", Codec.text(address), GeoCodec::location);
    }

    @Override
    public CompletableFuture<Lookup<Exchange>> exchange(InetAddress address) {
        return replay("x", Codec.text(address), GeoCodec::exchange);
    }

    @Override
    public CompletableFuture<Lookup<PublicAddress>> publicAddress(boolean ipv6) {
        return replay("p", ipv6 ? "6" : "4", Codec::publicAddress);
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public boolean enabled() {
        return enabled;
    }

    @Override
    public EnrichmentStatistics statistics() {
        return EnrichmentStatistics.NONE;
    }

    @Override
    public void close() {
        waiting.clear();
    }

    /** Target names as they were resolved while recording. */
    HostResolver resolver() {
        return host -> {
            JsonNode n = log.resolutions.get(host + "#" + ordinal("resolve " + host));
            if (n == null) {
                throw new UnknownHostException(host + ": not resolved in the recording");
            }
            String error = Codec.optString(n, "error");
            if (error != null) {
                if (n.path("unknownHost").asBoolean(false)) {
                    throw new UnknownHostException(error);
                }
                throw new IllegalStateException(error);
            }
            List<InetAddress> out = new ArrayList<>();
            n.path("addresses").forEach(a -> out.add(Codec.address(a.asText())));
            return out;
        };
    }
}
