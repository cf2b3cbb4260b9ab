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
if [ -n "$target" ]; then
  RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static -C relocation-model=static" \
    cargo build --release --locked --quiet --target "$target" >&2
  echo "$PWD/target/$target/release/sfn-lint"
else
  cargo build --release --locked --quiet >&2
  echo "$PWD/target/release/sfn-lint"
fi
