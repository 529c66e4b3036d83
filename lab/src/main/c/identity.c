/*
 * identity: routers that all answer from one address but name themselves, for pathprobe's lab
 * (io.pathprobe.lab.middlebox.IdentityRouter starts it).
 *
 * In router 1's network namespace it watches the probes the host sends (an AF_PACKET socket on the router's
 * interface toward the host: IPv4 or IPv6 packets from HOST4 / HOST6 that are ICMP echo requests, UDP, or TCP SYNs
 * and TCP segments carrying data) whose TTL / hop limit k is at most ROUTERS, and answers each as router k would:
 * an ICMP Time Exceeded (ICMPv6 Time Exceeded) quoting the probe as a Linux router quotes it (as it arrived at router
 * k: TTL / hop limit 1, the IPv4 header checksum recomputed), the quote cut or padded with zeros to 128 bytes and its
 * length in the RFC 4884 length field, followed by an ICMP extension structure (version 2, checksum set) holding
 *   - an RFC 5837 Interface Information object, incoming role: ifIndex 100 + k, name "ge-0/0/k", MTU 1500;
 *   - a Node Identification object (draft-ietf-intarea-extended-icmp-nodeid, class 5): address 198.18.252.k
 *     (IPv6: 2001:db8:fe::k) and name "rk";
 * every answer from the one shared address SHARED4 / SHARED6 (which must be this namespace's), its TTL / hop limit
 * 65 - k as if it had come back through k - 1 routers. An nftables rule beside it (IdentityRouter's) drops those
 * probes, so the kernel neither answers nor forwards them.
 *
 * Every answer is logged on stdout, one line, flushed:
 *   answered <k> <shared source> <probe key> if <ifIndex> <name> <mtu> node <address> <name>
 * where a key is "icmp <id> <seq>", "udp <sport> <dport>" or "tcp <sport> <dport> <seq>". "ready" is printed once
 * the sockets are open.
 *
 * Life: exits (0) when its standard input reaches end of file (the JVM that started it closed the pipe or died), when
 * IFACE disappears, or on SIGTERM/SIGINT/SIGHUP.
 *
 * usage: identity IFACE HOST4 SHARED4 HOST6|- SHARED6|- ROUTERS [FIRST]
 * FIRST (default 1) numbers the nodes: router k names itself as node n = FIRST + k - 1 (ifIndex 100 + n, "ge-0/0/n",
 * 198.18.252.n, "rn"), so a second run with another FIRST is other routers behind the same shared address.
 * Build: gcc -O2 -Wall -o identity identity.c (with labpacket.h beside it). Needs CAP_NET_RAW.
 */
#include "labpacket.h"
#include <netinet/icmp6.h>

#define QUOTE 128
#define MTU 1500

/* An RFC 5837 name sub-object at p: a length octet counting itself, the name, NUL padding to 4 bytes; its length. */
static size_t put_name(uint8_t *p, const char *name) {
    size_t n = strlen(name);
    size_t len = (1 + n + 3) / 4 * 4;
    memset(p, 0, len);
    p[0] = (uint8_t) len;
    memcpy(p + 1, name, n);
    return len;
}

static int first_node = 1;

