#!/usr/bin/env python3
"""One training epoch of the Assignment 2 network in plain NumPy: the reference for `backprop bench`.

The same work as Backprop's epoch: 45,000 examples of 3072 float32 features, batches of 100, a
3072 → 50 (ReLU) → 10 (softmax) network, cross-entropy with L2 (λ = 0.01, weights only), plain SGD with
the triangular cyclical rate, reshuffled by index every epoch. Written the way a NumPy user writes it
(the course's reference code, vectorised, float32 throughout). Prints the median seconds per epoch:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 scripts/numpy_epoch_bench.py --epochs 5
"""
import argparse
import statistics
import time

import numpy as np


def triangular(t, eta_min=1e-5, eta_max=1e-1, step_size=900):
    cycle = np.floor(1 + t / (2 * step_size))
    x = abs(t / step_size - 2 * cycle + 1)
    return eta_min + (eta_max - eta_min) * max(0.0, 1 - x)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=45000)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--hidden", type=int, default=50)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    n, d, m, k = args.examples, 3072, args.hidden, 10
    x = rng.standard_normal((n, d), dtype=np.float32)
    y = rng.integers(0, k, n)
    w1 = (rng.standard_normal((d, m)) / np.sqrt(d)).astype(np.float32)
    b1 = np.zeros((1, m), np.float32)
    w2 = (rng.standard_normal((m, k)) / np.sqrt(m)).astype(np.float32)
    b2 = np.zeros((1, k), np.float32)
    lam = np.float32(0.01)
    step = 0
    times = []
    for _ in range(args.epochs):
        start = time.perf_counter()
        order = rng.permutation(n)
        for first in range(0, n, args.batch):
            idx = order[first:first + args.batch]
            xb, yb = x[idx], y[idx]
            nb = len(idx)
            h = np.maximum(xb @ w1 + b1, 0)
            s = h @ w2 + b2
            s -= s.max(axis=1, keepdims=True)
            p = np.exp(s)
            p /= p.sum(axis=1, keepdims=True)
            g = p
            g[np.arange(nb), yb] -= 1
            g /= nb
            gw2 = h.T @ g + 2 * lam * w2
            gb2 = g.sum(axis=0, keepdims=True)
            gh = g @ w2.T
            gh[h <= 0] = 0
            gw1 = xb.T @ gh + 2 * lam * w1
            gb1 = gh.sum(axis=0, keepdims=True)
            eta = np.float32(triangular(step))
            w1 -= eta * gw1
            b1 -= eta * gb1
            w2 -= eta * gw2
            b2 -= eta * gb2
            step += 1
        times.append(time.perf_counter() - start)
    print(f"numpy {np.__version__}: epoch_fp32 seconds per epoch: "
          + " ".join(f"{t:.4f}" for t in times))
    print(f"epoch_fp32_median {statistics.median(times):.6f}")


if __name__ == "__main__":
    main()
