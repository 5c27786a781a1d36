#!/usr/bin/env python3
"""Evaluates a Backprop run's saved parameters in NumPy, independently of Backprop.

Reads RUN_DIR/{standardizer_mean,standardizer_std,fc1.weight,fc1.bias,...}.npy, the CIFAR-10 test batch
(binary version) from DATA_DIR, computes softmax(relu(...((x - mean) / std) W1 + b1)...) W + b) and
compares its test accuracy with RUN_DIR/metrics.json (a batch normalisation bn<k> after fc<k> is applied
with its running statistics). Exits 1 when they differ by more than
--tolerance (default: 0, the same number of correct answers).

    python3 scripts/evaluate_run.py runs/a1-...-20261125-080000 data/cifar-10-batches-bin
"""
import argparse
import json
import os
import sys

import numpy as np


def load_cifar_batch(path):
    raw = np.fromfile(path, dtype=np.uint8)
    if raw.size % 3073:
        sys.exit(f"{path}: {raw.size} bytes is not a whole number of 3073-byte records")
    records = raw.reshape(-1, 3073)
    return records[:, 1:].astype(np.float64), records[:, 0].astype(np.int64)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir")
    parser.add_argument("data_dir")
    parser.add_argument("--tolerance", type=float, default=0.0, help="largest accepted accuracy difference")
    args = parser.parse_args()

    metrics = json.load(open(os.path.join(args.run_dir, "metrics.json")))
    mean = np.load(os.path.join(args.run_dir, "standardizer_mean.npy")).astype(np.float64)
    std = np.load(os.path.join(args.run_dir, "standardizer_std.npy")).astype(np.float64)
    x, y = load_cifar_batch(os.path.join(args.data_dir, "test_batch.bin"))
    # Backprop's standardiser divides by 1 where the deviation is below its floor.
    h = (x - mean) / np.where(std < 1e-6, 1.0, std)

    layer = 1
    while os.path.exists(os.path.join(args.run_dir, f"fc{layer}.weight.npy")):
        w = np.load(os.path.join(args.run_dir, f"fc{layer}.weight.npy")).astype(np.float64)
        b = np.load(os.path.join(args.run_dir, f"fc{layer}.bias.npy")).astype(np.float64)
        h = h @ w + b.reshape(1, -1)
        # The `hidden` shorthand with "batch_norm": true puts bn<k> after fc<k>: inference uses the running
        # statistics (ε = 1e-5, the default).
        bn = os.path.join(args.run_dir, f"bn{layer}")
        if os.path.exists(bn + ".gamma.npy"):
            gamma, beta, running_mean, running_var = (
                np.load(f"{bn}.{name}.npy").astype(np.float64).reshape(1, -1)
                for name in ("gamma", "beta", "running_mean", "running_var"))
            h = gamma * (h - running_mean) / np.sqrt(running_var + 1e-5) + beta
        layer += 1
        if os.path.exists(os.path.join(args.run_dir, f"fc{layer}.weight.npy")):
            h = np.maximum(h, 0)
    accuracy = float(np.mean(np.argmax(h, axis=1) == y))
    reported = metrics["test_accuracy"]
    print(f"{metrics['name']}: NumPy test accuracy {accuracy:.6f} on {len(y)} images, Backprop reported {reported:.6f}")
    if abs(accuracy - reported) > args.tolerance + 1e-12:
        sys.exit(f"MISMATCH: |{accuracy} - {reported}| > {args.tolerance}")


if __name__ == "__main__":
    main()
