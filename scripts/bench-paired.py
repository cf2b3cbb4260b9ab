#!/usr/bin/env python3
"""Paired whole-process runs of two sfn-lint binaries, to tell whether a change (a speed
device, a refactor) pays: A and B alternate, run after run, on the same inputs, so drift in
the machine's speed hits both alike.

    scripts/bench-paired.py OLD_BINARY NEW_BINARY [ROUNDS]

Workloads: the batch (500 files of 30 states, ../shared/peers/bench/gen_medium.py, as
`check <folder>`), one small file (examples/order-processing.asl.json) and one file of
10,000 states (scripts/gen-chain.py). For each: both medians and the median of the per-round
ratios NEW/OLD with its interquartile range. A ratio below 0.95 (5% faster) is what a speed
device must show on one workload to stay. CHECK_ARGS adds arguments to every `check`
(`CHECK_ARGS="--format json"` measures the JSON writer).
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    old, new = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 41
    work = tempfile.mkdtemp()
    gen = os.path.join(here, "..", "shared", "peers", "bench", "gen_medium.py")
    if not os.path.exists(gen):
        sys.exit("needs ../shared/peers/bench/gen_medium.py (the shared folder beside the checkout)")
    batch = os.path.join(work, "batch")
    subprocess.run([sys.executable, gen, batch, "500"], check=True, stdout=subprocess.DEVNULL)
    big = os.path.join(work, "big.asl.json")
    with open(big, "w") as f:
        subprocess.run([sys.executable, os.path.join(here, "scripts", "gen-chain.py"), "10000"], check=True, stdout=f)
    small = os.path.join(here, "examples", "order-processing.asl.json")
    check = ["check"] + os.environ.get("CHECK_ARGS", "").split()
    workloads = [
        ("batch (500 files)", check + [batch], rounds),
        ("one small file", check + [small], rounds * 3),
        ("10,000 states", check + [big], rounds),
    ]
    print(f"| workload | A median (ms) | B median (ms) | B/A (median of {rounds}+ paired rounds) | IQR of B/A |")
    print("|---|---:|---:|---:|---:|")
    for name, args, n in workloads:
        for _ in range(3):  # warm the page cache and both binaries
            run([old] + args)
            run([new] + args)
        a, b, ratios = [], [], []
        for i in range(n):
            # Alternate which goes first, so neither always runs on a warmer machine.
            if i % 2:
                tb, ta = run([new] + args), run([old] + args)
            else:
                ta, tb = run([old] + args), run([new] + args)
            a.append(ta)
            b.append(tb)
            ratios.append(tb / ta)
        q = statistics.quantiles(ratios, n=4)
        print(
            f"| {name} | {statistics.median(a):.2f} | {statistics.median(b):.2f} | "
            f"{statistics.median(ratios):.3f} | {q[0]:.3f} to {q[2]:.3f} |"
        )


if __name__ == "__main__":
    main()
