#!/usr/bin/env bash
# Builds sfn-lint as the release archives ship it and prints the binary's path.
#
# On x86_64/aarch64 Linux the binary is linked statically against glibc: it then runs on any
# Linux, old glibc or none, and starts in about 1.2 ms instead of 1.8 (the dynamic loader's
# symbol lookups and relocations were a third of an empty run; one small file checked 3.7 ->
# 2.6 ms, the 500-file batch about 1.3 ms less). It is also position-dependent (not
# static-pie): a static-pie applies its ~21,500 relocations at every start, touching ~100
# pages, measured `--version` 1.45 -> 0.92 ms, one small file 1.82 -> 1.46 ms. The price is
# that the executable's own image loads at a fixed address (its heap, stacks and mappings are
# still randomised); sfn-lint is Rust with `unsafe` only in its allocator and report
# buffers, so we take the start-up time. The flags go through
# RUSTFLAGS with an explicit --target so that they reach sfn-lint only, not the proc macros
# (a crt-static host cannot load them). Elsewhere, or without glibc's static libraries
# (Debian: libc6-dev), this is the plain `cargo build --release`, and says so on stderr.
#
# The build is also profile-guided (PGO) where LLVM's `llvm-profdata` can be had (rustup's
# llvm-tools component, added here if missing): an instrumented build lints the inputs that
# scripts/pgo-train.py writes (the rule pages' examples, examples/, generated definitions; no
# benchmark input), and the release build is optimised with that profile, which lays out and
# inlines the hot paths (the 500-file batch: 17.2 -> 15.1 ms). SFN_LINT_PGO=0 skips it, and
# without llvm-profdata or Python the build is the plain one, said on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
target=""
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) target=x86_64-unknown-linux-gnu ;;
  Linux-aarch64) target=aarch64-unknown-linux-gnu ;;
esac
if [ -n "$target" ] && [ -z "$(gcc -print-file-name=libc.a 2>/dev/null | grep /)" ]; then
  echo "note: glibc's static libraries are missing (Debian: libc6-dev); building a dynamic binary" >&2
  target=""
fi
flags="${RUSTFLAGS:-}"
args=(--release --locked --quiet)
# One codegen unit and fat LTO for the shipped binary only (dev and bench builds keep the
# faster thin LTO of Cargo.toml): with the profile, 0.8% off the batch (61 runs alternated).
export CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
out="$PWD/target/release/sfn-lint"
if [ -n "$target" ]; then
  flags="$flags -C target-feature=+crt-static -C relocation-model=static"
  args+=(--target "$target")
  out="$PWD/target/$target/release/sfn-lint"
fi

# llvm-profdata from the toolchain's llvm-tools (its LLVM matches rustc's profile format).
profdata() {
  local bin
  bin="$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin/llvm-profdata"
  if [ ! -x "$bin" ] && command -v rustup >/dev/null; then
    rustup component add llvm-tools >/dev/null 2>&1 || true
  fi
  [ -x "$bin" ] && echo "$bin"
}
pgo=""
if [ "${SFN_LINT_PGO:-1}" != 0 ]; then
  if ! command -v python3 >/dev/null; then
    echo "note: python3 is missing; building without the profile (PGO)" >&2
  elif ! pgo="$(profdata)"; then
    echo "note: llvm-profdata is missing (rustup component add llvm-tools); building without the profile (PGO)" >&2
    pgo=""
  fi
fi
if [ -n "$pgo" ]; then
  work="$PWD/target/pgo"
  rm -rf "$work/profiles" "$work/inputs"
  mkdir -p "$work"
  # The instrumented build has a target folder of its own, so the release one stays cached.
  RUSTFLAGS="$flags -C profile-generate=$work/profiles" CARGO_TARGET_DIR="$work/target" \
    cargo build "${args[@]}" >&2
  inst="$work/target/${target:+$target/}release/sfn-lint"
  python3 scripts/pgo-train.py "$work/inputs" >/dev/null
  # Findings make these exit 1; only the profile they leave matters. A batch (the workers),
  # each output format, one file alone, and the cost report.
  for format in json text concise sarif github gitlab; do
    "$inst" check --format "$format" "$work/inputs" >/dev/null 2>&1 || true
  done
  "$inst" check examples/order-processing.asl.json >/dev/null 2>&1 || true
  "$inst" cost examples/order-processing.asl.json \
    --profile examples/order-processing.profile.yaml >/dev/null 2>&1 || true
  "$pgo" merge -o "$work/merged.profdata" "$work/profiles"
  flags="$flags -C profile-use=$work/merged.profdata"
fi
RUSTFLAGS="$flags" cargo build "${args[@]}" >&2
# Whether this binary is the profile-guided one, for the benchmark report.
if [ -n "$pgo" ]; then echo "profile-guided (PGO)" > "$out.build"; else echo "without PGO" > "$out.build"; fi
echo "$out"
