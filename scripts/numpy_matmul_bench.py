#!/usr/bin/env python3
"""Times NumPy (OpenBLAS) matrix products on the shapes that Backprop's benchmark uses.

Prints one line per shape and precision: the shape, the median seconds of the timed runs and GFLOP/s,
so that `MatrixProductBenchmark` figures can be divided by them. Run it with the OpenBLAS tuning
variables unset, so NumPy picks its own kernel and thread count (or set OPENBLAS_NUM_THREADS=1):

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 scripts/numpy_matmul_bench.py
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 python3 scripts/numpy_matmul_bench.py

A shape is `NAME:MxNxK:OPS`, OPS one of NN, NT, TN, TT (T means the operand is stored transposed, as
in `bp_sgemm`): C[M,N] = op(A) · op(B) with op(A) M×K and op(B) K×N.
"""

import argparse
import statistics
import time

import numpy as np

DEFAULT_SHAPES = [
    "a2-forward:100x50x3072:NN",
    "a2-weight-gradient:3072x50x100:TN",
    "a2-input-gradient:100x3072x50:NT",
    "a2-second-layer:100x10x50:NN",
    "wide-forward:100x1024x3072:NN",
    "wide-weight-gradient:3072x1024x100:TN",
    "wide-input-gradient:100x1024x512:NT",
    "square-512:512x512x512:NN",
    "square-2048:2048x2048x2048:NN",
]


def parse(text):
    name, dims, ops = text.split(":")
    m, n, k = (int(d) for d in dims.split("x"))
    return name, m, n, k, ops


def time_shape(m, n, k, ops, dtype, repetitions, rng):
    a = rng.standard_normal((k, m) if ops[0] == "T" else (m, k)).astype(dtype)
    b = rng.standard_normal((n, k) if ops[1] == "T" else (k, n)).astype(dtype)
    opa = a.T if ops[0] == "T" else a
    opb = b.T if ops[1] == "T" else b
    c = np.empty((m, n), dtype=dtype)
    flop = 2.0 * m * n * k
    # Warm up for about 50 ms (OpenBLAS threads, an idle core's clock), as MatrixProductBenchmark does,
    # then time enough calls per run that one run lasts about 20 ms.
    warm_start = time.perf_counter()
    calls_done = 0
    while time.perf_counter() - warm_start < 0.05 or calls_done < 2:
        np.matmul(opa, opb, out=c)
        calls_done += 1
    once = max((time.perf_counter() - warm_start) / calls_done, 1e-7)
    calls = max(1, int(0.02 / once))
    samples = []
    for _ in range(repetitions):
        start = time.perf_counter()
        for _ in range(calls):
            np.matmul(opa, opb, out=c)
        samples.append((time.perf_counter() - start) / calls)
    median = statistics.median(samples)
    return median, flop / median / 1e9


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", action="append", help="NAME:MxNxK:OPS (repeatable)")
    parser.add_argument("--repetitions", type=int, default=11)
    parser.add_argument("--precision", choices=["float32", "float64", "both"], default="both")
    args = parser.parse_args()
    shapes = [parse(s) for s in (args.shape or DEFAULT_SHAPES)]
    dtypes = {"float32": [np.float32], "float64": [np.float64], "both": [np.float32, np.float64]}
    rng = np.random.default_rng(0)
    print(f"# numpy {np.__version__}; median of {args.repetitions} runs")
    print(f"{'shape':<22} {'m x n x k':>16} {'ops':>3} {'precision':>9} {'seconds':>11} {'GFLOP/s':>8}")
    for dtype in dtypes[args.precision]:
        for name, m, n, k, ops in shapes:
            median, gflops = time_shape(m, n, k, ops, dtype, args.repetitions, rng)
            dims = f"{m}x{n}x{k}"
            print(f"{name:<22} {dims:>16} {ops:>3} {np.dtype(dtype).name:>9} {median:11.3e} {gflops:8.1f}")


if __name__ == "__main__":
    main()
