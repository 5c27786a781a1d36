#!/usr/bin/env python3
"""Assignment 2's whole pipeline in plain NumPy: the reference for `backprop bench --pipeline`.

The same work as Backprop's `Assignment2Pipeline`, stage by stage, on a CIFAR-10 folder in the binary
layout (`data_batch_1.bin` … `data_batch_5.bin`, `test_batch.bin`):

- a gradient check of the network in float64 on 20 features (centred differences);
- "overfit 100 examples": batches of 10, rate 0.05, λ = 0, 200 epochs, 20 evaluations;
- one cycle (n_s = 500) and three cycles (n_s = 800) on batch 1, λ = 0.01, batch 2 validating, the two
  runs side by side;
- the λ search: 8 grid points of log10 λ in [-5, -1], then 8 random draws around the best 3, each trial
  2 cycles of n_s = 2⌊n/100⌋ on all batches less 5,000, two trials at a time (one BLAS thread each);
- the final model: the best λ, all batches less 1,000, 3 cycles, 30 evaluations.

Each stage reads and standardises its own data (per-feature mean and standard deviation of its training
split), as a script per stage would. A run evaluates before its first update, every ⌊steps / times⌋
updates and after its last (training metrics on a fixed random 10,000 of the training split, validation
on all of it), then once on the full training, validation and test splits; it saves its history and
weights. Everything is float32 but the gradient check, written the way a NumPy user writes it (the
course's reference code, vectorised). Prints each stage's seconds and, last:

    numpy_pipeline_seconds T

    env -u OPENBLAS_CORETYPE python3 scripts/numpy_pipeline_bench.py --data DIR --out DIR
"""
import argparse
import ctypes
import glob
import multiprocessing
import os
import time

import numpy as np

RECORD = 3073


def set_blas_threads(count):
    """OpenBLAS's thread count in this process (NumPy wheels bundle scipy-openblas)."""
    folder = os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs")
    for path in glob.glob(os.path.join(folder, "*openblas*")):
        library = ctypes.CDLL(path)
        for name in ("scipy_openblas_set_num_threads64_", "openblas_set_num_threads64_", "openblas_set_num_threads"):
            if hasattr(library, name):
                setter = getattr(library, name)
                setter.argtypes = [ctypes.c_int]
                setter(count)
                return


def read_batches(folder, names):
    raw = np.concatenate([np.fromfile(os.path.join(folder, name + ".bin"), dtype=np.uint8) for name in names])
    raw = raw.reshape(-1, RECORD)
    return raw[:, 1:].astype(np.float32), raw[:, 0].astype(np.int64)


def load(folder, split, validation=0, train_limit=None):
    """(train, validation, test) as (x, y) pairs, standardised with the training split's statistics."""
    if split == "batch1":
        train = read_batches(folder, ["data_batch_1"])
        valid = read_batches(folder, ["data_batch_2"])
    else:
        x, y = read_batches(folder, [f"data_batch_{i}" for i in range(1, 6)])
        train, valid = (x[:-validation], y[:-validation]), (x[-validation:], y[-validation:])
    if train_limit:
        train = (train[0][:train_limit], train[1][:train_limit])
    test = read_batches(folder, ["test_batch"])
    mean = train[0].mean(axis=0)
    std = np.maximum(train[0].std(axis=0), 1e-8)
    for x, _ in (train, valid, test):
        x -= mean  # in place: the splits are views of the arrays just read
        x /= std
    return [train, valid, test]


def triangular(step, step_size, eta_min=1e-5, eta_max=1e-1):
    cycle = np.floor(1 + step / (2 * step_size))
    x = abs(step / step_size - 2 * cycle + 1)
    return eta_min + (eta_max - eta_min) * max(0.0, 1 - x)


def init(rng, d, m=50, k=10, dtype=np.float32):
    return [(rng.standard_normal((d, m)) / np.sqrt(d)).astype(dtype), np.zeros((1, m), dtype),
            (rng.standard_normal((m, k)) / np.sqrt(m)).astype(dtype), np.zeros((1, k), dtype)]


def gradients(params, x, y, lam):
    w1, b1, w2, b2 = params
    h = np.maximum(x @ w1 + b1, 0)
    s = h @ w2 + b2
    s -= s.max(axis=1, keepdims=True)
    p = np.exp(s)
    p /= p.sum(axis=1, keepdims=True)
    loss = -np.log(p[np.arange(len(y)), y]).mean()
    g = p
    g[np.arange(len(y)), y] -= 1
    g /= len(y)
    gh = g @ w2.T
    gh[h <= 0] = 0
    return loss, [x.T @ gh + 2 * lam * w1, gh.sum(axis=0, keepdims=True),
                  h.T @ g + 2 * lam * w2, g.sum(axis=0, keepdims=True)]


def evaluate(params, x, y, lam):
    w1, b1, w2, b2 = params
    s = np.maximum(x @ w1 + b1, 0) @ w2 + b2
    s -= s.max(axis=1, keepdims=True)
    log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    loss = -log_p[np.arange(len(y)), y].mean()
    cost = loss + lam * ((w1 ** 2).sum() + (w2 ** 2).sum())
    return loss, cost, (s.argmax(axis=1) == y).mean()


