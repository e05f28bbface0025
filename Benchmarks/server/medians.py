#!/usr/bin/env python3
"""Medians of paired wrk runs. Reads FILE, one run a line: the side's name, then the summary
line of summary.lua ("requests N, ... R req/s, p50 X ms, p99 Y ms"), optionally followed by
"cpu T ticks" (the server's user + system time over the run, bench.sh's "server cpu" line).
Prints each side's medians (with the server's CPU per request when given), then for each A/B
the ratio of A's median req/s to B's, round by round too.
Usage: medians.py FILE A/B [A/B ...]"""
import os, re, statistics, sys

tick_us = 1e6 / os.sysconf("SC_CLK_TCK")
runs, cpu = {}, {}
for line in open(sys.argv[1]):
    side = line.split()[0]
    m = re.search(r"([\d.]+) req/s, p50 ([\d.]+) ms, p99 ([\d.]+) ms", line)
    runs.setdefault(side, []).append(tuple(float(x) for x in m.groups()))
    ticks, requests = re.search(r"cpu (\d+) ticks", line), re.search(r"requests (\d+)", line)
    if ticks and requests:
        cpu.setdefault(side, []).append(int(ticks.group(1)) * tick_us / int(requests.group(1)))
med = {side: [statistics.median(v[i] for v in values) for i in range(3)] for side, values in runs.items()}
for side, (rps, p50, p99) in med.items():
    extra = f", server CPU {statistics.median(cpu[side]):.0f} µs a request" if side in cpu else ""
    print(f"median {side}: {rps:.0f} req/s, p50 {p50:.2f} ms, p99 {p99:.2f} ms{extra}")
for pair in sys.argv[2:]:
    a, b = pair.split("/")
    rounds = ", ".join(f"{x[0] / y[0]:.3f}" for x, y in zip(runs[a], runs[b]))
    print(f"{a} / {b}: {med[a][0] / med[b][0]:.3f}x req/s (by round: {rounds})")
    if a in cpu and b in cpu:
        rounds = ", ".join(f"{x / y:.3f}" for x, y in zip(cpu[a], cpu[b]))
        print(f"{a} / {b}: {statistics.median(cpu[a]) / statistics.median(cpu[b]):.3f}x server CPU a request (by round: {rounds})")
