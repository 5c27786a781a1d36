#!/usr/bin/env python3
"""Where an Assignment 2 run's time goes: `perf` samples split by stage and by kind of work.

Record the run with call graphs, keeping its output (the `time: STAGE SECONDS s` lines at its end):

    perf record -F 999 -g -o a2.data .build/release/Assignment2 --data DIR --out /tmp/a2 --quiet > a2.txt
    perf script -i a2.data -F tid,time,sym > a2.script
    python3 scripts/perf_breakdown.py a2.script a2.txt [--cores 2]

Stages run one after another, so each stage's window starts where the one before it ended, from the
first sample on. A sample is counted as evaluation when `Evaluator` is on its stack, as a training step
when `Trainer` is (and no evaluation), as data loading when the data set's readers or `Standardizer` are,
and as "other" otherwise (the run's files, checkpoints, fingerprints, reports, start-up). Idle is the
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
        match = re.match(r"^time: (.+) ([0-9.]+) s$", line.strip())
        if match:
            stages.append((match.group(1), float(match.group(2))))
    data = list(samples(args.script))
    data.sort(key=lambda s: s[0])
    first, frequency = data[0][0], args.frequency
    windows, start = [], first
    for name, seconds in stages:
        windows.append((name, start, start + seconds))
        start += seconds
    names = [k for k, _ in KINDS] + ["other (run files, checkpoints, fingerprints, reports)"]
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
