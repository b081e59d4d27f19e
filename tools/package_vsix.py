"""Build the VS Code extension packages: one per platform with the server bundled, plus a universal one.

    python3 tools/package_vsix.py                  # this machine's platform (npm run package)
    python3 tools/package_vsix.py --target win32-x64 --target darwin-arm64
    python3 tools/package_vsix.py --all            # every platform + universal (make vsix)

A platform package carries `bundled/libs`: gradguard (a wheel built from this checkout) and its dependencies
(pygls, lsprotocol, attrs, cattrs, jedi, parso, libcst, pyyaml, ...), fetched as wheels for that platform with
`pip install --target --platform --only-binary :all: --python-version`. libcst and pyyaml are native and publish
one wheel per CPython version (no abi3), so the script installs once per supported version and merges the trees:
the pure-Python files are the same (every install is held to the versions resolved for the newest Python), and
the native modules sit side by side (`libcst/native.cpython-311-x86_64-linux-gnu.so`, `...-312-...`).
`bundled/libs/gradguard-bundle.json` records the target and the CPython versions, so the extension can say why
an interpreter cannot run the bundle. The universal package has no `bundled/libs` and uses the environment.

Output: dist/gradguard-<target>.vsix (npm run package also copies the host's to gradguard.vsix).
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LIBS = REPO / "bundled" / "libs"
DIST = REPO / "dist"
MANIFEST = "gradguard-bundle.json"

# CPython versions the bundle supports. 3.9 is left out: jedi 0.20 and cattrs 26 need 3.10, and it is past its
# end of life. Free-threaded builds (3.14t) are left out: pygls and jedi are not tested on them.
PYTHON_VERSIONS = ["3.10", "3.11", "3.12", "3.13", "3.14"]

# VS Code target -> pip platform tags (newest first; pip accepts a wheel carrying any of them).
PLATFORMS: dict[str, list[str]] = {
    # libcst's Linux wheels are manylinux_2_28: glibc 2.28 or newer (Debian 10, Ubuntu 20.04, RHEL 8).
    "linux-x64": ["manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"],
    "linux-arm64": ["manylinux_2_28_aarch64", "manylinux_2_17_aarch64", "manylinux2014_aarch64"],
    "darwin-x64": ["macosx_10_15_x86_64", "macosx_10_13_x86_64", "macosx_10_12_x86_64", "macosx_10_9_x86_64"],
    "darwin-arm64": ["macosx_11_0_arm64"],
    "win32-x64": ["win_amd64"],
}
# libcst 1.9 dropped macOS x86_64 wheels; 1.8.6 is the last release with them.
EXTRA_CONSTRAINTS = {"darwin-x64": ["libcst<1.9"]}


def host_target() -> str:
    system = {"Linux": "linux", "Darwin": "darwin", "Windows": "win32"}.get(platform.system(), "?")
    machine = {"x86_64": "x64", "AMD64": "x64", "aarch64": "arm64", "arm64": "arm64"}.get(platform.machine(), "?")
    return f"{system}-{machine}"


def run(cmd: list[str], **kw) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kw)


def build_wheel(python: str, out: Path) -> Path:
    run([python, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(REPO)])
    (wheel,) = out.glob("gradguard-*.whl")
    return wheel


def pip_target(python: str, wheel: Path, target: str, version: str, dest: Path, constraints: Path) -> None:
    cmd = [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-compile",
           "--target", str(dest), "--only-binary", ":all:", "--implementation", "cp",
           "--python-version", version, "-c", str(constraints)]
    for tag in PLATFORMS[target]:
        cmd += ["--platform", tag]
    run(cmd + [str(wheel)])


def installed_versions(tree: Path) -> dict[str, str]:
    out = {}
    for info in tree.glob("*.dist-info"):
        name, _, version = info.name[: -len(".dist-info")].partition("-")
        out[name.lower().replace("_", "-")] = version
    return out


def merge(src: Path, dest: Path) -> None:
    """Copies src over dest; a file both have must be identical (metadata aside): else the bundle would mix versions."""
    for path in src.rglob("*"):
        if path.is_dir():
            continue
        rel = path.relative_to(src)
        out = dest / rel
        if out.exists():
            if not rel.parts[0].endswith(".dist-info") and out.read_bytes() != path.read_bytes():
                raise SystemExit(f"bundle: {rel} differs between Python versions")
            continue
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, out)


def bundle(python: str, wheel: Path, target: str, work: Path) -> None:
    """Fills bundled/libs for one target."""
    shutil.rmtree(LIBS.parent, ignore_errors=True)
    LIBS.mkdir(parents=True)
    constraints = work / f"constraints-{target}.txt"
    constraints.write_text("\n".join(EXTRA_CONSTRAINTS.get(target, [])) + "\n")
    pinned: dict[str, str] = {}
    for version in reversed(PYTHON_VERSIONS):  # newest first: it fixes the versions of everything pure
        dest = work / f"{target}-cp{version.replace('.', '')}"
        shutil.rmtree(dest, ignore_errors=True)
        pip_target(python, wheel, target, version, dest, constraints)
        got = installed_versions(dest)
        if not pinned:
            pinned = got
            pins = [f"{name}=={ver}" for name, ver in sorted(got.items()) if name != "gradguard"]
            constraints.write_text("\n".join(EXTRA_CONSTRAINTS.get(target, []) + pins) + "\n")
        shutil.rmtree(dest / "bin", ignore_errors=True)  # console scripts: the extension runs `-m gradguard`
        merge(dest, LIBS)
    manifest = {
        "target": target,
        "platform_tags": PLATFORMS[target],
        "python_versions": PYTHON_VERSIONS,
        "packages": installed_versions(LIBS),
    }
    (LIBS / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"bundle {target}: {sum(1 for p in LIBS.rglob('*') if p.is_file())} files, "
          f"Python {', '.join(PYTHON_VERSIONS)}", flush=True)


def vsce(target: str | None) -> Path:
    DIST.mkdir(exist_ok=True)
    out = DIST / f"gradguard-{target or 'universal'}.vsix"
    cmd = ["node", str(REPO / "node_modules" / "@vscode" / "vsce" / "vsce"), "package", "-o", str(out)]
    if target:
        # vsce's secret scan reads every file and takes ~10 min on the 6,500 files of bundled/libs, which are only
        # what pip installed from wheels; the extension's own files are scanned when the universal package is built.
        cmd += ["--target", target, "--allow-package-all-secrets"]
    run(cmd, cwd=REPO)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", action="append", choices=sorted(PLATFORMS), help="a platform (repeatable)")
    parser.add_argument("--all", action="store_true", help="every platform and the universal package")
    parser.add_argument("--universal", action="store_true", help="also the universal package (no bundled server)")
    parser.add_argument("--python", default=sys.executable, help="the Python whose pip fetches the wheels")
    parser.add_argument("--copy-to", type=Path, help="also copy the (single) package built here to this path")
    args = parser.parse_args(argv)
    targets = sorted(PLATFORMS) if args.all else (args.target or [host_target()])
    for target in targets:
        if target not in PLATFORMS:
            raise SystemExit(f"no bundle recipe for this machine ({target}); pass --target, one of {sorted(PLATFORMS)}")
    if not (REPO / "node_modules" / "@vscode" / "vsce").is_dir():
        raise SystemExit("node_modules/@vscode/vsce is missing: run `npm ci` first")
    run(["npm", "run", "-s", "compile"], cwd=REPO)
    built = []
    with tempfile.TemporaryDirectory(prefix="gradguard-bundle-") as tmp:
        work = Path(tmp)
        wheel = build_wheel(args.python, work / "wheel")
        try:
            for target in targets:
                bundle(args.python, wheel, target, work)
                built.append(vsce(target))
        finally:
            shutil.rmtree(LIBS.parent, ignore_errors=True)  # the working tree never keeps a bundle around
    if args.all or args.universal:
        built.append(vsce(None))
    for path in built:
        print(f"built {path.relative_to(REPO)} ({path.stat().st_size / 1e6:.1f} MB)")
    if args.copy_to:
        if len(built) != 1:
            raise SystemExit("--copy-to needs exactly one package")
        shutil.copy2(built[0], args.copy_to)
        print(f"copied to {args.copy_to}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
