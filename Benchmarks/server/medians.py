#!/usr/bin/env python3
"""Medians of paired wrk runs. Reads FILE, one run a line: the side's name, then the summary
line of summary.lua ("... N req/s, p50 X ms, p99 Y ms"). Prints each side's medians, then for
each A/B given the ratio of A's median req/s to B's and the ratio round by round.
Usage: medians.py FILE A/B [A/B ...]"""
import re, statistics, sys

runs = {}
for line in open(sys.argv[1]):
    side = line.split()[0]
    m = re.search(r"([\d.]+) req/s, p50 ([\d.]+) ms, p99 ([\d.]+) ms", line)
    runs.setdefault(side, []).append(tuple(float(x) for x in m.groups()))
med = {side: [statistics.median(v[i] for v in values) for i in range(3)] for side, values in runs.items()}
for side, (rps, p50, p99) in med.items():
    print(f"median {side}: {rps:.0f} req/s, p50 {p50:.2f} ms, p99 {p99:.2f} ms")
for pair in sys.argv[2:]:
    a, b = pair.split("/")
    rounds = ", ".join(f"{x[0] / y[0]:.3f}" for x, y in zip(runs[a], runs[b]))
    print(f"{a} / {b}: {med[a][0] / med[b][0]:.3f}x req/s (by round: {rounds})")
