/*
 * forger: a hostile router for pathprobe's lab chaos suite (io.pathprobe.lab.middlebox.HostileRouter starts it).
 *
 * In a router's network namespace it watches the probes the host sends (an AF_PACKET socket on the
 * router's interface toward the host: IPv4 packets from HOST that are ICMP echo requests, UDP, or
 * TCP SYNs and TCP segments carrying data: probes inside a connection) and, for every probe it sees, forges ICMP answers that quote a plausible but WRONG probe,
 * sent to HOST through a raw socket (IPPROTO_RAW) from a source address of its own, PREFIX.<kind>,
 * so that anything a measurement attributes to such an address is known to be forged, and by which
 * kind:
 *   1 te-id     Time Exceeded quoting the probe with the ICMP identifier (UDP/TCP source port) + 1
 *   2 te-seq    Time Exceeded quoting the probe with the ICMP sequence + 1 (UDP: checksum + 1 and
 *               IP ID + 1; TCP: sequence number + 1 and IP ID + 1): the next probe's number
 *   3 te-dst    Time Exceeded quoting the probe exactly, but addressed to another destination
 *               (quoted destination address + 1)
 *   4 echo-src  an ICMP probe: an Echo Reply with its exact identifier, sequence and payload, from
 *               PREFIX.4 (not the destination); a UDP/TCP probe: Port Unreachable quoting
 *               destination port + 1
 *   5 bad-csum  Port Unreachable quoting the probe exactly, with its own ICMP checksum off by one
 *   6 te-prev   Time Exceeded quoting the probe with its probe number rewritten to that of the previous
 *               probe of the same flow the forger saw (one still outstanding, or just answered), every
 *               other quoted byte left as sent: ICMP: the sequence (the quoted checksum left as sent,
 *               which under Paris is every probe's); UDP: the checksum (where Paris UDP carries the
 *               probe number) and the destination port (where classic UDP carries it); TCP: the
 *               sequence number (checksum and source port left). Quote: 28 bytes.
 *   7 te-prev-all  as 6, but quoting the whole probe as a Linux router does (up to 576 bytes of ICMP
 *               error), payload included; for UDP also every payload word that differs between the two
 *               probes but the first one (a probe-number field in clear, not the checksum's
 *               compensation word), so that the quote reads as the previous probe's to a transport that
 *               reads its probe number from the payload
 * Quotes of kinds 1-6 are the IPv4 header (20 bytes) and the first 8 bytes of the transport header
 * (RFC 792's minimum; no payload, so no cookie can tell them apart), every checksum right unless the
 * kind says otherwise. Kinds 6 and 7 forge nothing for a probe until the forger has seen an earlier
 * probe of its flow (ICMP: identifier and destination; UDP: source port and destination; TCP:
 * destination and destination port) with another number. KINDS is a set of digits ("1234567" = all).
 *
 * Every forged packet is logged on stdout, one line, flushed:
 *   forged <kind> <source> <probe-ttl> <probe key> -> <quoted key>
 * where a key is "icmp <id> <seq> <dst>", "udp <sport> <dport> <checksum> <ipid> <dst>" or
 * "tcp <sport> <dport> <seq> <ipid> <dst>". "ready" is printed once the sockets are open.
 *
 * Life: exits (0) when its standard input reaches end of file (the JVM that started it closed the
 * pipe or died), when IFACE disappears, or on SIGTERM/SIGINT/SIGHUP.
 *
 * usage: forger IFACE HOST_IPV4 PREFIX KINDS     (PREFIX: three octets, e.g. 198.18.250)
 * Build: gcc -O2 -Wall -o forger forger.c (with labpacket.h beside it). Needs CAP_NET_RAW.
 */
#include "labpacket.h"

/* "icmp id seq dst" / "udp sport dport sum ipid dst" / "tcp sport dport seq ipid dst" of an IPv4 packet with >= 8 transport bytes */
static void key(char *out, size_t n, const uint8_t *ip) {
    size_t ihl = (size_t) (ip[0] & 0x0f) * 4;
    const uint8_t *t = ip + ihl;
    char dst[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, ip + 16, dst, sizeof dst);
    switch (ip[9]) {
        case IPPROTO_ICMP:
            snprintf(out, n, "icmp %u %u %s", get16(t + 4), get16(t + 6), dst);
            break;
        case IPPROTO_UDP:
            snprintf(out, n, "udp %u %u %u %u %s", get16(t), get16(t + 2), get16(t + 6), get16(ip + 4), dst);
            break;
        default:
            snprintf(out, n, "tcp %u %u %u %u %s", get16(t), get16(t + 2), get32(t + 4), get16(ip + 4), dst);
    }
}

/* A fresh IPv4 header of total length len, from src to dst, ICMP, TTL 64, checksum set. */
static void outer(uint8_t *p, size_t len, uint32_t src, uint32_t dst) {
    memset(p, 0, 20);
    p[0] = 0x45;
    put16(p + 2, (uint16_t) len);
    p[8] = 64;
    p[9] = IPPROTO_ICMP;
    memcpy(p + 12, &src, 4);
    memcpy(p + 16, &dst, 4);
    put16(p + 10, checksum(p, 20));
}

