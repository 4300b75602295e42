#!/usr/bin/env python3
"""The driver of `scripts/bench bus`: real huddle-bus, probe publisher and probe consumer
processes (release build) on SQLite and PostgreSQL, and libzmq's raw PUSH/PULL at the same
message size. Prints each measurement, then medians; the last line is one JSON object."""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Probe:
    """A child process whose stdout is JSON lines."""

    def __init__(self, argv, env=None):
        self.argv = argv
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        text=True, env=env)

    def wait_for(self, event, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"{self.argv[0]} ended before printing {event}")
            if line.startswith("{"):
                fields = json.loads(line)
                if fields.get("event") == event or (event is None and "endpoint" in fields):
                    return fields
        raise RuntimeError(f"no {event} from {' '.join(self.argv[:2])} within {timeout}s")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def run_bus(args, database_for, events, rate):
    """One publisher and one consumer through one huddle-bus; returns the consumer's summary
    and the events per second from the publisher's first transaction to the last commit."""
    xsub, xpub = f"tcp://127.0.0.1:{free_port()}", f"tcp://127.0.0.1:{free_port()}"
    env = dict(os.environ, HUDDLE_HTTP_HOST="127.0.0.1", HUDDLE_HTTP_PORT=str(free_port()),
               HUDDLE_BUS_XSUB_BIND=xsub, HUDDLE_BUS_XPUB_BIND=xpub, HUDDLE_LOG_LEVEL="warning")
    bus = subprocess.Popen([f"{args.bin}/huddle-bus"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    processes = []
    try:
        time.sleep(0.5)
        consumer = Probe([f"{args.bin}/huddle-bus-probe", "consume", "--database", database_for("consumer"),
                          "--bus", xpub, "--expect", str(events)])
        processes.append(consumer)
        consumer.wait_for("consuming", 60)
        publisher = Probe([f"{args.bin}/huddle-bus-probe", "publish", "--database", database_for("publisher"),
                           "--bus", xsub, "--total", str(events), "--rate", str(rate), "--batch", str(args.batch)])
        processes.append(publisher)
        started = publisher.wait_for("publishing", 60)
        done = consumer.wait_for("done", 600)
        seconds = (done["unix_ms"] - started["unix_ms"]) / 1000
        return done, events / seconds, started["envelope_bytes"]
    finally:
        for process in processes:
            process.stop()
        bus.terminate()
        bus.wait(10)


def raw_push_pull(args, size):
    receiver = Probe([args.c_baseline, "recv", "pull", "tcp://127.0.0.1:0", str(args.raw_count), str(size)])
    endpoint = json.loads(receiver.process.stdout.readline())["endpoint"]
    sender = subprocess.Popen([args.c_baseline, "send", "push", endpoint, str(args.raw_count), str(size)])
    result = json.loads(receiver.process.stdout.readline())
    sender.wait(60)
    receiver.process.wait(60)
    return result["rate"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--c-baseline", required=True)
    parser.add_argument("--postgres-url", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--events", type=int, default=200_000, help="events per throughput run")
    parser.add_argument("--latency-events", type=int, default=25_000, help="events per latency run (at 5,000/s)")
    parser.add_argument("--batch", type=int, default=1000, help="most events per publishing transaction")
    parser.add_argument("--raw-count", type=int, default=1_000_000)
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="huddle-bench-bus.")
    counter = [0]

    def sqlite_database(role):
        counter[0] += 1
        return f"sqlite:{scratch}/{role}-{counter[0]}.sqlite"

    def postgres_database(role):
        counter[0] += 1
        name = f"bench_{role}_{counter[0]}_{os.getpid()}"
        subprocess.run(["psql", "-q", args.postgres_url, "-c", f"CREATE DATABASE {name}"], check=True)
        return args.postgres_url.rsplit("/", 1)[0] + "/" + name

    figures = {"sqlite": [], "sqlite_p99": [], "postgres": [], "postgres_p99": [], "raw": []}
    size = None
    for round_number in range(1, args.rounds + 1):
        for engine, database_for in (("sqlite", sqlite_database), ("postgres", postgres_database)):
            _, rate, size = run_bus(args, database_for, args.events, 0)
            figures[engine].append(rate)
            done, _, _ = run_bus(args, database_for, args.latency_events, 5000)
            figures[f"{engine}_p99"].append(done["p99_ms"])
            print(f"round {round_number} {engine:8}: {rate:9,.0f} durable events/s; at 5,000/s "
                  f"p50 {done['p50_ms']:.2f} ms, p99 {done['p99_ms']:.2f} ms, max {done['max_ms']:.2f} ms",
                  flush=True)
        raw = raw_push_pull(args, size)
        figures["raw"].append(raw)
        print(f"round {round_number} raw zmq : {raw:9,.0f} PUSH/PULL msgs/s of {size} bytes", flush=True)

    median = {key: statistics.median(values) for key, values in figures.items()}
    print(f"\nmedians of {args.rounds} rounds ({os.cpu_count()} cores), {args.events:,} events per throughput run, "
          f"publishing transactions of up to {args.batch} events, {size}-byte envelopes:")
    print(f"  SQLite     {median['sqlite']:9,.0f} events/s durable end to end; p99 {median['sqlite_p99']:.2f} ms at 5,000/s")
    print(f"  PostgreSQL {median['postgres']:9,.0f} events/s durable end to end; p99 {median['postgres_p99']:.2f} ms at 5,000/s")
    print(f"  raw libzmq {median['raw']:9,.0f} PUSH/PULL msgs/s; SQLite durable / raw = {median['sqlite'] / median['raw']:.3f}")
    print(f"  reproduce: scripts/bench bus --rounds {args.rounds} --events {args.events}")
    print(json.dumps({
        "durable_events_per_s": round(median["sqlite"]),
        "p99_ms_at_5000": round(median["sqlite_p99"], 2),
        "postgres_durable_events_per_s": round(median["postgres"]),
        "postgres_p99_ms_at_5000": round(median["postgres_p99"], 2),
        "raw_zmq_msgs_per_s": round(median["raw"]),
        "ratio_to_raw": round(median["sqlite"] / median["raw"], 4),
        "envelope_bytes": size,
        "rounds": args.rounds,
    }))


if __name__ == "__main__":
    sys.exit(main())
