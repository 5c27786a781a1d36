#!/usr/bin/env python3
"""Writes small valid inputs for each fuzz target of Fuzz/ (scripts/fuzz.sh runs it before fuzzing):
the fuzzer mutates them, so it starts past each format's magic numbers and headers.

    python3 scripts/fuzz_seeds.py Fuzz/seeds
"""
import gzip, json, pickle, struct, sys, zlib
from pathlib import Path

import numpy as np

out = Path(sys.argv[1] if len(sys.argv) > 1 else "Fuzz/seeds")
rng = np.random.default_rng(7)


def put(target, name, data):
    folder = out / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


# CIFAR-10 binary: records of a label byte and 3,072 pixel bytes.
records = b"".join(bytes([k]) + rng.integers(0, 256, 3072, dtype=np.uint8).tobytes() for k in (3, 9))
put("FuzzCIFARBinary", "two-records.bin", records)

# CIFAR-10 Python batches: a dict with a numpy array, pickled as the official files (protocol 2) and
# as recent Python writes them (protocol 5); also the byte-string case.
batch = {b"batch_label": b"seed batch", b"labels": [3, 9],
         b"data": rng.integers(0, 256, (2, 3072), dtype=np.uint8), b"filenames": [b"a.png", b"b.png"]}
put("FuzzPickle", "batch-p2.pkl", pickle.dumps(batch, protocol=2))
put("FuzzPickle", "batch-p5.pkl", pickle.dumps(batch, protocol=5))
put("FuzzPickle", "empty-bytes-p2.pkl", pickle.dumps(b"", protocol=2))

# IDX images (28×28 would be large for a seed: 3 images of 4×4), plain and gzipped.
idx = struct.pack(">IIII", 0x803, 3, 4, 4) + rng.integers(0, 256, 48, dtype=np.uint8).tobytes()
put("FuzzIDX", "images.idx", idx)
put("FuzzIDX", "images.idx.gz", gzip.compress(idx))

# .npy: Float and Double matrices, and a uint8 one as predict reads.
for name, array in [("f4", rng.standard_normal((3, 5)).astype("<f4")), ("f8", rng.standard_normal(4)),
                    ("u1", rng.integers(0, 256, (2, 6), dtype=np.uint8))]:
    header = f"{{'descr': '{array.dtype.str}', 'fortran_order': False, 'shape': {array.shape}, }}"
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    put("FuzzNumpy", f"{name}.npy", b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + array.tobytes())

# Experiment files: the examples of the repository.
for config in sorted(Path("Examples/configs").glob("*.json")):
    put("FuzzJSON", config.name, config.read_bytes())
put("FuzzJSON", "nested.json", json.dumps({"a": [[[{"b": 1e-5}]]], "c": "\\u00e9"}).encode())


# PNG: a 2×2 RGB image and a 2×1 grey one.
def png(width, height, colour, channels):
    raw = b"".join(b"\x00" + rng.integers(0, 256, width * channels, dtype=np.uint8).tobytes() for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


put("FuzzPNG", "rgb.png", png(2, 2, 2, 3))
put("FuzzPNG", "grey.png", png(2, 1, 0, 1))
print(f"seeds written to {out}")
