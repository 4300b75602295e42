// The C baseline of `scripts/bench zmq`: the same sockets, options and message sizes as the
// Swift side, through libzmq directly. One process sends, another receives; the receiver
// times from its first message to its last and prints one JSON line.
//
//   zmq_throughput send push|pub ENDPOINT COUNT SIZE
//   zmq_throughput recv pull|sub ENDPOINT COUNT SIZE
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fail(const char *what) {
    fprintf(stderr, "zmq_throughput: %s: %s\n", what, zmq_strerror(zmq_errno()));
    exit(1);
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: %s send|recv push|pub|pull|sub ENDPOINT COUNT SIZE\n", argv[0]);
        return 2;
    }
    const int sending = strcmp(argv[1], "send") == 0;
    const char *pattern = argv[2];
    const char *endpoint = argv[3];
    const long count = atol(argv[4]);
    const size_t size = (size_t)atol(argv[5]);

    void *context = zmq_ctx_new();
    int type = strcmp(pattern, "push") == 0   ? ZMQ_PUSH
               : strcmp(pattern, "pub") == 0  ? ZMQ_PUB
               : strcmp(pattern, "pull") == 0 ? ZMQ_PULL
                                              : ZMQ_SUB;
    void *socket = zmq_socket(context, type);
    // Unlimited high-water marks so PUB never drops; a finite linger so close never hangs.
    int zero = 0, linger = 10000;
    zmq_setsockopt(socket, ZMQ_SNDHWM, &zero, sizeof zero);
    zmq_setsockopt(socket, ZMQ_RCVHWM, &zero, sizeof zero);
    zmq_setsockopt(socket, ZMQ_LINGER, &linger, sizeof linger);

    if (sending) {
        if (zmq_connect(socket, endpoint) != 0) fail("zmq_connect");
        // PUB drops until the subscription arrives: publish 1-byte warm-ups until the
        // coordinator, told by the receiver that they arrive, writes a line to our stdin.
        if (type == ZMQ_PUB) {
            struct pollfd input = {.fd = 0, .events = POLLIN};
            while (poll(&input, 1, 1) == 0) {
                if (zmq_send(socket, "", 1, 0) < 0) fail("zmq_send");
            }
        }
        char *payload = calloc(size, 1);
        for (long i = 0; i < count; i++) {
            if (zmq_send(socket, payload, size, 0) < 0) fail("zmq_send");
        }
        free(payload);
    } else {
        if (type == ZMQ_SUB) zmq_setsockopt(socket, ZMQ_SUBSCRIBE, "", 0);
        int timeout = 20000;
        zmq_setsockopt(socket, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
        if (zmq_bind(socket, endpoint) != 0) fail("zmq_bind");
        char bound[256];
        size_t bound_size = sizeof bound;
        zmq_getsockopt(socket, ZMQ_LAST_ENDPOINT, bound, &bound_size);
        printf("{\"endpoint\":\"%s\"}\n", bound);
        fflush(stdout);
        zmq_msg_t message;
        zmq_msg_init(&message);
        double start = 0;
        int warmed_up = 0;
        for (long i = 0; i < count; i++) {
            if (zmq_msg_recv(&message, socket, 0) < 0) fail("zmq_msg_recv");
            if (zmq_msg_size(&message) == 1) {  // a PUB warm-up, not counted
                if (!warmed_up) printf("{\"subscribed\":true}\n");
                fflush(stdout);
                warmed_up = 1;
                i--;
                continue;
            }
            if (zmq_msg_size(&message) != size) {
                fprintf(stderr, "zmq_throughput: wrong message size\n");
                return 1;
            }
            if (i == 0) start = now_seconds();
        }
        double seconds = now_seconds() - start;
        zmq_msg_close(&message);
        printf("{\"messages\":%ld,\"seconds\":%.6f,\"rate\":%.1f}\n", count, seconds, (double)(count - 1) / seconds);
    }
    zmq_close(socket);
    zmq_ctx_term(context);
    return 0;
}
