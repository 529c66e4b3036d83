package io.pathprobe.windows;

import io.pathprobe.spi.Availability;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.spi.TransportException;
import io.pathprobe.windows.internal.IcmpApi;
import io.pathprobe.windows.internal.NativeIcmpApi;
import io.pathprobe.windows.internal.WindowsAvailability;
import io.pathprobe.windows.internal.WindowsTransport;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code windows-icmp-echo}: ICMP echo probes through the ICMP API of iphlpapi.dll, which needs no
 * administrator rights: IcmpCreateFile / Icmp6CreateFile (one handle per session), then per probe
 * IcmpSendEcho2Ex (IPv4; source address left to the stack) or Icmp6SendEcho2 with an event of its
 * own, the TTL (hop limit) in IP_OPTION_INFORMATION.Ttl. The calls return at once; waiter threads
 * blocked in WaitForMultipleObjects on the requests' events (63 per thread, no polling) handle each
 * answer as soon as Windows signals it: IcmpParseReplies / Icmp6ParseReplies, then the reply
 * structure's status mapped to an answer: IP_SUCCESS an echo reply, IP_TTL_EXPIRED_TRANSIT (11013)
 * a Time Exceeded from the replying router's address, the IP_DEST_*_UNREACHABLE statuses a
 * Destination Unreachable of the matching code; IP_REQ_TIMED_OUT (11010) is no answer; any other
 * status is counted and dropped, never thrown. Bound through jnr-ffi, loaded only on Windows:
 * elsewhere the provider is inert and {@link #availability()} says "not Windows".
 *
 * <p>What it cannot do, and says so in its capabilities: <b>no Paris flows</b> (only
 * {@code FLOW_PER_PROBE}) - Windows chooses each echo request's identifier and sequence number, so
 * the ICMP checksum that load balancers hash changes from probe to probe and cannot be held; a trace
 * asking for a fixed flow falls back to classic flows with a note. No kernel timestamps (RTTs are
 * taken when the waiter wakes, in nanoseconds; Windows' own millisecond RoundTripTime is not used),
 * no quoted headers, checksums or ICMP extensions (the API returns only a status and an address), no
 * reply TTL for IPv6. Payload sizes 0 to 65500 data bytes (default 32).
 *
 * <p>Each request carries a Windows Timeout of 10 s (system property
 * {@code pathprobe.transport.windows-icmp-echo.requestTimeoutMillis}), longer than the engine's probe
 * timeouts, which decide when a probe is lost; closing a session closes its handle, which is assumed
 * to cancel its outstanding requests (see {@link WindowsTransport} for what is documented and what is
 * not), and closing the transport releases every handle and event. Turned off with
 * {@code pathprobe.transport.windows-icmp-echo.disabled=true}.
 *
 * <p>IPv6 is claimed ({@link #capabilities()}) only where Icmp6CreateFile works: on Windows the first
 * call of {@link #capabilities()} or {@link #availability()} opens and closes an ICMPv6 handle, and
 * where that fails (Wine; a Windows without IPv6) the transport offers IPv4 alone and says why, once
 * per process, in an INFO record of the {@code io.pathprobe.windows} logger.
 *
 * <p>Unit-tested on recorded reply buffers and a simulated ICMP API; run for real (IPv4: the module's
 * tests, ping and trace through the lab) under Wine by {@code build/wine-check}, on Wine's
 * reimplementation of iphlpapi.dll, not yet on Windows itself.
 */
public final class WindowsIcmpEchoProvider implements ProbeTransportProvider {
    /** The transport's name. */
    public static final String NAME = WindowsTransport.NAME;

    private final String osName;
    private final String arch;
    private final Supplier<IcmpApi> api;
    /** The last check's outcome (what {@link #capabilities()} reports); null before the first. */
    private volatile WindowsAvailability.@Nullable Result checked;
    private static final AtomicBoolean IPV6_REASON_LOGGED = new AtomicBoolean();

    /** Cheap: nothing is checked, loaded or opened until {@link #availability()} or {@link #open()}. */
    public WindowsIcmpEchoProvider() {
        this(System.getProperty("os.name", "unknown"), System.getProperty("os.arch", "unknown"), new Supplier<>() {
            @Override // a class, not a lambda: every JVM that builds a tracer makes this provider (docs/startup.md)
            public IcmpApi get() {
                return NativeIcmpApi.get();
            }
        });
    }

    /** For tests: another operating system's name, and another ICMP API (a simulated one). */
    WindowsIcmpEchoProvider(String osName, String arch, Supplier<IcmpApi> api) {
        this.osName = Objects.requireNonNull(osName, "osName");
        this.arch = Objects.requireNonNull(arch, "arch");
        this.api = Objects.requireNonNull(api, "api");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 300;
    }

    /**
     * ICMP echo, IPv4 and IPv6, classic (per-probe) flows, payload sizes, no privilege; without IPv6 on a
     * Windows (or Wine) where Icmp6CreateFile fails. Off Windows nothing is checked: the full set.
     */
    @Override
    public Set<TransportCapability> capabilities() {
        WindowsAvailability.Result r = checked;
        return (r == null ? check() : r).capabilities();
    }

    @Override
    public Availability availability() {
        return check().availability();
    }

    /** Why IPv6 is not offered here (e.g. "Icmp6CreateFile failed: ..."), or null (for tests). */
    @Nullable String ipv6Unavailable() {
        WindowsAvailability.Result r = checked;
        return (r == null ? check() : r).ipv6Unavailable();
    }

    private WindowsAvailability.Result check() {
        WindowsAvailability.Result r = WindowsAvailability.check(osName, arch, api);
        checked = r;
        if (r.ipv6Unavailable() != null && IPV6_REASON_LOGGED.compareAndSet(false, true)) {
            System.getLogger("io.pathprobe.windows").log(Level.INFO, "{0}: IPv6 is not offered: {1}", NAME,
                    r.ipv6Unavailable());
        }
        return r;
    }

    @Override
    public ProbeTransport open() {
        WindowsAvailability.Result r = check();
        Availability a = r.availability();
        if (!a.isAvailable()) {
            throw new TransportException(NAME + " cannot be used: " + a.reason(), a.unavailabilityCause());
        }
        return WindowsTransport.open(api.get(), r.ipv6Unavailable());
    }

    @Override
    public String toString() {
        return NAME;
    }
}
