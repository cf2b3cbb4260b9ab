#!/usr/bin/env python3
"""Generates data/aws-sdk-catalog.txt, the AWS SDK integrations sfn-lint knows, from the AWS
service models that botocore ships (one pinned version, downloaded from PyPI).

    python3 scripts/gen-sdk-catalog.py                 # rewrite data/aws-sdk-catalog.txt
    python3 scripts/gen-sdk-catalog.py --check         # exit 1 if the file differs
    python3 scripts/gen-sdk-catalog.py --botocore DIR  # an unpacked botocore, no download

For each service: the name Step Functions spells it with (`arn:aws:states:::aws-sdk:NAME:…`:
the model's serviceId in lower case without spaces or dashes), the IAM service prefix (the
model's signing name, with the exceptions below) and every operation: its name as Step
Functions spells it (camelCase) is derived from the PascalCase name kept here; its input
members (PascalCase, as Step Functions takes them; `!` after a required one; a type code) and
its output members.

File format (one record a line, fields separated by a tab):
    #  comment
    S  sfn-name  iam-prefix  model-name  model-version  aliases
    O  OperationName  Member:t[!][@Structure],…  Output,…  [E]
    T  Structure  Member:t[!][@Structure],…
    R  sfn-name   (a retired service: in botocore OLD_BOTOCORE_VERSION, not in the current one)
Aliases are other spellings the name could take (the model's folder name and endpoint prefix
without dashes): Step Functions names a few services that way (`config` for AWS Config).
`@Structure` names the structure a member's value is, or holds through a list or a map (a `T`
line of the same service, which lists the structures its operations' inputs reach).
`E` marks an operation whose input or output is an event stream: AWS's SDK integrations page
says the SDKs for streaming are not available to workflows, and a Task's JSON cannot carry one.
Type codes: s string, i integer or long, f float or double, b boolean, t timestamp, B blob,
o structure, l list, m map, ? anything else.
"""

import argparse
import glob
import gzip
import io
import json
import os
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pypi_data import download, finish  # noqa: E402

BOTOCORE_VERSION = "1.44.18"
# An older botocore: its services that the current one lacks are listed as retired (AWS
# discontinued them; workflows deployed when they ran still call them).
OLD_BOTOCORE_VERSION = "1.31.0"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "data", "aws-sdk-catalog.txt")

# IAM service prefixes that differ from the model's signing name (AWS's Service Authorization
# Reference, "Actions, resources, and condition keys for AWS services").
IAM_PREFIX = {
    "monitoring": "cloudwatch",
    "email": "ses",
    "tagging": "tag",
    "iotdata": "iot",
    "iot-data": "iot",
    "awsssooidc": "sso-oauth",
    "execute-api": "execute-api",
    "cloudcontrolapi": "cloudformation",
    "iot-jobs-data": "iotjobsdata",
    "IoTSecuredTunneling": "iot",
    "mturk-requester": "mechanicalturk",
}

TYPES = {
    "string": "s", "integer": "i", "long": "i", "float": "f", "double": "f",
    "boolean": "b", "timestamp": "t", "blob": "B", "structure": "o", "list": "l", "map": "m",
}


def load(path):
    if path.endswith(".gz"):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return json.load(f)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def sfn_name(service_id):
    return "".join(c for c in service_id.lower() if c.isalnum())


def pascal(name):
    # Step Functions takes parameters in PascalCase, and an `Equals` field as `EqualsValue`.
    name = name[:1].upper() + name[1:]
    return "EqualsValue" if name == "Equals" else name


def structure(model, shape_name):
    """The structure a member's values are, or hold (through lists and maps): its name, or
    None (a document, which takes any JSON, is not a structure here)."""
    shape = model["shapes"].get(shape_name, {})
    kind = shape.get("type")
    if kind == "structure":
        return None if shape.get("document") else shape_name
    if kind == "list":
        return structure(model, shape["member"]["shape"])
    if kind == "map":
        return structure(model, shape["value"]["shape"])
    return None


def members(model, shape_name, with_types, reached=None):
    """A shape's members, as `Name:t[!][@Structure]` (or names alone); the structures they
    lead to are added to `reached`."""
    if not shape_name:
        return ""
    shape = model["shapes"].get(shape_name, {})
    required = set(shape.get("required", []))
    out = []
    for name, ref in shape.get("members", {}).items():
        # Members bound to the HTTP request line or headers are still parameters in the SDK
        # call; only streaming payloads are not expressible in a Task's JSON.
        if not with_types:
            out.append(pascal(name))
            continue
        target = model["shapes"].get(ref.get("shape"), {})
        code = "?" if target.get("document") else TYPES.get(target.get("type"), "?")
        # An idempotency token the SDK fills in is not the caller's to pass.
        needed = name in required and not ref.get("idempotencyToken")
        inner = structure(model, ref.get("shape"))
        if inner is not None and reached is not None:
            reached.add(inner)
        out.append(f"{pascal(name)}:{code}{'!' if needed else ''}{'@' + inner if inner else ''}")
    return ",".join(out)


