#!/usr/bin/env python3
"""The driver of `scripts/bench bus`: real huddle-bus, probe publisher and probe consumer
processes (release build) on SQLite and PostgreSQL, and libzmq's raw PUSH/PULL at the same
message size. Prints each measurement, then medians; the last line is one JSON object.

Beside every latency run, `cpu_stalls` records when the machine itself ran slow (a fixed unit of
work taking several times its usual CPU time); each run reports how much of it was stalled and,
besides the p99 of all events, the p99 of the events that no stall touched. After every SQLite
latency run, `durable_pipeline` runs the same durable pipeline in plain C through a huddle-bus: the
latency floor this machine allows at that moment."""

import argparse
import atexit
import json
import os
import shutil
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


# A unit of work that takes this many times its median CPU time marks the machine as stalled.
STALL_FACTOR = 3
# Stalls closer together than this are one.
STALL_MERGE_S = 0.02
# After a stall, the backlog it left behind takes about this long to drain.
AFTER_STALL_S = 0.05


class StallProbe:
    """`cpu_stalls` running beside a measurement."""

    def __init__(self, binary, seconds):
        self.process = subprocess.Popen([binary, str(seconds)], stdout=subprocess.PIPE, text=True)

    def stop(self):
        """Stops the probe; returns the stall windows, [start, end] in Unix seconds."""
        self.process.terminate()
        output, _ = self.process.communicate(timeout=10)
        units = sorted(tuple(map(float, line.split())) for line in output.splitlines() if line.strip())
        if not units:
            raise RuntimeError("cpu_stalls printed nothing")
        median = statistics.median(cpu for _, cpu, _ in units)
        windows = []
        for start, cpu, wall in units:
            if cpu <= STALL_FACTOR * median:
                continue
            end = start + wall / 1e6
            if windows and start - windows[-1][1] < STALL_MERGE_S:
                windows[-1][1] = max(windows[-1][1], end)
            else:
                windows.append([start, end])
        return windows


def stalled_fraction(windows, start, end):
    """The share of [start, end] that the windows cover."""
    covered = sum(max(0.0, min(b, end) - max(a, start)) for a, b in windows)
    return covered / (end - start)


def latency_outside_stalls(log_path, windows):
    """Reads the consumer's latency log; returns (share of the run stalled, p99 of the events
    whose publish-to-applied span touched no stall nor the backlog after one, their count, all)."""
    events = []
    with open(log_path) as log:
        for line in log:
            published_us, milliseconds = line.split()
            published = int(published_us) / 1e6
            events.append((published, published + float(milliseconds) / 1000, float(milliseconds)))
    start, end = min(e[0] for e in events), max(e[1] for e in events)
    clear = sorted(ms for published, applied, ms in events
                   if not any(published <= b + AFTER_STALL_S and a <= applied for a, b in windows))
    p99 = clear[min(len(clear) - 1, int(0.99 * len(clear)))] if clear else float("nan")
    return stalled_fraction(windows, start, end), p99, len(clear), len(events)


class Scratch:
    """A temporary folder, removed when the run ends however it ends, that numbers what it hands
    out so that no two runs share a database."""

    def __init__(self, prefix):
        self.path = tempfile.mkdtemp(prefix=prefix)
        atexit.register(shutil.rmtree, self.path, True)
        self.count = 0

    def number(self):
        self.count += 1
        return self.count

    def sqlite_database(self, role):
        return f"sqlite:{self.path}/{role}-{self.number()}.sqlite"


