/*
 * floor_batch: the least work N concurrent UDP traces can take on Linux, as a yardstick for
 * pathprobe's "1,000 concurrent traces" figure.
 *
 * Opens one UDP socket with IP_RECVERR per trace, sends every probe of every trace at once (trace by
 * trace, the TTL of each packet set by an IP_TTL control message, destination port = base + probe
 * index), then waits on all sockets with epoll and drains their error queues until every probe is
 * answered or the timeout passes. No name lookups, no rate limit, no result objects: what it measures
 * is the kernel's work (sending, the lab's forwarding of each probe through every router and of each
 * answer back, queueing the answers) plus one recvmsg per answer.
 *
 * usage: floor_batch DEST_IPV4 MAX_TTL PROBES_PER_HOP TRACES ITERATIONS [BASE_PORT]
 *
 * Prints one line per iteration
 *   floor-batch traces=1000 probes=87000 answered=87000 send_ms=.. total_ms=.. send_retries=.. cpu_ms=..
 *     cpu_us_per_probe=..
 * where send_ms runs from the first sendmsg to the return of the last one and total_ms to the receipt
 * of the last answer (CLOCK_MONOTONIC); the sockets are opened before and closed after the clock.
 * cpu_ms is the process's user + system CPU time (getrusage(RUSAGE_SELF)) over the same span, and
 * cpu_us_per_probe that time over the probes sent: with the lab's forwarding done in the sending
 * process's context, it holds the kernel's work for each probe and its answer as well.
 * Several copies started at once (each with TRACES/k traces) show what k sending threads reach.
 *
 * Build: gcc -O2 -o floor_batch floor_batch.c. Run it only inside a lab network namespace: it probes DEST.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "floor_common.h"

#define TIMEOUT_NS 5000000000LL
#define MAX_PROBES 4096
#define MAX_TRACES 100000

/* This process's user + system CPU time so far, in microseconds. */
static long long cpu_us(void) {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000000LL + u.ru_utime.tv_usec + u.ru_stime.tv_usec;
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: %s DEST_IPV4 MAX_TTL PROBES_PER_HOP TRACES ITERATIONS [BASE_PORT]\n", argv[0]);
        return 2;
    }
    struct sockaddr_in dest;
    parse_destination("floor_batch", argv[1], &dest);
    int hops = atoi(argv[2]), per_hop = atoi(argv[3]), traces = atoi(argv[4]), iterations = atoi(argv[5]);
    int base = argc > 6 ? atoi(argv[6]) : 33434;
    int probes = hops * per_hop;
    if (hops < 1 || hops > 255 || per_hop < 1 || probes > MAX_PROBES || traces < 1 || traces > MAX_TRACES
            || iterations < 1 || base < 1 || base + probes > 65535) {
        fprintf(stderr, "floor_batch: bad arguments\n");
        return 2;
    }
    int *fds = calloc(traces, sizeof *fds);
    unsigned char *answered = calloc((size_t)traces * probes, 1);
    if (fds == NULL || answered == NULL) {
        perror("floor_batch: calloc");
        return 2;
    }
    char data[256];
    char control[512];
    static const char payload[32];
    int incomplete = 0;
    for (int it = 0; it < iterations; it++) {
        memset(answered, 0, (size_t)traces * probes);
        int ep = epoll_create1(EPOLL_CLOEXEC);
        if (ep < 0) {
            perror("floor_batch: epoll_create1");
            return 2;
        }
        for (int t = 0; t < traces; t++) {
            int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            int on = 1;
            if (fd < 0 || setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof on) < 0) {
                perror("floor_batch: socket");
                return 2;
            }
            struct epoll_event e = {.events = EPOLLIN | EPOLLERR, .data.u32 = (unsigned)t};
            if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e) < 0) {
                perror("floor_batch: epoll_ctl");
                return 2;
            }
            fds[t] = fd;
        }
        long total = (long)traces * probes, answers = 0, retries = 0;
        long long c0 = cpu_us();
        long long t0 = now_ns(), last = t0;
        for (int t = 0; t < traces; t++) {
            for (int i = 0; i < probes; i++) {
                dest.sin_port = htons(base + i);
                retries += send_probe(fds[t], &dest, i / per_hop + 1, payload, sizeof payload);
            }
        }
        long long sent = now_ns();
        struct epoll_event events[256];
        while (answers < total) {
            long long left = t0 + TIMEOUT_NS - now_ns();
            if (left <= 0) {
                break;
            }
            int n = epoll_wait(ep, events, 256, (int)((left + 999999) / 1000000));
            if (n < 0 && errno != EINTR) {
                perror("floor_batch: epoll_wait");
                return 2;
            }
            for (int k = 0; k < n; k++) {
                int t = (int)events[k].data.u32;
                for (;;) {
                    struct sockaddr_in from;
                    struct iovec iov;
                    struct msghdr msg;
                    if (read_error(fds[t], &msg, &iov, &from, data, sizeof data, control, sizeof control) < 0) {
                        break; /* EAGAIN: this socket's queue is empty */
                    }
                    int idx = ntohs(from.sin_port) - base;
                    if (idx < 0 || idx >= probes || answered[(size_t)t * probes + idx]) {
                        continue;
                    }
                    answered[(size_t)t * probes + idx] = 1;
                    answers++;
                    last = now_ns();
                }
            }
        }
        long long cpu = cpu_us() - c0;
        printf("floor-batch traces=%d probes=%ld answered=%ld send_ms=%.1f total_ms=%.1f send_retries=%ld cpu_ms=%.1f "
                "cpu_us_per_probe=%.3f\n", traces, total, answers, (sent - t0) / 1e6, (last - t0) / 1e6, retries,
                cpu / 1e3, (double)cpu / total);
        fflush(stdout);
        incomplete += answers < total;
        for (int t = 0; t < traces; t++) {
            close(fds[t]);
        }
        close(ep);
    }
    return incomplete == 0 ? 0 : 1;
}
