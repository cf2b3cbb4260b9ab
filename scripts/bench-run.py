#!/usr/bin/env python3
"""Runs one command RUNS times and prints "<median wall ms> <peak RSS KiB> <runs>".

    scripts/bench-run.py RUNS SLOW_RUNS TIMEOUT_S CMD...

Wall time is taken around fork/exec/wait with a monotonic nanosecond clock, and peak memory
from the kernel's rusage for that child (wait4), so neither adds a process of its own to what
is measured (a `date` and `/usr/bin/time` wrapper per run add several ms, which would count
against the fastest tool only). When the first run takes over 10 s only SLOW_RUNS runs are made
(the slow peers' medians barely move). A run over TIMEOUT_S is killed: "timeout - N".
Output of the command is discarded; its exit status is ignored (linters exit 1 on findings).
"""
import os
import signal
import statistics
import sys
import threading
import time


def run_once(cmd, timeout):
    devnull = os.open(os.devnull, os.O_WRONLY)
    t0 = time.perf_counter_ns()
    pid = os.fork()
    if pid == 0:
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    os.close(devnull)
    killed = []

    def kill():
        killed.append(True)
        os.kill(pid, signal.SIGKILL)

    timer = threading.Timer(timeout, kill)
    timer.start()
    _, _, rusage = os.wait4(pid, 0)
    wall = (time.perf_counter_ns() - t0) / 1e6
    timer.cancel()
    return (None, None) if killed else (wall, rusage.ru_maxrss)


def main():
    runs, slow_runs, timeout = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    cmd = sys.argv[4:]
    walls, mems = [], []
    want = runs
    while len(walls) < want:
        wall, mem = run_once(cmd, timeout)
        if wall is None:
            print(f"timeout - {len(walls)}")
            return
        walls.append(wall)
        mems.append(mem)
        if len(walls) == 1 and wall > 10_000:
            want = max(1, slow_runs)
    print(f"{statistics.median(walls):.1f} {max(mems)} {len(walls)}")


main()
