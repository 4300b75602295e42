// The latency floor of `scripts/bench bus`: Huddle's design done in plain C, in the same run, on
// the same machine, so that its p99 can be read against what this machine allows.
//
// The publisher commits what is due every millisecond into an SQLite outbox (a counter, a
// sequence per stream, one row per event, as Huddle's outbox does) and sends each event as
// [topic, envelope] through huddle-bus; the subscriber applies each received batch in one SQLite
// transaction (a row per event, the last seq per stream) and, after the commit, takes each
// event's latency from the time stamped before the publisher's transaction. Both use Huddle's
// settings (WAL, synchronous=NORMAL, no checkpoint in a commit; a second connection checkpoints
// twice a second, and the writer lets the WAL start over past 8,192 frames), but prepared
// statements, no async runtime and no codec: what is left is the database, the disk and the bus.
//
//   durable_pipeline pub DATABASE XSUB_ENDPOINT RATE COUNT SIZE [WORK_US[/event]]
//   durable_pipeline sub DATABASE XPUB_ENDPOINT COUNT [WORK_US[/event]]
// The subscriber prints {"ready": true} once subscribed, then one JSON line with its figures.
//
// WORK_US adds a fixed amount of CPU work to every transaction, inside it, before the commit:
// about that many microseconds on this machine at its usual speed, and more whenever the machine
// runs slow, as real work would. `scripts/bench budget` uses it to find out how much CPU a
// transaction may cost on top of the floor's and still keep the p99 under its target. Written
// `N/event`, the work is done for every event instead, inside the transaction: the cost that grows
// with a batch, which a pipeline cannot spread over bigger transactions when it falls behind.
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

enum { STREAMS = 256, MAX_BATCH = 1000, WAL_RESTART_FRAMES = 8192 };

static int64_t wall_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void fail(const char *what, const char *why) {
    fprintf(stderr, "durable_pipeline: %s: %s\n", what, why);
    exit(1);
}

static void exec_sql(sqlite3 *db, const char *sql) {
    char *error = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &error) != SQLITE_OK) fail(sql, error);
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql) {
    sqlite3_stmt *statement;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, NULL) != SQLITE_OK)
        fail(sql, sqlite3_errmsg(db));
    return statement;
}

static void step(sqlite3 *db, sqlite3_stmt *statement) {
    int rc = sqlite3_step(statement);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) fail("step", sqlite3_errmsg(db));
    sqlite3_reset(statement);
}

static sqlite3 *open_database(const char *path) {
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK) fail(path, sqlite3_errmsg(db));
    exec_sql(db, "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                 "PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456; PRAGMA wal_autocheckpoint = 0;"
                 "PRAGMA temp_store = MEMORY");
    return db;
}

// As Huddle's `Database`: the WAL is copied on a connection of its own twice a second...
static void *checkpointer(void *path) {
    sqlite3 *db = open_database(path);
    const struct timespec pause = {0, 500000000};
    for (;;) {
        nanosleep(&pause, NULL);
        sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    }
    return NULL;
}

// ...and the writer finishes a checkpoint between two transactions once the WAL is big enough.
static int restart_wal(void *unused, sqlite3 *db, const char *name, int frames) {
    (void)unused;
    if (frames >= WAL_RESTART_FRAMES) sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return SQLITE_OK;
}

static sqlite3 *open_with_checkpoints(const char *path) {
    sqlite3 *db = open_database(path);
    sqlite3_wal_hook(db, restart_wal, NULL);
    static pthread_t thread;
    pthread_create(&thread, NULL, checkpointer, (void *)path);
    return db;
}

static void send_frame(void *socket, const void *bytes, size_t size, int flags) {
    if (zmq_send(socket, bytes, size, flags) < 0) fail("zmq_send", zmq_strerror(zmq_errno()));
}

// The work is a chain of multiplications the compiler cannot drop; `calibrate` sets its length.
static volatile uint64_t work_result;
static uint64_t work_steps;
// Whether the work is done for every event (`N/event`) rather than once per transaction.
static int work_per_event;

static void work(void) {
    uint64_t x = 1;
    for (uint64_t i = 0; i < work_steps; i++) x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    work_result = x;
}

static int64_t thread_cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

// The fastest of seven timed runs of a million steps: the machine's usual speed, not a slow spell.
static void calibrate(const char *work_us) {
    char *rest;
    const long us = strtol(work_us, &rest, 10);
    if (rest == work_us || us < 0 || us > 100000) fail("WORK_US", "must be 0 to 100000 microseconds");
    if (strcmp(rest, "/event") == 0) {
        work_per_event = 1;
    } else if (*rest != 0) {
        fail("WORK_US", "must be N (per transaction) or N/event");
    }
    if (us == 0) return;
    int64_t best = INT64_MAX;
    work_steps = 1000000;
    for (int i = 0; i < 7; i++) {
        const int64_t start = thread_cpu_ns();
        work();
        const int64_t took = thread_cpu_ns() - start;
        if (took < best) best = took;
    }
    work_steps = (uint64_t)((double)us * 1000.0 * 1e6 / (double)(best > 0 ? best : 1));
}

