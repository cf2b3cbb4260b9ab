#!/usr/bin/env python3
"""Growth of `sfn-lint check` and `sfn-lint cost` with the size of one input, per shape.

For each family of definitions below, generates an input at size n and at 10n (both within
AWS's 1 MB definition limit unless noted), runs each command as a whole process, and prints
the wall time, the peak memory (max RSS) and the growth factors from n to 10n. Linear work
grows about 10x; the budget is 12x for time, and memory a small multiple of the input.

    scripts/bench-scaling.py [--bin target/release/sfn-lint] [--runs 3] [--only NAME] [--scale F]

Exits 1 when a family's time grows more than 12x, a run takes longer than its budget
(250 ms to check, 2 s to cost, for inputs within 1 MB), uses more than 300 MB, reports
SFN009 (an analysis gave up), or ends other than with exit 0, 1 or 2.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

CHECK_BUDGET_S = 0.25
COST_BUDGET_S = 2.0
MEMORY_BUDGET_MB = 300
GROWTH_BUDGET = 12.0


def task(name, nxt=None, **extra):
    s = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
         "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:f", "Payload.$": "$"},
         "Retry": [{"ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException",
                                    "Lambda.SdkClientException", "Lambda.TooManyRequestsException"]}]}
    s.update(extra)
    if nxt:
        s["Next"] = nxt
    else:
        s["End"] = True
    return s


def chain(n, make):
    states = {}
    for i in range(n):
        states[f"S{i}"] = make(i, f"S{i + 1}" if i + 1 < n else None)
    return {"StartAt": "S0", "States": states}


def result_path_chain(n):
    return chain(n, lambda i, nxt: task(f"S{i}", nxt, ResultPath=f"$.r{i}"))


def result_path_loop(n):
    """The chain above closed into a loop by a Choice: every state's payload holds every field."""
    d = chain(n, lambda i, nxt: task(f"S{i}", nxt or "C", ResultPath=f"$.r{i}"))
    d["States"]["C"] = {"Type": "Choice", "Choices": [{"Variable": "$.done", "BooleanEquals": True, "Next": "E"}],
                        "Default": "S0"}
    d["States"]["E"] = {"Type": "Succeed"}
    return d


def choice(n, duplicate):
    rules = []
    for i in range(n):
        v = 0 if duplicate else i
        rules.append({"Variable": "$.x", "NumericEquals": v, "Next": "Done"})
    return {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": rules, "Default": "Done"},
                                        "Done": {"Type": "Succeed"}}}


def parallel(n):
    branches = [{"StartAt": f"B{i}", "States": {f"B{i}": {"Type": "Pass", "End": True}}} for i in range(n)]
    return {"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": branches, "End": True}}}


def nested_maps(n):
    inner = {"StartAt": "Leaf", "States": {"Leaf": {"Type": "Pass", "End": True}}}
    for i in range(n):
        inner = {"StartAt": f"M{i}", "States": {f"M{i}": {"Type": "Map", "ItemProcessor": inner, "End": True}}}
    return inner


def variables(n):
    def make(i, nxt):
        s = {"Type": "Pass", "Assign": {f"v{i}": f"{{% $v{i - 1} + 1 %}}" if i else 0}}
        s.update({"Next": nxt} if nxt else {"End": True, "Output": f"{{% $v{i} %}}"})
        return s
    d = chain(n, make)
    d["QueryLanguage"] = "JSONata"
    return d


def handlers(n):
    catchers = [{"ErrorEquals": [f"E{i}"], "Next": "Done"} for i in range(n)]
    retriers = [{"ErrorEquals": [f"R{i}"], "MaxAttempts": 1} for i in range(n)]
    t = task("T", "Done")
    t["Retry"] = retriers + t["Retry"]
    t["Catch"] = catchers
    return {"StartAt": "T", "States": {"T": t, "Done": {"Type": "Succeed"}}}


def intrinsic_args(n):
    fmt = "States.Format('" + "{}" * n + "', " + ", ".join(f"$.a{i}" for i in range(n)) + ")"
    arr = "States.Array(" + ", ".join(f"$.a{i}" for i in range(n)) + ")"
    return {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"f.$": fmt, "a.$": arr}, "End": True}}}


def long_filter(n):
    cond = " && ".join(f"@.f{i} > {i}" for i in range(n))
    return {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"x.$": f"$.items[?({cond})]"}, "End": True}}}


def sam_template(n):
    lines = ["Transform: AWS::Serverless-2016-10-31", "Resources:"]
    for i in range(n):
        lines += [f"  Flow{i}:", "    Type: AWS::Serverless::StateMachine", "    Properties:",
                  "      Definition:", "        StartAt: A", "        States:",
                  "          A:", "            Type: Pass", "            End: true"]
    return "\n".join(lines) + "\n"


def yaml_anchors(n):
    lines = ["StartAt: S0", "States:"]
    lines += ["  S0: &base", "    Type: Pass", "    Comment: shared", "    Next: S1"]
    for i in range(1, n):
        nxt = f"S{i + 1}" if i + 1 < n else None
        lines += [f"  S{i}:", "    <<: *base"]
        lines += [f"    Next: {nxt}"] if nxt else ["    Next: null", "    End: true"]
    return "\n".join(lines) + "\n"


def referenced_file(n):
    """A definition file referenced by n templates (the file is the size unit)."""
    return n


