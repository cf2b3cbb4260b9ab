#!/usr/bin/env bash
# Builds the profile-guided release binary for this machine, as the release workflow's
# packages ship it (scripts/pgo-profile.sh makes the profile), and prints its path.
# `cargo build --release` without the profile is the plain build; both are position-
# independent executables.
set -euo pipefail
shopt -s inherit_errexit 2>/dev/null || true  # bash 4.4+: a failed $(…) stops the script
cd "$(dirname "$0")/.."
profile="$(scripts/pgo-profile.sh)"
RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-use=$profile" \
  CARGO_TARGET_DIR="$PWD/target/pgo-release" cargo build --release --locked --quiet >&2
echo "$PWD/target/pgo-release/release/sfn-lint"
