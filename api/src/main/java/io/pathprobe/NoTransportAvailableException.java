package io.pathprobe;

import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.util.Checks;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
/**
 * No probe transport can do what was asked. The message lists every transport that was considered,
 * in the order they were considered (best first), and why it cannot be used, and ends with a hint
 * when one helps; {@link #rejections()} gives the same as data.
 */
public final class NoTransportAvailableException extends PathProbeException {
    private static final long serialVersionUID = 1L;
    /** Every transport considered and why it was not used, in the order considered. */
    private final List<Rejection> rejections;
    /** What the caller can do about it, in the API's words; null when there is no hint. */
    private final @Nullable String hint;
    /** What could not be done, e.g. "no usable transport for ICMP probes to IPv4 destinations". */
    private final String what;
    /** A protocol a usable transport sends here, where that is the advice; null otherwise. */
    private final @Nullable ProbeProtocol usableProtocol;
    /** The one-line form: what could not be done and, briefly, why. */
    private final String summary;

    /** Why one transport was not used. */
    public enum Reason {
        /** It cannot do what was asked (protocol, address family, flow policy). */
        MISSING_CAPABILITY,
        /** It could, but is not usable in this process (privilege, sysctl, kill switch, wrong OS). */
        UNAVAILABLE,
        /** Another transport was named as the preferred one. */
        NOT_PREFERRED,
        /** The transport named as preferred is not on the class path. */
        NOT_FOUND,
        /** Its provider could not be loaded or opened. */
        FAILED
    }

    /**
     * One transport that was considered and not used.
     *
     * @param transport the transport's name
     * @param reason the kind of reason
     * @param detail the reason in words, e.g. "needs CAP_NET_RAW (socket(...): EPERM)"
     */
    public record Rejection(String transport, Reason reason, String detail) {
        /**
         * Checks the components (see the record's description).
         *
         * @param transport the transport's name
         * @param reason the kind of reason
         * @param detail the reason in words, e.g. "needs CAP_NET_RAW (socket(...): EPERM)"
         * @throws NullPointerException if a component is null
         */
        public Rejection {
            Checks.nonNull("transport", transport, "reason", reason, "detail", detail);
        }

        /** {@return "linux-raw-icmp: needs CAP_NET_RAW (...)", as the exception's message lists it} */
        @Override
        public String toString() {
            return transport + ": " + detail;
        }
    }

    /**
     * @param what what could not be done, e.g. "no usable transport for ICMP probes to IPv4 destinations"
     * @param rejections every transport considered, in the order considered
     * @param hint what the caller can do about it, or null
     */
    public NoTransportAvailableException(String what, List<Rejection> rejections, @Nullable String hint) {
        this(what, rejections, hint, null);
    }

    /**
     * @param what what could not be done, e.g. "no usable transport for ICMP probes to IPv4 destinations"
     * @param rejections every transport considered, in the order considered
     * @param hint what the caller can do about it, in the API's words, or null
     * @param usableProtocol a protocol a usable transport sends here, where that is the advice, or null
     */
    public NoTransportAvailableException(String what, List<Rejection> rejections, @Nullable String hint,
            @Nullable ProbeProtocol usableProtocol) {
        this(what, rejections, hint, usableProtocol, null);
    }

    /**
     * @param what what could not be done, e.g. "no usable transport for ICMP probes to IPv4 destinations"
     * @param rejections every transport considered, in the order considered
     * @param hint what the caller can do about it, in the API's words, or null
     * @param usableProtocol a protocol a usable transport sends here, where that is the advice, or null
     * @param summary the one-line form ({@link #summary()}), e.g. "no usable transport for ICMP probes to IPv4
     *     destinations: linux-raw-icmp needs CAP_NET_RAW; linux-icmp-dgram needs gid 65534 in
     *     net.ipv4.ping_group_range (now '1 0')"; null for {@code what} and the reasons of the rejections that
     *     are not a missing capability (all of them if each is), joined
     */
    public NoTransportAvailableException(String what, List<Rejection> rejections, @Nullable String hint,
            @Nullable ProbeProtocol usableProtocol, @Nullable String summary) {
        super(format(what, rejections, hint));
        this.what = what;
        this.rejections = List.copyOf(rejections);
        this.hint = hint;
        this.usableProtocol = usableProtocol;
        this.summary = summary != null ? summary : summarize(what, this.rejections);
    }

