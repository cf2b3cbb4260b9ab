#!/usr/bin/env bash
# Shows that two sfn-lint binaries report the same bytes: every output format of `check` on
# the shared corpus, the examples and the fuzz regressions, and every format of `cost` and
# `graph` on the bundled example. For refactors that must not change behaviour:
#
#   git worktree add /tmp/before <commit> && (cd /tmp/before && cargo build --release)
#   cargo build --release
#   scripts/compare-reports.sh /tmp/before/target/release/sfn-lint target/release/sfn-lint
#
# Exits 1 and shows the first differing lines when any output or exit code differs.
set -uo pipefail
cd "$(dirname "$0")/.."
[ $# = 2 ] || { echo "usage: $0 OLD_BINARY NEW_BINARY" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Both run under the same name, which usage messages show.
mkdir "$work/old-bin" "$work/new-bin"
cp "$1" "$work/old-bin/sfn-lint" && cp "$2" "$work/new-bin/sfn-lint" || exit 2
old="$work/old-bin/sfn-lint" new="$work/new-bin/sfn-lint"
inputs=(examples tests/fuzz-regressions)
[ -d ../shared/corpus ] && inputs+=(../shared/corpus) || echo "note: ../shared/corpus is absent; comparing the bundled inputs only" >&2
ex=examples/order-processing.asl.json
prof=examples/order-processing.profile.yaml
runs=()
for f in text json sarif github gitlab concise; do
  runs+=("check --format $f ${inputs[*]}")
done
runs+=("check --format json --type express ${inputs[*]}")
for f in text markdown json html csv; do
  runs+=("cost --format $f $ex --profile $prof")
  runs+=("cost --format $f $ex --profile $prof --type express --simulate 200")
done
runs+=("cost $ex" "cost $ex --compare $ex --profile $prof" "cost --format json $ex --compare $ex")
runs+=("graph $ex" "graph --format dot $ex")
runs+=("rules" "rules --markdown" "rule SFN101")
fail=0
for r in "${runs[@]}"; do
  # shellcheck disable=SC2086
  "$old" $r >"$work/old" 2>&1; a=$?
  # shellcheck disable=SC2086
  "$new" $r >"$work/new" 2>&1; b=$?
  if [ "$a" != "$b" ] || ! cmp -s "$work/old" "$work/new"; then
    echo "DIFFERS: sfn-lint $r (exit $a vs $b)"
    diff "$work/old" "$work/new" | head -10
    fail=1
  else
    echo "same: sfn-lint $r ($(wc -c <"$work/new") bytes, exit $b)"
  fi
done
exit $fail
