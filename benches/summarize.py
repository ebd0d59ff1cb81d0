#!/usr/bin/env python3
"""Prints the median of every benchmark of the last `cargo bench -p cors-policy-benches` run.

Reads criterion's `<target>/criterion/<group>/<bench>/new/estimates.json`, where `<target>` is
`$CARGO_TARGET_DIR` or `target`. Usage: `python3 benches/summarize.py [group ...]`.
"""

import json
import os
import sys
from pathlib import Path

GROUPS = ["layer", "layer-parts", "origins", "lookup", "hash", "patterns", "hostile"]


def fmt(ns):
    if ns >= 1000:
        return f"{ns / 1000:.2f} µs"
    return f"{ns:.1f} ns"


def main():
    root = Path(os.environ.get("CARGO_TARGET_DIR", "target")) / "criterion"
    for group in sys.argv[1:] or GROUPS:
        rows = []
        for estimates in sorted((root / group).glob("**/new/estimates.json")):
            bench = json.loads((estimates.parent / "benchmark.json").read_text())
            median = json.loads(estimates.read_text())["median"]
            per = ""
            throughput = bench.get("throughput") or {}
            if "Elements" in throughput:
                per = f"  ({fmt(median['point_estimate'] / throughput['Elements'])} per element)"
            rows.append((bench["full_id"], median["point_estimate"], median["confidence_interval"], per))
        print(f"## {group}")
        for full_id, point, ci, per in rows:
            print(f"{full_id:45} {fmt(point):>12}  [{fmt(ci['lower_bound'])} .. {fmt(ci['upper_bound'])}]{per}")
        print()


if __name__ == "__main__":
    main()
