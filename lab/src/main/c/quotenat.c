/*
 * quotenat: the ICMP-error half of a quote-preserving 1:1 NAT for pathprobe's lab
 * (io.pathprobe.lab.middlebox.QuotePreservingNat starts it and installs the nftables half).
 *
 * Many CPE NATs translate an outgoing probe (its source address, so its UDP/TCP checksum changes)
 * and, when an ICMP error about it comes back, rewrite the outer destination and the quoted source
 * address but leave the quoted transport checksum as translated: the quote then carries a checksum
 * that no longer matches its own addresses, which is what Dublin traceroute's NAT detection looks
 * for. Linux conntrack NAT restores the quote exactly, so the lab needs this element instead.
 *
 * What it does, in the router's network namespace:
 *   - reads every IPv4 packet that arrives on OUTSIDE_IF (an AF_PACKET socket: it sees the packet
 *     before netfilter, where the nftables half drops the ICMP errors addressed to PUBLIC so that
 *     the kernel does not route them);
 *   - takes the ICMP errors addressed to PUBLIC (destination unreachable 3, source quench 4, time
 *     exceeded 11, parameter problem 12) that are not fragments and whose TTL is > 1;
 *   - rewrites them as the NAT would: outer destination PUBLIC -> INSIDE, outer TTL - 1 (as a router
 *     forwarding it), outer IP checksum recomputed; the quoted IP header's source PUBLIC -> INSIDE
 *     with the quoted IP header checksum recomputed (over the quoted header, as far as it was
 *     quoted); the quoted transport header (ports, CHECKSUM) left exactly as it was; every byte after
 *     the quote (RFC 4884 extensions) kept, lengths unchanged; the ICMP checksum recomputed over the
 *     whole ICMP message;
 *   - sends the result toward INSIDE through a raw socket (IPPROTO_RAW, i.e. IP_HDRINCL) bound to
 *     INSIDE_IF, keeping the original router as the outer source.
 *
 * Scheduling: it asks for SCHED_FIFO priority 10 (a kernel router forwards ahead of processes; without
 * it the relay can wait milliseconds for a CPU on a busy machine) and goes on without it if refused.
 *
 * Life: prints "ready" on stdout once its sockets are open. It exits (status 0) when its standard
 * input reaches end of file or hangs up, i.e. when the process holding the other end of the pipe
 * closes it or dies in any way (the JVM that started it, even when killed with SIGKILL); when
 * OUTSIDE_IF disappears (its namespace and links torn down); and on SIGTERM/SIGINT/SIGHUP.
 * Counters go to stderr when it exits.
 *
 * usage: quotenat OUTSIDE_IF INSIDE_IF INSIDE_IPV4 PUBLIC_IPV4
 *        quotenat --translate INSIDE_IPV4 PUBLIC_IPV4
 *   The second form only tests the rewriting: it reads IPv4 packets as hex, one a line, from stdin
 *   and prints each one translated (hex) or "drop"; no sockets, no privileges.
 * Build: gcc -O2 -Wall -o quotenat quotenat.c (with labpacket.h beside it). Needs CAP_NET_RAW.
 */
#include "labpacket.h"

static int is_error_type(uint8_t type) {
    return type == 3 || type == 4 || type == 11 || type == 12;
}

struct counters {
    unsigned long seen, translated, quote_rewritten, dropped_ttl, send_errors;
};

/*
 * Rewrites one packet in place (len bytes, an IPv4 packet); returns its length to send, or 0 if it
 * is not ours (or is to be dropped).
 */
static size_t translate(uint8_t *pkt, size_t len, struct in_addr inside, struct in_addr pub, struct counters *c) {
    if (len < 20 || (pkt[0] >> 4) != 4) {
        return 0;
    }
    size_t ihl = (size_t) (pkt[0] & 0x0f) * 4;
    size_t total = (size_t) (pkt[2] << 8 | pkt[3]);
    if (ihl < 20 || total < ihl + 8 || total > len) {
        return 0;
    }
    len = total; /* drop link-layer padding */
    if (pkt[9] != IPPROTO_ICMP || memcmp(pkt + 16, &pub, 4) != 0) {
        return 0;
    }
    if ((pkt[6] & 0x3f) != 0 || pkt[7] != 0) { /* MF or a fragment offset: not handled */
        return 0;
    }
    uint8_t *icmp = pkt + ihl;
    if (!is_error_type(icmp[0])) {
        return 0;
    }
    c->seen++;
    if (pkt[8] <= 1) { /* a router would not forward it (and sends no error about an error) */
        c->dropped_ttl++;
        return 0;
    }
    /* outer header */
    pkt[8]--;
    memcpy(pkt + 16, &inside, 4);
    put16(pkt + 10, 0);
    put16(pkt + 10, checksum(pkt, ihl));
    /* the quoted IP header: source PUBLIC -> INSIDE, its checksum recomputed, nothing else touched */
    uint8_t *quote = icmp + 8;
    size_t quoted = len - ihl - 8;
    if (quoted >= 20 && (quote[0] >> 4) == 4 && memcmp(quote + 12, &pub, 4) == 0) {
        size_t qihl = (size_t) (quote[0] & 0x0f) * 4;
        memcpy(quote + 12, &inside, 4);
        if (qihl >= 20 && qihl <= quoted) {
            put16(quote + 10, 0);
            put16(quote + 10, checksum(quote, qihl));
        }
        c->quote_rewritten++;
    }
    /* ICMP checksum over the whole message, extensions included (their own checksum is unchanged) */
    put16(icmp + 2, 0);
    put16(icmp + 2, checksum(icmp, len - ihl));
    c->translated++;
    return len;
}

