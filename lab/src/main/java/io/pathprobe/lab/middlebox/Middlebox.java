package io.pathprobe.lab.middlebox;

import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import io.pathprobe.lab.namespace.Exec;
import io.pathprobe.lab.namespace.Namespaces;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A router of the lab that rewrites a header field of what it forwards away from the host
 * ({@link LabBuilder#rewriteDscpAt}, {@link LabBuilder#clearEcnAt}, {@link LabBuilder#setTtlAt},
 * {@link LabBuilder#clampMssAt}; {@link Lab#middleboxes()}): what a trace that reads back the headers its
 * routers quote finds changed. The rewrite is an nftables rule in the router's forward hook (table
 * {@code inet pathprobe_middlebox}, one per router, every rewrite of that router in it), for packets that
 * came in on a link toward the host ({@code iifname "up*"}), IPv4 and IPv6 alike. The forward hook comes
 * after the kernel's TTL check and TTL decrement: a probe that expires at {@code hop} is quoted as it arrived,
 * unchanged; the router at {@code hop + 1} is the first to receive (and quote) the rewritten packet. The
 * answers coming back toward the host are left as they are. At a TTL with several routers (an ECMP
 * fabric) every one of them rewrites.
 *
 * @param kind what is rewritten
 * @param hop the router's TTL (1..hops-1)
 * @param value the DSCP, TTL or MSS it sets; 0 for {@link Kind#CLEAR_ECN}
 */
public record Middlebox(Kind kind, int hop, int value) {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The nftables table of a middlebox router's rules. */
    public static final String TABLE = "pathprobe_middlebox";

    /** What a middlebox rewrites. */
    public enum Kind {
        /**
         * Sets the DSCP (the traffic class's upper 6 bits) to {@code value}, 0..63 (0: bleaching), keeping the
         * ECN bits: {@code ip dscp set}, {@code ip6 dscp set}.
         */
        DSCP,
        /** Sets the ECN field to Not-ECT (0), keeping the DSCP: {@code ip ecn set not-ect}, {@code ip6 ecn ...}. */
        CLEAR_ECN,
        /**
         * Sets the TTL (hop limit) of the forwarded packet to {@code value}, 1..255, as a transparent proxy
         * does: the router at {@code hop + 1} receives {@code value} ({@code ip ttl set},
         * {@code ip6 hoplimit set}).
         */
        TTL,
        /**
         * Clamps the MSS option of TCP SYNs to {@code value}, 1..65535: {@code tcp option maxseg size set}.
         * Linux's nftables only ever lowers an MSS (a SYN announcing {@code value} or less passes unchanged,
         * and so does one without the option).
         */
        MSS
    }

    /**
     * @throws IllegalArgumentException if {@code value} is out of the kind's range or {@code hop} below 1
     */
    public Middlebox {
        java.util.Objects.requireNonNull(kind, "kind");
        if (hop < 1) {
            throw new IllegalArgumentException("a middlebox's hop must be a router's TTL (at least 1), was " + hop);
        }
        int max = switch (kind) {
            case DSCP -> 63;
            case CLEAR_ECN -> 0;
            case TTL -> 255;
            case MSS -> 65535;
        };
        int min = kind == Kind.TTL || kind == Kind.MSS ? 1 : 0;
        if (value < min || value > max) {
            throw new IllegalArgumentException(switch (kind) {
                case DSCP -> "DSCP must be 0..63, was " + value;
                case CLEAR_ECN -> "clearing ECN takes no value, was " + value;
                case TTL -> "the TTL a middlebox sets must be 1..255, was " + value;
                case MSS -> "the MSS a middlebox clamps to must be 1..65535, was " + value;
            });
        }
    }

    /** The nftables rule (IPv4 and IPv6 statements) of this rewrite, for a chain in an {@code inet} table. */
    List<String> rules() {
        String in = "iifname \"up*\" ";
        return switch (kind) {
            case DSCP -> List.of(in + "ip dscp set " + value, in + "ip6 dscp set " + value);
            case CLEAR_ECN -> List.of(in + "ip ecn set not-ect", in + "ip6 ecn set not-ect");
            case TTL -> List.of(in + "ip ttl set " + value, in + "ip6 hoplimit set " + value);
            case MSS -> List.of(in + "tcp flags syn tcp option maxseg size set " + value);
        };
    }

    /** The nftables table of one router holding every rewrite in {@code atHop} (all of the same hop). */
    static String table(List<Middlebox> atHop) {
        StringBuilder s = new StringBuilder("table inet " + TABLE + " {\n    chain forward {\n"
                + "        type filter hook forward priority filter; policy accept;\n");
        for (Middlebox m : atHop) {
            for (String rule : m.rules()) {
                s.append("        ").append(rule).append('\n');
            }
        }
        return s.append("    }\n}\n").toString();
    }

    /** Installs every middlebox in a built lab: one table per router, in every namespace at its TTL. */
    public static void apply(Lab lab, List<Middlebox> middleboxes) {
        Map<Integer, List<Middlebox>> byHop = new TreeMap<>();
        for (Middlebox m : middleboxes) {
            byHop.computeIfAbsent(m.hop(), h -> new ArrayList<>()).add(m);
        }
        byHop.forEach((hop, atHop) -> {
            String table = table(atHop);
            for (String ns : lab.namespaces(hop)) {
                Exec.check("installing the middlebox " + atHop + " in " + ns,
                        Namespaces.in(ns, "nft", "-f", "-"), "nft -f -", table, table, TIMEOUT);
            }
        });
    }

    @Override
    public String toString() {
        return switch (kind) {
            case DSCP -> "DSCP set to " + value + " at router " + hop;
            case CLEAR_ECN -> "ECN cleared at router " + hop;
            case TTL -> "TTL set to " + value + " at router " + hop;
            case MSS -> "MSS clamped to " + value + " at router " + hop;
        };
    }
}
