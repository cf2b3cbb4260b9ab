#!/usr/bin/env python3
"""Runs one command RUNS times and prints "<median wall ms> <peak RSS KiB> <runs>".

    scripts/bench-run.py RUNS SLOW_RUNS TIMEOUT_S CMD...

Wall time is taken around posix_spawn/wait with a monotonic nanosecond clock, and peak memory
from the kernel's rusage for that child (wait4), so neither adds a process of its own to what
is measured (a `date` and `/usr/bin/time` wrapper per run add several ms, which would count
against the fastest tool only). When the first run takes over 10 s only SLOW_RUNS runs are made
(the slow peers' medians barely move). A run over TIMEOUT_S is killed: "timeout - N".
Output of the command is discarded; its exit status is ignored (linters exit 1 on findings).
Every file named on the command line is read once before timing, so all tools start warm.
"""
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time


def run_once(cmd, timeout):
    # posix_spawn (vfork-like) rather than fork: copying this interpreter's page tables would
    # add a millisecond to every run.
    devnull = os.open(os.devnull, os.O_WRONLY)
    actions = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
    exe = shutil.which(cmd[0]) or cmd[0]
    t0 = time.perf_counter_ns()
    pid = os.posix_spawn(exe, cmd, os.environ, file_actions=actions)
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
    # The files are read once untimed (the page cache on these machines drops pages by itself,
    # and a cold read would count against whichever tool runs first).
    for a in cmd[1:]:
        if os.path.isfile(a):
            with open(a, "rb") as f:
                f.read()
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
    peak = max(mems)
    # A spawned child's peak includes this interpreter's pages from before exec, so a reading
    # at or below our own size may be ours: measure that once more under /usr/bin/time, whose
    # own footprint is a few hundred KiB.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if peak <= own * 1.2 and os.path.exists("/usr/bin/time"):
        with tempfile.NamedTemporaryFile("r") as out:
            subprocess.run(
                ["/usr/bin/time", "-f", "%M", "-o", out.name, *cmd],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=timeout,
            )
            peak = int(out.read().split()[-1])
    print(f"{statistics.median(walls):.1f} {peak} {len(walls)}")


main()
