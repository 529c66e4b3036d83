package io.pathprobe.mtu;

import io.pathprobe.probe.AddressText;
import io.pathprobe.util.Checks;
import io.pathprobe.util.Text;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
/**
 * One TTL of a path MTU discovery ({@link MtuResult#hops()}): who answered there, at what probe size, and
 * whether a router said the probe was too big while this TTL was probed.
 *
 * <p>A router whose next link is smaller than a probe answers Fragmentation Needed (IPv4) or Packet Too
 * Big (IPv6) instead of forwarding it: as the probe of TTL {@code t} still had TTL left there, that
 * router is normally the one at TTL {@code t - 1}, and the answer arrives while TTL {@code t} is probed
 * (tracepath prints it on line {@code t}, with that router's address and {@code pmtu N}).
 *
 * @param ttl the TTL probed
 * @param address who answered the probe that got through (Time Exceeded, or the destination); empty when
 *     nothing did (a silent hop)
 * @param rtt that answer's round-trip time; empty when none
 * @param pathMtu the size, in bytes (IP header included), of the probe that got through to this hop: the
 *     path MTU up to here; for a silent hop the size last tried
 * @param tooBig the MTU a router reported in Fragmentation Needed / Packet Too Big while this TTL was
 *     probed (the smallest, if several); empty when none did
 * @param tooBigFrom the router that reported it; empty when none did
 * @param destination whether the answer came from the destination
 * @param masked whether the hop is hidden ({@link io.pathprobe.evidence.Masking#apply(MtuResult)}: privacy
 *     masking): then it has no {@code address} nor {@code tooBigFrom}, and prints {@code masked} in their place
 */
public record MtuHop(int ttl, Optional<InetAddress> address, Optional<Duration> rtt, int pathMtu, OptionalInt tooBig,
        Optional<InetAddress> tooBigFrom, boolean destination, boolean masked) {
    /**
     * Checks the components (see the record's description).
     *
     * @param ttl the TTL probed, 1 to 255
     * @param address who answered the probe that got through; empty when nothing did
     * @param rtt that answer's round-trip time; empty when none
     * @param pathMtu the size of the probe that got through (or was last tried), positive
     * @param tooBig the MTU a router reported while this TTL was probed; empty when none did
     * @param tooBigFrom the router that reported it; present exactly when {@code tooBig} is
     * @param destination whether the answer came from the destination
     * @param masked whether the hop is hidden (no {@code address} nor {@code tooBigFrom})
     * @throws NullPointerException if an Optional is null
     * @throws IllegalArgumentException if {@code ttl} or {@code pathMtu} is out of range, {@code tooBig} and
     *     {@code tooBigFrom} disagree, or a masked hop holds an address
     */
    public MtuHop {
        Checks.ttl(ttl, "ttl");
        Checks.nonNull("address", address, "rtt", rtt, "tooBig", tooBig, "tooBigFrom", tooBigFrom);
        if (pathMtu < 1) {
            throw new IllegalArgumentException("pathMtu must be positive, was " + pathMtu);
        }
        if (masked ? address.isPresent() || tooBigFrom.isPresent() : tooBig.isPresent() != tooBigFrom.isPresent()) {
            throw new IllegalArgumentException(masked ? "a masked hop holds no address"
                    : "tooBig and tooBigFrom go together");
        }
    }

    /** {@return this hop hidden: without its address and the reporting router's, the sizes and RTT kept} */
    public MtuHop asMasked() {
        return new MtuHop(ttl, Optional.empty(), rtt, pathMtu, tooBig, Optional.empty(), destination, true);
    }

    /** {@return whether something answered at this TTL} */
    public boolean answered() {
        return masked ? rtt.isPresent() : address.isPresent();
    }

    /**
     * As tracepath prints it: the Packet Too Big line first, when there was one, then the hop:
     * <pre>
     *  2:  198.18.1.2                pmtu 1280
     *  2:  198.18.2.2                0.093 ms
     * </pre>
     * A silent hop is {@code " 3:  no reply"}; the destination's line ends with {@code reached}. A masked hop
     * prints {@code masked} for each address, never {@code no reply} alone (which means silent):
     * {@code " 3:  masked                       no reply"}.
     */
    @Override
    public String toString() {
        String mask = io.pathprobe.probe.MaskStatement.MASKED;
        StringBuilder b = new StringBuilder();
        if (tooBig.isPresent()) {
            b.append(String.format(Locale.ROOT, "%2d:  %-28s pmtu %d%n", ttl,
                    masked ? mask : AddressText.of(tooBigFrom.orElseThrow()), tooBig.getAsInt()));
        }
        if (!answered()) {
            return b.append(masked ? String.format(Locale.ROOT, "%2d:  %-28s no reply", ttl, mask)
                    : String.format(Locale.ROOT, "%2d:  no reply", ttl)).toString();
        }
        b.append(String.format(Locale.ROOT, "%2d:  %-28s %s", ttl, address.map(AddressText::of).orElse(mask),
                rtt.map(Text::ms).orElse("")));
        if (destination) {
            b.append(" reached");
        }
        return b.toString();
    }
}
