#!/usr/bin/env bash
# Runs every fuzz target for a fixed number of executions and prints a table of the counts.
#
#   fuzz/run.sh [SCALE]     SCALE multiplies the per-target run counts below (default 1 = 11.2M in all)
#
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Builds with debug
# assertions (integer overflow panics) and no sanitizer: the library has no `unsafe`, and the
# sanitizer would halve the executions per second. Seeds come from fuzz/seed.py. A crash,
# timeout (10 s per input) or out-of-memory (2 GiB) stops that target, leaves the input in
# fuzz/artifacts/<target>/ and makes the script exit 1; keep it in tests/fuzz-regressions/.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
scale="${1:-1}"
declare -A runs=([json_loader]=2500000 [yaml_loader]=1500000 [expressions]=2500000
                 [template]=1200000 [pipeline]=1500000 [cost]=1000000 [schema]=1000000)
order=(json_loader yaml_loader expressions template pipeline cost schema)
python3 seed.py >/dev/null
cargo +nightly fuzz build -O -a -s none || exit 2
logs="$(mktemp -d)"
total=0
failed=0
echo "| target | executions | seconds | exec/s | result |"
echo "|---|---:|---:|---:|---|"
for t in "${order[@]}"; do
  n=$(awk -v a="${runs[$t]}" -v s="$scale" 'BEGIN {printf "%d", a * s}')
  t0=$(date +%s)
  cargo +nightly fuzz run -O -a -s none "$t" "corpus/$t" -- \
    -dict=asl.dict -runs="$n" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    >"$logs/$t.log" 2>&1
  rc=$?
  secs=$(( $(date +%s) - t0 ))
  done_runs=$(grep -oE '^Done [0-9]+ runs' "$logs/$t.log" | awk '{print $2}')
  if [ "$rc" -eq 0 ] && [ -n "$done_runs" ]; then
    result=ok
  else
    result="FAILED: $(grep -m1 -E 'panicked|ERROR: libFuzzer' "$logs/$t.log" | cut -c1-80)"
    done_runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$logs/$t.log" | grep -oE '[0-9]+$')
    failed=1
  fi
  done_runs=${done_runs:-0}
  total=$((total + done_runs))
  echo "| $t | $done_runs | $secs | $(( done_runs / (secs > 0 ? secs : 1) )) | $result |"
done
echo "| **total** | **$total** | | | |"
echo "logs: $logs"
exit "$failed"