def train(splits, lam, steps, rate, batch, times, seed, out):
    """Mini-batch SGD with the run's evaluations, then the final metrics; writes history and weights."""
    (x, y), (xv, yv), (xt, yt) = splits
    rng = np.random.default_rng(seed)
    params = init(rng, x.shape[1])
    subset = rng.permutation(len(x))[:10000] if len(x) > 10000 else np.arange(len(x))
    xs, ys = x[subset], y[subset]
    interval = max(1, steps // times)
    history = []

    def record(step):
        history.append((step,) + evaluate(params, xs, ys, lam) + evaluate(params, xv, yv, lam))

    record(0)
    order, position = rng.permutation(len(x)), 0
    for step in range(1, steps + 1):
        if position + batch > len(x):
            order, position = rng.permutation(len(x)), 0
        idx = order[position:position + batch]
        position += batch
        _, grads = gradients(params, x[idx], y[idx], lam)
        eta = np.float32(rate(step - 1))
        for p, g in zip(params, grads):
            p -= eta * g
        if step % interval == 0 or step == steps:
            record(step)
    final = [evaluate(params, *split, lam) for split in splits]
    os.makedirs(out, exist_ok=True)
    np.savetxt(os.path.join(out, "history.csv"), np.array(history), delimiter=",")
    for name, p in zip(["w1", "b1", "w2", "b2"], params):
        np.save(os.path.join(out, name + ".npy"), p)
    return final


def gradient_check(seed):
    rng = np.random.default_rng(seed)
    x, y = rng.standard_normal((8, 20)), rng.integers(0, 10, 8)
    params = init(rng, 20, dtype=np.float64)
    _, analytic = gradients(params, x, y, 0.01)
    worst = 0.0
    for p, g in zip(params, analytic):
        numeric = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            saved = p[i]
            p[i] = saved + 1e-6
            plus = evaluate(params, x, y, 0.01)[1]
            p[i] = saved - 1e-6
            minus = evaluate(params, x, y, 0.01)[1]
            p[i] = saved
            numeric[i] = (plus - minus) / 2e-6
        worst = max(worst, (abs(numeric - g) / np.maximum(1e-12, abs(numeric) + abs(g))).max())
    return worst


SHARED = {}


def run_job(job):
    set_blas_threads(1)
    name, lam, steps, step_size, times, out = job
    splits = SHARED["splits"]
    return train(splits, lam, steps, lambda t: triangular(t, step_size), 100, times, 7, os.path.join(out, name))


def parallel(jobs, splits):
    """The jobs two at a time in forked workers (the splits shared copy-on-write), results in order."""
    SHARED["splits"] = splits
    with multiprocessing.get_context("fork").Pool(2) as pool:
        return pool.map(run_job, jobs, chunksize=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="a CIFAR-10 folder in the binary layout")
    parser.add_argument("--out", required=True, help="where the runs' files go")
    parser.add_argument("--quick", action="store_true", help="every stage shrunk, as Assignment2Pipeline's quick")
    args = parser.parse_args()
    q = args.quick
    times = {}
    start = time.perf_counter()

    def stage(name, began):
        times[name] = time.perf_counter() - began
        print(f"{name}: {times[name]:.2f} s", flush=True)

    began = time.perf_counter()
    gradient_check(1)
    stage("gradient check", began)

    began = time.perf_counter()
    tiny = load(args.data, "batch1", train_limit=100)
    train(tiny, 0.0, 200 if q else 2000, lambda t: 0.05, 10, 20, 1, os.path.join(args.out, "sanity"))
    stage("sanity check", began)

    began = time.perf_counter()
    small = load(args.data, "batch1")
    parallel([("one-cycle", 0.01, 100 if q else 1000, 50 if q else 500, 10, args.out),
              ("three-cycles", 0.01, 480 if q else 4800, 80 if q else 800, 30, args.out)], small)
    stage("one cycle + three cycles", began)

    began = time.perf_counter()
    pool = load(args.data, "all", validation=5000)
    step_size = 2 * (len(pool[0][1]) // 100)
    cycles = 2 if q else 4  # two half-cycles per cycle
    grid = np.linspace(-5, -1, 3 if q else 8)
    coarse = parallel([(f"coarse-{i}", 10 ** l, cycles * step_size, step_size, 10, args.out) for i, l in enumerate(grid)], pool)
    best = grid[np.argsort([-c[1][2] for c in coarse])[:3]]
    draws = np.random.default_rng(2).uniform(best.min() - 0.25, best.max() + 0.25, 2 if q else 8)
    fine = parallel([(f"fine-{i}", 10 ** l, cycles * step_size, step_size, 10, args.out) for i, l in enumerate(draws)], pool)
    ranked = sorted(zip(coarse + fine, list(grid) + list(draws)), key=lambda r: -r[0][1][2])
    stage("λ search", began)

    began = time.perf_counter()
    full = load(args.data, "all", validation=1000)
    step_size = 2 * (len(full[0][1]) // 100)
    train(full, 10 ** ranked[0][1], (2 if q else 6) * step_size, lambda t: triangular(t, step_size), 100, 30, 1,
          os.path.join(args.out, "final"))
    stage("final model", began)
    print(f"numpy_pipeline_seconds {time.perf_counter() - start:.3f}")


if __name__ == "__main__":
    main()
