#!/usr/bin/env python3
"""The driver of `scripts/bench budget`: how much CPU a transaction may cost and still keep the
bus's p99 at 5,000 events/s under its 10 ms target on this machine.

Each round runs Huddle's SQLite pipeline at 5,000/s once (probe publisher, huddle-bus, probe
consumer, as `scripts/bench bus` does), then the same design in plain C (`durable_pipeline.c`)
once for every level of added work: a fixed amount of CPU work inside every transaction on both
sides, about that many microseconds at the machine's usual speed (with `--event-levels`, also work
done for every event instead: what grows with a batch). The C pipeline at level 0 is
`scripts/bench bus`'s floor; the level whose CPU matches Huddle's shows whether Huddle's p99 is
what any implementation of the design with that CPU cost gets here. Prints each run, then
medians; the last line is one JSON object."""

import argparse
import json
import os
import statistics
import sys

from bench_bus import Scratch, durable_floor, run_bus

TARGET_MS = 10.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--durable-floor", required=True, help="the durable_pipeline binary")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--levels", default="0,50,100,200,350,500",
                        help="microseconds of CPU work added to each transaction, comma-separated")
    parser.add_argument("--event-levels", default="",
                        help="microseconds of CPU work added for each event, comma-separated (none by default)")
    parser.add_argument("--latency-events", type=int, default=25_000, help="events per run (at 5,000/s)")
    parser.add_argument("--batch", type=int, default=1000, help="most events per publishing transaction")
    args = parser.parse_args()
    levels = [int(level) for level in args.levels.split(",")]
    event_levels = [int(level) for level in args.event_levels.split(",") if level]
    # What durable_pipeline is given: `N` per transaction, `N/event` for every event.
    works = [str(level) for level in levels] + [f"{level}/event" for level in event_levels]

    scratch = Scratch("huddle-bench-budget.")

    huddle_p99, huddle_cpu = [], []
    floor_p99 = {work: [] for work in works}
    floor_cpu = {work: [] for work in works}
    for round_number in range(1, args.rounds + 1):
        done, _, size = run_bus(args, scratch.sqlite_database, args.latency_events, 5000)
        huddle_p99.append(done["p99_ms"])
        huddle_cpu.append(done["cpu_s"])
        print(f"round {round_number} Huddle        : p50 {done['p50_ms']:.2f} ms, p99 {done['p99_ms']:6.2f} ms, "
              f"{done['cpu_s']:.2f} CPU s (max {done['max_ms']:.2f} ms, gaps {done['gaps']}, "
              f"replays {done['replays']})", flush=True)
        # Each round starts at another level, so that a slow spell does not always hit the same one.
        start = (round_number - 1) % len(works)
        for work in works[start:] + works[:start]:
            floor = durable_floor(args, scratch.path, args.latency_events, 5000, size, work)
            if floor["lost"]:
                raise RuntimeError(f"the C pipeline lost {floor['lost']} events at {describe(work)}")
            floor_p99[work].append(floor["p99_ms"])
            floor_cpu[work].append(floor["cpu_s"])
            print(f"round {round_number} C + {describe(work):20}: p50 {floor['p50_ms']:.2f} ms, "
                  f"p99 {floor['p99_ms']:6.2f} ms, {floor['cpu_s']:.2f} CPU s", flush=True)

    medians_p99 = {work: statistics.median(values) for work, values in floor_p99.items()}
    medians_cpu = {work: statistics.median(values) for work, values in floor_cpu.items()}
    p99 = {level: medians_p99[str(level)] for level in levels}
    cpu = {level: medians_cpu[str(level)] for level in levels}
    huddle = (statistics.median(huddle_p99), statistics.median(huddle_cpu))
    within = [level for level in levels if p99[level] < TARGET_MS]
    budget = max(within) if within else None
    matching = min(levels, key=lambda level: abs(cpu[level] - huddle[1]))
    print(f"\nmedians of {args.rounds} rounds ({os.cpu_count()} cores), {args.latency_events:,} events at 5,000/s "
          f"each, CPU seconds of publisher and consumer together:")
    print(f"  {'added work per transaction':28} {'p99':>9} {'CPU s':>7}")
    for level in levels:
        print(f"  C + {level:4} µs{'':15} {p99[level]:6.2f} ms {cpu[level]:7.2f}")
    for level in event_levels:
        work = f"{level}/event"
        print(f"  C + {level:4} µs per event{'':6} {medians_p99[work]:6.2f} ms {medians_cpu[work]:7.2f}")
    print(f"  Huddle{'':22} {huddle[0]:6.2f} ms {huddle[1]:7.2f}")
    print(f"  most added work with a p99 under {TARGET_MS:g} ms: "
          + (f"{budget} µs per transaction" if budget is not None else "none of the levels"))
    bracketed = min(cpu.values()) <= huddle[1] <= max(cpu.values())
    print(f"  the C pipeline nearest Huddle's CPU ({matching} µs added, {cpu[matching]:.2f} s): p99 {p99[matching]:.2f} ms "
          f"against Huddle's {huddle[0]:.2f} ms" + ("" if bracketed else " (Huddle's CPU is outside the levels' range)"))
    print(f"  reproduce: scripts/bench budget --rounds {args.rounds} --levels {args.levels}"
          + (f" --event-levels {args.event_levels}" if event_levels else ""))
    print(json.dumps({
        "huddle_p99_ms_at_5000": round(huddle[0], 2),
        "huddle_cpu_s_at_5000": round(huddle[1], 2),
        "floor_p99_ms_by_work_us": {str(level): round(p99[level], 2) for level in levels},
        "floor_cpu_s_by_work_us": {str(level): round(cpu[level], 2) for level in levels},
        "floor_p99_ms_by_event_work_us": {str(level): round(medians_p99[f"{level}/event"], 2) for level in event_levels},
        "floor_cpu_s_by_event_work_us": {str(level): round(medians_cpu[f"{level}/event"], 2) for level in event_levels},
        "work_us_budget_under_10ms": budget,
        "work_us_matching_huddle_cpu": matching,
        "p99_ms_at_matching_work": round(p99[matching], 2),
        "huddle_cpu_within_levels": bracketed,
        "rounds": args.rounds,
    }, ensure_ascii=False))


def describe(work):
    """`150` as "150 µs work", `5/event` as "5 µs per event"."""
    return f"{work.split('/')[0]:>4} µs per event" if work.endswith("/event") else f"{work:>4} µs work"


if __name__ == "__main__":
    sys.exit(main())