/*
 * Forges answer `kind` to probe `probe` (an IPv4 packet of len bytes, header without options) into
 * out; returns its length, 0 if the kind does not apply. quoted receives the key of what it quotes.
 */
/* The previous probe seen per protocol (kinds 6 and 7): its bytes and length, 0 while none. */
static uint8_t previous[3][1500];
static size_t previous_len[3];

static int proto_slot(uint8_t proto) {
    return proto == IPPROTO_ICMP ? 0 : proto == IPPROTO_UDP ? 1 : 2;
}

/*
 * Kinds 6 and 7: the probe (len bytes) with its probe number rewritten to that of `prev` (plen
 * bytes), quoted whole (kind 7, as far as 576 bytes of ICMP error allow) or 28 bytes (kind 6).
 * Returns the error's length, 0 when prev is not an earlier probe of the same flow with another number.
 */
static size_t forge_previous(int kind, const uint8_t *probe, size_t len, const uint8_t *prev, size_t plen,
        uint32_t src, uint32_t host, uint8_t *out, char *quoted, size_t qn) {
    if (plen < 28 || prev[9] != probe[9] || memcmp(prev + 16, probe + 16, 4) != 0) {
        return 0;
    }
    size_t qlen = kind == 7 ? len : 28;
    if (qlen > 576 - 28) {
        qlen = 576 - 28;
    }
    uint8_t *q = out + 28;
    memcpy(q, probe, qlen);
    uint8_t *t = q + 20;
    const uint8_t *pt = prev + 20;
    switch (probe[9]) {
        case IPPROTO_ICMP:
            if (get16(pt + 4) != get16(t + 4) || get16(pt + 6) == get16(t + 6)) {
                return 0;
            }
            memcpy(t + 6, pt + 6, 2); /* the sequence; the checksum left as sent */
            break;
        case IPPROTO_UDP:
            if (get16(pt) != get16(t) || (get16(pt + 6) == get16(t + 6) && get16(pt + 2) == get16(t + 2))) {
                return 0;
            }
            memcpy(t + 2, pt + 2, 2); /* the destination port (classic: the probe number) */
            memcpy(t + 6, pt + 6, 2); /* the checksum (Paris: the probe number) */
            if (kind == 7 && plen == len) {
                int first = 1;
                for (size_t i = 28; i + 1 < qlen; i += 2) {
                    if (get16(q + i) != get16(prev + i)) {
                        if (!first) {
                            memcpy(q + i, prev + i, 2);
                        }
                        first = 0;
                    }
                }
            }
            break;
        default:
            if (get16(pt + 2) != get16(t + 2) || get32(pt + 4) == get32(t + 4)) {
                return 0;
            }
            memcpy(t + 4, pt + 4, 4); /* the sequence number; checksum and source port left */
    }
    /* the quoted header as a router quotes it: TTL 1 (it expired there), header checksum recomputed */
    q[8] = 1;
    put16(q + 10, 0);
    put16(q + 10, checksum(q, 20));
    uint8_t *icmp = out + 20;
    memset(icmp, 0, 8);
    icmp[0] = 11;
    put16(icmp + 2, checksum(icmp, 8 + qlen));
    outer(out, 28 + qlen, src, host);
    key(quoted, qn, q);
    return 28 + qlen;
}