static int publish(const char *path, const char *endpoint, long rate, long count, size_t size) {
    sqlite3 *db = open_with_checkpoints(path);
    exec_sql(db, "CREATE TABLE IF NOT EXISTS counter (slot INTEGER PRIMARY KEY, last_position INTEGER NOT NULL);"
                 "INSERT OR IGNORE INTO counter VALUES (1, 0);"
                 "CREATE TABLE IF NOT EXISTS streams (stream INTEGER PRIMARY KEY, last_seq INTEGER NOT NULL);"
                 "CREATE TABLE IF NOT EXISTS outbox (position INTEGER PRIMARY KEY, stream INTEGER NOT NULL,"
                 " seq INTEGER NOT NULL, topic TEXT NOT NULL, envelope BLOB NOT NULL)");
    sqlite3_stmt *begin = prepare(db, "BEGIN IMMEDIATE"), *commit = prepare(db, "COMMIT");
    sqlite3_stmt *count_up = prepare(db, "UPDATE counter SET last_position = last_position + ?1 WHERE slot = 1"
                                         " RETURNING last_position");
    sqlite3_stmt *next_seq = prepare(db, "INSERT INTO streams VALUES (?1, 1) ON CONFLICT (stream)"
                                         " DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq");
    sqlite3_stmt *insert = prepare(db, "INSERT INTO outbox VALUES (?1, ?2, ?3, ?4, ?5)");

    void *context = zmq_ctx_new();
    void *socket = zmq_socket(context, ZMQ_XPUB);
    int hwm = 100000;
    zmq_setsockopt(socket, ZMQ_SNDHWM, &hwm, sizeof hwm);
    if (zmq_connect(socket, endpoint) != 0) fail(endpoint, zmq_strerror(zmq_errno()));
    // Nothing is sent before the proxy passed on the subscriber's subscription (at most 2 s).
    int timeout = 2000;
    zmq_setsockopt(socket, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    char subscription[256];
    zmq_recv(socket, subscription, sizeof subscription, 0);

    static char topics[MAX_BATCH][32];
    static unsigned char envelopes[MAX_BATCH][4096];
    if (size > sizeof envelopes[0] || size < sizeof(int64_t)) fail("SIZE", "must be 8 to 4096 bytes");
    for (int i = 0; i < MAX_BATCH; i++) memset(envelopes[i], 'x', size);

    struct timespec tick;
    clock_gettime(CLOCK_MONOTONIC, &tick);
    const int64_t start = wall_ns();
    long sent = 0;
    while (sent < count) {
        tick.tv_nsec += 1000000;
        if (tick.tv_nsec >= 1000000000) {
            tick.tv_nsec -= 1000000000;
            tick.tv_sec += 1;
        }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &tick, NULL);
        const int64_t stamp = wall_ns();
        long due = (long)((double)rate * (double)(stamp - start) / 1e9) - sent;
        if (due > count - sent) due = count - sent;
        if (due > MAX_BATCH) due = MAX_BATCH;
        if (due <= 0) continue;

        step(db, begin);
        sqlite3_bind_int64(count_up, 1, due);
        if (sqlite3_step(count_up) != SQLITE_ROW) fail("counter", sqlite3_errmsg(db));
        int64_t position = sqlite3_column_int64(count_up, 0) - due;
        sqlite3_reset(count_up);
        for (long i = 0; i < due; i++) {
            const int stream = (int)((sent + i) % STREAMS);
            sqlite3_bind_int(next_seq, 1, stream);
            if (sqlite3_step(next_seq) != SQLITE_ROW) fail("streams", sqlite3_errmsg(db));
            const int64_t seq = sqlite3_column_int64(next_seq, 0);
            sqlite3_reset(next_seq);
            snprintf(topics[i], sizeof topics[i], "signals.%02x.%lld", stream, (long long)seq);
            memcpy(envelopes[i], &stamp, sizeof stamp);
            sqlite3_bind_int64(insert, 1, ++position);
            sqlite3_bind_int(insert, 2, stream);
            sqlite3_bind_int64(insert, 3, seq);
            sqlite3_bind_text(insert, 4, topics[i], -1, SQLITE_STATIC);
            sqlite3_bind_blob(insert, 5, envelopes[i], (int)size, SQLITE_STATIC);
            step(db, insert);
            if (work_per_event) work();
        }
        if (!work_per_event) work();
        step(db, commit);
        for (long i = 0; i < due; i++) {
            send_frame(socket, topics[i], strlen(topics[i]), ZMQ_SNDMORE);
            send_frame(socket, envelopes[i], size, 0);
        }
        sent += due;
    }
    int linger = 5000;  // Let the last messages leave, but never hang on a proxy that went away.
    zmq_setsockopt(socket, ZMQ_LINGER, &linger, sizeof linger);
    zmq_close(socket);
    zmq_ctx_term(context);
    return 0;
}

