#!/usr/bin/env bash
# Builds one distributable artifact of sfn-lint for one platform:
#
#   scripts/package.sh pypi    OUTDIR   # wheel (maturin, `bin` bindings) + sdist
#   scripts/package.sh npm     OUTDIR   # the `sfn-lint` launcher package + this platform's
#                                       # `@sfn-lint/cli-<os>-<arch>[-musl]` package, packed
#   scripts/package.sh archive OUTDIR   # sfn-lint-<version>-<target>.tar.gz (.zip on Windows)
#                                       # with the binary, LICENSE files and README; SHA256SUMS
#   scripts/package.sh vsix    OUTDIR   # the VS Code extension with the binary, per platform
#                                       # (vsce from editors/vscode's lockfile)
#
# The platform is the host's, or TARGET (a Rust target triple) when set; the release workflow
# runs this once per target. SFN_LINT_BIN names an already built binary to package instead of
# building one (not for pypi, which maturin builds). A tool that is missing stops the script
# with a message that says how to install it.
set -euo pipefail
shopt -s inherit_errexit 2>/dev/null || true  # bash 4.4+: a failed $(…) stops the script
cd "$(dirname "$0")/.."

die() { echo "package.sh: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 is required for '$kind' packages: $2"; }

kind="${1:-}"
out="${2:-}"
[ -n "$kind" ] && [ -n "$out" ] || die "usage: scripts/package.sh <pypi|npm|archive|vsix> OUTDIR"
case "$kind" in pypi | npm | archive | vsix) ;; *) die "unknown kind '$kind' (pypi, npm, archive or vsix)" ;; esac
mkdir -p "$out"
out="$(cd "$out" && pwd)"

need cargo "install Rust from https://rustup.rs"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
[ -n "$version" ] || die "could not read the version from Cargo.toml"
host="$(rustc -vV | sed -n 's/^host: //p')"
target="${TARGET:-$host}"

# The names each ecosystem gives this target.
case "$target" in
  x86_64-unknown-linux-gnu) npm_id=linux-x64 vsix_id=linux-x64 os=linux cpu=x64 libc=glibc ;;
  aarch64-unknown-linux-gnu) npm_id=linux-arm64 vsix_id=linux-arm64 os=linux cpu=arm64 libc=glibc ;;
  x86_64-unknown-linux-musl) npm_id=linux-x64-musl vsix_id=alpine-x64 os=linux cpu=x64 libc=musl ;;
  aarch64-unknown-linux-musl) npm_id=linux-arm64-musl vsix_id=alpine-arm64 os=linux cpu=arm64 libc=musl ;;
  x86_64-apple-darwin) npm_id=darwin-x64 vsix_id=darwin-x64 os=darwin cpu=x64 libc= ;;
  aarch64-apple-darwin) npm_id=darwin-arm64 vsix_id=darwin-arm64 os=darwin cpu=arm64 libc= ;;
  x86_64-pc-windows-msvc) npm_id=win32-x64 vsix_id=win32-x64 os=win32 cpu=x64 libc= ;;
  *) die "no package names for target '$target'" ;;
esac
exe=sfn-lint
[ "$os" = win32 ] && exe=sfn-lint.exe

# SFN_LINT_PGO=1 (the release workflow): every build below is profile-guided, with the profile
# scripts/pgo-profile.sh makes on this machine (once per run of this script).
if [ "${SFN_LINT_PGO:-0}" = 1 ] && [ -z "${SFN_LINT_BIN:-}" ]; then
  profile="$(scripts/pgo-profile.sh)" || die "SFN_LINT_PGO=1, but the profile could not be made"
  export RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-use=$profile"
fi

# The release binary for the target, built unless SFN_LINT_BIN names one.
binary() {
  if [ -n "${SFN_LINT_BIN:-}" ]; then
    [ -x "$SFN_LINT_BIN" ] || die "SFN_LINT_BIN=$SFN_LINT_BIN is not an executable"
    echo "$SFN_LINT_BIN"
    return
  fi
  local args=(build --release --locked)
  local dir=target/release
  if [ "$target" != "$host" ]; then
    args+=(--target "$target")
    dir="target/$target/release"
  fi
  cargo "${args[@]}" >&2 || die "the build failed"
  echo "$dir/$exe"
}

# Runs python3 with a short script; used to write JSON without a JSON tool in bash.
py() { need python3 "install Python 3"; python3 - "$@"; }