/* The extension structure of router k's answer at p (v6: IPv6 node address); its length. */
static size_t put_extensions(uint8_t *p, int hop, int v6, char *log, size_t logn) {
    int k = first_node + hop - 1; /* the node's number */
    uint8_t *o = p + 4;
    char ifname[32], node[16], addr[INET6_ADDRSTRLEN];
    snprintf(ifname, sizeof ifname, "ge-0/0/%d", k);
    snprintf(node, sizeof node, "r%d", k);
    /* Interface Information: role incoming (0), ifIndex (0x08), name (0x02), MTU (0x01) */
    size_t at = 4;
    put32(o + at, (uint32_t) (100 + k));
    at += 4;
    at += put_name(o + at, ifname);
    put32(o + at, MTU);
    at += 4;
    put16(o, (uint16_t) at);
    o[2] = 2;
    o[3] = 0x0b;
    o += at;
    /* Node Identification: address (0x04) and name (0x02) */
    at = 4;
    put32(o + at, (uint32_t) (v6 ? 2 : 1) << 16);
    at += 4;
    if (v6) {
        char text[INET6_ADDRSTRLEN];
        snprintf(text, sizeof text, "2001:db8:fe::%x", k);
        inet_pton(AF_INET6, text, o + at);
        inet_ntop(AF_INET6, o + at, addr, sizeof addr);
        at += 16;
    } else {
        uint8_t a[4] = {198, 18, 252, (uint8_t) k};
        memcpy(o + at, a, 4);
        inet_ntop(AF_INET, a, addr, sizeof addr);
        at += 4;
    }
    at += put_name(o + at, node);
    put16(o, (uint16_t) at);
    o[2] = 5;
    o[3] = 0x06;
    o += at;
    size_t len = (size_t) (o - p);
    p[0] = 0x20;
    p[1] = 0;
    put16(p + 2, 0);
    put16(p + 2, checksum(p, len));
    snprintf(log, logn, "if %d %s %d node %s %s", 100 + k, ifname, MTU, addr, node);
    return len;
}

/* The probe's key (see above) of transport header t of protocol proto. */
static void key(char *out, size_t n, uint8_t proto, const uint8_t *t) {
    if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) {
        snprintf(out, n, "icmp %u %u", get16(t + 4), get16(t + 6));
    } else if (proto == IPPROTO_UDP) {
        snprintf(out, n, "udp %u %u", get16(t), get16(t + 2));
    } else {
        snprintf(out, n, "tcp %u %u %u", get16(t), get16(t + 2), get32(t + 4));
    }
}

/* A probe: an echo request, UDP, a TCP SYN or a TCP segment carrying data (t: transport header, tlen its bytes). */
static int is_probe(uint8_t proto, const uint8_t *t, size_t tlen) {
    if (tlen < 8) {
        return 0;
    }
    if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) {
        return t[0] == (proto == IPPROTO_ICMP ? 8 : 128);
    }
    if (proto == IPPROTO_TCP) {
        return tlen >= 20 && ((t[13] & 0x02) != 0 || tlen > (size_t) ((t[12] >> 4) * 4));
    }
    return proto == IPPROTO_UDP;
}

