"""Two versions of the CLI's engine, file by file in lockstep: which one costs less CPU, to within about 1 %.

    python bench/lockstep.py --old main                  # main vs the working tree, core.txt, 2 rounds
    python bench/lockstep.py --old HEAD~3 --new HEAD --rounds 4
    python bench/lockstep.py --old HEAD --new HEAD       # the noise floor: a version against itself

On these shared machines the speed of a whole run moves by up to 1.5x from one minute to the next, so two runs
one after the other cannot tell a 3 % change from noise. Here each version runs in its own long-lived process
(what `gradguard check -j 1` does: imports, facts and followed files kept between files), and the two take
turns on every file: file 1 in A then B, file 2 in A then B, ... (B first in every other round). A slow minute
then costs both the same. Each process reports the CPU its own analysis of the file took (time.process_time
around cli.check_file, as the CLI calls it), so start-up is not counted.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402 - the corpus paths and the interpreter

WORKER = r"""
import sys, time
from gradguard import cli
from gradguard.config import Config
from gradguard.engine import tune_gc
from gradguard.project import find_root
tune_gc(batch=True)
paths = sys.argv[1:]
root = find_root(paths)
cli._ROOT = root
config = Config()
for line in sys.stdin:
    started = time.process_time()
    cli.check_file(line.strip(), config, False, root)
    sys.stdout.write("%.6f\n" % (time.process_time() - started))
    sys.stdout.flush()
"""


def extract(ref: str, into: Path) -> Path:
    """`server/` of a git revision, or the working tree's for "worktree"."""
    if ref == "worktree":
        return run.REPO / "server"
    try:
        return run.extract_server(ref, into) / "server"
    except subprocess.CalledProcessError as exc:
        raise SystemExit(f"lockstep: cannot read revision {ref!r}: {exc.stderr.decode().strip()}") from None


def start(server: Path, files: list[str]) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(server)}
    check = subprocess.run([run.PY, "-c", "import gradguard, os; print(os.path.dirname(gradguard.__file__))"],
                           env=env, capture_output=True, text=True, cwd=run.SRC).stdout.strip()
    if not Path(check).resolve().is_relative_to(server.resolve()):
        raise SystemExit(f"lockstep: {server} is not the gradguard that gets imported ({check})")
    return subprocess.Popen([run.PY, "-c", WORKER, *files], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, env=env, cwd=run.SRC)


def analyse(proc: subprocess.Popen, path: str) -> float:
    proc.stdin.write(path + "\n")
    proc.stdin.flush()
    answer = proc.stdout.readline()
    if not answer:
        raise SystemExit(f"lockstep: a worker stopped on {path} (exit {proc.wait()})")
    return float(answer)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--old", required=True, help="git revision (or `worktree`)")
    parser.add_argument("--new", default="worktree", help="git revision, or `worktree` (the default)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--files", help="a list of corpus paths relative to src/ (default: core.txt)")
    args = parser.parse_args(argv)
    rel = [line.strip() for line in Path(args.files).read_text().splitlines() if line.strip()] if args.files \
        else run.core_files()
    files = [str(run.SRC / r) for r in rel]
    missing = [f for f in files if not os.path.isfile(f)]
    if missing:
        raise SystemExit(f"lockstep: {len(missing)} files missing (first: {missing[0]}); run bench/fetch_corpus.sh")
    with tempfile.TemporaryDirectory(prefix="gg-lockstep-") as tmp:
        servers = [extract(args.old, Path(tmp) / "old"), extract(args.new, Path(tmp) / "new")]
        totals, per_round = [0.0, 0.0], []
        for r in range(args.rounds):
            procs = [start(s, files) for s in servers]
            order = (0, 1) if r % 2 == 0 else (1, 0)
            spent = [0.0, 0.0]
            try:
                for path in files:
                    for i in order:
                        spent[i] += analyse(procs[i], path)
            finally:
                for p in procs:
                    p.stdin.close()
                    p.wait()
            per_round.append(spent)
            totals = [totals[0] + spent[0], totals[1] + spent[1]]
    lines = sum(Path(f).read_text(encoding="utf-8", errors="replace").count("\n") for f in files)
    print(f"{len(files)} files, {lines:,} lines, {args.rounds} rounds; CPU of cli.check_file per version")
    print("| version | CPU s (all rounds) | µs/line | per round |")
    print("|---|---|---|---|")
    for i, ref in enumerate((args.old, args.new)):
        rounds = " / ".join(f"{s[i]:.2f}" for s in per_round)
        print(f"| {ref} | {totals[i]:.2f} | {totals[i] / args.rounds / lines * 1e6:.1f} | {rounds} |")
    ratios = " / ".join(f"{s[1] / s[0]:.3f}" for s in per_round)
    print(f"new ÷ old: {totals[1] / totals[0]:.3f} (per round {ratios})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
