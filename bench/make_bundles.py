#!/usr/bin/env python3
"""Fills a staging server's data directory with N copies of one bundle the server stored itself.

Uploading 100,000 bundles over HTTP would take most of the benchmark's time budget, one fsync
after another; the growth scenario measures what the server does with a full store, not how it
got full. Each copy gets a fresh id in its directory name and metadata, and a copy of the
template's content (a small bundle: hard links would run into the file system's link limit).

usage: make_bundles.py DATA_DIR TEMPLATE_ID COUNT
"""
import json
import os
import secrets
import sys


def main(data_dir: str, template_id: str, count: int) -> None:
    bundles = os.path.join(data_dir, "bundles")
    template = os.path.join(bundles, template_id)
    with open(os.path.join(template, "bundle.json"), "rb") as f:
        metadata = json.load(f)
    with open(os.path.join(template, "content"), "rb") as f:
        content = f.read()
    for _ in range(count):
        bundle_id = secrets.token_hex(16)
        target = os.path.join(bundles, bundle_id)
        os.mkdir(target)
        with open(os.path.join(target, "content"), "wb") as f:
            f.write(content)
        metadata["id"] = bundle_id
        with open(os.path.join(target, "bundle.json"), "w") as f:
            json.dump(metadata, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
