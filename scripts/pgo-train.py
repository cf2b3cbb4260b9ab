#!/usr/bin/env python3
"""Writes the training inputs for the profile-guided release build into a folder.

    scripts/pgo-train.py OUT_DIR

scripts/pgo-profile.sh runs an instrumented sfn-lint over these to make the profile of the
release build (docs/benchmarks.md, "Speed devices"). They come from this repository only, so that the released binary can be built anywhere the same way:

- every JSON and YAML example of the rule pages (rules/**/*.md), valid and invalid: each rule's
  own code path, and the error paths;
- the bundled example (examples/);
- definitions generated here, with a fixed seed: every state type, Retry/Catch, Choice rules,
  inline and distributed Maps, Parallel branches, JSONPath and JSONata, intrinsic functions,
  variables, and a CloudFormation template around one. None is a copy of a benchmark input.
"""
import json
import pathlib
import random
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^```(json|yaml)[^\n]*\n(.*?)^```", re.S | re.M)

RESOURCES = [
    "arn:aws:lambda:us-east-1:123456789012:function:{name}",
    "arn:aws:states:::lambda:invoke",
    "arn:aws:states:::dynamodb:putItem",
    "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "arn:aws:states:::sns:publish",
    "arn:aws:states:::aws-sdk:s3:getObject",
    "arn:aws:states:::states:startExecution.sync:2",
    "arn:aws:states:::ecs:runTask.sync",
]
ERRORS = ["States.TaskFailed", "States.Timeout", "Lambda.ServiceException",
          "Lambda.TooManyRequestsException", "States.ALL", "Custom.Error"]


def task(rng, name, jsonata):
    resource = rng.choice(RESOURCES).format(name=name)
    s = {"Type": "Task", "Resource": resource}
    if jsonata:
        s["Arguments"] = {"id": "{% $states.input.id %}", "when": "{% $now() %}",
                          "count": "{% $count($states.input.items) %}"}
        s["Output"] = "{% $states.result.Payload %}"
        s["Assign"] = {"last" + name: "{% $states.result %}"}
    else:
        s["Parameters"] = {"FunctionName": name, "Payload.$": "$",
                           "Id.$": "States.Format('item-{}', $.id)",
                           "Parts.$": "States.Array($.a, $.b)"}
        if resource.endswith(".waitForTaskToken"):
            s["Parameters"]["Token.$"] = "$$.Task.Token"
        s["ResultPath"] = "$.results." + name
        s["ResultSelector"] = {"body.$": "$.Payload.body"}
    if rng.random() < 0.7:
        s["Retry"] = [{"ErrorEquals": rng.sample(ERRORS[:4], 2), "IntervalSeconds": rng.randint(1, 5),
                       "MaxAttempts": rng.randint(0, 6), "BackoffRate": 2.0}]
    if rng.random() < 0.5:
        s["TimeoutSeconds"] = rng.choice([30, 300, 3600])
        s["HeartbeatSeconds"] = rng.choice([10, 20])
    return s


