#!/usr/bin/env python3
"""Prints the median time of every benchmark of `cargo bench -p cors-policy-benches`.

Reads criterion's `<dir>/<group>/<bench>/new/estimates.json`. `<dir>` defaults to
`$CARGO_TARGET_DIR/criterion` (or `target/criterion`). Given several directories (copies of
`criterion/` saved after successive runs), it prints for each benchmark the lowest of the runs'
medians, which is the least disturbed by other processes on a shared machine, and the spread
(highest median / lowest).

Usage: python3 benches/summarize.py [--dir DIR]... [GROUP]...
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


def medians(root, group):
    out = {}
    for estimates in sorted((root / group).glob("**/new/estimates.json")):
        bench = json.loads((estimates.parent / "benchmark.json").read_text())
        median = json.loads(estimates.read_text())["median"]["point_estimate"]
        elements = (bench.get("throughput") or {}).get("Elements")
        out[bench["full_id"]] = (median, elements)
    return out


def main():
    args = sys.argv[1:]
    dirs, groups = [], []
    while args:
        arg = args.pop(0)
        if arg == "--dir":
            dirs.append(Path(args.pop(0)))
        else:
            groups.append(arg)
    if not dirs:
        dirs = [Path(os.environ.get("CARGO_TARGET_DIR", "target")) / "criterion"]
    for group in groups or GROUPS:
        runs = [medians(d, group) for d in dirs]
        print(f"## {group}")
        for full_id in sorted(set().union(*runs)):
            values = [r[full_id][0] for r in runs if full_id in r]
            best = min(values)
            elements = next(r[full_id][1] for r in runs if full_id in r)
            per = f"  ({fmt(best / elements)} per element)" if elements else ""
            spread = f"  spread {max(values) / best:.2f}x over {len(values)} runs" if len(values) > 1 else ""
            print(f"{full_id:45} {fmt(best):>10}{per}{spread}")
        print()


if __name__ == "__main__":
    main()