def cpu_seconds(pid):
    """User plus system CPU seconds a running process has used."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_bus(args):
    """A huddle-bus on free loopback ports; returns the process and its XSUB and XPUB endpoints."""
    xsub, xpub = f"tcp://127.0.0.1:{free_port()}", f"tcp://127.0.0.1:{free_port()}"
    env = dict(os.environ, HUDDLE_HTTP_HOST="127.0.0.1", HUDDLE_HTTP_PORT=str(free_port()),
               HUDDLE_BUS_XSUB_BIND=xsub, HUDDLE_BUS_XPUB_BIND=xpub, HUDDLE_LOG_LEVEL="warning")
    bus = subprocess.Popen([f"{args.bin}/huddle-bus"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    return bus, xsub, xpub


def run_bus(args, database_for, events, rate, latency_log=None):
    """One publisher and one consumer through one huddle-bus; returns the consumer's summary
    (with the CPU seconds both processes used), the events per second from the publisher's first
    transaction to the last commit, and the envelope size. With `latency_log`, the consumer
    writes each event's publish time and latency there."""
    bus, xsub, xpub = start_bus(args)
    processes = []
    try:
        consumer = Probe([f"{args.bin}/huddle-bus-probe", "consume", "--database", database_for("consumer"),
                          "--bus", xpub, "--expect", str(events)]
                         + (["--latency-log", latency_log] if latency_log else []))
        processes.append(consumer)
        consumer.wait_for("consuming", 60)
        publisher = Probe([f"{args.bin}/huddle-bus-probe", "publish", "--database", database_for("publisher"),
                           "--bus", xsub, "--total", str(events), "--rate", str(rate), "--batch", str(args.batch)])
        processes.append(publisher)
        started = publisher.wait_for("publishing", 60)
        done = consumer.wait_for("done", 600)
        done["cpu_s"] = cpu_seconds(publisher.process.pid) + cpu_seconds(consumer.process.pid)
        # How long the publisher's relay waited for the bus's subscription before it began
        # sending; the probe publishes from then on, as the C floor does.
        done["relay_wait_ms"] = started["relay_wait_ms"]
        seconds = (done["unix_ms"] - started["unix_ms"]) / 1000
        return done, events / seconds, started["envelope_bytes"]
    finally:
        for process in processes:
            process.stop()
        bus.terminate()
        bus.wait(10)


