#!/usr/bin/env bash
# Speed and memory against the peer validators, measured in one run on the same files, as whole
# processes (start-up included), and sfn-lint's own scaling.
#
#   scripts/bench-peers.sh [N]      N batch files (default 500) from ../shared/peers/bench/gen_medium.py
#
# Workloads: the N-file batch of 30-state definitions; every ASL definition in
# ../shared/corpus (and its templates, for the peers that read templates); one 10,000-state
# definition (scripts/gen-chain.py). For each: median wall time of RUNS runs (default 5), files
# per second, peak resident memory (the kernel's rusage for the process), and how many
# times slower than sfn-lint each peer is. Then sfn-lint alone on 100…100,000 states in one file
# and 10…10,000 files, to show time grows linearly.
#
# Peers come from ../shared/peers/install.sh into $PEERS_DIR (default ~/.cache/sfn-lint-peers);
# missing ones are installed first (NO_INSTALL=1 skips that, and they are listed as not
# installed). PEERS="wmfs-statelint asl-validator" limits the run; SCALING=0 skips the scaling
# tables. Prints Markdown.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${SHARED:-$here/../shared}"
peers="${PEERS_DIR:-$HOME/.cache/sfn-lint-peers}"
n="${1:-500}"
runs="${RUNS:-5}"
all_peers=(wmfs-statelint asl-validator asl-service cfn-lint moto)
read -r -a want <<<"${PEERS:-${all_peers[*]}}"

[ -f "$shared/peers/bench/gen_medium.py" ] || { echo "needs $shared/peers (the shared folder beside the checkout)" >&2; exit 2; }

installed() {
  local p="$1"
  [ -x "$peers/run_$p.sh" ] || return 1
  case "$p" in
    cfn-lint | moto) [ -x "$peers/$p/venv/bin/python" ] ;;
    *) [ -d "$peers/$p/node_modules" ] ;;
  esac
}
missing=0
for p in "${want[@]}"; do installed "$p" || missing=1; done
if [ "$missing" = 1 ] && [ "${NO_INSTALL:-0}" != 1 ]; then
  echo "installing the peers into $peers ..." >&2
  PEERS_DIR="$peers" bash "$shared/peers/install.sh" >&2 || echo "peer install failed; those peers are listed as not installed" >&2
fi

# The plain `cargo build --release` binary, as the packages ship it; SFN_LINT_BIN measures
# another build instead.
if [ -n "${SFN_LINT_BIN:-}" ]; then
  bin="$SFN_LINT_BIN"
else
  (cd "$here" && cargo build --release --locked --quiet)
  bin="$here/target/release/sfn-lint"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# measure CMD...: runs it $runs times through scripts/bench-run.py (only $SLOW_RUNS, default 1,
# when the first run takes over 10 s: the slow peers' medians barely move and would take an
# hour); sets WALL (median ms, or "timeout" past $TIMEOUT s, default 600), MEM (peak RSS, MiB)
# and RUNS_DONE.
measure() {
  local out
  out=$(python3 "$here/scripts/bench-run.py" "$runs" "${SLOW_RUNS:-1}" "${TIMEOUT:-600}" "$@")
  read -r WALL MEM RUNS_DONE <<<"$out"
  [ "$MEM" = - ] || MEM=$(awk -v k="$MEM" 'BEGIN {printf "%.1f", k / 1024}')
}

