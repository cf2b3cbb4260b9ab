#!/usr/bin/env bash
# Speed against the peer validators, measured in one run on the same files, as whole processes.
#
#   scripts/bench-peers.sh [N]      N files (default 500) from ../shared/peers/bench/gen_medium.py
#
# Peers come from ../shared/peers/install.sh (installed into $PEERS_DIR, default
# ~/.cache/sfn-lint-peers); peers that are not installed are listed as such. Each tool runs
# RUNS times (default 3) over the whole batch in one process; the table shows the median wall
# time, files per second, and how many times slower than sfn-lint each peer is.
# PEERS="wmfs-statelint asl-service" limits the run to those peers.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${SHARED:-$here/../shared}"
peers="${PEERS_DIR:-$HOME/.cache/sfn-lint-peers}"
n="${1:-500}"
runs="${RUNS:-3}"

[ -f "$shared/peers/bench/gen_medium.py" ] || { echo "needs $shared/peers (the shared folder beside the checkout)"; exit 2; }
(cd "$here" && cargo build --release --quiet)
bin="$here/target/release/sfn-lint"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 "$shared/peers/bench/gen_medium.py" "$work/batch" "$n" >/dev/null
files=("$work"/batch/*.json)

# Median wall time in milliseconds of running "$@" $runs times (output discarded).
median_ms() {
  local times=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

ours=$(median_ms "$bin" check --format json "${files[@]}")
[ "$ours" -gt 0 ] || ours=1
echo "Batch: $n files of $(python3 "$shared/peers/bench/gen_medium.py" | tail -1 | awk '{print $1}' 2>/dev/null || echo 30) states each; median of $runs runs; $(nproc) cores."
echo
echo "| tool | wall (ms) | files/s | slower than sfn-lint |"
echo "|---|---:|---:|---:|"
echo "| sfn-lint | $ours | $(( n * 1000 / ours )) | 1x |"
for p in ${PEERS:-wmfs-statelint asl-validator asl-service cfn-lint moto}; do
  runner="$peers/run_$p.sh"
  if [ ! -x "$runner" ] || { [ "$p" != cfn-lint ] && [ "$p" != moto ] && [ ! -d "$peers/$p/node_modules" ]; }; then
    echo "| $p | not installed | | |"
    continue
  fi
  t=$(median_ms "$runner" "${files[@]}")
  [ "$t" -gt 0 ] || t=1
  ratio=$(awk -v a="$t" -v b="$ours" 'BEGIN {printf "%.1fx", a / b}')
  echo "| $p | $t | $(( n * 1000 / t )) | $ratio |"
done
rm -f medium.json
