/*
 * floor_common.h: what the floor programs (floor.c, floor_batch.c) share: the clock and the
 * sending of one UDP probe with its TTL set per packet.
 */
#ifndef PATHPROBE_FLOOR_COMMON_H
#define PATHPROBE_FLOOR_COMMON_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* The probed IPv4 address from its text, or exit 2 with the program's name. */
static void parse_destination(const char *program, const char *text, struct sockaddr_in *dest) {
    memset(dest, 0, sizeof *dest);
    dest->sin_family = AF_INET;
    if (inet_pton(AF_INET, text, &dest->sin_addr) != 1) {
        fprintf(stderr, "%s: not an IPv4 address: %s\n", program, text);
        exit(2);
    }
}

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * Sends one probe. With IP_RECVERR, an ICMP error that arrives for this socket also sets the
 * socket's pending error, and the next sendmsg fails with it (EHOSTUNREACH, ECONNREFUSED, ...)
 * without sending: that consumes only the pending error (the answer stays in the error queue), so
 * the probe is sent again. Returns the number of such retries.
 */
static int send_probe(int fd, const struct sockaddr_in *dest, int ttl, const char *payload, size_t len) {
    struct iovec iov = {(void *)payload, len};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr msg = {0};
    msg.msg_name = (void *)dest;
    msg.msg_namelen = sizeof *dest;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof control.buf;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = IPPROTO_IP;
    c->cmsg_type = IP_TTL;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &ttl, sizeof ttl);
    for (int retries = 0;; retries++) {
        if (sendmsg(fd, &msg, 0) >= 0) {
            return retries;
        }
        if (errno == EINTR || errno == EHOSTUNREACH || errno == ECONNREFUSED || errno == ENETUNREACH
                || errno == EHOSTDOWN || errno == ENETDOWN || errno == EPROTO) {
            if (retries < 1000) {
                continue;
            }
        }
        perror("floor: sendmsg");
        exit(2);
    }
}

/*
 * Reads one message from fd's error queue without blocking into msg (the quoted probe's
 * destination in from, the control messages in control); < 0 when the queue is empty.
 */
static ssize_t read_error(int fd, struct msghdr *msg, struct iovec *iov, struct sockaddr_in *from, char *data,
        size_t data_len, char *control, size_t control_len) {
    iov->iov_base = data;
    iov->iov_len = data_len;
    memset(msg, 0, sizeof *msg);
    msg->msg_name = from;
    msg->msg_namelen = sizeof *from;
    msg->msg_iov = iov;
    msg->msg_iovlen = 1;
    msg->msg_control = control;
    msg->msg_controllen = control_len;
    return recvmsg(fd, msg, MSG_ERRQUEUE | MSG_DONTWAIT);
}

#endif