static int hexval(int ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

static int translate_lines(const char *inside_text, const char *pub_text) {
    struct in_addr inside, pub;
    if (inet_pton(AF_INET, inside_text, &inside) != 1 || inet_pton(AF_INET, pub_text, &pub) != 1) {
        fprintf(stderr, "quotenat: bad IPv4 address\n");
        return 2;
    }
    static char line[2 * 65536 + 2];
    static uint8_t pkt[65536];
    struct counters c = {0};
    while (fgets(line, sizeof line, stdin)) {
        size_t n = 0;
        int hi = -1;
        for (char *p = line; *p && n < sizeof pkt; p++) {
            int v = hexval((unsigned char) *p);
            if (v < 0) continue;
            if (hi < 0) {
                hi = v;
            } else {
                pkt[n++] = (uint8_t) (hi << 4 | v);
                hi = -1;
            }
        }
        size_t len = translate(pkt, n, inside, pub, &c);
        if (len == 0) {
            printf("drop\n");
        } else {
            for (size_t i = 0; i < len; i++) printf("%02x", pkt[i]);
            printf("\n");
        }
        fflush(stdout);
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "--translate") == 0) {
        return translate_lines(argv[2], argv[3]);
    }
    if (argc != 5) {
        fprintf(stderr, "usage: %s OUTSIDE_IF INSIDE_IF INSIDE_IPV4 PUBLIC_IPV4\n"
                "       %s --translate INSIDE_IPV4 PUBLIC_IPV4\n", argv[0], argv[0]);
        return 2;
    }
    const char *outside_if = argv[1], *inside_if = argv[2];
    struct in_addr inside, pub;
    if (inet_pton(AF_INET, argv[3], &inside) != 1 || inet_pton(AF_INET, argv[4], &pub) != 1) {
        fprintf(stderr, "quotenat: bad IPv4 address\n");
        return 2;
    }
    unsigned int outside_index = if_nametoindex(outside_if);
    if (outside_index == 0 || if_nametoindex(inside_if) == 0) {
        fprintf(stderr, "quotenat: no interface %s or %s: %s\n", outside_if, inside_if, strerror(errno));
        return 2;
    }

    int out; /* only ICMP for PUBLIC reaches user space */
    int in = open_ipv4_sockets("quotenat", outside_index, IPPROTO_ICMP, 16, ntohl(pub.s_addr), &out);
    if (in < 0) {
        return 1;
    }
    if (setsockopt(out, SOL_SOCKET, SO_BINDTODEVICE, inside_if, (socklen_t) strlen(inside_if)) < 0) {
        perror("quotenat: SO_BINDTODEVICE");
        return 1;
    }

    /*
     * A kernel router forwards in softirq context, ahead of any process; this relay is a process and
     * on a busy machine waited milliseconds for a CPU behind the test's own threads. A real-time
     * priority lets it run as soon as an error arrives. Where that is not allowed it runs as before.
     */
    struct sched_param sp = {.sched_priority = 10};
    if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0) {
        fprintf(stderr, "quotenat: no real-time priority (%s): answers may wait for a CPU\n", strerror(errno));
    }

    printf("ready\n");
    fflush(stdout);

    struct counters c = {0};
    uint8_t buf[65536];
    const char *why = "signal";
    while (!stop) {
        ssize_t r = next_packet("quotenat", in, outside_if, outside_index, "outside interface gone", buf, sizeof buf,
                &why);
        if (r < 0) {
            break;
        }
        size_t len = translate(buf, (size_t) r, inside, pub, &c);
        if (len == 0) {
            continue;
        }
        struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr = inside};
        if (sendto(out, buf, len, 0, (struct sockaddr *) &to, sizeof to) < 0) {
            c.send_errors++;
            perror("quotenat: sendto");
        }
    }
    fprintf(stderr, "quotenat: exiting (%s): %lu ICMP errors seen, %lu translated (%lu quotes rewritten), "
            "%lu dropped at TTL 1, %lu send errors\n", why, c.seen, c.translated, c.quote_rewritten,
            c.dropped_ttl, c.send_errors);
    return 0;
}
