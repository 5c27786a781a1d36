#!/usr/bin/env python3
"""Writes a small learnable CIFAR-10 binary set (data_batch_1..5.bin, test_batch.bin) into DIR.

For CI runs on machines without the shared CIFAR-10 copy: each class is a fixed random image, and an
example is its class's image plus noise, so a short run learns something. Usage: make_cifar_fixture.py DIR [N]
"""
import os
import random
import sys

directory = sys.argv[1]
per_batch = int(sys.argv[2]) if len(sys.argv) > 2 else 500
os.makedirs(directory, exist_ok=True)
rng = random.Random(7)
centres = [bytes(rng.randrange(256) for _ in range(3072)) for _ in range(10)]
for name in [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]:
    with open(os.path.join(directory, name), "wb") as out:
        for index in range(per_batch):
            label = index % 10
            noisy = bytes(min(255, max(0, c + rng.randrange(-60, 61))) for c in centres[label])
            out.write(bytes([label]) + noisy)
print(directory)
