/*
 * The ping pacing row's C floor: how late a thread of this machine wakes for a timed send, with no engine. RUNS runs
 * of 300 wake-ups on an absolute 10 ms grid (clock_nanosleep TIMER_ABSTIME on CLOCK_REALTIME, the clock pathprobe
 * reads right before each send), timer slack 1 µs as pathprobe's engine thread has (prctl PR_SET_TIMERSLACK), each
 * wake-up's offset the clock read after it minus its slot, its lateness that offset minus the run's earliest (as
 * PingComparison measures pathprobe's sends, whose grid origin it does not know). Nothing is sent. Prints per run
 * one line: "p50_us=A p99_us=B max_us=C" (nearest rank, as PingComparison's pacing rows).
 *
 *   wakeup_floor RUNS
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>

#define SENDS 300
#define GAP_NS 10000000L

static int compare(const void *a, const void *b) {
    long x = *(const long *) a, y = *(const long *) b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc != 2 || atoi(argv[1]) < 1) {
        fprintf(stderr, "usage: %s RUNS\n", argv[0]);
        return 2;
    }
    if (prctl(PR_SET_TIMERSLACK, 1000L, 0L, 0L, 0L) != 0) {
        perror("prctl(PR_SET_TIMERSLACK)");
        return 1;
    }
    int runs = atoi(argv[1]);
    for (int r = 0; r < runs; r++) {
        long late[SENDS];
        struct timespec start, now;
        clock_gettime(CLOCK_REALTIME, &start);
        for (int i = 0; i < SENDS; i++) {
            long ns = start.tv_nsec + (i + 1) * GAP_NS;
            struct timespec slot = {start.tv_sec + ns / 1000000000L, ns % 1000000000L};
            while (clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &slot, NULL) != 0) {
            }
            clock_gettime(CLOCK_REALTIME, &now);
            late[i] = (now.tv_sec - slot.tv_sec) * 1000000000L + (now.tv_nsec - slot.tv_nsec);
        }
        qsort(late, SENDS, sizeof late[0], compare);
        for (int i = SENDS - 1; i >= 0; i--) {
            late[i] -= late[0];
        }
        printf("p50_us=%.1f p99_us=%.1f max_us=%.1f\n", late[SENDS / 2 - 1] / 1e3, late[SENDS * 99 / 100 - 1] / 1e3,
                late[SENDS - 1] / 1e3);
        fflush(stdout);
    }
    return 0;
}