def durable_floor(args, scratch, events, rate, size, work_us=0):
    """The same durable pipeline in plain C (`durable_pipeline.c`) through a huddle-bus: what
    this machine allows right now. Returns the subscriber's figures, with the CPU seconds of both.
    `work_us` adds that much CPU work to every transaction on both sides (`N/event`: to every
    event)."""
    bus, xsub, xpub = start_bus(args)
    processes = []
    try:
        floor = os.path.join(scratch, f"floor-{time.monotonic_ns()}")
        subscriber = subprocess.Popen([args.durable_floor, "sub", f"{floor}-sub.sqlite", xpub, str(events),
                                       str(work_us)], stdout=subprocess.PIPE, text=True)
        processes.append(subscriber)
        json.loads(subscriber.stdout.readline())  # {"ready": true}
        publisher = subprocess.Popen([args.durable_floor, "pub", f"{floor}-pub.sqlite", xsub, str(rate),
                                      str(events), str(size), str(work_us)])
        processes.append(publisher)
        figures = json.loads(subscriber.stdout.readline())
        cpu = 0.0
        for process in (subscriber, publisher):
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            cpu += usage.ru_utime + usage.ru_stime
        figures["cpu_s"] = cpu
        return figures
    finally:
        for process in processes:
            if process.returncode is None:
                process.kill()
                process.wait()
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
    parser.add_argument("--stall-probe", required=True, help="the cpu_stalls binary")
    parser.add_argument("--durable-floor", required=True, help="the durable_pipeline binary")
    parser.add_argument("--postgres-url", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--events", type=int, default=200_000, help="events per throughput run")
    parser.add_argument("--latency-events", type=int, default=25_000, help="events per latency run (at 5,000/s)")
    parser.add_argument("--batch", type=int, default=1000, help="most events per publishing transaction")
    parser.add_argument("--raw-count", type=int, default=1_000_000)
    args = parser.parse_args()

    # The SQLite files of one run take about 450 MB.
    scratch = Scratch("huddle-bench-bus.")

    def postgres_database(role):
        name = f"bench_{role}_{scratch.number()}_{os.getpid()}"
        subprocess.run(["psql", "-q", args.postgres_url, "-c", f"CREATE DATABASE {name}"], check=True)
        return args.postgres_url.rsplit("/", 1)[0] + "/" + name

    idle_start = time.time()
    idle = StallProbe(args.stall_probe, 60)
    time.sleep(10)
    idle_windows = idle.stop()
    idle_stalled = stalled_fraction(idle_windows, idle_start, time.time())
    print(f"idle machine: stalled {100 * idle_stalled:.1f}% of 10 s ({len(idle_windows)} stalls)", flush=True)

    figures = {key: [] for key in ("sqlite", "sqlite_p99", "sqlite_clear_p99", "sqlite_stalled", "sqlite_cpu",
                                   "postgres", "postgres_p99", "postgres_clear_p99", "postgres_stalled",
                                   "floor_p99", "floor_cpu", "raw")}
    size = None
    latency_log = os.path.join(scratch.path, "latencies.txt")
    for round_number in range(1, args.rounds + 1):
        for engine, database_for in (("sqlite", scratch.sqlite_database), ("postgres", postgres_database)):
            _, rate, size = run_bus(args, database_for, args.events, 0)
            figures[engine].append(rate)
            stalls = StallProbe(args.stall_probe, 600)
            try:
                done, _, _ = run_bus(args, database_for, args.latency_events, 5000, latency_log)
            finally:
                windows = stalls.stop()
            stalled, clear_p99, clear, total = latency_outside_stalls(latency_log, windows)
            figures[f"{engine}_p99"].append(done["p99_ms"])
            figures[f"{engine}_clear_p99"].append(clear_p99)
            figures[f"{engine}_stalled"].append(stalled)
            print(f"round {round_number} {engine:8}: {rate:9,.0f} durable events/s; at 5,000/s "
                  f"p50 {done['p50_ms']:.2f} ms, p99 {done['p99_ms']:.2f} ms, max {done['max_ms']:.2f} ms "
                  f"(gaps {done['gaps']}, replays {done['replays']}), {done['cpu_s']:.2f} CPU s, "
                  f"relay sending {done['relay_wait_ms']:.1f} ms after start; "
                  f"machine stalled {100 * stalled:.1f}% of the run ({len(windows)} stalls), "
                  f"p99 of the {clear:,} of {total:,} events no stall touched {clear_p99:.2f} ms",
                  flush=True)
            if engine == "sqlite":
                figures["sqlite_cpu"].append(done["cpu_s"])
                floor = durable_floor(args, scratch.path, args.latency_events, 5000, size)
                figures["floor_p99"].append(floor["p99_ms"])
                figures["floor_cpu"].append(floor["cpu_s"])
                print(f"round {round_number} C floor : the same pipeline in C on SQLite at 5,000/s: "
                      f"p50 {floor['p50_ms']:.2f} ms, p99 {floor['p99_ms']:.2f} ms, max {floor['max_ms']:.2f} ms, "
                      f"{floor['cpu_s']:.2f} CPU s" + (f", {floor['lost']} events LOST" if floor["lost"] else ""),
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
    print(f"  C floor    p99 {median['floor_p99']:.2f} ms at 5,000/s, {median['floor_cpu']:.2f} CPU s against SQLite's "
          f"{median['sqlite_cpu']:.2f}; SQLite p99 / floor p99 = {median['sqlite_p99'] / median['floor_p99']:.2f}")
    print(f"  the machine stalled {100 * median['sqlite_stalled']:.1f}% of the SQLite latency runs "
          f"({100 * idle_stalled:.1f}% when idle); p99 of the events no stall touched: "
          f"SQLite {median['sqlite_clear_p99']:.2f} ms, PostgreSQL {median['postgres_clear_p99']:.2f} ms")
    print(f"  reproduce: scripts/bench bus --rounds {args.rounds} --events {args.events}")
    print(json.dumps({
        "durable_events_per_s": round(median["sqlite"]),
        "p99_ms_at_5000": round(median["sqlite_p99"], 2),
        "postgres_durable_events_per_s": round(median["postgres"]),
        "postgres_p99_ms_at_5000": round(median["postgres_p99"], 2),
        "raw_zmq_msgs_per_s": round(median["raw"]),
        "ratio_to_raw": round(median["sqlite"] / median["raw"], 4),
        "floor_p99_ms_at_5000": round(median["floor_p99"], 2),
        "p99_ratio_to_floor": round(median["sqlite_p99"] / median["floor_p99"], 2),
        "cpu_s_at_5000": round(median["sqlite_cpu"], 2),
        "floor_cpu_s_at_5000": round(median["floor_cpu"], 2),
        "p99_ms_at_5000_outside_stalls": round(median["sqlite_clear_p99"], 2),
        "postgres_p99_ms_at_5000_outside_stalls": round(median["postgres_clear_p99"], 2),
        "stalled_pct_during_latency": round(100 * median["sqlite_stalled"], 1),
        "stalled_pct_idle": round(100 * idle_stalled, 1),
        "envelope_bytes": size,
        "rounds": args.rounds,
    }))


if __name__ == "__main__":
    sys.exit(main())