def streams(model, shape_name):
    """Whether the shape is, or has a member that is, an event stream."""
    if not shape_name:
        return False
    shapes = model["shapes"]
    shape = shapes.get(shape_name, {})
    if shape.get("eventstream"):
        return True
    return any(shapes.get(ref.get("shape"), {}).get("eventstream") for ref in shape.get("members", {}).values())


def spellings(data_dir):
    """Every name a service of this botocore answers to."""
    names = set()
    for service_dir in os.listdir(data_dir):
        base = os.path.join(data_dir, service_dir)
        if not os.path.isdir(base):
            continue
        for p in glob.glob(os.path.join(base, "*", "service-2.json*")):
            meta = load(p)["metadata"]
            names.add(sfn_name(meta["serviceId"]))
            names.add(sfn_name(service_dir))
            names.add(sfn_name(meta.get("endpointPrefix", "")))
    names.discard("")
    return names


def catalog(data_dir, version, old_dir, old_version):
    lines = [
        f"# Generated by scripts/gen-sdk-catalog.py from botocore {version} (retired services: those of botocore {old_version} it lacks); do not edit.",
    ]
    services = []
    for service_dir in sorted(os.listdir(data_dir)):
        base = os.path.join(data_dir, service_dir)
        versions = sorted(v for v in os.listdir(base) if os.path.isdir(os.path.join(base, v))) if os.path.isdir(base) else []
        models = [
            p
            for v in reversed(versions)
            for p in (os.path.join(base, v, "service-2.json"), os.path.join(base, v, "service-2.json.gz"))
            if os.path.exists(p)
        ]
        if not models:
            continue
        model = load(models[0])
        meta = model["metadata"]
        signing = meta.get("signingName") or meta.get("endpointPrefix") or service_dir
        services.append((sfn_name(meta["serviceId"]), IAM_PREFIX.get(signing, signing), service_dir, meta["apiVersion"], model))
    services.sort(key=lambda s: s[0])
    seen = set()
    structures = []
    for name, iam, model_name, api_version, model in services:
        # Two models with one serviceId (a renamed service): the first by model name stands.
        if name in seen:
            continue
        seen.add(name)
        aliases = sorted({sfn_name(model_name), sfn_name(model["metadata"].get("endpointPrefix", ""))} - {name, ""})
        lines.append(f"S\t{name}\t{iam}\t{model_name}\t{api_version}\t{','.join(aliases)}")
        reached = set()
        for op_name in sorted(model["operations"]):
            op = model["operations"][op_name]
            inputs = members(model, op.get("input", {}).get("shape"), True, reached)
            outputs = members(model, op.get("output", {}).get("shape"), False)
            flag = "\tE" if streams(model, op.get("input", {}).get("shape")) or streams(model, op.get("output", {}).get("shape")) else ""
            lines.append(f"O\t{op_name}\t{inputs}\t{outputs}{flag}")
        # The structures inputs lead to, and those they lead to in turn.
        done = set()
        pending = sorted(reached)
        while pending:
            shape_name = pending.pop()
            if shape_name in done:
                continue
            done.add(shape_name)
            more = set()
            body = members(model, shape_name, True, more)
            pending.extend(sorted(more - done))
            structures.append((shape_name, body))
        for shape_name, body in sorted(structures):
            lines.append(f"T\t{shape_name}\t{body}")
        structures.clear()
    current = spellings(data_dir)
    for name in sorted(spellings(old_dir) - current):
        lines.append(f"R\t{name}")
    return "\n".join(lines) + "\n"


def fetch(version, into):
    os.makedirs(into, exist_ok=True)
    download("botocore", version, into)
    wheel = glob.glob(os.path.join(into, "botocore-*.whl"))[0]
    with zipfile.ZipFile(wheel) as z:
        z.extractall(into, [n for n in z.namelist() if n.startswith("botocore/data/")])
    return os.path.join(into, "botocore", "data")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--botocore", help=f"an unpacked botocore {BOTOCORE_VERSION} (its folder)")
    ap.add_argument("--old-botocore", help=f"an unpacked botocore {OLD_BOTOCORE_VERSION} (its folder)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        new = os.path.join(tmp, "new")
        old = os.path.join(tmp, "old")
        data = os.path.join(args.botocore, "data") if args.botocore else fetch(BOTOCORE_VERSION, new)
        old_data = os.path.join(args.old_botocore, "data") if args.old_botocore else fetch(OLD_BOTOCORE_VERSION, old)
        text = catalog(data, BOTOCORE_VERSION, old_data, OLD_BOTOCORE_VERSION)
    return finish(OUT, text, args.check, f"botocore {BOTOCORE_VERSION}", "scripts/gen-sdk-catalog.py")


if __name__ == "__main__":
    sys.exit(main())
