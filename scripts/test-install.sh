#!/usr/bin/env bash
# Installs sfn-lint the ways users do, from packages built here, and runs it: the wheel in a
# fresh virtual environment, the npm tarballs in an empty project (offline), the release
# archive through the GitHub Action's install step (checksum verified), the VS Code extension's
# manifest, the pre-commit hook; then audits the workflows with zizmor. Every step fails the
# run when its tool is missing. Prints install times and artifact sizes.
#
#   scripts/test-install.sh TOOLS_VENV    # a virtual environment with maturin, pre-commit, zizmor
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
tools="${1:?usage: scripts/test-install.sh TOOLS_VENV}"
for t in maturin pre-commit zizmor; do
  [ -x "$tools/bin/$t" ] || { echo "test-install: $t is missing from $tools"; exit 1; }
done
for t in npm node python3 tar; do
  command -v "$t" >/dev/null || { echo "test-install: $t is required"; exit 1; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "test-install: FAILED: $*"; exit 1; }
now() { date +%s.%N; }
secs() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f} s')" "$1" "$2"; }
size() { du -h "$1" | cut -f1; }

# A SAM project: a template that names its definition file, with a placeholder substituted,
# and a role that allows what the definition calls.
sam="$work/sam-project"
mkdir -p "$sam/.git" "$sam/statemachine"
cat > "$sam/template.yaml" <<'YAML'
Transform: AWS::Serverless-2016-10-31
Resources:
  OrderFlow:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: statemachine/flow.asl.json
      DefinitionSubstitutions:
        QueueUrl: https://sqs.us-east-1.amazonaws.com/123456789012/orders
      Policies:
        - SQSSendMessagePolicy:
            QueueName: orders
YAML
cat > "$sam/statemachine/flow.asl.json" <<'JSON'
{
  "StartAt": "Notify",
  "States": {
    "Notify": {
      "Type": "Task",
      "Resource": "arn:aws:states:::sqs:sendMessage",
      "Parameters": { "QueueUrl": "${QueueUrl}", "MessageBody.$": "$" },
      "End": true
    }
  }
}
JSON

# Runs an installed sfn-lint: its version, the bundled example (one known error: exit 1) and
# the SAM project (clean: exit 0).
exercise() {
  local how="$1"
  shift
  "$@" --version | grep -q "^sfn-lint " || fail "$how: --version"
  set +e
  (cd "$root" && "$@" check --format concise examples/) > "$work/out.txt" 2>&1
  local rc=$?
  set -e
  [ "$rc" = 1 ] && grep -q RefundAndNotify "$work/out.txt" || { cat "$work/out.txt"; fail "$how: check examples/ gave exit $rc"; }
  (cd "$sam" && "$@" check --deny-warnings .) > "$work/out.txt" 2>&1 || { cat "$work/out.txt"; fail "$how: check on a SAM project"; }
  echo "  $how: --version, check examples/ (exit 1, the known defect) and a SAM project (clean): ok"
}

echo "== PyPI: the wheel in a fresh virtual environment"
t0=$(now)
MATURIN="$tools/bin/maturin" scripts/package.sh pypi "$work/pypi" > /dev/null
t1=$(now)
wheel="$(ls "$work"/pypi/sfn_lint-*.whl)"
sdist="$(ls "$work"/pypi/sfn_lint-*.tar.gz)"
python3 -m venv "$work/venv"
t2=$(now)
"$work/venv/bin/pip" install --quiet --no-index "$wheel"
t3=$(now)
exercise "pip install $(basename "$wheel")" "$work/venv/bin/sfn-lint"
echo "  built in $(secs "$t0" "$t1"); installed in $(secs "$t2" "$t3"); wheel $(size "$wheel"), sdist $(size "$sdist")"

# The binary the other packages carry: the release build maturin just made.
export SFN_LINT_BIN="$root/target/release/sfn-lint"
cargo build --release --locked --quiet