int main(int argc, char **argv) {
    if (argc != 7 && argc != 8) {
        fprintf(stderr, "usage: identity IFACE HOST4 SHARED4 HOST6|- SHARED6|- ROUTERS [FIRST]\n");
        return 2;
    }
    const char *iface = argv[1];
    struct in_addr host4, shared4;
    struct in6_addr host6, shared6;
    int v6 = strcmp(argv[4], "-") != 0;
    int routers = atoi(argv[6]);
    first_node = argc == 8 ? atoi(argv[7]) : 1;
    if (inet_pton(AF_INET, argv[2], &host4) != 1 || inet_pton(AF_INET, argv[3], &shared4) != 1
            || (v6 && (inet_pton(AF_INET6, argv[4], &host6) != 1 || inet_pton(AF_INET6, argv[5], &shared6) != 1))
            || routers < 1 || routers > 64 || first_node < 1 || first_node + routers - 1 > 200) {
        fprintf(stderr, "identity: bad arguments\n");
        return 2;
    }
    unsigned index = if_nametoindex(iface);
    if (index == 0) {
        fprintf(stderr, "identity: no interface %s: %s\n", iface, strerror(errno));
        return 2;
    }
    struct sock_filter all[] = {BPF_STMT(BPF_RET | BPF_K, 0xffff)};
    int out4;
    int in = open_sockets("identity", index, all, 1, ETH_P_ALL, &out4);
    int out6 = -1;
    if (out4 >= 0 && v6) {
        out6 = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
        struct icmp6_filter none;
        ICMP6_FILTER_SETBLOCKALL(&none);
        struct sockaddr_in6 src = {.sin6_family = AF_INET6, .sin6_addr = shared6};
        if (out6 < 0 || setsockopt(out6, IPPROTO_ICMPV6, ICMP6_FILTER, &none, sizeof none) < 0
                || bind(out6, (struct sockaddr *) &src, sizeof src) < 0) {
            fprintf(stderr, "identity: ICMPv6 socket from %s: %s\n", argv[5], strerror(errno));
            return 1;
        }
    }
    if (out4 < 0) {
        return 1;
    }
    printf("ready\n");
    fflush(stdout);

    unsigned long answered = 0, send_errors = 0;
    uint8_t buf[65536];
    uint8_t reply[20 + 8 + QUOTE + 128];
    const char *why = "signal";
    while (!stop) {
        ssize_t r = next_packet("identity", in, iface, index, "interface gone", buf, sizeof buf, &why);
        if (r <= 0) {
            if (r < 0) {
                break;
            }
            continue;
        }
        size_t len = (size_t) r;
        int six = (buf[0] >> 4) == 6;
        size_t ihl = six ? 40 : (size_t) (buf[0] & 0x0f) * 4;
        if (len < ihl + 8 || (six && !v6) || (!six && ((buf[0] >> 4) != 4 || memcmp(buf + 12, &host4, 4) != 0
                || (get16(buf + 6) & 0x3fff) != 0)) || (six && memcmp(buf + 8, &host6, 16) != 0)) {
            continue;
        }
        uint8_t proto = buf[six ? 6 : 9];
        int k = buf[six ? 7 : 8];
        if (k < 1 || k > routers || !is_probe(proto, buf + ihl, len - ihl)) {
            continue;
        }
        char probe[96], ext[160];
        key(probe, sizeof probe, proto, buf + ihl);
        /* the ICMP message: 8 bytes, the quote as router k got it, the extension structure */
        uint8_t *icmp = reply + (six ? 0 : 20);
        memset(icmp, 0, 8 + QUOTE);
        uint8_t *q = icmp + 8;
        memcpy(q, buf, len < QUOTE ? len : QUOTE);
        if (six) {
            q[7] = 1;
            icmp[0] = 3;
            icmp[4] = QUOTE / 8;
        } else {
            q[8] = 1;
            put16(q + 10, 0);
            put16(q + 10, checksum(q, ihl));
            icmp[0] = 11;
            icmp[5] = QUOTE / 4;
        }
        size_t n = 8 + QUOTE + put_extensions(q + QUOTE, k, six, ext, sizeof ext);
        int hops = 65 - k;
        ssize_t sent;
        char source[INET6_ADDRSTRLEN];
        if (six) {
            /* the kernel fills in the ICMPv6 checksum */
            struct sockaddr_in6 to = {.sin6_family = AF_INET6, .sin6_addr = host6};
            setsockopt(out6, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof hops);
            sent = sendto(out6, icmp, n, 0, (struct sockaddr *) &to, sizeof to);
            inet_ntop(AF_INET6, &shared6, source, sizeof source);
        } else {
            put16(icmp + 2, checksum(icmp, n));
            memset(reply, 0, 20);
            reply[0] = 0x45;
            put16(reply + 2, (uint16_t) (20 + n));
            reply[8] = (uint8_t) hops;
            reply[9] = IPPROTO_ICMP;
            memcpy(reply + 12, &shared4, 4);
            memcpy(reply + 16, &host4, 4);
            put16(reply + 10, checksum(reply, 20));
            struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr = host4};
            sent = sendto(out4, reply, 20 + n, 0, (struct sockaddr *) &to, sizeof to);
            inet_ntop(AF_INET, &shared4, source, sizeof source);
        }
        if (sent < 0) {
            send_errors++;
            continue;
        }
        answered++;
        printf("answered %d %s %s %s\n", k, source, probe, ext);
        fflush(stdout);
    }
    fprintf(stderr, "identity: exiting (%s): %lu probes answered, %lu send errors\n", why, answered, send_errors);
    return 0;
}
