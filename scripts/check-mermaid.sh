#!/usr/bin/env bash
# Checks that `sfn-lint graph` output parses with Mermaid's own parser, for every definition
# given (default: the ASL files of ../shared/corpus). With MODE=cost, checks the diagrams in
# `sfn-lint cost --format markdown` reports instead. Needs node and npm (installs mermaid and
# jsdom into a temporary folder from the npm registry).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$here" && cargo build --release --quiet)
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent mermaid@11 jsdom@24 >/dev/null)
cp "$here/scripts/mermaid-parse.mjs" "$work/"
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  mapfile -t files < <(python3 -c "
import json
for l in open('$here/../shared/corpus/manifest.jsonl'):
    e = json.loads(l)
    if e['kind'] == 'asl': print('$here/../shared/corpus/' + e['path'])")
fi
i=0
for f in "${files[@]}"; do
  i=$((i + 1))
  if [ "${MODE:-graph}" = cost ]; then
    "$here/target/release/sfn-lint" cost "$f" --format markdown 2>/dev/null \
      | sed -n '/^```mermaid$/,/^```$/p' | sed '1d;$d' > "$work/$i.mmd" || true
    [ -s "$work/$i.mmd" ] || rm -f "$work/$i.mmd"
  else
    "$here/target/release/sfn-lint" graph "$f" > "$work/$i.mmd" 2>/dev/null || rm -f "$work/$i.mmd"
  fi
done
cd "$work" && node mermaid-parse.mjs ./*.mmd | grep -v '^ok' || true
echo "$(ls "$work"/*.mmd | wc -l) diagrams drawn from ${#files[@]} files; parse failures above (none = all parsed)"