static int compare(const void *a, const void *b) {
    const int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int subscribe(const char *path, const char *endpoint, long count) {
    sqlite3 *db = open_with_checkpoints(path);
    exec_sql(db, "CREATE TABLE IF NOT EXISTS applied (stream INTEGER NOT NULL, seq INTEGER NOT NULL);"
                 "CREATE TABLE IF NOT EXISTS progress (stream INTEGER PRIMARY KEY, last_seq INTEGER NOT NULL)");
    sqlite3_stmt *begin = prepare(db, "BEGIN IMMEDIATE"), *commit = prepare(db, "COMMIT");
    sqlite3_stmt *insert = prepare(db, "INSERT INTO applied VALUES (?1, ?2)");
    sqlite3_stmt *record = prepare(db, "INSERT INTO progress VALUES (?1, ?2) ON CONFLICT (stream)"
                                       " DO UPDATE SET last_seq = excluded.last_seq");

    void *context = zmq_ctx_new();
    void *socket = zmq_socket(context, ZMQ_SUB);
    int hwm = 100000, quiet = 10000;
    zmq_setsockopt(socket, ZMQ_RCVHWM, &hwm, sizeof hwm);
    // Ten seconds without a message ends the run: whatever did not arrive is reported as lost.
    zmq_setsockopt(socket, ZMQ_RCVTIMEO, &quiet, sizeof quiet);
    zmq_setsockopt(socket, ZMQ_SUBSCRIBE, "signals.", 8);
    if (zmq_connect(socket, endpoint) != 0) fail(endpoint, zmq_strerror(zmq_errno()));
    printf("{\"ready\": true}\n");
    fflush(stdout);

    int64_t *latencies = malloc(sizeof(int64_t) * (size_t)count);
    static int64_t stamps[MAX_BATCH];
    static int streams[MAX_BATCH];
    static int64_t seqs[MAX_BATCH];
    long received = 0;
    while (received < count) {
        int batch = 0;
        while (batch < MAX_BATCH && received + batch < count) {
            char topic[64];
            unsigned char envelope[4096];
            const int flags = batch == 0 ? 0 : ZMQ_DONTWAIT;
            int topic_size = zmq_recv(socket, topic, sizeof topic - 1, flags);
            if (topic_size < 0) break;  // Nothing more for now, or (blocking) the quiet time passed.
            int envelope_size = zmq_recv(socket, envelope, sizeof envelope, 0);
            if (envelope_size < (int)sizeof(int64_t)) fail("envelope", "too short");
            topic[topic_size < (int)sizeof topic - 1 ? topic_size : (int)sizeof topic - 1] = 0;
            unsigned stream;
            long long seq;
            if (sscanf(topic, "signals.%x.%lld", &stream, &seq) != 2) fail("topic", topic);
            memcpy(&stamps[batch], envelope, sizeof(int64_t));
            streams[batch] = (int)stream;
            seqs[batch] = seq;
            batch++;
        }
        if (batch == 0) break;
        step(db, begin);
        for (int i = 0; i < batch; i++) {
            sqlite3_bind_int(insert, 1, streams[i]);
            sqlite3_bind_int64(insert, 2, seqs[i]);
            step(db, insert);
            sqlite3_bind_int(record, 1, streams[i]);
            sqlite3_bind_int64(record, 2, seqs[i]);
            step(db, record);
            if (work_per_event) work();
        }
        if (!work_per_event) work();
        step(db, commit);
        const int64_t applied = wall_ns();
        for (int i = 0; i < batch; i++) latencies[received++] = applied - stamps[i];
    }
    if (received == 0) fail("subscriber", "no event arrived");
    qsort(latencies, (size_t)received, sizeof(int64_t), compare);
    printf("{\"events\": %ld, \"lost\": %ld, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f}\n", received,
           count - received, (double)latencies[received / 2] / 1e6, (double)latencies[(long)(received * 0.99)] / 1e6,
           (double)latencies[received - 1] / 1e6);
    return 0;
}

int main(int argc, char **argv) {
    if ((argc == 7 || argc == 8) && strcmp(argv[1], "pub") == 0) {
        if (argc == 8) calibrate(argv[7]);
        return publish(argv[2], argv[3], atol(argv[4]), atol(argv[5]), (size_t)atol(argv[6]));
    }
    if ((argc == 5 || argc == 6) && strcmp(argv[1], "sub") == 0) {
        if (argc == 6) calibrate(argv[5]);
        return subscribe(argv[2], argv[3], atol(argv[4]));
    }
    fprintf(stderr,
            "usage: %s pub DATABASE XSUB_ENDPOINT RATE COUNT SIZE [WORK_US[/event]] | sub DATABASE XPUB_ENDPOINT COUNT "
            "[WORK_US[/event]]\n",
            argv[0]);
    return 2;
}
