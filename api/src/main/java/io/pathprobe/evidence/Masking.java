package io.pathprobe.evidence;

import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.MaskStatement;
import java.net.InetAddress;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which parts of a measurement an output hides (privacy masking, as trippy's {@code --tui-privacy-max-ttl} and
 * NextTrace's hidden first hops): the first {@code hops} TTLs (their addresses, host names, AS numbers; their RTTs,
 * loss and counts stay), this host's own addresses (the source and the public address STUN found), and the
 * concrete {@code addresses} learnt from a result ({@link #apply(io.pathprobe.trace.TraceResult)} and its
 * overloads): whatever answered at a hidden TTL, so that it is hidden wherever else it shows (a note, a link, a
 * later hop). The destination the user named is never
 * hidden. Every output that masks says so ({@link #toString()}) and prints a hidden hop as {@code masked},
 * never {@code *} (which means silent).
 *
 * @param hops how many TTLs, from TTL 1, are hidden (0 to 255)
 * @param source whether this host's source address and public address are hidden
 * @param addresses the concrete addresses hidden wherever they show
 */
public record Masking(int hops, boolean source, Set<InetAddress> addresses) {
    /** What an output prints in place of a hidden address or hop. */
    public static final String MASKED = MaskStatement.MASKED;

    /** The most TTLs a masking hides (an IP TTL's range). */
    public static final int MAX_HOPS = 255;

    /** Nothing hidden. */
    public static final Masking NONE = new Masking(0, false, Set.of());

    /**
     * Checks the components and copies {@code addresses}.
     *
     * @param hops how many TTLs, from TTL 1, are hidden (0 to 255)
     * @param source whether this host's source address and public address are hidden
     * @param addresses the concrete addresses hidden wherever they show
     * @throws IllegalArgumentException if {@code hops} is negative or above 255
     * @throws NullPointerException if {@code addresses} is null or holds null
     */
    public Masking {
        if (hops < 0 || hops > MAX_HOPS) {
            throw new IllegalArgumentException("the hops to mask must be 0 to " + MAX_HOPS + " (the first N TTLs), was "
                    + hops);
        }
        addresses = Set.copyOf(addresses);
    }

    /**
     * {@return a masking of TTLs 1 to {@code hops} and of this host's addresses} {@code firstHops(0)} hides the
     * source address alone: masking always hides the source, as trippy's privacy mode does.
     *
     * @param hops how many TTLs, from TTL 1, are hidden (0 to 255)
     * @throws IllegalArgumentException if {@code hops} is negative or above 255
     */
    public static Masking firstHops(int hops) {
        return new Masking(hops, true, Set.of());
    }

    /** {@return whether anything is hidden (false for {@link #NONE})} */
    public boolean active() {
        return hops > 0 || source || !addresses.isEmpty();
    }

    /**
     * {@return whether the hop at {@code ttl} is hidden: 1 to {@link #hops()}}
     *
     * @param ttl a hop's TTL
     */
    public boolean hides(int ttl) {
        return ttl >= 1 && ttl <= hops;
    }

    /**
     * {@return whether {@code address} is hidden wherever it shows (one of {@link #addresses()})}
     *
     * @param address an address
     */
    public boolean hides(InetAddress address) {
        return addresses.contains(address);
    }

    /**
     * {@return this masking, hiding also {@code more} (null elements and those already hidden are skipped)}
     *
     * @param more addresses to hide wherever they show
     */
    public Masking hiding(Collection<? extends @org.jspecify.annotations.Nullable InetAddress> more) {
        Set<InetAddress> all = new LinkedHashSet<>(addresses);
        for (InetAddress a : more) {
            if (a != null) {
                all.add(a);
            }
        }
        return all.size() == addresses.size() ? this : new Masking(hops, source, all);
    }

    /**
     * {@return the trace with what this masking hides replaced by one masked state in the model
     * ({@link io.pathprobe.trace.Hop#masked()}, {@link io.pathprobe.enrich.PublicAddress#masked()}), and this
     * masking as its {@link io.pathprobe.trace.TraceResult#masking() statement}} Every writer renders the result it
     * returns as it renders any other: its text form, its document, its Atlas record, its scamper object. With
     * nothing hidden, {@code r} itself.
     *
     * @param r a trace
     */
    public io.pathprobe.trace.TraceResult apply(io.pathprobe.trace.TraceResult r) {
        return MaskedResults.apply(this, r);
    }

    /**
     * {@return the path MTU discovery with what this masking hides replaced by the masked state
     * ({@link io.pathprobe.mtu.MtuHop#masked()}, {@link io.pathprobe.mtu.MtuBlackHole#masked()}) and this masking as
     * its statement}
     *
     * @param r a path MTU discovery
     */
    public io.pathprobe.mtu.MtuResult apply(io.pathprobe.mtu.MtuResult r) {
        return MaskedResults.apply(this, r);
    }

    /**
     * {@return the ping with this masking's addresses gone from its messages and probes (a ping has no hops and its
     * targets are the user's) and this masking as its statement}
     *
     * @param r a ping
     */
    public io.pathprobe.ping.PingResult apply(io.pathprobe.ping.PingResult r) {
        return MaskedResults.apply(this, r);
    }

    /**
     * {@return the comparison with each protocol's trace masked as {@link #apply(io.pathprobe.trace.TraceResult)}
     * masks it (by what any of them shows at the hidden TTLs), its rows' hidden hops masked, and the hidden addresses
     * gone from its divergences and ends; this masking as its {@link io.pathprobe.compare.CompareResult#masking()
     * statement}}
     *
     * @param r a comparison of protocols
     */
    public io.pathprobe.compare.CompareResult apply(io.pathprobe.compare.CompareResult r) {
        return MaskedResults.apply(this, r);
    }

    /**
     * {@return the multipath discovery with what this masking hides replaced by the masked state: each node at a
     * hidden TTL, or with a hidden address, {@link io.pathprobe.multipath.MultipathNode#masked() masked} (the links,
     * diamonds and paths that name it name it masked), this host's public address masked, and this masking as its
     * {@link io.pathprobe.multipath.MultipathResult#masking() statement}}
     *
     * @param r a multipath discovery
     */
    public io.pathprobe.multipath.MultipathResult apply(io.pathprobe.multipath.MultipathResult r) {
        return MaskedResults.apply(this, r);
    }

    /**
     * {@return the monitor's result with what this masking hides replaced by the masked state: each hop at a hidden
     * TTL, or where a hidden address answered, {@link io.pathprobe.monitor.MonitorHop#masked() masked}, its path
     * and last round masked alike, and this masking as its {@link io.pathprobe.monitor.MonitorResult#masking()
     * statement}} Its text form (mtr's report) names this host {@code masked}. For the rounds and events of a
     * running monitor, {@link MonitorMasking} remembers what the earlier rounds showed.
     *
     * @param r a monitor's result (mtr)
     */
    public io.pathprobe.monitor.MonitorResult apply(io.pathprobe.monitor.MonitorResult r) {
        return MaskedResults.apply(this, r);
    }

    /**
     * {@return one round of a monitor with its trace masked as {@link #apply(io.pathprobe.trace.TraceResult)}
     * masks it, its path's hidden TTLs {@link io.pathprobe.monitor.MonitorPath#masked() masked}, and its events
     * masked (a hop change at a hidden TTL names no responder)}
     *
     * @param r one round of a monitor
     */
    public io.pathprobe.monitor.MonitorRound apply(io.pathprobe.monitor.MonitorRound r) {
        return MaskedResults.apply(this, r);
    }

    /** {@return this masking as a result carries it: what is hidden, without the addresses (they would show it)} */
    public MaskStatement statement() {
        return new MaskStatement(hops, source);
    }

    /**
     * {@return one hop of a trace as {@link #apply(io.pathprobe.trace.TraceResult)} makes it: masked when its TTL
     * or an address that answered there is hidden} For an output that prints hops as they come (a live table);
     * the addresses it knows are hidden are this masking's.
     *
     * @param h a trace hop
     */
    public io.pathprobe.trace.Hop apply(io.pathprobe.trace.Hop h) {
        return MaskedResults.apply(this, h);
    }

    /**
     * {@return an address as outputs print it: {@link #MASKED} when hidden, else {@link AddressText#of}}
     *
     * @param address the address
     */
    public String text(InetAddress address) {
        return hides(address) ? MASKED : AddressText.of(address);
    }

    /**
     * {@return {@code address} unless it is hidden}
     *
     * @param address an address, or empty
     */
    public Optional<InetAddress> shown(Optional<InetAddress> address) {
        return address.filter(a -> !hides(a));
    }

    /**
     * {@return {@code text} with every hidden address written in it replaced by {@link #MASKED}} An address is
     * replaced where it stands as a whole ({@code 198.18.0.1} is not replaced inside {@code 198.18.0.10}), also in
     * Java's {@code /198.18.0.1} and in brackets ({@code [2001:db8::1]:3478}). For notes, messages and text forms.
     *
     * @param text any text
     */
    public String redact(String text) {
        String out = text;
        for (InetAddress a : addresses) {
            out = replaceWhole(out, AddressText.of(a));
            String java = a.getHostAddress();
            if (!java.equals(AddressText.of(a))) {
                out = replaceWhole(out, java);
            }
        }
        return out;
    }

    private static String replaceWhole(String text, String token) {
        boolean v6 = token.indexOf(':') >= 0; // a colon after an IPv4 address is its port's, after IPv6 its own
        StringBuilder b = new StringBuilder(text.length());
        int from = 0;
        int at;
        while ((at = text.indexOf(token, from)) >= 0) {
            int end = at + token.length();
            boolean whole = (at == 0 || !addressChar(text.charAt(at - 1), v6))
                    && (end == text.length() || !addressChar(text.charAt(end), v6)
                    && !(text.charAt(end) == '.' && end + 1 < text.length()
                    && Character.isLetterOrDigit(text.charAt(end + 1))));
            b.append(text, from, at).append(whole ? MASKED : token);
            from = end;
        }
        return b.append(text, from, text.length()).toString();
    }

    private static boolean addressChar(char c, boolean v6) {
        return Character.isLetterOrDigit(c) || v6 && c == ':';
    }

    /**
     * The statement every masked output carries: {@code "hops 1-2 and the source address masked"},
     * {@code "hop 1 and the source address masked"}, {@code "the source address masked"} ({@code --mask 0}),
     * {@code "hops 1-3 masked"} (source shown), {@code "nothing masked"} for {@link #NONE}; addresses learnt from a
     * result are not listed (that would show them).
     */
    @Override
    public String toString() {
        return hops == 0 && !source && !addresses.isEmpty() ? "addresses masked" : statement().toString();
    }
}
