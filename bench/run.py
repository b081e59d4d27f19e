"""gradguard performance benchmark: CLI vs the libcst parse floor and its peers, and the language server.

    bash bench/setup.sh            # once: ruff into .venv, TorchFix into bench/.venv-torchfix
    bash bench/fetch_corpus.sh     # once: the pinned PyPI corpus into /tmp/gradguard-corpus
    python bench/run.py            # full run (~15 min on 2 cores), writes bench/RESULTS.md
    python bench/run.py --quick    # ~2 min smoke run; prints the table, writes nothing

Everything is measured in one run on the same files, and the budgets are judged on ratios (the
machine is noisy). CPU is user+sys of the measured process and all the children it waited for
(os.wait4), so `-j 2` counts both workers. Peak RSS is ru_maxrss (the largest single process);
"tree" RSS is the sum over the process tree, sampled every 50 ms.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from lsp_client import LspClient, LspError, path_to_uri, proc_cpu, proc_status, text_range  # noqa: E402

SHARED = Path(os.environ.get("GRADGUARD_SHARED", REPO.parent / "shared"))
CORPUS = Path(os.environ.get("GRADGUARD_CORPUS", "/tmp/gradguard-corpus"))
SRC = CORPUS / "src"
CORE_LIST = SHARED / "corpus" / "core.txt"


def _venv_bin(name: str) -> str | None:
    for cand in (REPO / ".venv" / "bin" / name, Path(sys.executable).parent / name):
        if cand.exists():
            return str(cand)
    return shutil.which(name)


PY = _venv_bin("python") or sys.executable  # the project's interpreter: gradguard, libcst and ruff live there
RUFF = _venv_bin("ruff")
TORCHFIX = str(HERE / ".venv-torchfix" / "bin" / "torchfix") if (HERE / ".venv-torchfix" / "bin" / "torchfix").exists() \
    else shutil.which("torchfix")
GRADGUARD = [PY, "-m", "gradguard"]
GG_ENV: dict | None = None  # environment for gradguard processes; set by use_snapshot()
MEASURED = {"ref": "working tree", "commit": None}


def use_snapshot(ref: str | None) -> str:
    """Measure a frozen copy of `ref` (default HEAD) rather than the live working tree, which other
    engineers edit while a 15-minute run is going on. The copy goes first on PYTHONPATH, ahead of
    the editable install. With ref=None the working tree is measured as it is."""
    global GG_ENV
    if ref is None:
        MEASURED.update(ref="working tree", commit=_git("rev-parse", "--short", "HEAD"))
        dirty = _git("status", "--porcelain", "--", "server")
        if dirty:
            MEASURED["ref"] = "working tree with uncommitted changes in server/"
        return str(REPO / "server")
    commit = _git("rev-parse", "--short", ref)
    if not commit:
        raise SystemExit(f"unknown git ref {ref!r}")
    dest = extract_server(commit, Path(tempfile.mkdtemp(prefix="gg-bench-snapshot-")))
    GG_ENV = {**os.environ, "PYTHONPATH": str(dest / "server") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    where = subprocess.run([PY, "-c", "import gradguard, os; print(os.path.dirname(gradguard.__file__))"],
                           env=GG_ENV, capture_output=True, text=True).stdout.strip()
    if not where.startswith(str(dest)):
        raise SystemExit(f"the snapshot in {dest} is not the gradguard that gets imported ({where})")
    MEASURED.update(ref=f"snapshot of {ref}", commit=commit)
    return str(dest / "server")


def extract_server(commit: str, dest: Path) -> Path:
    """`server/` of a git revision, written under `dest` (returned)."""
    archive = subprocess.run(["git", "archive", commit, "server"], cwd=REPO, capture_output=True, check=True).stdout
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""

BUDGETS = {
    "floor_ratio": 2.0,  # CLI CPU/line <= 2x libcst.parse_module CPU/line
    "torchfix_ratio": 30.0,  # TorchFix CPU/line >= 30x gradguard CPU/line
    "ast_ratio": 6.0,  # CLI CPU (core.txt, -j 1, imports followed) <= 6x the ast.parse process over the same files
    "warm_ratio": 0.05,  # a re-run over unchanged files with the result cache <= 5 % of the cold run's CPU
    "edit_p95_ms": 50.0,
    "cold_start_s": 1.0,
    "rss_mb": 150.0,  # with 50 open files, in MB (10^6 bytes)
}


# ------------------------------------------------------------------------------------------------
# measuring a child process


@dataclass
class Run:
    cmd: str
    files: int
    lines: int
    wall: float = 0.0
    user: float = 0.0
    sys: float = 0.0
    maxrss_kb: int = 0  # ru_maxrss: the largest single process among the child and its waited-for children
    tree_rss_kb: int = 0  # sum of VmRSS over the process tree, sampled
    rc: int | None = None
    stdout_path: str | None = None
    stderr: str = ""
    inner: dict = field(default_factory=dict)  # what the child reports about itself (floor scripts)

    @property
    def cpu(self) -> float:
        return self.user + self.sys

    @property
    def us_per_line(self) -> float:
        return self.cpu / self.lines * 1e6 if self.lines else float("nan")

    @property
    def files_per_s(self) -> float:
        return self.files / self.wall if self.wall else float("nan")


def _children(pid: int) -> list[int]:
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    out += [int(x) for x in f.read().split()]
            except OSError:
                pass
    except OSError:
        pass
    return out


def tree_rss_kb(pid: int) -> int:
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        total += proc_status(p).get("VmRSS", 0)
        todo += _children(p)
    return total


class TreeSampler(threading.Thread):
    def __init__(self, pid: int, every: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.every, self.peak = pid, every, 0
        self._stop_evt = threading.Event()

    def run(self) -> None:
        while not self._stop_evt.is_set():
            self.peak = max(self.peak, tree_rss_kb(self.pid))
            self._stop_evt.wait(self.every)

    def stop(self) -> int:
        self._stop_evt.set()
        self.join()
        return self.peak


def measure(cmd: list[str], files: int, lines: int, cwd: Path = SRC, keep_stdout: bool = False,
            label: str | None = None, env: dict | None = None) -> Run:
    """Run `cmd` to completion; CPU and ru_maxrss come from wait4 on it, so they are exact for it alone."""
    out_fd, out_path = tempfile.mkstemp(prefix="gg-bench-", suffix=".out")
    err = tempfile.TemporaryFile()
    run = Run(label or " ".join(Path(c).name if i == 0 else c for i, c in enumerate(cmd[:6])), files, lines)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=out_fd, stderr=err, stdin=subprocess.DEVNULL, env=env)
    os.close(out_fd)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    _, status, ru = os.wait4(proc.pid, 0)
    run.wall = time.perf_counter() - t0
    run.tree_rss_kb = sampler.stop()
    proc.returncode = run.rc = os.waitstatus_to_exitcode(status)
    run.user, run.sys, run.maxrss_kb = ru.ru_utime, ru.ru_stime, ru.ru_maxrss
    run.tree_rss_kb = max(run.tree_rss_kb, run.maxrss_kb)
    err.seek(0)
    run.stderr = err.read().decode("utf-8", "replace")
    err.close()
    if keep_stdout:
        run.stdout_path = out_path
    else:
        os.unlink(out_path)
    return run


def median_run(runs: list[Run]) -> Run:
    """The run with the median CPU (a real run, so its numbers belong together)."""
    runs = sorted(runs, key=lambda r: r.cpu)
    return runs[(len(runs) - 1) // 2]


# ------------------------------------------------------------------------------------------------
# the files


def count_lines(path: Path) -> int:
    return path.read_bytes().count(b"\n")  # the same count as shared/corpus/fetch.sh


def corpus_files() -> list[str]:
    return sorted(str(p.relative_to(SRC)) for p in SRC.rglob("*.py"))


def core_files() -> list[str]:
    return [line.strip() for line in CORE_LIST.read_text().splitlines() if line.strip()]


def every_nth(items: list, k: int) -> list:
    """k items spread evenly over the list, deterministically."""
    if k >= len(items):
        return list(items)
    step = len(items) / k
    return [items[int(i * step)] for i in range(k)]


def write_list(files: list[str]) -> str:
    fd, path = tempfile.mkstemp(prefix="gg-bench-", suffix=".lst")
    with os.fdopen(fd, "w") as f:
        f.write("\n".join(files) + "\n")
    return path


# ------------------------------------------------------------------------------------------------
# the tools

FLOOR_SCRIPT = r"""
import sys, time, json, resource
mode, listfile = sys.argv[1], sys.argv[2]
t_import = time.process_time()
if mode == "libcst":
    import libcst
    parse = libcst.parse_module
