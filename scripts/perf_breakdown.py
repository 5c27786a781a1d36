#!/usr/bin/env python3
"""Where an Assignment 2 run's time goes: `perf` samples split by stage and by kind of work.

Record the run with call graphs on the monotonic clock, keeping its output (the `time: STAGE SECONDS s
(from uptime T s)` lines at its end, T on that clock):

    perf record -k mono -F 999 -g -o a2.data .build/release/Assignment2 --data DIR --out /tmp/a2 --quiet > a2.txt
    perf script -i a2.data -F tid,time,sym > a2.script
    python3 scripts/perf_breakdown.py a2.script a2.txt [--cores 2]

A sample is counted as evaluation when `Evaluator` is on its stack, as a training step
when `Trainer` is (and no evaluation), as data loading when the data set's readers or `Standardizer` are,
as the helper thread's (its pieces of two-thread products, or its waiting for them) when `helper_main`
is, and as "other" otherwise (the run's files, checkpoints, fingerprints, reports, start-up). Idle is the
cores' capacity in the window less the samples in it. Prints a Markdown table of seconds per stage.
"""
import argparse
import re
from collections import defaultdict

KINDS = [
    ("evaluation", ("Evaluator",)),
    ("training steps", ("Trainer",)),
    ("data loading + standardisation", ("loadBinaryBatches", "Standardizer", "FileReading", "CIFAR10", "loadData",
                                         "DataSplits")),
]


def kind(stack):
    if any("helper_main" in frame for frame in stack):
        # The product helper thread: pieces of the stage's products (training or evaluation; its stack
        # does not say which), or waiting for the next one.
        leaf = stack[0] if stack else ""
        return "helper waiting" if "helper_main" in leaf or "yield" in leaf else "helper products"
    text = " ".join(stack)
    for name, needles in KINDS:
        if any(needle in text for needle in needles):
            return name
    return "other (run files, checkpoints, fingerprints, reports)"


def samples(path):
    """(time, stack) for each sample of `perf script -F tid,time,sym` output."""
    stack, when = [], None
    header = re.compile(r"^\s*\d+\s+([0-9.]+):\s*$")
    with open(path, errors="replace") as lines:
        for line in lines:
            match = header.match(line)
            if match:
                if when is not None:
                    yield when, stack
                when, stack = float(match.group(1)), []
            elif line.strip():
                stack.append(line.strip())
    if when is not None:
        yield when, stack


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("script", help="perf script -F tid,time,sym output")
    parser.add_argument("output", help="the run's printed output, with its 'time: STAGE SECONDS s' lines")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--frequency", type=float, default=999, help="perf record's -F")
    args = parser.parse_args()
    stages = []
    for line in open(args.output):
        match = re.match(r"^time: (.+) ([0-9.]+) s \(from uptime ([0-9.]+) s\)$", line.strip())
        if match:
            stages.append((match.group(1), float(match.group(2)), float(match.group(3))))
    data = list(samples(args.script))
    frequency = args.frequency
    windows = [(name, start, start + seconds) for name, seconds, start in stages]
    names = [k for k, _ in KINDS] + ["helper products", "helper waiting",
                                     "other (run files, checkpoints, fingerprints, reports)"]
    table = {name: defaultdict(float) for name, _, _ in windows}
    for when, stack in data:
        for name, begin, end in windows:
            if begin <= when < end:
                table[name][kind(stack)] += 1 / frequency
                break
    print(f"{len(data)} samples at {frequency:.0f} Hz")
    print("| stage | wall s | " + " | ".join(names) + " | idle core-s |")
    print("|---" * (len(names) + 3) + "|")
    for name, begin, end in windows:
        busy = sum(table[name].values())
        idle = max(0.0, args.cores * (end - begin) - busy)
        cells = " | ".join(f"{table[name][k]:.2f}" for k in names)
        print(f"| {name} | {end - begin:.2f} | {cells} | {idle:.2f} |")


if __name__ == "__main__":
    main()