echo "== npm: the launcher and this platform's package, installed offline from their tarballs"
scripts/package.sh npm "$work/npm" > /dev/null
proj="$work/npm-project"
mkdir -p "$proj"
(cd "$proj" && npm init -y > /dev/null)
t0=$(now)
(cd "$proj" && npm install --offline --no-audit --no-fund --silent "$work"/npm/*.tgz)
t1=$(now)
[ -f "$proj/node_modules/.bin/sfn-lint" ] || fail "npm install made no sfn-lint command"
exercise "npm install (offline)" npx --prefix "$proj" --offline sfn-lint
echo "  installed in $(secs "$t0" "$t1"); $(for f in "$work"/npm/*.tgz; do printf '%s %s; ' "$(basename "$f")" "$(size "$f")"; done)"

echo "== Release archive, installed by the GitHub Action's step (checksum verified)"
scripts/package.sh archive "$work/archive" > /dev/null
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
rel="$work/releases/v$version"
mkdir -p "$rel"
cp "$work"/archive/*.tar.gz "$work/archive/SHA256SUMS" "$rel/"
(cd "$rel" && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS does not match the archive"
tar -tzf "$rel"/*.tar.gz > "$work/list.txt"
grep -q "/LICENSE-APACHE$" "$work/list.txt" || fail "the archive lacks LICENSE-APACHE"
git rev-parse HEAD > "$rel/SOURCE_COMMIT"
case "$(uname -m)" in x86_64) arch=X64 ;; aarch64 | arm64) arch=ARM64 ;; *) arch=unknown ;; esac
install_step() {
  SFN_LINT_ACTION_PATH="$root" RUNNER_OS=Linux RUNNER_ARCH="$arch" RUNNER_TOOL_CACHE="$work/tool-cache-$1" \
    SFN_LINT_RELEASES="file://$work/releases" SFN_LINT_REF="$2" bash scripts/action-install.sh
}
t0=$(now)
out="$(install_step tag "v$version" 2> "$work/err.txt")" || { cat "$work/err.txt"; fail "the action's install step, pinned by tag"; }
t1=$(now)
grep -q "checksum verified" "$work/err.txt" || fail "the install step did not verify the checksum"
bin="${out#bin=}"
exercise "the action's install step (v$version)" "$bin"
out="$(install_step sha "$(git rev-parse HEAD)" 2> "$work/err.txt")" || { cat "$work/err.txt"; fail "the install step, pinned by commit"; }
grep -q "checksum verified" "$work/err.txt" || fail "pinned by commit, the release binary was not used"
# A checksum that cannot match: the archive's, with every hex digit shifted.
awk '{ h = $1; gsub(/0/, "g", h); gsub(/[1-9a-f]/, "0", h); gsub(/g/, "1", h); print h "  " $2 }' "$rel/SHA256SUMS" > "$work/sums"
mv "$work/sums" "$rel/SHA256SUMS"
if install_step bad "v$version" > /dev/null 2> "$work/err.txt"; then fail "a wrong checksum was accepted"; fi
grep -q "checksum mismatch" "$work/err.txt" || { cat "$work/err.txt"; fail "a wrong checksum gave no clear message"; }
echo "  pinned by tag and by commit: ok; a wrong checksum is refused; installed in $(secs "$t0" "$t1"); $(basename "$(ls "$work"/archive/*.tar.gz)") $(size "$(ls "$work"/archive/*.tar.gz)")"

echo "== VS Code: the .vsix and its manifest"
t0=$(now)
scripts/package.sh vsix "$work/vsix" > /dev/null
t1=$(now)
vsix="$(ls "$work"/vsix/*.vsix)"
python3 - "$vsix" "$version" <<'PY' || fail "the .vsix manifest"
import json, sys, zipfile
path, version = sys.argv[1:]
z = zipfile.ZipFile(path)
names = set(z.namelist())
pkg = json.loads(z.read("extension/package.json"))
for key in ("name", "publisher", "version", "engines", "main", "activationEvents", "contributes"):
    assert key in pkg, f"package.json lacks {key}"
assert pkg["version"] == version, (pkg["version"], version)
assert pkg["main"].lstrip("./") and f"extension/{pkg['main'].lstrip('./')}" in names, "main is not packaged"
props = pkg["contributes"]["configuration"]["properties"]
assert "sfn-lint.path" in props and "sfn-lint.severity" in props, "settings missing"
assert any(e.startswith("workspaceContains:") and "asl" in e for e in pkg["activationEvents"])
assert "extension/bin/sfn-lint" in names or "extension/bin/sfn-lint.exe" in names, "no bundled binary"
info = z.getinfo("extension/bin/sfn-lint") if "extension/bin/sfn-lint" in names else None
assert info is None or (info.external_attr >> 16) & 0o111, "the bundled binary is not executable"
assert any(n.startswith("extension/node_modules/vscode-languageclient/") for n in names), "no language client"
assert not any(n.startswith("extension/node_modules/@vscode/vsce") for n in names), "dev dependencies packaged"
manifest = z.read("extension.vsixmanifest").decode()
assert 'TargetPlatform="' in manifest, "no target platform in extension.vsixmanifest"
print(f"  {path.rsplit('/', 1)[-1]}: manifest, settings, activation, bundled binary, target platform: ok")
PY
echo "  built in $(secs "$t0" "$t1"); $(size "$vsix")"

echo "== pre-commit: the python hook installs the wheel"
export PRE_COMMIT_HOME="$work/pre-commit"
t0=$(now)
set +e
PIP_FIND_LINKS="$work/pypi" "$tools/bin/pre-commit" try-repo . sfn-lint --files examples/order-processing.asl.json > "$work/out.txt" 2>&1
rc=$?
set -e
t1=$(now)
[ "$rc" = 1 ] && grep -q RefundAndNotify "$work/out.txt" || { cat "$work/out.txt"; fail "pre-commit try-repo (exit $rc)"; }
echo "  installed and ran in $(secs "$t0" "$t1"): found the known defect"

echo "== zizmor: the workflows and the action"
"$tools/bin/zizmor" --offline --no-progress .github/workflows action.yml || fail "zizmor reports findings"
echo "install tests (pip, npm, the action's install step, vsix, pre-commit, zizmor):"
echo "install: 6 passed, 0 failed"
