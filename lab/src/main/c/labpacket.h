/*
 * labpacket.h: what the lab's C middleboxes share (quotenat.c, forger.c, identity.c): the headers they include, the
 * stop flag their signal handler sets, the Internet checksum and big-endian field access, the sockets they open and
 * the wait for the next packet. Compiled with each of them (io.pathprobe.lab.middlebox.CProgram copies it beside the
 * program's source).
 */
#ifndef PATHPROBE_LABPACKET_H
#define PATHPROBE_LABPACKET_H
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig) {
    (void) sig;
    stop = 1;
}

/* The Internet checksum (RFC 1071) of len bytes. */
static inline uint16_t checksum(const uint8_t *p, size_t len) {
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < len; i += 2) {
        sum += (uint32_t) (p[i] << 8 | p[i + 1]);
    }
    if (len & 1) {
        sum += (uint32_t) (p[len - 1] << 8);
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return (uint16_t) ~sum;
}

static inline uint16_t get16(const uint8_t *p) {
    return (uint16_t) (p[0] << 8 | p[1]);
}

static inline uint32_t get32(const uint8_t *p) {
    return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

static inline void put16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t) (v >> 8);
    p[1] = (uint8_t) v;
}

static inline void put32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t) (v >> 24);
    p[1] = (uint8_t) (v >> 16);
    p[2] = (uint8_t) (v >> 8);
    p[3] = (uint8_t) v;
}

/* SIGTERM, SIGINT and SIGHUP set stop; SIGPIPE is ignored (a closed pipe fails the write instead). */
static void catch_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/*
 * An AF_PACKET socket bound to interface ifindex, reading the packets of ethertype (ETH_P_IP; ETH_P_ALL for IPv4 and
 * IPv6) that the classic BPF program code (n instructions) accepts (a SOCK_DGRAM packet socket's filter sees the IP
 * header at 0); -1 once it said why on stderr, after the program's name.
 */
static int open_packet_socket(const char *name, unsigned ifindex, struct sock_filter *code, unsigned short n,
        uint16_t ethertype) {
    int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ethertype));
    if (fd < 0) {
        fprintf(stderr, "%s: socket(AF_PACKET): %s\n", name, strerror(errno));
        return -1;
    }
    struct sock_fprog prog = {.len = n, .filter = code};
    if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) < 0) {
        fprintf(stderr, "%s: SO_ATTACH_FILTER: %s\n", name, strerror(errno));
        return -1;
    }
    struct sockaddr_ll sll;
    memset(&sll, 0, sizeof sll);
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ethertype);
    sll.sll_ifindex = (int) ifindex;
    if (bind(fd, (struct sockaddr *) &sll, sizeof sll) < 0) {
        fprintf(stderr, "%s: bind(AF_PACKET): %s\n", name, strerror(errno));
        return -1;
    }
    return fd;
}

/* A raw IPPROTO_RAW socket (IP_HDRINCL) to send whole IPv4 packets; -1 once it said why on stderr. */
static int open_raw_sender(const char *name) {
    int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
    if (fd < 0) {
        fprintf(stderr, "%s: socket(IPPROTO_RAW): %s\n", name, strerror(errno));
    }
    return fd;
}

/*
 * What every middlebox sets up before it prints "ready": catch_signals(), the packet socket on interface ifindex
 * (open_packet_socket's arguments) and the raw sender, *out; returns the packet socket, or -1 once it said why.
 */
static int open_sockets(const char *name, unsigned ifindex, struct sock_filter *code, unsigned short n,
        uint16_t ethertype, int *out) {
    catch_signals();
    int in = open_packet_socket(name, ifindex, code, n, ethertype);
    *out = in < 0 ? -1 : open_raw_sender(name);
    return *out < 0 ? -1 : in;
}

/*
 * open_sockets for the IPv4 packets whose 32-bit word at offset (12: the source address, 16: the destination) is
 * value and, unless proto is 0, whose protocol is proto.
 */
static inline int open_ipv4_sockets(const char *name, unsigned ifindex, uint8_t proto, uint32_t offset,
        uint32_t value, int *out) {
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, proto, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offset),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, value, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, 0xffff),
        BPF_STMT(BPF_RET | BPF_K, 0),
    };
    unsigned skip = proto == 0 ? 2 : 0; /* the jumps are relative: the program may start at the load of the word */
    return open_sockets(name, ifindex, code + skip, (unsigned short) (6 - skip), ETH_P_IP, out);
}

/*
 * Waits up to a second for the next packet that arrived on interface ifname (index ifindex) at packet socket in,
 * and reads it into buf (size bytes): returns its length; 0 when there is none (yet: the caller checks stop and
 * asks again); -1 when it is time to exit, *why saying why: standard input at end of file or hung up (the process
 * holding the other end of the pipe closed it or died), the interface gone (gone), the socket or poll failed.
 */
static ssize_t next_packet(const char *name, int in, const char *ifname, unsigned ifindex, const char *gone,
        uint8_t *buf, size_t size, const char **why) {
    struct pollfd fds[2] = {{.fd = in, .events = POLLIN}, {.fd = STDIN_FILENO, .events = POLLIN}};
    int n = poll(fds, 2, 1000);
    if (n < 0) {
        if (errno == EINTR) {
            return 0;
        }
        fprintf(stderr, "%s: poll: %s\n", name, strerror(errno));
        *why = "poll failed";
        return -1;
    }
    if (fds[1].revents) {
        char discard[256];
        ssize_t r = read(STDIN_FILENO, discard, sizeof discard);
        if (r <= 0 && !(r < 0 && errno == EINTR)) {
            *why = "stdin closed";
            return -1;
        }
    }
    if (n == 0) {
        if (if_nametoindex(ifname) != ifindex) {
            *why = gone;
            return -1;
        }
        return 0;
    }
    if (!(fds[0].revents & POLLIN)) {
        if (fds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
            *why = "packet socket failed";
            return -1;
        }
        return 0;
    }
    struct sockaddr_ll from;
    socklen_t fromlen = sizeof from;
    ssize_t r = recvfrom(in, buf, size, MSG_DONTWAIT, (struct sockaddr *) &from, &fromlen);
    if (r < 0) {
        if (errno == EAGAIN || errno == EINTR) {
            return 0;
        }
        if (errno == ENETDOWN || errno == ENODEV || errno == ENXIO) {
            *why = gone;
            return -1;
        }
        fprintf(stderr, "%s: recvfrom: %s\n", name, strerror(errno));
        return 0;
    }
    /* packets queued before bind() may come from any interface */
    if (from.sll_pkttype == PACKET_OUTGOING || from.sll_ifindex != (int) ifindex) {
        return 0;
    }
    return r;
}
#endif
