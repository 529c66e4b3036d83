package io.pathprobe.core.internal;

import io.pathprobe.NoTransportAvailableException;
import io.pathprobe.ProbeProtocol;
import io.pathprobe.spi.Availability;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.TransportCapability;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Chooses and opens the transports of one tracer: the user's own, or the best usable provider for
 * each protocol and address family. Thread-safe; transports are opened on first use and closed
 * with the registry (a user-supplied transport is never closed).
 */
final class TransportRegistry implements AutoCloseable {
    private final @Nullable ProbeTransport userTransport;
    private final List<ProbeTransportProvider> providers;
    private final Map<String, Availability> availability = new HashMap<>();
    private final Map<String, ProbeTransport> opened = new LinkedHashMap<>();
    private final Map<String, String> loadFailures = new LinkedHashMap<>();
    private boolean closed;

    private TransportRegistry(@Nullable ProbeTransport userTransport, List<ProbeTransportProvider> providers) {
        this.userTransport = userTransport;
        this.providers = providers;
    }

    static TransportRegistry of(ProbeTransport transport) {
        return new TransportRegistry(transport, List.of());
    }

    /** Discovers providers; with a preferred name, only that one (which must be usable). */
    static TransportRegistry discover(@Nullable String preferred, ClassLoader loader) {
        List<ProbeTransportProvider> found = new ArrayList<>();
        Map<String, String> failures = new LinkedHashMap<>();
        var it = ServiceLoader.load(ProbeTransportProvider.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError e) {
                failures.put("provider " + failures.size(), "could not be loaded: " + e.getMessage());
            }
        }
        found.sort(Comparator.comparingInt(ProbeTransportProvider::priority).reversed()
                .thenComparing(ProbeTransportProvider::name));
        TransportRegistry registry;
        if (preferred != null) {
            ProbeTransportProvider chosen = found.stream().filter(p -> p.name().equals(preferred)).findFirst()
                    .orElse(null);
            if (chosen == null) {
                Map<String, String> reasons = new LinkedHashMap<>();
                found.forEach(p -> reasons.put(p.name(), "not the preferred transport"));
                reasons.put(preferred, "no such transport on the class path");
                throw new NoTransportAvailableException("preferred transport '" + preferred + "' not found", reasons);
            }
            registry = new TransportRegistry(null, List.of(chosen));
            Availability a = registry.availabilityOf(chosen);
            if (!a.isAvailable()) {
                throw new NoTransportAvailableException(
                        "preferred transport '" + preferred + "' is unavailable", Map.of(preferred, a.reason()));
            }
        } else {
            registry = new TransportRegistry(null, List.copyOf(found));
        }
        registry.loadFailures.putAll(failures);
        return registry;
    }

    /** The transport for this protocol and destination, opened on first use. */
    synchronized ProbeTransport transportFor(ProbeProtocol protocol, InetAddress destination) {
        if (closed) {
            throw new IllegalStateException("tracer is closed");
        }
        boolean ipv6 = destination instanceof Inet6Address;
        if (userTransport != null) {
            nameFor(protocol, ipv6); // throws if it cannot
            return userTransport;
        }
        ProbeTransportProvider provider = choose(protocol, ipv6);
        ProbeTransport t = opened.get(provider.name());
        if (t == null) {
            t = provider.open();
            opened.put(provider.name(), t);
        }
        return t;
    }

    /** The name of the transport that would serve this protocol for destinations of this family. */
    synchronized String nameFor(ProbeProtocol protocol, boolean ipv6) {
        if (userTransport != null) {
            String missing = missingCapability(userTransport.capabilities(), protocol, ipv6);
            if (missing != null) {
                throw new NoTransportAvailableException(what(protocol, ipv6), Map.of(userTransport.name(), missing));
            }
            return userTransport.name();
        }
        return choose(protocol, ipv6).name();
    }

    private ProbeTransportProvider choose(ProbeProtocol protocol, boolean ipv6) {
        Map<String, String> reasons = new LinkedHashMap<>();
        for (ProbeTransportProvider p : providers) {
            String missing = missingCapability(p.capabilities(), protocol, ipv6);
            if (missing != null) {
                reasons.put(p.name(), missing);
                continue;
            }
            Availability a = availabilityOf(p);
            if (a.isAvailable()) {
                return p;
            }
            reasons.put(p.name(), a.reason());
        }
        reasons.putAll(loadFailures);
        throw new NoTransportAvailableException(what(protocol, ipv6), reasons);
    }

    private Availability availabilityOf(ProbeTransportProvider p) {
        return availability.computeIfAbsent(p.name(), n -> {
            try {
                return p.availability();
            } catch (RuntimeException | LinkageError e) {
                return Availability.unavailable("availability check failed: " + e, e);
            }
        });
    }

    private static @Nullable String missingCapability(
            Set<TransportCapability> caps, ProbeProtocol protocol, boolean v6) {
        TransportCapability proto = protocol == ProbeProtocol.ICMP ? TransportCapability.ICMP : TransportCapability.UDP;
        if (!caps.contains(proto)) {
            return "does not send " + protocol + " probes";
        }
        if (!caps.contains(v6 ? TransportCapability.IPV6 : TransportCapability.IPV4)) {
            return "does not probe " + (v6 ? "IPv6" : "IPv4") + " destinations";
        }
        return null;
    }

    private static String what(ProbeProtocol protocol, boolean ipv6) {
        return "no usable transport for " + protocol + " probes to " + (ipv6 ? "IPv6" : "IPv4") + " destinations";
    }

    @Override
    public synchronized void close() {
        closed = true;
        RuntimeException failure = null;
        for (ProbeTransport t : opened.values()) {
            try {
                t.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        opened.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
