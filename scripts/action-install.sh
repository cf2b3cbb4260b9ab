#!/usr/bin/env bash
# The GitHub Action's install step: puts the sfn-lint binary for this runner in a tool folder
# and prints `bin=<path>` for $GITHUB_OUTPUT.
#
# The action's own version picks the binary: a tag ref (`uses: sfn-lint/sfn-lint@v0.2.0`), or a
# commit whose release is that version (`@<sha> # v0.2.0`: the release's SOURCE_COMMIT must be
# that commit). The archive is verified against the release's SHA256SUMS before it is unpacked.
# Where no release asset fits (a branch, a fork, an unreleased commit), it is built from the
# action's source with the runner's cargo.
#
# Environment: SFN_LINT_REF (the action ref), SFN_LINT_ACTION_PATH (the action's checkout),
# RUNNER_OS, RUNNER_ARCH, RUNNER_TOOL_CACHE; SFN_LINT_RELEASES overrides where releases are
# read from (a URL prefix, `file://` included), for tests.
set -euo pipefail

# Exit 2: a hard failure (a bad checksum is never answered by building instead).
die() { echo "sfn-lint action: $*" >&2; exit 2; }
say() { echo "sfn-lint action: $*" >&2; }

action="${SFN_LINT_ACTION_PATH:?the action path is required}"
ref="${SFN_LINT_REF:-}"
releases="${SFN_LINT_RELEASES:-https://github.com/sfn-lint/sfn-lint/releases/download}"
cache="${RUNNER_TOOL_CACHE:-${TMPDIR:-/tmp}}/sfn-lint"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$action/Cargo.toml" | head -1)"
[ -n "$version" ] || die "cannot read the version from $action/Cargo.toml"

case "${RUNNER_OS:-}-${RUNNER_ARCH:-}" in
  Linux-X64) target=x86_64-unknown-linux-gnu ext=tar.gz exe=sfn-lint ;;
  Linux-ARM64) target=aarch64-unknown-linux-gnu ext=tar.gz exe=sfn-lint ;;
  macOS-X64) target=x86_64-apple-darwin ext=tar.gz exe=sfn-lint ;;
  macOS-ARM64) target=aarch64-apple-darwin ext=tar.gz exe=sfn-lint ;;
  Windows-X64) target=x86_64-pc-windows-msvc ext=zip exe=sfn-lint.exe ;;
  *) target="" ext="" exe=sfn-lint ;;
esac

sha256() {
  if command -v sha256sum >/dev/null; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}
fetch() { curl --fail --silent --show-error --location --retry 3 --output "$2" "$1"; }

# The release tag whose binary this action may use, if any.
tag=""
if [[ "$ref" =~ ^v[0-9]+\.[0-9]+\.[0-9]+ ]]; then
  tag="$ref"
elif [[ "$ref" =~ ^[0-9a-f]{40}$ ]]; then
  tag="v$version"
fi

install_release() {
  [ -n "$tag" ] && [ -n "$target" ] || return 1
  local dir="$cache/$tag/$target"
  if [ -x "$dir/$exe" ]; then
    echo "$dir/$exe"
    return 0
  fi
  local work name
  work="$(mktemp -d)"
  name="sfn-lint-${tag#v}-$target"
  fetch "$releases/$tag/SHA256SUMS" "$work/SHA256SUMS" 2>/dev/null || return 1
  if [ "$tag" != "$ref" ]; then
    # Pinned by commit: the release must have been built from exactly that commit.
    fetch "$releases/$tag/SOURCE_COMMIT" "$work/SOURCE_COMMIT" 2>/dev/null || return 1
    [ "$(tr -d '[:space:]' < "$work/SOURCE_COMMIT")" = "$ref" ] || return 1
  fi
  fetch "$releases/$tag/$name.$ext" "$work/$name.$ext" || die "the release $tag lists no $name.$ext"
  local want got
  want="$(awk -v f="$name.$ext" '$2 == f || $2 == "*" f { print $1 }' "$work/SHA256SUMS")"
  [ -n "$want" ] || die "SHA256SUMS of $tag has no line for $name.$ext"
  got="$(sha256 "$work/$name.$ext")"
  [ "$want" = "$got" ] || die "checksum mismatch for $name.$ext: SHA256SUMS says $want, the download is $got"
  if [ "$ext" = zip ]; then
    (cd "$work" && { unzip -q "$name.zip" 2>/dev/null || tar -xf "$name.zip"; })
  else
    tar -C "$work" -xzf "$work/$name.$ext"
  fi
  mkdir -p "$dir"
  cp "$work/$name/$exe" "$dir/$exe"
  chmod +x "$dir/$exe"
  rm -rf "$work"
  say "installed the $tag release binary for $target (checksum verified)"
  echo "$dir/$exe"
}

install_source() {
  command -v cargo >/dev/null || die "no release binary fits ($ref on ${RUNNER_OS:-?}-${RUNNER_ARCH:-?}) and cargo is not installed to build one; pin a release tag of the action"
  local key root
  key="$(printf '%s' "${ref:-local}" | tr -c 'A-Za-z0-9._-' '_')"
  root="$cache/source-$key"
  if [ ! -x "$root/bin/$exe" ]; then
    say "no release binary fits ${ref:-this checkout}; building from the action's source"
    cargo install --locked --quiet --path "$action" --root "$root" >&2
  fi
  echo "$root/bin/$exe"
}

set +e
bin="$(install_release)"
rc=$?
set -e
case "$rc" in
  0) ;;
  1) bin="$(install_source)" ;;
  *) exit "$rc" ;;
esac
"$bin" --version >&2 || die "$bin does not run"
echo "bin=$bin"
