package io.pathprobe.evidence;

import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathResult;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text forms of the results (their {@code toString}), masked: the statement ({@link Masking#toString()},
 * {@code "hops 1-2 and the source address masked"}) on the line after the header, each hidden hop as
 * {@code masked} in place of its address and name (its RTTs, loss and {@code *}s for unanswered probes stay: a
 * masked hop is never printed as a silent one), and every hidden address, and the host name of a hidden
 * responder, written as {@code masked} wherever else it shows ({@link MaskedResults}). With {@link Masking#NONE}
 * each method returns the result's own text. A trace, a path MTU discovery, a ping and a comparison have no method
 * here: their masking is a transform of the result ({@link Masking#apply(io.pathprobe.trace.TraceResult)}) that
 * their own text form renders.
 */
public final class MaskedText {
    private static final Pattern TABLE_ROW = Pattern.compile("^ {0,2}(\\d{1,3})    ");

    private MaskedText() {}

    /**
     * {@return the discovery as {@link MultipathResult#toText(int)} prints it, masked: a hidden TTL's line in the
     * topology and in the names is {@code "  1    masked"}}
     *
     * @param r the discovery
     * @param width the text's width
     * @param masking the masking asked for
     */
    public static String multipath(MultipathResult r, int width, Masking masking) {
        if (!masking.active()) {
            return r.toText(width);
        }
        Masking m = MaskedResults.learn(masking, r);
        Set<String> names = new HashSet<>();
        r.nodes().stream().filter(n -> m.hides(n.ttl())).map(MultipathNode::hostname)
                .forEach(l -> l.value().ifPresent(names::add));
        StringBuilder b = new StringBuilder(m.toString()).append('\n');
        boolean byTtl = false; // in the topology or the names, whose lines start with a TTL (the paths' with a number)
        for (String line : r.toText(width).split("\n", -1)) {
            if (line.startsWith("ttl    nodes") || line.equals("names")) {
                byTtl = true;
            } else if (line.isEmpty()) {
                byTtl = false;
            }
            Matcher x = TABLE_ROW.matcher(line);
            if (byTtl && x.find() && m.hides(Integer.parseInt(x.group(1)))) {
                line = String.format(Locale.ROOT, "%3d    %s", Integer.parseInt(x.group(1)), Masking.MASKED);
            }
            b.append(line).append('\n');
        }
        b.setLength(b.length() - 1);
        return hide(b.toString(), m, names);
    }

    /** Hidden addresses, then hidden host names (whole words), written {@code masked}. */
    private static String hide(String text, Masking m, Set<String> names) {
        String out = m.redact(text);
        for (String n : names) {
            out = out.replaceAll("(?<![\\w.-])" + Pattern.quote(n) + "(?![\\w-]|\\.\\w)", Masking.MASKED);
        }
        return out;
    }
}
