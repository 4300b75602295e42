// How steadily this machine runs: the bus benchmark's check on its own p99 figures.
//
// Two threads (one per core of the 2-core benchmark machines) each sleep 4 ms, then time one
// fixed unit of work (about 80 us) by their own CPU clock, over and over. Time spent waiting for a
// core does not count on that clock, so a unit that takes several times its usual CPU time means
// the core itself ran slow (the host took it away or slowed it), not that this machine was busy.
// Prints one line per unit: start (Unix seconds), CPU microseconds, wall microseconds.
//
//   cpu_stalls SECONDS
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { THREADS = 2, WORDS = 8192, PASSES = 6 };

static double duration;
static pthread_mutex_t output = PTHREAD_MUTEX_INITIALIZER;

static double seconds(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *measure(void *unused) {
    (void)unused;
    // 64 KiB: the unit exercises the caches as well as the arithmetic units.
    static _Thread_local uint64_t words[WORDS];
    for (int i = 0; i < WORDS; i++) words[i] = (uint64_t)i * 2654435761u;
    const struct timespec pause = {0, 4000000};
    volatile uint64_t sink = 0;
    const double end = seconds(CLOCK_REALTIME) + duration;
    while (seconds(CLOCK_REALTIME) < end) {
        nanosleep(&pause, NULL);
        const double wall = seconds(CLOCK_REALTIME), cpu = seconds(CLOCK_THREAD_CPUTIME_ID);
        uint64_t hash = 0;
        for (int pass = 0; pass < PASSES; pass++) {
            for (int i = 0; i < WORDS; i++) {
                hash = (hash ^ words[i]) * 0x100000001b3ULL;
                words[(i * 7) & (WORDS - 1)] += hash;
            }
        }
        sink += hash;
        const double cpu_us = (seconds(CLOCK_THREAD_CPUTIME_ID) - cpu) * 1e6;
        const double wall_us = (seconds(CLOCK_REALTIME) - wall) * 1e6;
        pthread_mutex_lock(&output);
        printf("%.6f %.1f %.1f\n", wall, cpu_us, wall_us);
        pthread_mutex_unlock(&output);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 2 || (duration = atof(argv[1])) <= 0) {
        fprintf(stderr, "usage: %s SECONDS\n", argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);  // Whole lines, so a reader that stops it early loses none.
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++) {
        if (pthread_create(&threads[i], NULL, measure, NULL) != 0) {
            fprintf(stderr, "cpu_stalls: cannot start a thread\n");
            return 1;
        }
    }
    for (int i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);
    return 0;
}
