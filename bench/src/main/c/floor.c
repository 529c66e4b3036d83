/*
 * floor: the least work a whole UDP trace can take on Linux, as a yardstick for pathprobe.
 *
 * Sends every probe of a trace at once over ONE UDP socket with IP_RECVERR (the TTL of each packet
 * set by an IP_TTL control message, destination port = base + probe index), then polls and drains
 * the socket's error queue until every probe is answered (Time Exceeded from a router, Port
 * Unreachable from the destination) or the timeout passes. An answer is matched to its probe by the
 * destination port of the quoted packet, which the kernel returns in msg_name. No name lookups, no
 * rate limit, no retries beyond what the kernel forces (see send_probe).
 *
 * usage: floor DEST_IPV4 MAX_TTL PROBES_PER_HOP ITERATIONS [BASE_PORT] [fresh|reuse] [ts]
 *   fresh (default): a new socket per trace (opened before, closed after each iteration), like a
 *                    per-trace session; reuse: one socket for all iterations.
 *   ts: also turn on SO_TIMESTAMPNS (a timestamp control message per answer), as pathprobe does.
 *
 * Prints one machine-readable line
 *   floor mode=fresh probes=87 iterations=100 complete=100 answers_min=87 min_ms=.. median_ms=..
 *         max_ms=.. open_median_ms=..
 * where the times run from just before the first sendmsg to the receipt of the last answer
 * (CLOCK_MONOTONIC), complete counts iterations in which every probe was answered, and
 * open_median_ms is the median of socket()+setsockopt() in fresh mode (0 in reuse mode; not
 * included in the times). Then "floor-samples ms=a,b,..." (every iteration, in order) and
 * "floor-path a,b,..." (the responder per TTL of the last iteration, * where none answered).
 *
 * Build: gcc -O2 -o floor floor.c. Run it only inside a lab network namespace: it probes DEST.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "floor_common.h"

#define TIMEOUT_NS 1000000000LL
#define MAX_PROBES 4096

static int cmp_ll(const void *a, const void *b) {
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

static int open_socket(int timestamps) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        perror("floor: socket");
        exit(2);
    }
    int on = 1;
    if (setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof on) < 0) {
        perror("floor: IP_RECVERR");
        exit(2);
    }
    if (timestamps && setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) < 0) {
        perror("floor: SO_TIMESTAMPNS");
        exit(2);
    }
    return fd;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: %s DEST_IPV4 MAX_TTL PROBES_PER_HOP ITERATIONS [BASE_PORT] [fresh|reuse] [ts]\n", argv[0]);
        return 2;
    }
    struct sockaddr_in dest;
    parse_destination("floor", argv[1], &dest);
    int hops = atoi(argv[2]), per_hop = atoi(argv[3]), iterations = atoi(argv[4]);
    int base = argc > 5 ? atoi(argv[5]) : 33434;
    int reuse = argc > 6 && strcmp(argv[6], "reuse") == 0;
    int timestamps = argc > 7 && strcmp(argv[7], "ts") == 0;
    int probes = hops * per_hop;
    if (hops < 1 || hops > 255 || per_hop < 1 || probes > MAX_PROBES || iterations < 1 || base < 1
            || base + probes > 65535) {
        fprintf(stderr, "floor: bad arguments\n");
        return 2;
    }
    static const char payload[32];
    static unsigned char answered[MAX_PROBES];
    static struct in_addr responder[256];
    static int have_responder[256];
    long long *samples = calloc(iterations, sizeof *samples);
    long long *opens = calloc(iterations, sizeof *opens);
    int complete = 0, answers_min = probes, retries = 0;
    char data[256];
    char control[512];
    int fd = reuse ? open_socket(timestamps) : -1;

    for (int it = 0; it < iterations; it++) {
        if (!reuse) {
            long long o = now_ns();
            fd = open_socket(timestamps);
            opens[it] = now_ns() - o;
        }
        memset(answered, 0, probes);
        memset(have_responder, 0, sizeof have_responder);
        int answers = 0;
        long long t0 = now_ns(), last = t0;
        for (int i = 0; i < probes; i++) {
            dest.sin_port = htons(base + i);
            retries += send_probe(fd, &dest, i / per_hop + 1, payload, sizeof payload);
        }
        while (answers < probes) {
            long long left = t0 + TIMEOUT_NS - now_ns();
            if (left <= 0) {
                break;
            }
            struct pollfd p = {fd, 0, 0}; /* POLLERR is always reported */
            int n = poll(&p, 1, (int)((left + 999999) / 1000000));
            if (n < 0 && errno != EINTR) {
                perror("floor: poll");
                return 2;
            }
            for (;;) {
                struct sockaddr_in from;
                struct iovec iov;
                struct msghdr msg;
                if (read_error(fd, &msg, &iov, &from, data, sizeof data, control, sizeof control) < 0) {
                    break; /* EAGAIN: the queue is empty */
                }
                long long t = now_ns();
                for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
                    if (c->cmsg_level != IPPROTO_IP || c->cmsg_type != IP_RECVERR) {
                        continue;
                    }
                    struct sock_extended_err *ee = (struct sock_extended_err *)CMSG_DATA(c);
                    if (ee->ee_origin != SO_EE_ORIGIN_ICMP) {
                        continue;
                    }
                    int time_exceeded = ee->ee_type == 11;
                    int port_unreachable = ee->ee_type == 3 && ee->ee_code == 3;
                    int idx = ntohs(from.sin_port) - base;
                    if (!(time_exceeded || port_unreachable) || idx < 0 || idx >= probes || answered[idx]) {
                        continue;
                    }
                    answered[idx] = 1;
                    answers++;
                    last = t;
                    int ttl = idx / per_hop + 1;
                    struct sockaddr_in *offender = (struct sockaddr_in *)SO_EE_OFFENDER(ee);
                    if (!have_responder[ttl] && offender->sin_family == AF_INET) {
                        responder[ttl] = offender->sin_addr;
                        have_responder[ttl] = 1;
                    }
                }
            }
        }
        samples[it] = last - t0;
        if (answers == probes) {
            complete++;
        }
        if (answers < answers_min) {
            answers_min = answers;
        }
        if (!reuse) {
            close(fd);
        }
    }
    if (reuse) {
        close(fd);
    }

    long long *sorted = malloc(iterations * sizeof *sorted);
    memcpy(sorted, samples, iterations * sizeof *sorted);
    qsort(sorted, iterations, sizeof *sorted, cmp_ll);
    qsort(opens, iterations, sizeof *opens, cmp_ll);
    double median = iterations % 2 ? sorted[iterations / 2] : (sorted[iterations / 2 - 1] + sorted[iterations / 2]) / 2.0;
    double open_median = iterations % 2 ? opens[iterations / 2] : (opens[iterations / 2 - 1] + opens[iterations / 2]) / 2.0;
    printf("floor mode=%s probes=%d iterations=%d complete=%d answers_min=%d send_retries=%d min_ms=%.4f "
           "median_ms=%.4f max_ms=%.4f open_median_ms=%.4f\n",
           reuse ? "reuse" : "fresh", probes, iterations, complete, answers_min, retries, sorted[0] / 1e6, median / 1e6,
           sorted[iterations - 1] / 1e6, open_median / 1e6);
    printf("floor-samples ms=");
    for (int i = 0; i < iterations; i++) {
        printf(i ? ",%.4f" : "%.4f", samples[i] / 1e6);
    }
    printf("\nfloor-path ");
    for (int ttl = 1; ttl <= hops; ttl++) {
        char text[INET_ADDRSTRLEN] = "*";
        if (have_responder[ttl]) {
            inet_ntop(AF_INET, &responder[ttl], text, sizeof text);
        }
        printf(ttl > 1 ? ",%s" : "%s", text);
    }
    printf("\n");
    return complete == iterations ? 0 : 1;
}
