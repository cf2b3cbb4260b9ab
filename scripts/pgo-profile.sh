#!/usr/bin/env bash
# Makes the profile for a profile-guided (PGO) release build and prints its path.
#
# An instrumented sfn-lint, built for this machine, lints the inputs scripts/pgo-train.py writes
# (the rule pages' examples, examples/, generated definitions; no benchmark input) in every
# output format, one file alone, and costs the example; LLVM's llvm-profdata (rustup's
# llvm-tools component, added here if missing) merges what it recorded. A release build given
# `-Cprofile-use=<path>` then lays out and inlines the hot paths by it: docs/benchmarks.md
# ("Speed devices") measures what that pays. scripts/package.sh uses it when SFN_LINT_PGO=1,
# as the release workflow sets. Exits 1, saying why, without python3 or llvm-profdata.
set -euo pipefail
shopt -s inherit_errexit 2>/dev/null || true  # bash 4.4+: a failed $(…) stops the script
cd "$(dirname "$0")/.."
command -v python3 >/dev/null || { echo "pgo-profile: python3 is required" >&2; exit 1; }
host="$(rustc -vV | sed -n 's/^host: //p')"
profdata="$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata"
if [ ! -x "$profdata" ] && [ ! -x "$profdata.exe" ] && command -v rustup >/dev/null; then
  rustup component add llvm-tools >/dev/null 2>&1 || true
fi
[ -x "$profdata.exe" ] && profdata="$profdata.exe"
[ -x "$profdata" ] || { echo "pgo-profile: llvm-profdata is missing (rustup component add llvm-tools)" >&2; exit 1; }
work="$PWD/target/pgo"
rm -rf "$work/profiles" "$work/inputs" "$work/merged.profdata"
mkdir -p "$work"
# Its own target folder, so that the release build stays cached. It is built as the optimised
# build will be (TARGET as scripts/package.sh takes it: `--target` only when it is not this
# machine's, the release profile's LTO and codegen units), since the profile names functions
# as that build does; a profile from a build made otherwise matches nothing and gains nothing.
# The instrumented binary must run here: TARGET is this machine's or runs on it (musl).
target="${TARGET:-$host}"
args=(build --release --locked --quiet)
dir="$work/target/release"
if [ "$target" != "$host" ]; then
  args+=(--target "$target")
  dir="$work/target/$target/release"
fi
RUSTFLAGS="-Cprofile-generate=$work/profiles" CARGO_TARGET_DIR="$work/target" cargo "${args[@]}" >&2
inst="$dir/sfn-lint"
[ -x "$inst.exe" ] && inst="$inst.exe"
python3 scripts/pgo-train.py "$work/inputs" >/dev/null
# Findings make these exit 1; only the profile they leave matters.
for format in json text concise sarif github gitlab; do
  "$inst" check --format "$format" "$work/inputs" >/dev/null 2>&1 || true
done
"$inst" check examples/order-processing.asl.json >/dev/null 2>&1 || true
"$inst" cost examples/order-processing.asl.json \
  --profile examples/order-processing.profile.yaml >/dev/null 2>&1 || true
"$profdata" merge -o "$work/merged.profdata" "$work/profiles" >&2
echo "$work/merged.profdata"
