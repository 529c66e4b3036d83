/*
 * The budget benchmark's C floor: UDP probes sent with sendmmsg(2), 64 to a call, for a given time, to a list of
 * destinations (read from stdin, one IPv4 address a line) at TTLs 1..maxttl in turn (each message carries its TTL
 * as an IP_TTL control message), as fast as the kernel takes them. Nothing is read back: the routers' counters and
 * the destinations' answers are counted outside. Prints one line: "sent=N seconds=S".
 *
 *   sendmmsg_sender SECONDS MAXTTL PORT < addresses
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define MAX_DESTS 65536

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s SECONDS MAXTTL PORT < addresses\n", argv[0]);
        return 2;
    }
    double seconds = atof(argv[1]);
    int maxttl = atoi(argv[2]);
    int port = atoi(argv[3]);
    static struct sockaddr_in dests[MAX_DESTS];
    int n = 0;
    char line[64];
    while (n < MAX_DESTS && fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!*line) continue;
        memset(&dests[n], 0, sizeof dests[n]);
        dests[n].sin_family = AF_INET;
        dests[n].sin_port = htons(port);
        if (inet_pton(AF_INET, line, &dests[n].sin_addr) != 1) {
            fprintf(stderr, "not an IPv4 address: %s\n", line);
            return 2;
        }
        n++;
    }
    if (n == 0 || maxttl < 1 || seconds <= 0) {
        fprintf(stderr, "no destinations, or a bad TTL or time\n");
        return 2;
    }
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) {
        perror("socket");
        return 1;
    }
    static char payload[32];
    static struct mmsghdr msgs[BATCH];
    static struct iovec iov[BATCH];
    static char ctl[BATCH][CMSG_SPACE(sizeof(int))];
    long sent = 0;
    long k = 0;
    double start = now(), end = start + seconds, t = start;
    while (t < end) {
        for (int i = 0; i < BATCH; i++, k++) {
            iov[i].iov_base = payload;
            iov[i].iov_len = sizeof payload;
            memset(&msgs[i], 0, sizeof msgs[i]);
            msgs[i].msg_hdr.msg_name = &dests[(k / maxttl) % n];
            msgs[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_in);
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
            msgs[i].msg_hdr.msg_control = ctl[i];
            msgs[i].msg_hdr.msg_controllen = sizeof ctl[i];
            struct cmsghdr *c = CMSG_FIRSTHDR(&msgs[i].msg_hdr);
            c->cmsg_level = IPPROTO_IP;
            c->cmsg_type = IP_TTL;
            c->cmsg_len = CMSG_LEN(sizeof(int));
            int ttl = 1 + (int) (k % maxttl);
            memcpy(CMSG_DATA(c), &ttl, sizeof ttl);
        }
        int r = sendmmsg(fd, msgs, BATCH, 0);
        if (r > 0) sent += r;
        t = now();
    }
    printf("sent=%ld seconds=%.3f\n", sent, t - start);
    return 0;
}