static size_t forge(int kind, const uint8_t *probe, size_t len, uint32_t src, uint32_t host, uint8_t *out,
        char *quoted, size_t qn) {
    if (kind == 6 || kind == 7) {
        int slot = proto_slot(probe[9]);
        return forge_previous(kind, probe, len, previous[slot], previous_len[slot], src, host, out, quoted, qn);
    }
    uint8_t q[28];
    memcpy(q, probe, 28);
    uint8_t proto = probe[9];
    uint8_t *t = q + 20;
    uint8_t type = 11, code = 0;
    int bad_sum = 0;
    if (kind == 4 && proto == IPPROTO_ICMP) {
        /* an echo reply with the probe's exact identifier, sequence and payload, from the wrong address */
        size_t icmp_len = len - 20;
        if (20 + icmp_len > 1500) {
            return 0;
        }
        memcpy(out + 20, probe + 20, icmp_len);
        out[20] = 0;
        out[21] = 0;
        put16(out + 22, 0);
        put16(out + 22, checksum(out + 20, icmp_len));
        outer(out, 20 + icmp_len, src, host);
        key(quoted, qn, probe);
        return 20 + icmp_len;
    }
    switch (kind) {
        case 1:
            if (proto == IPPROTO_ICMP) {
                put16(t + 4, (uint16_t) (get16(t + 4) + 1));
            } else {
                put16(t, (uint16_t) (get16(t) + 1));
            }
            break;
        case 2:
            if (proto == IPPROTO_ICMP) {
                put16(t + 6, (uint16_t) (get16(t + 6) + 1));
            } else if (proto == IPPROTO_UDP) {
                put16(t + 6, (uint16_t) (get16(t + 6) + 1));
                put16(q + 4, (uint16_t) (get16(q + 4) + 1));
            } else {
                put32(t + 4, get32(t + 4) + 1);
                put16(q + 4, (uint16_t) (get16(q + 4) + 1));
            }
            break;
        case 3:
            put32(q + 16, get32(q + 16) + 1);
            break;
        case 4:
            type = 3;
            code = 3;
            put16(t + 2, (uint16_t) (get16(t + 2) + 1));
            break;
        case 5:
            type = 3;
            code = 3;
            bad_sum = 1;
            break;
        default:
            return 0;
    }
    /* the quoted header as a router quotes it: TTL 1 (it expired there), header checksum recomputed */
    q[8] = 1;
    put16(q + 10, 0);
    put16(q + 10, checksum(q, 20));
    uint8_t *icmp = out + 20;
    memset(icmp, 0, 8);
    icmp[0] = type;
    icmp[1] = code;
    memcpy(icmp + 8, q, 28);
    uint16_t sum = checksum(icmp, 36);
    put16(icmp + 2, bad_sum ? (uint16_t) (sum + 1) : sum);
    outer(out, 56, src, host);
    key(quoted, qn, q);
    return 56;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: forger IFACE HOST_IPV4 PREFIX KINDS\n");
        return 2;
    }
    const char *iface = argv[1];
    struct in_addr host;
    if (inet_pton(AF_INET, argv[2], &host) != 1) {
        fprintf(stderr, "forger: not an IPv4 address: %s\n", argv[2]);
        return 2;
    }
    int kinds[16];
    int nkinds = 0;
    for (const char *k = argv[4]; *k && nkinds < 16; k++) {
        if (*k < '1' || *k > '7') {
            fprintf(stderr, "forger: kinds are digits 1-7: %s\n", argv[4]);
            return 2;
        }
        kinds[nkinds++] = *k - '0';
    }
    uint32_t sources[8];
    for (int k = 1; k <= 7; k++) {
        char text[64];
        snprintf(text, sizeof text, "%s.%d", argv[3], k);
        struct in_addr a;
        if (inet_pton(AF_INET, text, &a) != 1) {
            fprintf(stderr, "forger: bad prefix %s\n", argv[3]);
            return 2;
        }
        sources[k] = a.s_addr;
    }
    unsigned index = if_nametoindex(iface);
    if (index == 0) {
        fprintf(stderr, "forger: no interface %s: %s\n", iface, strerror(errno));
        return 2;
    }
    int out; /* only IPv4 packets from HOST reach user space */
    int in = open_ipv4_sockets("forger", index, 0, 12, ntohl(host.s_addr), &out);
    if (in < 0) {
        return 1;
    }
    printf("ready\n");
    fflush(stdout);

    unsigned long seen = 0, forged = 0, send_errors = 0;
    uint8_t buf[65536];
    uint8_t reply[1600];
    memset(previous_len, 0, sizeof previous_len);
    const char *why = "signal";
    while (!stop) {
        ssize_t r = next_packet("forger", in, iface, index, "interface gone", buf, sizeof buf, &why);
        if (r < 0) {
            break;
        }
        size_t len = (size_t) r;
        /* IPv4 without options, not a fragment, at least 8 transport bytes */
        if (len < 28 || buf[0] != 0x45 || (get16(buf + 6) & 0x3fff) != 0 || get16(buf + 2) > len) {
            continue;
        }
        len = get16(buf + 2);
        uint8_t proto = buf[9];
        /* TCP: a SYN, or a segment carrying data (a probe inside a connection; the tracer's kernel sends none) */
        int probe = (proto == IPPROTO_ICMP && buf[20] == 8) || proto == IPPROTO_UDP
                || (proto == IPPROTO_TCP && len >= 40
                        && ((buf[33] & 0x02) != 0 || len > 20 + (size_t) ((buf[32] >> 4) * 4)));
        if (!probe) {
            continue;
        }
        seen++;
        char probe_key[128];
        key(probe_key, sizeof probe_key, buf);
        for (int i = 0; i < nkinds; i++) {
            char quoted[128];
            uint32_t src = sources[kinds[i]];
            size_t m = forge(kinds[i], buf, len, src, host.s_addr, reply, quoted, sizeof quoted);
            if (m == 0) {
                continue;
            }
            struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr = host};
            if (sendto(out, reply, m, 0, (struct sockaddr *) &to, sizeof to) < 0) {
                send_errors++;
                continue;
            }
            forged++;
            char source[INET_ADDRSTRLEN];
            inet_ntop(AF_INET, &src, source, sizeof source);
            printf("forged %d %s %u %s -> %s\n", kinds[i], source, buf[8], probe_key, quoted);
        }
        /* the previous probe of kinds 6 and 7: this one, from now on */
        if (len <= sizeof previous[0]) {
            int slot = proto_slot(proto);
            memcpy(previous[slot], buf, len);
            previous_len[slot] = len;
        }
        fflush(stdout);
    }
    fprintf(stderr, "forger: exiting (%s): %lu probes seen, %lu answers forged, %lu send errors\n", why, seen,
            forged, send_errors);
    return 0;
}