else:
    import ast
    parse = ast.parse
t0 = time.process_time()
files = [l for l in open(listfile).read().splitlines() if l]
fails = []
for f in files:
    with open(f, encoding="utf-8") as fh:
        text = fh.read()
    try:
        parse(text)
    except Exception as e:
        fails.append(f"{f}: {type(e).__name__}")
    del text
t1 = time.process_time()
print(json.dumps({"import_cpu": t0 - t_import, "parse_cpu": t1 - t0, "failures": fails,
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def run_floor(mode: str, files: list[str], lines: int) -> Run:
    lst = write_list(files)
    try:
        run = measure([PY, "-c", FLOOR_SCRIPT, mode, lst], len(files), lines, keep_stdout=True,
                      label=f"{mode}.parse{'_module' if mode == 'libcst' else ''} (one process)")
        run.inner = json.loads(Path(run.stdout_path).read_text())
        os.unlink(run.stdout_path)
    finally:
        os.unlink(lst)
    return run


def gradguard_available() -> tuple[bool, str]:
    try:
        p = subprocess.run(GRADGUARD + ["check", "--help"], capture_output=True, text=True, timeout=60, env=GG_ENV)
    except (OSError, subprocess.TimeoutExpired) as e:
        return False, str(e)
    if p.returncode != 0:
        last = (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[-1]
        if "No module named" in last or "cannot be directly executed" in last:
            return False, "`python -m gradguard check` does not exist yet"
        return False, last[:120]
    return True, ""


NO_CACHE: tuple = ()  # ("--no-cache",) when the measured gradguard has a result cache: every run is a cold one


def run_gradguard(files: list[str], lines: int, jobs: int, keep_stdout: bool = False, extra: tuple = (),
                  cwd: Path = SRC, cache: tuple | None = None) -> Run:
    flags = [*(NO_CACHE if cache is None else cache), *extra]
    run = measure(GRADGUARD + ["check", "--format", "json", "-j", str(jobs), *flags] + files, len(files), lines,
                  keep_stdout=keep_stdout, label=" ".join(["gradguard check --format json -j", str(jobs), *flags]),
                  env=GG_ENV, cwd=cwd)
    return run


def cache_runs(files: list[str], lines: int) -> dict:
    """The result cache on a copy of the corpus (one of its files gets edited): a cold run that fills it, a warm
    re-run over the unchanged files, and a re-run after touching the workspace file most analyses read."""
    work = Path(tempfile.mkdtemp(prefix="gg-bench-cache-"))
    try:
        src = work / "src"
        shutil.copytree(SRC, src, symlinks=True)
        folder = ("--cache-dir", str(work / "cache"))
        out = {"cold": run_gradguard(files, lines, 1, keep_stdout=True, cwd=src, cache=folder)}
        out["warm"] = run_gradguard(files, lines, 1, keep_stdout=True, cwd=src, cache=folder)
        readers: dict[str, int] = {}
        for entry in (work / "cache").rglob("*.json"):
            try:
                body = json.loads(entry.read_bytes().partition(b"\n")[2])
            except ValueError:
                continue
            for other in body.get("consulted") or {}:
                readers[other] = readers.get(other, 0) + 1
        same = [Path(out[k].stdout_path).read_bytes() for k in ("cold", "warm")]
        out["warm_identical"] = same[0] == same[1]
        for k in ("cold", "warm"):
            os.unlink(out[k].stdout_path)
        if readers:
            touched, n = max(readers.items(), key=lambda kv: (kv[1], kv[0]))
            with open(touched, "a", encoding="utf-8") as fh:
                fh.write("\n# touched by bench/run.py\n")
            r = run_gradguard(files, lines, 1, cwd=src, cache=(*folder, "--verbose"))
            out["touched"] = r
            out["touched_file"] = os.path.relpath(touched, src)
            out["touched_readers"] = n
            out["touched_analysed"] = sum(1 for line in r.stderr.splitlines() if line.startswith("gradguard: analysed"))
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


def gradguard_has_flag(flag: str) -> bool:
    p = subprocess.run(GRADGUARD + ["check", "--help"], capture_output=True, text=True, env=GG_ENV)
    return flag in p.stdout


def gradguard_ok(run: Run) -> bool:
    return run.rc in (0, 1, 2) and not (run.rc == 2 and "Traceback" in run.stderr and run.cpu < 1.0)


def run_ruff(files: list[str], lines: int) -> Run:
    return measure([RUFF, "check", "--isolated", "--select", "ALL", "--no-cache", "--exit-zero"] + files,
                   len(files), lines, label="ruff check --select ALL --no-cache")


def run_torchfix(files: list[str], lines: int) -> Run:
    return measure([TORCHFIX, "-j", "1"] + files, len(files), lines, label="torchfix -j 1 (default rules)")


def tool_version(cmd: list[str]) -> str:
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        return (p.stdout.strip() or p.stderr.strip()).splitlines()[-1]
    except Exception as e:  # noqa: BLE001 - a version string is best effort
        return f"unknown ({type(e).__name__})"


# ------------------------------------------------------------------------------------------------
# JSON output of `gradguard check`


def walk_findings(obj, path: str | None = None):
    """Findings in whatever shape the JSON takes: dicts with a `code` and a `message`, their path
    taken from the nearest enclosing `path`/`file`/`filename`/`uri`."""
    if isinstance(obj, dict):
        for key in ("path", "file", "filename", "uri"):
            if isinstance(obj.get(key), str):
                path = obj[key]
                break
        if isinstance(obj.get("code"), str) and "message" in obj:
            yield path, obj
            return
        for value in obj.values():
            yield from walk_findings(value, path)
    elif isinstance(obj, list):
        for value in obj:
            yield from walk_findings(value, path)


def finding_position(f: dict) -> tuple[int, int]:
    for key in ("span", "range", "location", "start", "region"):
        sub = f.get(key)
        if isinstance(sub, dict):
            if "start" in sub and isinstance(sub["start"], dict):
                s = sub["start"]
                return int(s.get("line", 0)) + 1, int(s.get("character", 0)) + 1  # LSP-style, 0-based
            line = sub.get("line", sub.get("row", sub.get("startLine")))
            col = sub.get("column", sub.get("col", sub.get("startColumn", 0)))
            if line is not None:
                return int(line), int(col or 0)
    return int(f.get("line", f.get("row", 0)) or 0), int(f.get("column", f.get("col", 0)) or 0)


def load_findings(path: str) -> tuple[list[tuple[str, dict]], object]:
    text = Path(path).read_text(encoding="utf-8", errors="replace").strip()
    if not text:
        return [], None
    try:
        data = json.loads(text)
    except json.JSONDecodeError:  # JSON lines
        data = [json.loads(line) for line in text.splitlines() if line.strip()]
    return list(walk_findings(data)), data


# ------------------------------------------------------------------------------------------------
# the language server


def pick_lsp_file(core: list[str], corpus: list[str]) -> tuple[str, str]:
    """The largest torch-heavy model file of 3-5 k lines: from core.txt if one is there, else the corpus."""
    def model_like(rel: str) -> bool:
        text = (SRC / rel).read_text(encoding="utf-8", errors="replace")
        return text.count("def forward(") >= 5 and text.count("torch.") >= 20

    for pool, where in ((core, "core.txt"), (corpus, "whole corpus (no core.txt model file has 3-5 k lines)")):
        sized = sorted(((count_lines(SRC / f), f) for f in pool), reverse=True)
        for n, f in sized:
            if 3000 <= n <= 5000 and model_like(f):
                return f, where
    raise SystemExit("no model file of 3-5 k lines in the corpus")


def edit_point(text: str) -> tuple[int, str, str]:
    """Where to type: (0-based line after which a new line goes, its indentation, a tensor variable).
    A `forward` near the middle of the file, just after the first statement of its body."""
    tree = ast.parse(text)
    lines = text.splitlines()
    middle = len(lines) / 2
    best = None
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "forward":
            body = [s for s in node.body
                    if not (isinstance(s, ast.Expr) and isinstance(getattr(s, "value", None), ast.Constant))]
            args = [a.arg for a in node.args.args if a.arg not in ("self", "cls")]
            if len(body) < 3 or not args:
                continue
            score = abs(node.lineno - middle)
            if best is None or score < best[0]:
                best = (score, body[0], args[0])
    if best is None:
        raise SystemExit("no forward() with a body of 3+ statements to type into")
    _, stmt, var = best
    indent = lines[stmt.lineno - 1][: stmt.col_offset]
    return stmt.end_lineno - 1, indent, var


def edit_script(after_line: int, line_text: str, indent: str, var: str, n: int) -> list[tuple[dict, str]]:
    """n realistic edits as (LSP change, description): open a new line, type a statement one
    character at a time, then delete the whole line; repeat with another statement."""
    statements = [f"{var}_saved = {var}.clone()", f"{var}.mul_(0.5)", f"residual = {var} + 1",
                  f"{var} = {var}.relu()", f"{var}.add_(residual)", f"scale = {var}.norm(dim=-1, keepdim=True)"]
    edits: list[tuple[dict, str]] = []
    end = len(line_text)
    k = 0
    while len(edits) < n:
        stmt = statements[k % len(statements)]
        k += 1
        # Enter at the end of the statement line: a new, indented, empty line.
        edits.append(({"range": text_range(after_line, end, after_line, end), "text": "\n" + indent}, "newline"))
        col = len(indent)
        for ch in stmt:
            if len(edits) >= n - 1:
                break
            edits.append(({"range": text_range(after_line + 1, col, after_line + 1, col), "text": ch}, "type"))
            col += 1
        # Delete the line we typed (from the end of the line above to its end).
        edits.append(({"range": text_range(after_line, end, after_line + 1, col), "text": ""}, "delete line"))
    return edits[:n]


def apply_change(text: str, change: dict) -> str:
    """Apply one LSP range change to text (ASCII edits only, so UTF-16 columns are characters)."""
    lines = text.split("\n")
    s, e = change["range"]["start"], change["range"]["end"]

    def offset(p):
        return sum(len(x) + 1 for x in lines[: p["line"]]) + p["character"]

    a, b = offset(s), offset(e)
    return text[:a] + change["text"] + text[b:]


def summary(values: list[float]) -> dict:
    s = sorted(values)
    return {"n": len(s), "median": statistics.median(s), "p95": s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))],
            "max": s[-1], "min": s[0], "mean": statistics.fmean(s)}


def _valid(text: str) -> bool:
    try:
        ast.parse(text)
        return True
    except SyntaxError:
        return False


def lsp_bench(core: list[str], corpus: list[str], n_edits: int, n_open: int, debounce_ms: int | None,
              lsp_file: str | None, cadence_ms: float, server_cmd: list[str] | None = None) -> dict:
    res: dict = {"debounce_ms": debounce_ms, "cadence_ms": cadence_ms}
    cmd = server_cmd or GRADGUARD + ["lsp"]
    res["cmd"] = " ".join(Path(c).name if i == 0 else c for i, c in enumerate(cmd))
    settings = {"debounceMs": debounce_ms} if debounce_ms is not None else {}
    init_opts = {"settings": settings} if settings else None
    err_path = tempfile.mkstemp(prefix="gg-bench-lsp-", suffix=".err")[1]
    client = LspClient(cmd, cwd=str(SRC), stderr_path=err_path, settings=settings,
                       env=GG_ENV if server_cmd is None else None)
    res["stderr_path"] = err_path
    try:
        client.start()
        # 1. cold start: spawn -> first diagnostics for a small file
        small = min((f for f in core if 40 <= count_lines(SRC / f) <= 200), key=lambda f: count_lines(SRC / f))
        init = client.initialize(str(SRC), init_opts, timeout=30)
        res["initialize_s"] = init["_t"] - client.t_spawn
        res["sync_kind"] = client.sync_kind
        uri = path_to_uri(SRC / small)
        client.did_open(uri, (SRC / small).read_text(encoding="utf-8"))
        d = client.wait_diagnostics(uri, 1, timeout=30)
        if d is None:
            raise LspError(f"no diagnostics for {small} within 30 s of opening it")
        res["cold_start_s"] = d.t - client.t_spawn
        res["cold_start_cpu_s"] = proc_cpu(client.pid)
        res["cold_file"] = f"{small} ({count_lines(SRC / small)} lines)"
        res["rss_after_start_kb"] = proc_status(client.pid).get("VmRSS", 0)

        # 2. the big file: open it, then replay edits
        big = lsp_file
        if big is None:
            big, where = pick_lsp_file(core, corpus)
        else:
            where = "--lsp-file"
        text = (SRC / big).read_text(encoding="utf-8")
        res["edit_file"] = f"{big} ({count_lines(SRC / big)} lines; from {where})"
        uri = path_to_uri(SRC / big)
        t = client.did_open(uri, text, version=1)
        d = client.wait_diagnostics(uri, 1, timeout=60)
        if d is None:
            raise LspError(f"no diagnostics for {big} within 60 s of opening it")
        res["open_big_s"] = d.t - t
        res["open_big_diagnostics"] = len(d.diagnostics)

        after, indent, var = edit_point(text)
        line_text = text.split("\n")[after]
        res["edit_point"] = f"after line {after + 1}, typing statements on `{var}`"
        edits = edit_script(after, line_text, indent, var, n_edits)
        latencies, superseded, missing, kinds = [], 0, 0, {}
        series = []  # (kind, latency ms, server CPU ms, text is valid Python)
        version = 1
        next_send = time.perf_counter()
        for change, kind in edits:
            version += 1
            text = apply_change(text, change)
            now = time.perf_counter()
            if now < next_send:
                time.sleep(next_send - now)
            payload = change if client.sync_kind == 2 else {"text": text}
            cpu0 = proc_cpu(client.pid)
            t_send = client.did_change(uri, version, [payload])
            next_send = t_send + cadence_ms / 1000
            d = client.wait_diagnostics(uri, version, after=t_send, timeout=5)
            cpu1 = proc_cpu(client.pid)
            valid = _valid(text)
            if d is None:
                missing += 1
                if missing >= 10 and not latencies:
                    raise LspError("the server published nothing for 10 edits in a row")
                continue
            if d.version is not None and d.version > version:
                superseded += 1
                continue
            latencies.append((d.t - t_send) * 1000)
            kinds[kind] = kinds.get(kind, 0) + 1
            series.append((kind, latencies[-1], (cpu1 - cpu0) * 1000 if cpu0 is not None and cpu1 is not None else None,
                           valid))
        res["edits"] = len(edits)
        res["edits_measured"] = len(latencies)
        res["edits_missing"] = missing
        res["edits_superseded"] = superseded
        res["edit_kinds"] = kinds
        res["versioned_publish"] = any(x.version is not None for x in client.diagnostics)
        res["edit_series"] = series
        if latencies:
            res["edit_ms"] = summary(latencies)
            cpu = [c for _, _, c, _ in series if c is not None]
            if cpu:
                res["edit_cpu_ms"] = summary(cpu)
            for flag, name in ((True, "valid"), (False, "invalid")):
                sub = [lat for _, lat, _, v in series if v is flag]
                if sub:
                    res[f"edit_ms_{name}"] = summary(sub)

        # 3. memory with many files open
        others = [f for f in every_nth([f for f in core if f != big], n_open)]
        opened_ok = 0
        for f in others:
            u = path_to_uri(SRC / f)
            t = client.did_open(u, (SRC / f).read_text(encoding="utf-8"))
            if client.wait_diagnostics(u, 1, after=t, timeout=60) is not None:
                opened_ok += 1
        # The steady state of a server with these files open: measured once it has been idle for 3 s (it tidies
        # its memory after 1 s without work); VmHWM keeps the peak of the opening.
        time.sleep(3.0)
        st = proc_status(client.pid)
        res["open_files"] = len(others)
        res["open_files_diagnosed"] = opened_ok
        res["open_files_lines"] = sum(count_lines(SRC / f) for f in others)
        res["rss_kb"] = st.get("VmRSS", 0)
        res["hwm_kb"] = st.get("VmHWM", 0)
        res["tree_rss_kb"] = tree_rss_kb(client.pid)
        res["server_requests"] = sorted(set(client.server_requests))
    except (LspError, OSError) as e:
        res["error"] = str(e)
    finally:
        if client.proc is not None:
            res["exit_code"] = client.shutdown()
    tail = Path(err_path).read_text(errors="replace").strip().splitlines()[-5:]
    res["stderr_tail"] = tail
    return res


# ------------------------------------------------------------------------------------------------
# report


def mb(kb: float) -> float:
    return kb * 1024 / 1e6


def fmt(x: float, nd: int = 2) -> str:
    return f"{x:,.{nd}f}"


def status(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def machine_info() -> dict:
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass

    pyver = subprocess.run([PY, "-c", "import platform; print(platform.python_version())"],
                           capture_output=True, text=True).stdout.strip()
    libcst = subprocess.run([PY, "-c", "import importlib.metadata as m; print(m.version('libcst'))"],
                            capture_output=True, text=True).stdout.strip()
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": f"{MEASURED['commit'] or '(no commit)'} ({MEASURED['ref']})",
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "kernel": platform.release(),
        "python": pyver,
        "libcst": libcst,
        "ruff": tool_version([RUFF, "--version"]) if RUFF else "not installed",
        "torchfix": tool_version([TORCHFIX, "--version"]) if TORCHFIX else "not installed",
        "load average at the end": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def detail_row(name: str, r: Run | None, note: str = "") -> str:
    if r is None:
        return f"| {name} | | | | | | | | {note} |"
    return (f"| {name} | {r.files:,} | {r.lines:,} | {fmt(r.cpu)} | {fmt(r.wall)} | {fmt(r.files_per_s, 1)} | "
            f"{fmt(r.us_per_line, 1)} | {fmt(mb(r.maxrss_kb), 0)} / {fmt(mb(r.tree_rss_kb), 0)} | {note} |")


def report(R: dict, info: dict, quick: bool) -> str:
    out = []
    gg = R.get("gradguard_error")
    na = f"not available ({gg})" if gg else None
    rows = []

    for scope in ("corpus", "core"):
        s = R.get(scope)
        if not s:
            continue
        floor = s["libcst"]
        label = {"corpus": "whole corpus", "core": "core.txt"}[scope]
        if na:
            rows.append((f"CLI CPU/line vs libcst parse floor ({label}, -j 1)", "≤ 2.0×",
                         f"{na}; floor {fmt(floor.us_per_line, 1)} µs/line", None))
        else:
            g = s["gg1"]
            ratio = g.us_per_line / floor.us_per_line
            rows.append((f"CLI CPU/line vs libcst parse floor ({label}, -j 1)", "≤ 2.0×",
                         f"{ratio:.2f}× ({fmt(g.us_per_line, 1)} vs {fmt(floor.us_per_line, 1)} µs/line; "
                         f"{g.us_per_line / s['ast'].us_per_line:.1f}× the ast.parse process)",
                         ratio <= BUDGETS["floor_ratio"]))
            if scope == "core":
                ast_ratio = g.cpu / s["ast"].cpu
                rows.append((f"CLI CPU vs the ast.parse process ({label}, -j 1, imports followed)", "≤ 6.0×",
                             f"{ast_ratio:.1f}× ({fmt(g.cpu)} vs {fmt(s['ast'].cpu)} s; "
                             f"{fmt(g.us_per_line, 1)} µs/line)", ast_ratio <= BUDGETS["ast_ratio"]))
    C = R.get("cache")
    if C:
        warm = C["warm"].cpu / C["cold"].cpu
        rows.append(("Re-run with the result cache, nothing changed (core.txt, -j 1): CPU ÷ the cold run", "≤ 5 %",
                     f"{warm * 100:.1f} % ({fmt(C['warm'].cpu)} vs {fmt(C['cold'].cpu)} s; output identical: "
                     f"{C['warm_identical']})", warm <= BUDGETS["warm_ratio"] and C["warm_identical"]))
    tf = R.get("torchfix")
    if tf:
        t = tf["torchfix"]
        if t is None:
            rows.append(("TorchFix CPU/line ÷ gradguard CPU/line", "≥ 30×", "TorchFix not installed", None))
        elif na:
            rows.append((f"TorchFix CPU/line ÷ gradguard CPU/line ({t.files} core files)", "≥ 30×",
                         f"{na}; TorchFix {fmt(t.us_per_line, 0)} µs/line", None))
        else:
            ratio = t.us_per_line / tf["gg"].us_per_line
            rows.append((f"TorchFix CPU/line ÷ gradguard CPU/line ({t.files} core files, {t.lines:,} lines)",
                         "≥ 30×", f"{ratio:.1f}× ({fmt(t.us_per_line, 0)} vs {fmt(tf['gg'].us_per_line, 1)} µs/line)",
                         ratio >= BUDGETS["torchfix_ratio"]))
    L = R.get("lsp")
    if L is not None:
        deb = "server default debounce" if L.get("debounce_ms") is None else f"debounceMs={L['debounce_ms']}"
        if L.get("unavailable"):
            for name, budget in (("Server edit → diagnostics p95", "≤ 50 ms"), ("Server cold start → first diagnostics", "≤ 1 s"),
                                 ("Server RSS with 50 open files", "≤ 150 MB")):
                rows.append((name, budget, f"not available ({L['unavailable']})", None))
        else:
            e = L.get("edit_ms")
            if e:
                c = L.get("edit_cpu_ms")
                cpu_note = f"; server CPU per edit p95 {c['p95']:.0f} ms, median {c['median']:.0f}" if c else ""
                rows.append((f"Server edit → diagnostics p95 ({L['edits_measured']}/{L['edits']} edits, {deb})", "≤ 50 ms",
                             f"p95 {e['p95']:.1f} ms (median {e['median']:.1f}, max {e['max']:.1f}){cpu_note}",
                             e["p95"] <= BUDGETS["edit_p95_ms"]))
            else:
                rows.append(("Server edit → diagnostics p95", "≤ 50 ms", f"no measurement ({L.get('error', '?')})", False))
            if "cold_start_s" in L:
                rows.append(("Server cold start → first diagnostics", "≤ 1 s",
                             f"{L['cold_start_s']:.2f} s (initialize answered at {L['initialize_s']:.2f} s; "
                             f"server CPU {L.get('cold_start_cpu_s') or 0:.2f} s)",
                             L["cold_start_s"] <= BUDGETS["cold_start_s"]))
            else:
                rows.append(("Server cold start → first diagnostics", "≤ 1 s", f"no measurement ({L.get('error', '?')})", False))
            if "rss_kb" in L:
                rows.append((f"Server RSS with {L['open_files']} open files (+ the edited one), idle 3 s", "≤ 150 MB",
                             f"VmRSS {mb(L['rss_kb']):.0f} MB (peak while opening them, VmHWM: {mb(L['hwm_kb']):.0f} MB)",
                             mb(L["rss_kb"]) <= BUDGETS["rss_mb"]))
            else:
                rows.append(("Server RSS with 50 open files", "≤ 150 MB", f"no measurement ({L.get('error', '?')})", False))

    out.append("| Budget | Target | Measured | |")
    out.append("|---|---|---|---|")
    for name, target, measured, ok in rows:
        out.append(f"| {name} | {target} | {measured} | {status(ok)} |")

    out.append("")
    out.append("| Run | Files | Lines | CPU s | Wall s | Files/s | µs/line (CPU) | Peak RSS MB (largest proc / tree) | Notes |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    for scope in ("corpus", "core"):
        s = R.get(scope)
        if not s:
            continue
        label = {"corpus": "whole corpus", "core": "core.txt"}[scope]
        for key, name in (("gg1", "gradguard check -j 1"), ("gg2", "gradguard check -j 2"),
                          ("gg1_nofollow", "gradguard check -j 1 --no-follow")):
            if key == "gg1_nofollow" and key not in s:
                continue
            r = s.get(key)
            note = ""
            if r is not None:
                note = f"exit {r.rc}; {s.get(key + '_findings', '?')} findings"
                if key == "gg2" and s.get("gg1"):
                    note += f"; wall speed-up vs -j 1 {s['gg1'].wall / r.wall:.2f}×"
                if key == "gg1_nofollow":
                    note = (f"exit {r.rc}; following other files costs {s['gg1'].cpu / r.cpu:.2f}× this CPU; "
                            f"{r.us_per_line / s['libcst'].us_per_line:.2f}× the libcst floor")
            out.append(detail_row(f"{name} ({label})", r, note or (na or "")))
        f = s["libcst"]
        out.append(detail_row(f"libcst.parse_module floor ({label})", f,
                              f"parse loop alone {fmt(f.inner['parse_cpu'])} s = "
                              f"{fmt(f.inner['parse_cpu'] / f.lines * 1e6, 1)} µs/line; "
                              f"{len(f.inner['failures'])} files libcst cannot parse"))
        a = s["ast"]
        out.append(detail_row(f"ast.parse, for reference ({label})", a,
                              f"parse loop alone {fmt(a.inner['parse_cpu'])} s; {len(a.inner['failures'])} failures; "
                              f"the median of {len(s.get('ast_cpus', [a.cpu]))} runs around the gradguard runs "
                              f"({' / '.join(fmt(c) for c in s.get('ast_cpus', [a.cpu]))} s CPU)"))
        if s.get("ruff"):
            out.append(detail_row(f"ruff check --select ALL ({label})", s["ruff"], "multi-threaded; CPU summed over threads"))
    if C:
        out.append(detail_row("gradguard check -j 1, empty cache (core.txt, copy of the corpus)", C["cold"],
                              f"exit {C['cold'].rc}; fills the cache"))
        out.append(detail_row("gradguard check -j 1, warm cache, nothing changed", C["warm"],
                              f"exit {C['warm'].rc}; {C['warm'].cpu / C['cold'].cpu * 100:.1f} % of the cold CPU"))
        if C.get("touched"):
            out.append(detail_row("gradguard check -j 1, warm cache, one imported file touched", C["touched"],
                                  f"exit {C['touched'].rc}; touched {C['touched_file']} (read by "
                                  f"{C['touched_readers']} analyses); {C['touched_analysed']} files re-analysed"))
    if tf:
        if tf.get("torchfix"):
            out.append(detail_row("torchfix -j 1, default rules (sample)", tf["torchfix"], f"exit {tf['torchfix'].rc}"))
        if tf.get("gg"):
            out.append(detail_row("gradguard check -j 1 (same sample)", tf["gg"], f"exit {tf['gg'].rc}"))
        if tf.get("ruff"):
            out.append(detail_row("ruff check --select ALL (same sample)", tf["ruff"], ""))

    if L is not None and not L.get("unavailable"):
        out.append("")
        out.append("Language server (`" + L["cmd"] + "`):")
        for key, name in (("cold_file", "cold-start file"), ("initialize_s", "initialize answered (s after spawn)"),
                          ("cold_start_s", "first diagnostics (s after spawn)"), ("rss_after_start_kb", "VmRSS after start (kB)"),
                          ("edit_file", "edited file"), ("open_big_s", "open edited file → diagnostics (s)"),
                          ("open_big_diagnostics", "diagnostics on the edited file"),
                          ("edit_point", "edit point"), ("debounce_ms", "debounceMs sent in initializationOptions.settings"),
                          ("cadence_ms", "typing cadence (ms between keystrokes, or later if the server is slower)"),
                          ("sync_kind", "textDocumentSync.change (2 = incremental)"),
                          ("versioned_publish", "publishDiagnostics carries the version"),
                          ("edits_missing", "edits with no diagnostics within 5 s"),
                          ("edits_superseded", "edits answered only by a later version"),
                          ("edit_kinds", "measured edits by kind"),
                          ("edit_ms_valid", "edit → diagnostics (ms) when the text parses"),
                          ("edit_ms_invalid", "edit → diagnostics (ms) mid-statement, when it does not"),
                          ("edit_cpu_ms", "server CPU per edit (ms, /proc/<pid>/stat, 10 ms ticks)"), ("open_files_lines", "lines in the extra open files"),
                          ("open_files_diagnosed", "extra open files that got diagnostics"),
                          ("tree_rss_kb", "RSS of the server's process tree (kB)"), ("error", "error"),
                          ("stderr_tail", "server stderr (last lines)")):
            if key in L and L[key] not in (None, [], ""):
                v = L[key]
                if isinstance(v, float):
                    v = f"{v:.3f}"
                elif isinstance(v, dict) and "p95" in v:
                    v = f"n {v['n']}, median {v['median']:.1f}, p95 {v['p95']:.1f}, max {v['max']:.1f}"
                out.append(f"- {name}: {v}")

    notes = R.get("notes") or []
    if notes:
        out.append("")
        out.append("Notes:")
        out += [f"- {n}" for n in notes]
    out.append("")
    out.append("Machine and versions: " + "; ".join(f"{k} {v}" for k, v in info.items()))
    if quick:
        out.append("")
        out.append("(--quick: small samples, one repetition; not for the record)")
    return "\n".join(out)


# ------------------------------------------------------------------------------------------------


def cli_problems(r: Run) -> tuple[int, int]:
    """(files the CLI reported as internal errors/unreadable, files stopped at its time limit)."""
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    limit = sum(1 for x in lines if "time limit" in x)
    errors = sum(1 for x in lines if "internal error" in x or "cannot" in x or "syntax error" in x)
    return errors, limit


def run_notes(R: dict, load_start: str) -> list[str]:
    notes = []
    n = os.cpu_count() or 1
    loads = [float(load_start.split()[0]), os.getloadavg()[0]]
    if max(loads) > n:
        notes.append(f"The machine was shared (1-minute load {loads[0]:.1f} at the start, {loads[1]:.1f} at the end, "
                     f"on {n} cores): wall-clock figures and the -j 2 speed-up are inflated by other work; the CPU "
                     "figures and ratios hold better, and the server's CPU per edit is given beside its wall latency.")
    for scope, label in (("corpus", "whole corpus"), ("core", "core.txt")):
        s = R.get(scope) or {}
        if "gg1" not in s:
            continue
        for key in ("gg1", "gg2"):
            errors, limit = cli_problems(s[key])
            if errors or limit:
                notes.append(f"gradguard {'-j 1' if key == 'gg1' else '-j 2'} on {label}: {errors} files with an internal "
                             f"error or unreadable, {limit} stopped at the per-file time limit (exit {s[key].rc}).")
        f1, f2 = s.get("gg1_findings"), s.get("gg2_findings")
        if f1 != f2:
            p1, p2 = s.get("gg1_by_path") or {}, s.get("gg2_by_path") or {}
            differ = sorted(p for p in set(p1) | set(p2) if p1.get(p, 0) != p2.get(p, 0))
            where = ", ".join(f"{p} ({p1.get(p, 0)} vs {p2.get(p, 0)})" for p in differ[:6])
            notes.append(f"{label}: -j 1 and -j 2 reported different numbers of findings on the same files "
                         f"({f1} vs {f2}); the output should not depend on -j. Files that differ: {where}"
                         + (f" and {len(differ) - 6} more" if len(differ) > 6 else ""))
    return notes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small samples, one repetition, nothing written")
    ap.add_argument("--repeat", type=int, default=None, help="repetitions of the core.txt runs (median by CPU); default 3, quick 1")
    ap.add_argument("--no-corpus", action="store_true", help="skip the whole-corpus runs")
    ap.add_argument("--no-torchfix", action="store_true")
    ap.add_argument("--no-lsp", action="store_true")
    ap.add_argument("--lsp-only", action="store_true", help="only the language server (no CLI runs)")
    ap.add_argument("--torchfix-files", type=int, default=None, help="core files for TorchFix (default 60, quick 10)")
    ap.add_argument("--edits", type=int, default=None, help="edits to replay (default 200, quick 50)")
    ap.add_argument("--open-files", type=int, default=None, help="extra files to open (default 50, quick 10)")
    ap.add_argument("--debounce-ms", default="0",
                    help="debounceMs sent to the server in initializationOptions.settings; 'default' sends none")
    ap.add_argument("--cadence-ms", type=float, default=100.0, help="time between keystrokes when the server keeps up")
    ap.add_argument("--lsp-file", default=None, help="file (relative to the corpus src/) to edit instead of the automatic pick")
    ap.add_argument("--lsp-cmd", default=None, help="server command instead of `python -m gradguard lsp` (for testing)")
    ap.add_argument("--out", default=None, help="write the report here (default bench/RESULTS.md on full runs)")
    ap.add_argument("--json", default=None, help="also write raw numbers as JSON here")
    ap.add_argument("--ref", default="HEAD", help="git ref whose server/ is measured, from a frozen copy (default HEAD)")
    ap.add_argument("--worktree", action="store_true", help="measure the live working tree instead of a frozen copy")
    args = ap.parse_args(argv)

    if not SRC.is_dir() or not CORE_LIST.exists():
        print(f"corpus missing: run `bash bench/fetch_corpus.sh` (looked in {SRC} and {CORE_LIST})", file=sys.stderr)
        return 2
    quick = args.quick
    repeat = args.repeat or (1 if quick else 3)
    n_tf = args.torchfix_files or (10 if quick else 60)
    n_edits = args.edits or (50 if quick else 200)
    n_open = args.open_files or (10 if quick else 50)
    debounce = None if args.debounce_ms == "default" else int(args.debounce_ms)
    out_path = args.out or (None if quick else str(HERE / "RESULTS.md"))

    load_start = " ".join(f"{x:.1f}" for x in os.getloadavg())
    core = core_files()
    corpus = corpus_files()
    sample = every_nth(core, n_tf)
    if quick:
        core = every_nth(core, 60)
    lines = {f: count_lines(SRC / f) for f in set(core) | set(sample) | (set() if args.no_corpus or quick else set(corpus))}

    snap = use_snapshot(None if args.worktree else args.ref)
    ok, why = gradguard_available()
    global NO_CACHE
    has_cache = ok and gradguard_has_flag("--no-cache")
    NO_CACHE = ("--no-cache",) if has_cache else ()
    R: dict = {}
    if not ok:
        R["gradguard_error"] = why
        print(f"gradguard CLI not available: {why}", file=sys.stderr)

    def log(msg):
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    no_follow = ok and gradguard_has_flag("--no-follow")

    def scope_runs(files: list[str], reps: int, ruff_too: bool = True, variants: bool = False) -> dict:
        n = sum(lines[f] for f in files)
        runs: dict[str, list[Run]] = {}
        findings: dict[str, int] = {}
        for i in range(reps):
            log(f"  repetition {i + 1}/{reps}: {len(files)} files, {n:,} lines")
            # The ast.parse reference (1 s) is measured before, between and after the gradguard runs (10 s each):
            # the machine's speed drifts by up to 1.5x over minutes, and the median of the three is the moment's.
            runs.setdefault("ast", []).append(run_floor("ast", files, n))
            runs.setdefault("libcst", []).append(run_floor("libcst", files, n))
            if ok:
                for j in (1, 2):
                    if j == 2:
                        runs["ast"].append(run_floor("ast", files, n))
                    r = run_gradguard(files, n, j, keep_stdout=True)
                    try:
                        found = load_findings(r.stdout_path)[0]
                        findings[f"gg{j}_findings"] = len(found)
                        per_path: dict[str, int] = {}
                        for path, _ in found:
                            per_path[path] = per_path.get(path, 0) + 1
                        findings[f"gg{j}_by_path"] = per_path
                    except (ValueError, OSError):
                        findings[f"gg{j}_findings"] = "unparseable JSON"
                    os.unlink(r.stdout_path)
                    if not gradguard_ok(r):
                        log(f"  gradguard -j {j} failed (exit {r.rc}): {r.stderr.strip().splitlines()[-1:]}")
                    runs.setdefault(f"gg{j}", []).append(r)
            if variants and no_follow:  # what following calls into other files costs
                runs.setdefault("gg1_nofollow", []).append(run_gradguard(files, n, 1, extra=("--no-follow",)))
            runs["ast"].append(run_floor("ast", files, n))
            if ruff_too and RUFF:
                runs.setdefault("ruff", []).append(run_ruff(files, n))
        findings["ast_cpus"] = [r.cpu for r in runs.get("ast", [])]
        return {**{k: median_run(v) for k, v in runs.items()}, **findings}

    if args.lsp_only:
        args.no_corpus = args.no_torchfix = True
    if not args.no_corpus and not quick:
        log("whole corpus")
        R["corpus"] = scope_runs(corpus, 1)
    if not args.lsp_only:
        log("core.txt" + (" (60-file sample)" if quick else ""))
        R["core"] = scope_runs(core, repeat, variants=True)
        if has_cache:
            log("result cache: cold, warm, one imported file touched (on a copy of the corpus)")
            R["cache"] = cache_runs(core, sum(lines[f] for f in core))

    if not args.no_torchfix:
        n = sum(lines[f] for f in sample)
        log(f"TorchFix sample: {len(sample)} files, {n:,} lines")
        # TorchFix once (it takes a minute); the short gradguard and ruff runs `repeat` times, median by CPU.
        R["torchfix"] = {"torchfix": run_torchfix(sample, n) if TORCHFIX else None,
                         "gg": median_run([run_gradguard(sample, n, 1) for _ in range(repeat)]) if ok else None,
                         "ruff": median_run([run_ruff(sample, n) for _ in range(repeat)]) if RUFF else None}

    if not args.no_lsp:
        log("language server")
        server_cmd = None
        if args.lsp_cmd:  # the server runs in the corpus directory: make relative paths absolute
            server_cmd = [os.path.abspath(c) if "/" in c and Path(c).exists() else c for c in args.lsp_cmd.split()]
        if server_cmd is None and not ok:
            R["lsp"] = {"unavailable": why}
        else:
            R["lsp"] = lsp_bench(core_files(), corpus, n_edits, n_open, debounce, args.lsp_file,
                                 args.cadence_ms, server_cmd)
            if R["lsp"].get("error") and "cold_start_s" not in R["lsp"]:
                log(f"  server: {R['lsp']['error']}")

    R["notes"] = run_notes(R, load_start)
    info = machine_info()
    info["load average at the start"] = load_start
    if snap != str(REPO / "server"):
        shutil.rmtree(Path(snap).parent, ignore_errors=True)
    text = report(R, info, quick)
    print(text)
    if out_path:
        header = ("# gradguard benchmark results\n\n"
                  f"Measured {info['date']}, commit {info['commit']}, with `python bench/run.py"
                  f"{' ' + ' '.join(argv if argv is not None else sys.argv[1:]) if (argv if argv is not None else sys.argv[1:]) else ''}`.\n"
                  "CPU = user+sys of the process and the children it waited for; the budgets are ratios "
                  "measured in the same run on the same files.\n\n")
        Path(out_path).write_text(header + text + "\n")
        log(f"wrote {out_path}")
    if args.json:
        def enc(o):
            if isinstance(o, Run):
                return {**asdict(o), "cpu": o.cpu, "us_per_line": o.us_per_line, "stderr": o.stderr[-2000:]}
            raise TypeError(type(o))
        Path(args.json).write_text(json.dumps({"info": info, "results": R}, default=enc, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
