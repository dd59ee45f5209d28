#!/usr/bin/env python3
"""Writes a realistic dependency set: COUNT jar files totalling about BYTES.

Sizes are spread as in a real classpath, many small jars and a few large ones (log-normal, fixed
seed, so every run stages the same set). Each jar is a real zip holding random bytes, which no
compressor can shrink, as with the compressed class files in a real jar.

usage: make_jars.py DIR COUNT BYTES
"""
import os
import random
import sys
import zipfile


def main(directory: str, count: int, total: int) -> None:
    rng = random.Random(20261128)
    weights = [rng.lognormvariate(0, 1.2) for _ in range(count)]
    scale = total / sum(weights)
    os.makedirs(directory, exist_ok=True)
    for index, weight in enumerate(weights):
        size = max(1024, int(weight * scale))
        with zipfile.ZipFile(os.path.join(directory, f"dependency-{index:03d}.jar"), "w", zipfile.ZIP_STORED) as jar:
            jar.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
            jar.writestr(f"org/example/dep{index}/classes.bin", os.urandom(size))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