def scope(rng, prefix, n, depth, jsonata):
    """A list of states ending in Succeed, with loops, branches and nested scopes."""
    names = [f"{prefix}S{i}" for i in range(n)] + [f"{prefix}Done", f"{prefix}Failed"]
    states = {}
    for i in range(n):
        name, nxt = names[i], names[i + 1]
        kind = rng.choices(["task", "choice", "wait", "pass", "map", "parallel"],
                           [6, 2, 1, 1, 1 if depth < 2 else 0, 1 if depth < 2 else 0])[0]
        if kind == "task":
            s = task(rng, name, jsonata)
            if rng.random() < 0.4:
                s["Catch"] = [{"ErrorEquals": ["States.ALL"], "Next": names[-1]}]
                if not jsonata:
                    s["Catch"][0]["ResultPath"] = "$.error"
        elif kind == "choice":
            back = names[max(0, i - rng.randint(1, 3))]
            if jsonata:
                rules = [{"Condition": "{% $states.input.status = 'DONE' %}", "Next": nxt},
                         {"Condition": "{% $states.input.tries > 3 %}", "Next": names[-1]}]
            else:
                rules = [{"Variable": "$.status", "StringEquals": "DONE", "Next": nxt},
                         {"And": [{"Variable": "$.tries", "NumericGreaterThan": 3},
                                  {"Variable": "$.ok", "BooleanEquals": False}],
                          "Next": names[-1]},
                         {"Variable": "$.when", "TimestampLessThanPath": "$.deadline", "Next": back}]
            s = {"Type": "Choice", "Choices": rules}
            if rng.random() < 0.8:
                s["Default"] = back
        elif kind == "wait":
            s = {"Type": "Wait", "Seconds": rng.randint(1, 600)}
            if rng.random() < 0.4:
                s = {"Type": "Wait", "Seconds": "{% $states.input.delay %}"} if jsonata else \
                    {"Type": "Wait", "SecondsPath": "$.delay"}
        elif kind == "pass":
            s = {"Type": "Pass", "Result": {"n": i, "tags": ["a", "b"]}, "ResultPath": "$.pass"}
            if jsonata:
                s = {"Type": "Pass", "Output": {"n": i}, "Assign": {"counter": "{% $counter + 1 %}"}}
        elif kind == "map":
            inner = scope(rng, name + "M", rng.randint(2, 5), depth + 1, jsonata)
            proc = {"ProcessorConfig": {"Mode": "INLINE"}, **inner}
            if rng.random() < 0.4:
                proc["ProcessorConfig"] = {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}
            s = {"Type": "Map", "ItemProcessor": proc, "MaxConcurrency": rng.choice([0, 5, 40])}
            s["Items" if jsonata else "ItemsPath"] = "{% $states.input.items %}" if jsonata else "$.items"
        else:
            branches = [scope(rng, f"{name}B{b}", rng.randint(2, 4), depth + 1, jsonata)
                        for b in range(rng.randint(2, 3))]
            s = {"Type": "Parallel", "Branches": branches}
        s.setdefault("Comment", f"step {i} of {prefix or 'main'}")
        if kind != "choice":
            s["Next"] = nxt
        states[name] = s
    states[names[-2]] = {"Type": "Succeed"}
    if f'"{names[-1]}"' in json.dumps(states):
        states[names[-1]] = {"Type": "Fail", "Error": "Custom.Error", "Cause": "see the logs"}
    return {"StartAt": names[0], "States": states}


def definition(rng, n):
    jsonata = rng.random() < 0.3
    d = scope(rng, "", n, 0, jsonata)
    if jsonata:
        d["QueryLanguage"] = "JSONata"
    d["Comment"] = f"generated for training, {n} states"
    if rng.random() < 0.3:
        d["TimeoutSeconds"] = 3600
    return d


def main():
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for page in sorted((ROOT / "rules").rglob("*.md")):
        for k, m in enumerate(FENCE.finditer(page.read_text(encoding="utf-8"))):
            ext = "json" if m.group(1) == "json" else "yaml"
            (out / f"rule-{page.stem}-{k}.{ext}").write_text(m.group(2), encoding="utf-8")
            count += 1
    for f in sorted((ROOT / "examples").glob("*.asl.*")):
        (out / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
        count += 1
    rng = random.Random(20261206)
    for i in range(160):
        d = definition(rng, rng.choice([8, 15, 25, 40, 60]))
        (out / f"gen-{i:03}.asl.json").write_text(json.dumps(d, indent=2), encoding="utf-8")
        count += 1
    template = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
        "Machine": {"Type": "AWS::StepFunctions::StateMachine",
                    "Properties": {"Definition": definition(rng, 20),
                                   "DefinitionSubstitutions": {"Table": "orders"}}}}}
    (out / "template.json").write_text(json.dumps(template, indent=2), encoding="utf-8")
    print(count + 1)


if __name__ == "__main__":
    main()
