package io.pathprobe.core.internal.lookup;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.EnrichmentStatistics;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.PublicAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * {@link HostLookups} from tables, answered when the test says ({@link #answerAll()}) or at once
 * ({@link #immediate}); records every call and whether it came on the engine thread.
 */
public final class FakeLookups implements HostLookups {
    public final Map<InetAddress, String> names = new ConcurrentHashMap<>();
    public final Map<InetAddress, AsnInfo> asns = new ConcurrentHashMap<>();
    public volatile Lookup<PublicAddress> publicAddress = Lookup.off();
    /** Answer at once instead of on {@link #answerAll()}. */
    public volatile boolean immediate;
    /** Answer FAILED instead. */
    public volatile boolean failing;
    public final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    public final AtomicBoolean calledOnEngine = new AtomicBoolean();
    public final AtomicBoolean closed = new AtomicBoolean();
    private final List<Runnable> waiting = java.util.Collections.synchronizedList(new ArrayList<>());
    private final BooleanSupplier onEngine;
    private final Duration timeout;

    public FakeLookups(BooleanSupplier onEngine, Duration timeout) {
        this.onEngine = onEngine;
        this.timeout = timeout;
    }

    public static PublicAddress publicAddress(InetAddress a, boolean behindNat) {
        return new PublicAddress(a, 40000, new InetSocketAddress(a, 3478), a, behindNat);
    }

    private <T> CompletableFuture<Lookup<T>> answer(String call, Lookup<T> result) {
        calls.add(call);
        if (onEngine.getAsBoolean()) {
            calledOnEngine.set(true);
        }
        CompletableFuture<Lookup<T>> f = new CompletableFuture<>();
        Runnable r = () -> f.complete(failing ? Lookup.failed("fake failure") : result);
        if (immediate) {
            r.run();
        } else {
            waiting.add(r);
        }
        return f;
    }

    @Override
    public CompletableFuture<Lookup<String>> hostname(InetAddress address) {
        String n = names.get(address);
        return answer("ptr " + address.getHostAddress(), n == null ? Lookup.notFound() : Lookup.found(n));
    }

    @Override
    public CompletableFuture<Lookup<AsnInfo>> asn(InetAddress address) {
        AsnInfo a = asns.get(address);
        return answer("asn " + address.getHostAddress(), a == null ? Lookup.notFound() : Lookup.found(a));
    }

    @Override
    public CompletableFuture<Lookup<PublicAddress>> publicAddress(boolean ipv6) {
        return answer("stun", publicAddress);
    }

    /** Answers every lookup asked so far (and those they lead to); returns how many. */
    public int answerAll() {
        int n = 0;
        while (true) {
            List<Runnable> now;
            synchronized (waiting) {
                now = List.copyOf(waiting);
                waiting.clear();
            }
            if (now.isEmpty()) {
                return n;
            }
            now.forEach(Runnable::run);
            n += now.size();
        }
    }

    public int waiting() {
        return waiting.size();
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public EnrichmentStatistics statistics() {
        return new EnrichmentStatistics(0, calls.size(), calls.size(), 0, 0, calls.size());
    }

    @Override
    public void close() {
        closed.set(true);
    }
}
