#!/usr/bin/env python3
"""Writes one generated definition of N states to stdout, for the speed and scaling
benchmarks: groups of Task (with Retry, Catch, intrinsic call) → Choice → Pass, ending in
Succeed/Fail, like benches/lint.rs's generator. Every state is reachable and the file is
clean, so the linter does its full work on it.

    scripts/gen-chain.py N > big.asl.json
    scripts/gen-chain.py --light N      compact JSON and smaller Tasks (no Parameters or
                                        selectors), so that 100,000 states fit in the 16 MiB
                                        file limit; used for the scaling table
"""
import json
import sys

args = [a for a in sys.argv[1:] if a != "--light"]
light = "--light" in sys.argv
n = int(args[0]) if args else 10_000
groups = max(n - 2, 3) // 3
extra = max(n - 2 - 3 * groups, 0)  # Pass states before Done, so the count is exactly N
states = {}
for i in range(groups):
    nxt = ("Extra0" if extra else "Done") if i + 1 == groups else f"Task{i + 1}"
    states[f"Task{i}"] = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": f"fn{i}", "Payload.$": "$", "Id.$": "States.Format('item {}', $.id)"},
        "ResultSelector": {"body.$": "$.Payload"},
        "ResultPath": f"$.r{i}",
        "TimeoutSeconds": 60,
        "Retry": [{"ErrorEquals": ["Lambda.ServiceException", "Lambda.TooManyRequestsException"],
                   "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2.0}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed"}],
        "Next": f"Check{i}",
    }
    if light:
        states[f"Task{i}"] = {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Retry": [{"ErrorEquals": ["Lambda.ServiceException"], "MaxAttempts": 3}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}],
            "Next": f"Check{i}",
        }
    states[f"Check{i}"] = {
        "Type": "Choice",
        "Choices": [{"Variable": f"$.r{i}.body.ok", "BooleanEquals": True, "Next": f"Pass{i}"}],
        "Default": "Failed",
    }
    states[f"Pass{i}"] = {"Type": "Pass", "Result": {"step": i}, "ResultPath": f"$.p{i}", "Next": nxt}
for k in range(extra):
    states[f"Extra{k}"] = {"Type": "Pass", "Next": "Done" if k + 1 == extra else f"Extra{k + 1}"}
states["Done"] = {"Type": "Succeed"}
states["Failed"] = {"Type": "Fail", "Error": "Failed"}
json.dump({"StartAt": "Task0", "States": states}, sys.stdout,
          indent=None if light else 2, separators=(",", ":") if light else None)
print()