# table TITLE FILES_DESCRIPTION PEERS... -- FILE...: one Markdown table, sfn-lint first.
table() {
  local title="$1" what="$2"
  shift 2
  local ps=()
  while [ "$1" != -- ]; do ps+=("$1"); shift; done
  shift
  local files=("$@") count=$#
  echo
  echo "### $title"
  echo
  echo "$what; median of $runs runs after about a second of warm-up runs; $(nproc) cores."
  echo
  echo "| tool | wall (ms) | runs | files/s | peak memory (MiB) | slower than sfn-lint |"
  echo "|---|---:|---:|---:|---:|---:|"
  measure "$bin" check --format json "${files[@]}"
  local ours="$WALL"
  echo "| sfn-lint | $ours | $RUNS_DONE | $(awk -v n="$count" -v t="$ours" 'BEGIN {printf "%d", n * 1000 / t}') | $MEM | 1x |"
  for p in "${ps[@]}"; do
    if ! installed "$p"; then
      echo "| $p | not installed | | | | |"
      continue
    fi
    measure "$peers/run_$p.sh" "${files[@]}"
    if [ "$WALL" = timeout ]; then
      echo "| $p | over ${TIMEOUT:-600} s | | | | |"
      continue
    fi
    local ratio
    ratio=$(awk -v a="$WALL" -v b="$ours" 'BEGIN {printf "%.1fx", a / b}')
    echo "| $p | $WALL | $RUNS_DONE | $(awk -v n="$count" -v t="$WALL" 'BEGIN {printf "%d", n * 1000 / t}') | $MEM | $ratio |"
  done
}

echo "## sfn-lint against the peers ($(date -u +%Y-%m-%d), $("$bin" --version))"
echo
echo "Binary: $bin ($(uname -m), $(nproc) CPUs)."

python3 "$shared/peers/bench/gen_medium.py" "$work/batch" "$n" >/dev/null
table "Batch: $n definitions of 30 states" "$n files from gen_medium.py" "${want[@]}" -- "$work"/batch/*.json

if [ -f "$shared/corpus/manifest.jsonl" ]; then
  # manifest KIND...: the corpus files of those kinds, one path a line.
  manifest() {
    python3 -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d["kind"] in sys.argv[3:]:
        print(sys.argv[2] + "/" + d["path"])' "$shared/corpus/manifest.jsonl" "$shared/corpus" "$@"
  }
  mapfile -t asl < <(manifest asl)
  mapfile -t templates < <(manifest sam cloudformation)
  table "Corpus: every ASL definition" "${#asl[@]} real definitions (JSON and YAML) from ../shared/corpus" "${want[@]}" -- "${asl[@]}"
  tpeers=()
  for p in "${want[@]}"; do [ "$p" = cfn-lint ] && tpeers+=(cfn-lint); done
  table "Corpus: every CloudFormation/SAM template" "${#templates[@]} templates from ../shared/corpus (the peer that reads templates: cfn-lint)" "${tpeers[@]}" -- "${templates[@]}"
else
  echo
  echo "(no $shared/corpus: corpus rows skipped)"
fi

python3 "$here/scripts/gen-chain.py" 10000 >"$work/big.asl.json"
table "One definition of 10,000 states" "scripts/gen-chain.py 10000 ($(du -h "$work/big.asl.json" | cut -f1))" "${want[@]}" -- "$work/big.asl.json"

[ "${SCALING:-1}" = 0 ] && exit 0

echo
echo "## Scaling (sfn-lint alone)"
echo
echo "One file of N states (scripts/gen-chain.py --light N: compact, so 100,000 states fit the 16 MiB limit); median of $runs runs."
echo
echo "| states | size | wall (ms) | µs per state | peak memory (MiB) |"
echo "|---:|---:|---:|---:|---:|"
for s in 100 1000 10000 100000; do
  python3 "$here/scripts/gen-chain.py" --light "$s" >"$work/chain.json"
  measure "$bin" check --format json "$work/chain.json"
  echo "| $s | $(du -h "$work/chain.json" | cut -f1) | $WALL | $(awk -v t="$WALL" -v s="$s" 'BEGIN {printf "%.2f", t * 1000 / s}') | $MEM |"
done
echo
echo "N files of 30 states (gen_medium.py), given as one folder; median of $runs runs."
echo
echo "| files | wall (ms) | µs per file | peak memory (MiB) |"
echo "|---:|---:|---:|---:|"
python3 "$shared/peers/bench/gen_medium.py" "$work/many" 10000 >/dev/null
for f in 10 100 1000 10000; do
  rm -rf "$work/sub" && mkdir "$work/sub"
  many=("$work"/many/*.json)
  ln "${many[@]:0:$f}" "$work/sub/"
  measure "$bin" check --format json "$work/sub"
  echo "| $f | $WALL | $(awk -v t="$WALL" -v f="$f" 'BEGIN {printf "%.1f", t * 1000 / f}') | $MEM |"
done
