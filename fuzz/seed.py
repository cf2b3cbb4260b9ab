#!/usr/bin/env python3
"""Builds the fuzz targets' seed corpora in fuzz/corpus/<target>/ (not committed).

Seeds come from the project's own fixtures: the examples the rule pages carry (the same ones
tests/rule_docs.rs runs), examples/, and the definitions and templates written into the tests.
With ../shared/corpus beside the checkout, its files are added too (say so, skip when absent).
For `template` and `pipeline` the first byte picks the front end (0 JSON, 1 YAML, 2 Terraform).
"""
import hashlib, json, pathlib, re, sys

here = pathlib.Path(__file__).resolve().parent
root = here.parent
out = here / "corpus"
FENCE = re.compile(r"```(json|yaml|hcl|terraform)[^\n]*\n(.*?)```", re.S)
FORMAT = {"json": 0, "yaml": 1, "hcl": 2, "terraform": 2}


def put(target, data):
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def add(fmt, text):
    data = text.encode()
    if fmt == 0:
        put("json_loader", data)
        put("cost", data)
        put("schema", data)
    if fmt == 1:
        put("yaml_loader", data)
    put("template", bytes([fmt]) + data)
    put("pipeline", bytes([fmt]) + data)
    # Every string value that looks like an expression seeds the expression parsers.
    for s in re.findall(r'"((?:\$|States\.|\{%)(?:[^"\\]|\\.)*)"', text):
        try:
            put("expressions", json.loads(f'"{s}"').encode())
        except ValueError:
            pass


n = 0
for page in sorted((root / "rules").rglob("*.md")):
    for lang, body in FENCE.findall(page.read_text()):
        add(FORMAT[lang], body)
        n += 1
for f in sorted((root / "examples").iterdir()):
    add(1 if f.suffix in (".yaml", ".yml") else 0, f.read_text())
    n += 1
# Definitions written inline in the tests (raw strings holding JSON objects).
for t in sorted((root / "tests").glob("*.rs")):
    for body in re.findall(r'r#"(\s*\{.*?)"#', t.read_text(), re.S):
        add(0, body)
        n += 1
print(f"seeded {n} project fixtures")

shared = root.parent / "shared" / "corpus"
if shared.is_dir():
    m = 0
    for f in sorted(shared.rglob("*")):
        if f.is_file() and f.suffix in (".json", ".yaml", ".yml", ".tf") and f.stat().st_size < 1_000_000:
            fmt = {".json": 0, ".tf": 2}.get(f.suffix, 1)
            add(fmt, f.read_text(errors="replace"))
            m += 1
    print(f"seeded {m} files from {shared}")
else:
    print(f"no {shared}: project fixtures only", file=sys.stderr)
for d in sorted(out.iterdir()):
    print(f"  {d.name}: {len(list(d.iterdir()))} seeds")
