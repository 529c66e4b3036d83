package io.pathprobe.core.internal;

import io.pathprobe.lab.CapturedPacket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the chaos suite checks attributions against: the probes the host sent and the answers it
 * received, as tcpdump captured them on the host's interface. An answer counts as evidence only if
 * its ICMP checksum is right; it answers a probe if what it quotes (an error) or carries (an echo
 * reply, from the probe's destination) identifies that probe: ICMP identifier and sequence; UDP ports
 * and the IP ID or the checksum (which carry the probe number); TCP ports and the sequence number or
 * the IP ID; and the same destination address. And it must have arrived after the probe left.
 */
final class ChaosEvidence {
    private final List<CapturedPacket> probes = new ArrayList<>();
    private final List<CapturedPacket> answers = new ArrayList<>();
    /** Answers to the host whose checksum is wrong (ignored as evidence). */
    private int corrupt;

    ChaosEvidence(List<CapturedPacket> packets, InetAddress host) {
        for (CapturedPacket p : packets) {
            if (p.ipVersion() != 4) {
                continue;
            }
            if (p.source().equals(host) && isProbe(p)) {
                probes.add(p);
            } else if (p.destination().equals(host) && p.protocol() == 1) {
                int type = p.icmpType().orElse(-1);
                if (type == 0 || type == 3 || type == 11) {
                    if (p.transportChecksumOk().orElse(false)) {
                        answers.add(p);
                    } else {
                        corrupt++;
                    }
                }
            }
        }
    }

    private static boolean isProbe(CapturedPacket p) {
        return switch (p.protocol()) {
            case 1 -> p.icmpType().orElse(-1) == 8;
            case 17 -> true;
            case 6 -> (p.tcpFlags().orElse(0) & 0x02) != 0;
            default -> false;
        };
    }

    List<CapturedPacket> probes() {
        return probes;
    }

    List<CapturedPacket> answers() {
        return answers;
    }

    int corruptAnswers() {
        return corrupt;
    }

    /** The probes sent with IP TTL {@code ttl} that a right answer from {@code from} answers. */
    Set<CapturedPacket> answeredProbes(int ttl, InetAddress from) {
        Set<CapturedPacket> out = new LinkedHashSet<>();
        for (CapturedPacket a : answers) {
            if (!a.source().equals(from)) {
                continue;
            }
            for (CapturedPacket p : probes) {
                if (p.ttl() == ttl && !a.time().isBefore(p.time()) && answers(a, p)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** Echo replies from {@code from} that answer a probe, by ICMP sequence (distinct sequences). */
    Set<Integer> echoReplySequences(InetAddress from) {
        Set<Integer> out = new LinkedHashSet<>();
        for (CapturedPacket a : answers) {
            if (a.source().equals(from) && a.icmpType().orElse(-1) == 0) {
                for (CapturedPacket p : probes) {
                    if (!a.time().isBefore(p.time()) && answers(a, p)) {
                        out.add(u16(a.firstTransportBytes(), 6));
                        break;
                    }
                }
            }
        }
        return out;
    }

    /** Echo replies from {@code from} (copies included) that answer a probe. */
    int echoReplies(InetAddress from) {
        int n = 0;
        for (CapturedPacket a : answers) {
            if (a.source().equals(from) && a.icmpType().orElse(-1) == 0
                    && probes.stream().anyMatch(p -> !a.time().isBefore(p.time()) && answers(a, p))) {
                n++;
            }
        }
        return n;
    }

    /** Whether some right answer from {@code from} answers the echo request with this sequence. */
    boolean answersSequence(InetAddress from, int wireSequence, boolean echoReply) {
        for (CapturedPacket a : answers) {
            if (!a.source().equals(from) || (a.icmpType().orElse(-1) == 0) != echoReply) {
                continue;
            }
            for (CapturedPacket p : probes) {
                if (p.protocol() == 1 && u16(p.firstTransportBytes(), 6) == wireSequence && !a.time().isBefore(p.time())
                        && answers(a, p)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Answers whose probe left before the probe of the answer received just before them: the
     * reordering the measurement saw.
     */
    int reordered() {
        int n = 0;
        int last = -1;
        for (CapturedPacket a : answers) {
            int index = -1;
            for (int i = 0; i < probes.size(); i++) {
                if (!a.time().isBefore(probes.get(i).time()) && answers(a, probes.get(i))) {
                    index = i;
                }
            }
            if (index < 0) {
                continue;
            }
            if (index < last) {
                n++;
            }
            last = index;
        }
        return n;
    }

    /** Answers (errors) from {@code from}, all of them. */
    long errorsFrom(InetAddress from) {
        return answers.stream().filter(a -> a.source().equals(from) && a.icmpType().orElse(-1) != 0).count();
    }

    static boolean answers(CapturedPacket answer, CapturedPacket probe) {
        if (answer.icmpType().orElse(-1) == 0) {
            return probe.protocol() == 1 && answer.source().equals(probe.destination())
                    && u16(answer.firstTransportBytes(), 4) == u16(probe.firstTransportBytes(), 4)
                    && u16(answer.firstTransportBytes(), 6) == u16(probe.firstTransportBytes(), 6);
        }
        return answer.quoted().map(q -> identifies(q, probe)).orElse(false);
    }

    private static boolean identifies(CapturedPacket q, CapturedPacket probe) {
        if (q.protocol() != probe.protocol() || !q.destination().equals(probe.destination())
                || q.firstTransportBytes().length < 8) {
            return false;
        }
        byte[] a = q.firstTransportBytes();
        byte[] b = probe.firstTransportBytes();
        return switch (probe.protocol()) {
            case 1 -> (a[0] & 0xff) == 8 && u16(a, 4) == u16(b, 4) && u16(a, 6) == u16(b, 6);
            case 17 -> u16(a, 0) == u16(b, 0) && u16(a, 2) == u16(b, 2)
                    && (q.ipId().equals(probe.ipId()) || u16(a, 6) == u16(b, 6));
            case 6 -> u16(a, 0) == u16(b, 0) && u16(a, 2) == u16(b, 2)
                    && (q.ipId().equals(probe.ipId()) || (u16(a, 4) == u16(b, 4) && u16(a, 6) == u16(b, 6)));
            default -> false;
        };
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }
}