FAMILIES = [
    # name, generator(n) -> JSON object or text, extension, n
    ("resultpath-chain", result_path_chain, ".asl.json", 200),
    ("resultpath-loop", result_path_loop, ".asl.json", 200),
    ("choice-distinct", lambda n: choice(n, False), ".asl.json", 1100),
    ("choice-duplicate", lambda n: choice(n, True), ".asl.json", 1100),
    ("parallel-branches", parallel, ".asl.json", 750),
    ("nested-maps", nested_maps, ".asl.json", 10),
    ("variables-chain", variables, ".asl.json", 800),
    ("catchers-retriers", handlers, ".asl.json", 600),
    ("intrinsic-args", intrinsic_args, ".asl.json", 1000),
    ("long-filter", long_filter, ".asl.json", 1000),
    ("sam-machines", sam_template, ".yaml", 250),
    ("yaml-anchors", yaml_anchors, ".asl.yaml", 1000),
    ("referenced-file", referenced_file, "", 50),
]


def write(dirname, name, ext, content):
    path = os.path.join(dirname, name + ext)
    with open(path, "w") as f:
        f.write(content if isinstance(content, str) else json.dumps(content, indent=1))
    return path


def materialize(dirname, family, gen, ext, n):
    """The paths to pass to sfn-lint for one size (a folder for the referenced-file family)."""
    if family == "referenced-file":
        root = os.path.join(dirname, f"{family}-{n}")
        os.makedirs(os.path.join(root, ".git"), exist_ok=True)
        write(root, "flow", ".asl.json", result_path_chain(200))
        for i in range(n):
            write(root, f"template{i}", ".yaml",
                  f"Resources:\n  F:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: flow.asl.json\n")
        return [root], os.path.getsize(os.path.join(root, "flow.asl.json")) * 1
    path = write(dirname, f"{family}-{n}", ext, gen(n))
    return [path], os.path.getsize(path)


def run(cmd):
    """Wall time, exit code and output of one process."""
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return time.perf_counter() - t0, p.returncode, p.stdout


def measure(cmd, runs):
    """Median wall time and the peak RSS of one run, via /usr/bin/time when present."""
    times, code, out = [], 0, b""
    for _ in range(runs):
        wall, code, out = run(cmd)
        times.append(wall)
    times.sort()
    rss = None
    if os.path.exists("/usr/bin/time"):
        p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            rss = int(p.stderr.decode().strip().splitlines()[-1]) / 1024
        except (ValueError, IndexError):
            rss = None
    return times[len(times) // 2], rss, code, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/sfn-lint")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", default=None)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every family's n")
    args = ap.parse_args()
    failures = []
    print(f"{'family':<20} {'cmd':<5} {'n':>7} {'bytes':>9} {'time':>9} {'MB':>7}   {'10n':>7} {'bytes':>9} {'time':>9} {'MB':>7}   {'x time':>6} {'x MB':>5}")
    with tempfile.TemporaryDirectory() as d:
        for family, gen, ext, n in FAMILIES:
            if args.only and args.only not in family:
                continue
            n = max(1, int(n * args.scale))
            sizes = []
            for size in (n, 10 * n):
                paths, nbytes = materialize(d, family, gen, ext, size)
                sizes.append((size, paths, nbytes))
            for cmd_name in ("check", "cost"):
                if cmd_name == "cost" and family in ("sam-machines", "referenced-file"):
                    continue
                row = []
                for size, paths, nbytes in sizes:
                    cmd = [args.bin, cmd_name] + (["--format", "json"] if cmd_name == "check" else []) + paths
                    wall, rss, code, out = measure(cmd, args.runs)
                    row.append((size, nbytes, wall, rss))
                    budget = CHECK_BUDGET_S if cmd_name == "check" else COST_BUDGET_S
                    if code not in (0, 1, 2):
                        failures.append(f"{family} {cmd_name} n={size}: exit {code}")
                    if nbytes <= 1_000_000 and wall > budget:
                        failures.append(f"{family} {cmd_name} n={size}: {wall * 1000:.0f} ms, over the {budget * 1000:.0f} ms budget")
                    if rss is not None and rss > MEMORY_BUDGET_MB:
                        failures.append(f"{family} {cmd_name} n={size}: {rss:.0f} MB")
                    if b"SFN009" in out:
                        failures.append(f"{family} {cmd_name} n={size}: an analysis gave up (SFN009)")
                (n1, b1, t1, m1), (n2, b2, t2, m2) = row
                growth = t2 / t1 if t1 > 0 else float("inf")
                mgrowth = (m2 / m1) if (m1 and m2) else float("nan")
                fmt = lambda m: f"{m:7.1f}" if m is not None else "      ?"
                print(f"{family:<20} {cmd_name:<5} {n1:>7} {b1:>9} {t1 * 1000:>7.1f}ms {fmt(m1)}   {n2:>7} {b2:>9} {t2 * 1000:>7.1f}ms {fmt(m2)}   {growth:>6.1f} {mgrowth:>5.1f}")
                # Growth is judged where the larger run is long enough to measure.
                if growth > GROWTH_BUDGET and t2 > 0.02:
                    failures.append(f"{family} {cmd_name}: time grows {growth:.1f}x from n to 10n")
    if failures:
        print("\nover budget:")
        for f in failures:
            print("  " + f)
        return 1
    print("\nall families within budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
