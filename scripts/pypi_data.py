"""What the data generators share: one file of a pinned package from PyPI, and writing the
generated file or checking it against what is checked in."""

import glob
import os
import subprocess
import sys
import tempfile
import zipfile


def wheel_file(package, version, inner, unpacked=None):
    """The text of `inner` in the wheel of `package==version` (downloaded with pip, no
    dependencies), or in an unpacked copy of the package at `unpacked`."""
    if unpacked:
        with open(os.path.join(unpacked, inner), encoding="utf-8") as f:
            return f.read()
    with tempfile.TemporaryDirectory() as tmp:
        download(package, version, tmp)
        wheel = glob.glob(os.path.join(tmp, package.replace("-", "_") + "-*.whl"))[0]
        with zipfile.ZipFile(wheel) as z:
            return z.read(inner).decode("utf-8")


def download(package, version, into):
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
         "-d", into, f"{package}=={version}"],
        check=True,
    )


def finish(out, text, check, source, script):
    """Writes `text` to `out`, or with `check` compares them; the exit code."""
    if check:
        with open(out, encoding="utf-8") as f:
            if f.read() != text:
                print(f"{out} differs from what {source} gives; run {script}")
                return 1
        print(f"{out} matches {source} ({len(text.encode())} bytes)")
        return 0
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {out} ({len(text.encode())} bytes)")
    return 0