case "$kind" in
  pypi)
    maturin="${MATURIN:-$(command -v maturin || true)}"
    [ -n "$maturin" ] || die "maturin is required for 'pypi' packages: pip install maturin (or set MATURIN)"
    args=(--release --locked --out "$out")
    [ "$target" != "$host" ] && args+=(--target "$target")
    # MATURIN_ARGS: more build options (the release workflow's `--zig --compatibility …`).
    read -r -a more <<< "${MATURIN_ARGS:-}"
    (cd packaging/pypi && "$maturin" build "${args[@]}" "${more[@]}") >&2
    # NO_SDIST: the release builds the sdist once, not per target.
    [ -n "${NO_SDIST:-}" ] || (cd packaging/pypi && "$maturin" sdist --out "$out") >&2
    ls "$out"/sfn_lint-"$version"*
    ;;

  npm)
    need npm "install Node.js (it brings npm)"
    bin="$(binary)"
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    # This platform's package: the binary alone, limited to its OS, CPU and C library.
    plat="$work/cli-$npm_id"
    mkdir -p "$plat/bin"
    cp "$bin" "$plat/bin/$exe"
    chmod +x "$plat/bin/$exe"
    cp LICENSE-MIT LICENSE-APACHE "$plat/"
    py "$plat/package.json" "$npm_id" "$version" "$os" "$cpu" "$libc" "$exe" <<'PY'
import json, sys
path, npm_id, version, os_, cpu, libc, exe = sys.argv[1:]
pkg = {
    "name": f"@sfn-lint/cli-{npm_id}",
    "version": version,
    "description": f"The sfn-lint binary for {npm_id}; installed by the `sfn-lint` package.",
    "license": "MIT OR Apache-2.0",
    "repository": {"type": "git", "url": "git+https://github.com/sfn-lint/sfn-lint.git"},
    "os": [os_],
    "cpu": [cpu],
    "files": [f"bin/{exe}", "LICENSE-MIT", "LICENSE-APACHE"],
    "preferUnplugged": True,
}
if libc:
    pkg["libc"] = [libc]
json.dump(pkg, open(path, "w"), indent=2)
PY
    # The launcher package, with every platform's package as an optional dependency.
    main="$work/sfn-lint"
    cp -r packaging/npm/sfn-lint "$main"
    cp LICENSE-MIT LICENSE-APACHE "$main/"
    py "$main/package.json" "$version" <<'PY'
import json, sys
path, version = sys.argv[1:]
pkg = json.load(open(path))
pkg["version"] = version
ids = ["linux-x64", "linux-arm64", "linux-x64-musl", "linux-arm64-musl",
       "darwin-x64", "darwin-arm64", "win32-x64"]
pkg["optionalDependencies"] = {f"@sfn-lint/cli-{i}": version for i in ids}
json.dump(pkg, open(path, "w"), indent=2)
PY
    (cd "$out" && npm pack --silent "$plat" "$main")
    ;;

  archive)
    bin="$(binary)"
    name="sfn-lint-$version-$target"
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    mkdir "$work/$name"
    cp "$bin" "$work/$name/$exe"
    cp README.md LICENSE-MIT LICENSE-APACHE CHANGELOG.md "$work/$name/"
    if [ "$os" = win32 ]; then
      if command -v 7z >/dev/null; then
        (cd "$work" && 7z a -bd "$out/$name.zip" "$name" >/dev/null)
      else
        need zip "install zip (or 7-Zip) to make Windows archives"
        (cd "$work" && zip -qr "$out/$name.zip" "$name")
      fi
      file="$name.zip"
    else
      need tar "install tar"
      tar -C "$work" -czf "$out/$name.tar.gz" "$name"
      file="$name.tar.gz"
    fi
    # One checksum line per archive in OUTDIR, sorted, so the per-target files merge cleanly.
    (
      cd "$out"
      if command -v sha256sum >/dev/null; then
        sha256sum "$file"
      else
        shasum -a 256 "$file"
      fi
    ) > "$out/$file.sha256"
    cat "$out"/*.sha256 | sort -k2 > "$out/SHA256SUMS"
    echo "$out/$file"
    ;;

  vsix)
    need npm "install Node.js (it brings npm)"
    bin="$(binary)"
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    ext="$work/vscode"
    cp -r editors/vscode "$ext"
    rm -rf "$ext/node_modules" "$ext/bin"
    mkdir -p "$ext/bin"
    cp "$bin" "$ext/bin/$exe"
    chmod +x "$ext/bin/$exe"
    cp LICENSE-MIT "$ext/LICENSE"
    py "$ext/package.json" "$version" <<'PY'
import json, sys
path, version = sys.argv[1:]
pkg = json.load(open(path))
pkg["version"] = version
json.dump(pkg, open(path, "w"), indent=2)
PY
    # The extension's lockfile pins vscode-languageclient and vsce (a dev dependency, which
    # vsce leaves out of the package).
    (cd "$ext" && npm ci --no-audit --no-fund --silent) ||
      die "npm ci failed in editors/vscode: the packages it locks must be reachable"
    vsce="${VSCE:-$ext/node_modules/.bin/vsce}"
    [ -x "$vsce" ] || die "vsce is missing from editors/vscode's dependencies (or set VSCE)"
    (cd "$ext" && "$vsce" package --target "$vsix_id" --out "$out/sfn-lint-$vsix_id-$version.vsix" >&2)
    echo "$out/sfn-lint-$vsix_id-$version.vsix"
    ;;
esac
