#!/usr/bin/env bash
# Growth of check and cost with input size, per shape (see scripts/bench-scaling.py): builds
# the plain release binary and runs every family at n and 10n.
#   scripts/bench-scaling.sh [--runs N] [--only NAME]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
exec python3 scripts/bench-scaling.py --bin target/release/sfn-lint "$@"
