"""Files that stopped at the time limit in an audit: their CPU per version, and what a pause does to them.

    python bench/slow_files.py --old main                    # bench/slow_files.txt, trees in /tmp/audit23/trees
    python bench/slow_files.py --old main --pause 3 --limit 1
    python bench/slow_files.py --old 4d91282 --new HEAD --list my.txt --trees /path/to/trees

The list holds one `TREE PATH` per line: TREE a folder under --trees (a repository's checkout, the project root of
its files), PATH a file in it. Each version runs in a long-lived worker per tree (cli.check_file, as
`gradguard check -j 1` calls it, the tree as the project root), the two taking turns on every file; a worker
reports the CPU its analysis took (time.process_time, start-up not counted), the wall time, and the stop message if
the analysis did not finish.

`--pause S` stops the worker (SIGSTOP) for S seconds while its walk runs, as a machine too busy to run it would: on
the wall clock the old time limit cut the file short; counted in CPU time the analysis finishes. With `--limit L`
(seconds; the CLI's is 10) a shorter pause shows it. The 24 files of bench/slow_files.txt are those of session 23's
audit (239 research repositories, on a shared machine) that stopped at the time limit.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import lockstep  # noqa: E402 - extract()
import run  # noqa: E402 - the interpreter

WORKER = r"""
import json, os, signal, sys, time
from gradguard import cli
from gradguard.analysis import checker
from gradguard.config import Config
from gradguard.engine import tune_gc
tune_gc(batch=True)
root, limit = os.getcwd(), float(sys.argv[1])
cli._ROOT = root
checker.DEFAULT_TIME_LIMIT = limit
config = Config()
walk = checker.Interpreter.run_block
pause = []

def paused_walk(self, body, state):
    if pause:  # once per file, inside its walk: the driver sends SIGCONT
        pause.clear()
        sys.stdout.write("paused\n")
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGSTOP)
    return walk(self, body, state)

checker.Interpreter.run_block = paused_walk
cli.check_file(os.path.join(os.path.dirname(checker.__file__), "context.py"), config, False, root)  # warm up
for line in sys.stdin:
    path, paused = line.rstrip("\n").split("\t")
    if paused == "1":
        pause.append(True)
    started, wall = time.process_time(), time.monotonic()
    res = cli.check_file(path, config, False, root)
    pause.clear()
    sys.stdout.write(json.dumps([time.process_time() - started, time.monotonic() - wall, res.error or "",
                                 len(res.findings)]) + "\n")
    sys.stdout.flush()
"""


def start(server: Path, tree: Path, limit: float) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(server)}
    return subprocess.Popen([run.PY, "-c", WORKER, str(limit)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, env=env, cwd=tree)


def analyse(proc: subprocess.Popen, path: str, pause: float) -> list:
    import json

    proc.stdin.write(f"{path}\t{1 if pause else 0}\n")
    proc.stdin.flush()
    answer = proc.stdout.readline()
    if answer == "paused\n":  # the worker stops itself inside the walk
        while stopped(proc.pid) is False:
            time.sleep(0.01)
        time.sleep(pause)
        os.kill(proc.pid, signal.SIGCONT)
        answer = proc.stdout.readline()
    if not answer:
        raise SystemExit(f"slow_files: a worker stopped on {path} (exit {proc.wait()})")
    return json.loads(answer)


def stopped(pid: int) -> bool | None:
    """Is the process stopped (SIGSTOP)? None where /proc cannot tell."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "T"
    except (OSError, IndexError):
        return None


def short(error: str) -> str:
    if not error:
        return "finished"
    if "past its time limit" in error:
        return "watchdog: " + error.split(":", 1)[1].split("(")[0].strip()
    return error.split(";")[0].split("(")[0].strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--old", required=True, help="git revision (or `worktree`)")
    parser.add_argument("--new", default="worktree", help="git revision, or `worktree` (the default)")
    parser.add_argument("--list", default=str(HERE / "slow_files.txt"), help="`TREE PATH` lines")
    parser.add_argument("--trees", default="/tmp/audit23/trees", help="the folder holding the trees")
    parser.add_argument("--limit", type=float, default=10.0, help="the time limit per file, in seconds")
    parser.add_argument("--pause", type=float, default=0.0, help="seconds each walk is paused (SIGSTOP)")
    args = parser.parse_args(argv)
    entries = [line.split(None, 1) for line in Path(args.list).read_text().splitlines() if line.strip()]
    by_tree: dict[str, list[str]] = {}
    for tree, path in entries:
        if not (Path(args.trees) / tree / path).is_file():
            raise SystemExit(f"slow_files: {tree}/{path} not found under {args.trees}")
        by_tree.setdefault(tree, []).append(path)
    rows = []
    with tempfile.TemporaryDirectory(prefix="gg-slow-") as tmp:
        servers = [lockstep.extract(args.old, Path(tmp) / "old"), lockstep.extract(args.new, Path(tmp) / "new")]
        for tree, paths in by_tree.items():
            procs = [start(s, Path(args.trees) / tree, args.limit) for s in servers]
            try:
                for n, path in enumerate(paths):
                    order = (0, 1) if n % 2 == 0 else (1, 0)
                    got = {i: analyse(procs[i], path, args.pause) for i in order}
                    rows.append((f"{tree}/{path}", got[0], got[1]))
            finally:
                for p in procs:
                    p.stdin.close()
                    p.wait()
    print(f"{len(rows)} files; limit {args.limit:g} s, pause {args.pause:g} s; CPU and wall s of cli.check_file")
    print(f"| file | {args.old} CPU s | {args.new} CPU s | {args.old} wall s | {args.new} wall s "
          f"| {args.old} | {args.new} |")
    print("|---|---|---|---|---|---|---|")
    for name, old, new in rows:
        print(f"| {name} | {old[0]:.3f} | {new[0]:.3f} | {old[1]:.2f} | {new[1]:.2f} | {short(old[2])} "
              f"| {short(new[2])} |")
    cpu = [sum(r[k][0] for r in rows) for k in (1, 2)]
    stopped = [sum(bool(r[k][2]) for r in rows) for k in (1, 2)]
    print(f"total CPU s: {cpu[0]:.2f} -> {cpu[1]:.2f}; stopped: {stopped[0]} -> {stopped[1]} of {len(rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