    private static String summarize(String what, List<Rejection> rejections) {
        List<Rejection> shown = rejections.stream().filter(r -> r.reason() != Reason.MISSING_CAPABILITY
                && r.reason() != Reason.NOT_PREFERRED).toList();
        if (shown.isEmpty()) {
            shown = rejections.stream().filter(r -> r.reason() != Reason.NOT_PREFERRED).toList();
        }
        return shown.isEmpty() ? what : what + ": " + shown.stream().map(r -> r.transport() + ": " + r.detail())
                .collect(Collectors.joining("; "));
    }

    /**
     * {@return the exception in one line, for a front end that prints one line per error: what could not be done and
     * why in brief, where {@link #getMessage()} lists every transport considered on a line of its own} The
     * transports of other platforms are left out; one that a capability or a sysctl would make usable is named with
     * it: "no usable transport for ICMP probes to IPv4 destinations: linux-raw-icmp needs CAP_NET_RAW;
     * linux-icmp-dgram needs gid 65534 in net.ipv4.ping_group_range (now '1 0')". Without the hint.
     */
    public String summary() {
        return summary;
    }

    /**
     * With reasons as text only (kind {@link Reason#UNAVAILABLE}), in the map's iteration order.
     *
     * @param what what could not be done, e.g. "no usable transport for ICMP probes to IPv4 destinations"
     * @param reasons each transport's name mapped to the reason it cannot be used
     */
    public NoTransportAvailableException(String what, Map<String, String> reasons) {
        this(what, reasons.entrySet().stream()
                .map(e -> new Rejection(e.getKey(), Reason.UNAVAILABLE, e.getValue())).toList(), null);
    }

    private static String format(String what, List<Rejection> rejections, @Nullable String hint) {
        String list = rejections.isEmpty()
                ? ": no probe transport was found (is pathprobe-core with its native modules on the class path?)"
                : ":" + rejections.stream().map(r -> "\n  - " + r.transport() + ": " + r.detail())
                        .collect(Collectors.joining());
        return what + list + (hint == null ? "" : "\n" + hint);
    }

    /** {@return every transport considered and why it was not used, best first} */
    public List<Rejection> rejections() {
        return rejections;
    }

    /** {@return each transport name mapped to the reason it could not be used, in the order considered} */
    public Map<String, String> reasons() {
        Map<String, String> m = new LinkedHashMap<>();
        rejections.forEach(r -> m.putIfAbsent(r.transport(), r.detail()));
        return Collections.unmodifiableMap(m);
    }

    /** {@return the names of the transports that were considered, in the order considered} */
    public List<String> transports() {
        return rejections.stream().map(Rejection::transport).distinct().toList();
    }

    /**
     * {@return what the caller can do about it, e.g. "UDP probes are usable here:
     * TraceRequest.Builder.protocol(UDP)"}
     */
    public Optional<String> hint() {
        return Optional.ofNullable(hint);
    }

    /**
     * {@return a protocol that a usable transport sends here, when choosing it is the advice: a front end
     * words the advice its own way (the CLI: {@code --protocol udp}), where {@link #hint()} names the API}
     */
    public Optional<ProbeProtocol> usableProtocol() {
        return Optional.ofNullable(usableProtocol);
    }

    /** {@return the message without the hint: what could not be done and every transport's reason} */
    public String withoutHint() {
        return format(what, rejections, null);
    }
}
