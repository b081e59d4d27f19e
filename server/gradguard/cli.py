"""`gradguard` command line: check files, trace a program, print rule docs, start the language server.

Exit codes of `check`: 0 no findings, 1 findings, 2 usage error or a file that could not be read or analysed
(the other files are still checked).
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from . import __version__
from .cache import text_digest
from .cli_report import Progress
from .config import Config, ConfigError, find_pyproject, load_pyproject, unknown_codes
from .engine import analyze, tune_gc
from .output import FileResult, finding_dict, print_text, sarif
from .rules import RULES

SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv", "venv", ".tox", ".nox", ".mypy_cache",
             ".pytest_cache", ".ruff_cache", "build", "dist", "site-packages", ".eggs"}
MAX_FILE_BYTES = 20 * 1024 * 1024
EXIT_CODES = """exit codes:
  0  no findings
  1  findings (also when the output pipe was closed early, as by `| head`)
  2  usage or configuration error, a path that does not exist, or a file that could not be read or analysed

formats (--format):
  text   one line per finding, its related places indented, then a summary line
  json   one JSON array of findings: path, line, column, end_line, end_column, code, severity, message, related
  sarif  SARIF 2.1.0, for GitHub code scanning

`gradguard check -` reads the source from stdin; --stdin-filename names it (for the output, exclude and the
project's other files)."""


def discover(paths: list[str], config: Config) -> tuple[list[str], list[str]]:
    """Python files under the given paths, sorted; and the paths that do not exist."""
    found, missing = [], []
    for raw in paths:
        p = Path(raw)
        if p.is_file():
            if not config.excluded(str(p)):
                found.append(str(p))
        elif p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith(".")
                                 and not config.excluded(os.path.join(root, d)))
                for name in sorted(files):
                    if name.endswith((".py", ".pyi", ".ipynb")):
                        full = os.path.join(root, name)
                        if not config.excluded(full):
                            found.append(full)
        else:
            missing.append(raw)
    seen, unique = set(), []
    for f in found:
        if f not in seen:
            seen.add(f)
            unique.append(f)
    return unique, missing


def read_source(path: str) -> tuple[str | None, str | None]:
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device (or a link to one) would block or never end
            return None, "not a regular file"
        size = info.st_size
        if size > MAX_FILE_BYTES:
            return None, f"file is {size // 1024 // 1024} MiB, larger than the {MAX_FILE_BYTES // 1024 // 1024} MiB limit"
        data = Path(path).read_bytes()
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"
    return decode_source(data)


def decode_source(data: bytes) -> tuple[str | None, str | None]:
    """Python source bytes as text (PEP 263 coding line honoured), or why they are not source text."""
    if b"\x00" in data:
        return None, "binary file (contains NUL bytes), not Python source"
    try:
        import io
        import tokenize

        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
        # detect_encoding says "invalid or missing encoding declaration" for bytes that are simply not UTF-8
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as bad:
            line = data.count(b"\n", 0, bad.start) + 1
            return None, f"not valid UTF-8 (byte 0x{data[bad.start]:02x} at line {line})"
        return None, f"cannot decode as Python source text: {exc}"
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, None


# The project root of this `gradguard check` (helpers in its other files are followed); one Project per process.
_ROOT: str | None = None
_PROJECTS: dict = {}
CLI_JEDI_BUDGET = 3.0  # seconds of jedi per file: a batch run wants the same answer every time, not speed
CLI_PARSED_FILES = 512  # other files kept parsed (about 1.6 kB a line): the whole 1.4 M-line corpus took 960 MB


def project_for(root: str | None):
    if root is None:
        return None
    project = _PROJECTS.get(root)
    if project is None:
        from .project import Project

        project = _PROJECTS[root] = Project(root, jedi_budget=CLI_JEDI_BUDGET, max_files=CLI_PARSED_FILES)
    return project


def check_file(path: str, config: Config, keep_source: bool = False, root: str | None = None) -> FileResult:
    project = project_for(root or _ROOT)
    if path.endswith(".ipynb"):
        return check_notebook_file(path, config, keep_source, project)
    text, error = read_source(path)
    if error:
        return FileResult(path, error=error)
    try:
        result = analyze(text, path, config, project=project)
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
        return FileResult(path, error=f"internal error while analysing: {type(exc).__name__}: {exc}")
    cacheable = None if result.timed_out else (text_digest(text), result.consulted, result.importers)
    return FileResult(path, result.findings, result.error, text if keep_source else None, cacheable=cacheable)


def check_notebook_file(path: str, config: Config, keep_source: bool, project) -> FileResult:
    from . import notebook

    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device (or a link to one) would block or never end
            return FileResult(path, error="not a regular file")
        size = info.st_size
        if size > MAX_FILE_BYTES:
            return FileResult(path, error=f"file is {size // 1024 // 1024} MiB, larger than the "
                                          f"{MAX_FILE_BYTES // 1024 // 1024} MiB limit")
        raw = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return FileResult(path, error=f"cannot read: {getattr(exc, 'strerror', None) or exc}")
    try:
        program, result = notebook.analyze_notebook(raw, path, config, project)
    except notebook.NotebookError as exc:
        return FileResult(path, error=str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
        return FileResult(path, error=f"internal error while analysing: {type(exc).__name__}: {exc}")
    return FileResult(path, result.findings, result.error, raw if keep_source else None, program)


def check_stdin(name: str, data: bytes, config: Config, root: str | None) -> FileResult:
    """`gradguard check -`: the source comes from stdin, `name` (--stdin-filename) stands for its path."""
    project = project_for(root)
    try:
        if name.endswith(".ipynb"):
            from . import notebook

            program, result = notebook.analyze_notebook(data.decode("utf-8"), name, config, project)
            return FileResult(name, result.findings, result.error, None, program)
        text, error = decode_source(data)
        if error:
            return FileResult(name, error=error)
        result = analyze(text, name, config, project=project)
    except Exception as exc:  # noqa: BLE001 - reported like any file that could not be analysed
        return FileResult(name, error=f"cannot analyse: {type(exc).__name__}: {exc}")
    return FileResult(name, result.findings, result.error)


def _check_many(args):
    paths, config, keep, root = args
    return [check_file(p, config, keep, root) for p in paths]


def check_paths(files: list[str], config: Config, jobs: int, keep_source: bool = False,
                root: str | None = None, cache=None, progress: Progress | None = None) -> list[FileResult]:
    """`cache` (a gradguard.cache.ResultCache): files whose cached result still holds are not analysed."""
    if cache is None:
        return analyse_paths(files, config, jobs, keep_source, root, progress)
    done: dict[str, FileResult] = {}
    for path in files:
        if path.endswith(".ipynb"):  # a notebook's result holds its cell map: always analysed
            cache.misses[path] = "a notebook"
            continue
        text, error = read_source(path)
        hit = cache.lookup(path, text) if error is None else None
        if hit is not None:
            done[path] = FileResult(path, hit[0], hit[1])
            if progress:
                progress.advance()
    for res in analyse_paths([p for p in files if p not in done], config, jobs, keep_source, root, progress):
        done[res.path] = res
        if res.cacheable is not None:
            cache.store(res.path, *res.cacheable[:2], res.findings, res.error, importers=res.cacheable[2])
    return [done[p] for p in files]


def analyse_paths(files: list[str], config: Config, jobs: int, keep_source: bool = False,
                  root: str | None = None, progress: Progress | None = None) -> list[FileResult]:
    if jobs <= 1 or len(files) < 8:
        out = []
        for p in files:
            out.append(check_file(p, config, keep_source, root))
            if progress:
                progress.advance()
        return out
    # Contiguous chunks, results reassembled in input order: the output is the same for any -j.
    # (One contiguous part per worker, so that the followers of a module share its parse, measured no better:
    # core.txt -j 2 CPU 13.7 vs 13.6 s; the parses of imported files are ~7 % of the CPU, and few are shared.)
    chunks = max(jobs * 4, 1)
    size = max(1, (len(files) + chunks - 1) // chunks)
    batches = [files[i:i + size] for i in range(0, len(files), size)]
    parts: list[list[FileResult]] = [[] for _ in batches]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(_check_many, (b, config, keep_source, root)): i for i, b in enumerate(batches)}
        for future in as_completed(futures):
            parts[futures[future]] = future.result()
            if progress:
                progress.advance(len(parts[futures[future]]))
    return [res for part in parts for res in part]


# ---------------------------------------------------------------------------- commands
def split_codes(text: str | None) -> list[str]:
    if not text:
        return []
    return [c.strip().upper() for c in text.split(",") if c.strip()]


def cmd_check(args) -> int:
    tune_gc(batch=True)
    try:
        cli_config = Config(select=split_codes(args.select), ignore=split_codes(args.ignore),
                            exclude=list(args.exclude or []), strict=args.strict)
        for option, codes in (("--select", cli_config.select), ("--ignore", cli_config.ignore)):
            bad = unknown_codes(codes)
            if bad:
                print(f"gradguard: {option} {','.join(codes)}: unknown rule code {bad[0]} (`gradguard rules` lists "
                      "them)", file=sys.stderr)
                return 2
        if "ALL" in cli_config.select:
            cli_config.select = ["GG"]
        base = Config()
        if not args.isolated:
            pyproject = Path(args.config) if args.config else find_pyproject(Path(args.paths[0] if args.paths else "."))
            if pyproject is not None:
                base = load_pyproject(pyproject)
        config = base.merged(cli_config)
    except ConfigError as exc:
        print(f"gradguard: {exc}", file=sys.stderr)
        return 2
    if args.paths == ["-"]:
        return check_stdin_command(args, config)
    if "-" in args.paths:
        print("gradguard: `-` (stdin) cannot be mixed with paths", file=sys.stderr)
        return 2
    files, missing = discover(args.paths or ["."], config)
    for raw in args.paths:
        if os.path.isfile(raw) and config.excluded(raw):
            print(f"gradguard: {raw} is not checked: it matches `exclude`", file=sys.stderr)
    status = 0
    for m in missing:
        print(f"gradguard: {m}: no such file or directory", file=sys.stderr)
        status = 2
    jobs = args.jobs if args.jobs and args.jobs > 0 else (os.cpu_count() or 1)
    fixing = args.fix or args.diff
    global _ROOT
    by_path: dict[str, FileResult] = {}
    for root, group in root_groups(files, args):
        _ROOT = root
        for res in check_group(group, args, config, jobs, fixing):
            by_path[res.path] = res
    results = [by_path[f] for f in files]
    for res in results:
        if res.error:
            print(f"gradguard: {res.path}: {res.error}", file=sys.stderr)
            status = 2
    if not args.diff or args.format != "text":
        write_results(results, args.format, len(missing), args.paths)
    return exit_status(results, status, args.exit_zero)


def root_groups(files: list[str], args) -> list[tuple[str | None, list[str]]]:
    """The files of the run by project root (project.argument_roots), in the order of their first file; one group
    of root None with --no-follow."""
    if args.no_follow:
        return [(None, files)]
    from .project import argument_roots

    roots = argument_roots([p for p in (args.paths or ["."]) if os.path.exists(p)] or ["."])
    groups: dict[str, list[str]] = {}
    for f in files:
        groups.setdefault(root_of(f, roots), []).append(f)
    return list(groups.items())


def root_of(path: str, roots: dict[str, str]) -> str:
    """The root of the command-line path that holds `path` (the first one, as `discover` found it there)."""
    full = os.path.abspath(path)
    for given, root in roots.items():
        if full == given or full.startswith(given.rstrip(os.sep) + os.sep):
            return root
    return next(iter(roots.values()))


def check_group(files: list[str], args, config: Config, jobs: int, fixing: bool) -> list[FileResult]:
    """Check (and with --fix/--diff, fix) files of one project root (_ROOT, set by the caller)."""
    cache = open_cache(args, config, fixing)
    progress = Progress(sys.stderr, len(files)) if sys.stderr.isatty() and len(files) > 1 else None
    try:
        results = check_paths(files, config, jobs, keep_source=fixing, root=_ROOT, cache=cache, progress=progress)
    finally:
        if progress:
            progress.close()
    if cache is not None:
        report_cache(cache, len(files), args.verbose)
    if fixing:
        from .autofix import apply_to_results, edits_elsewhere, other_file_edits
        from .notebook import fix_notebook_results

        write = args.fix and not args.diff
        stream = sys.stdout if args.diff else sys.stderr
        notebooks = [r for r in results if r.notebook is not None]
        elsewhere = other_file_edits(notebooks, args.unsafe_fixes)  # a notebook's fix in a workspace file
        scripts = apply_to_results([r for r in results if r.notebook is None], config, write=write,
                                   unsafe=args.unsafe_fixes, out=stream, recheck=lambda p: check_file(p, config),
                                   project=project_for(_ROOT), also=notebooks) \
            if len(notebooks) < len(results) or elsewhere else []
        fixed_nbs = fix_notebook_results(notebooks, config, write=write, unsafe=args.unsafe_fixes, out=stream,
                                         project=project_for(_ROOT), recheck=lambda p: check_file(p, config))
        if write and elsewhere:  # a notebook whose finding was fixed in the file that builds its module
            fixed_nbs = [check_file(new.path, config) if new is old and edits_elsewhere(old, args.unsafe_fixes)
                         else new for old, new in zip(notebooks, fixed_nbs)]
        by_path = {id(old): new for old, new in zip(notebooks, fixed_nbs)}
        rest = iter(scripts)
        results = [by_path[id(r)] if r.notebook is not None else next(rest) for r in results]
    return results


def write_results(results: list[FileResult], fmt: str, missing: int = 0, paths: list[str] = ()) -> None:
    """The report on stdout. A reader that stops early (`| head -1`) is not an error, and the exit code still
    says whether there were findings: the rest of the output goes nowhere."""
    try:
        if fmt == "json":
            payload = [finding_dict(r.path, f, r) for r in results for f in r.findings]
            json.dump(payload, sys.stdout, indent=1)
            sys.stdout.write("\n")
        elif fmt == "sarif":
            json.dump(sarif(results), sys.stdout, indent=1)
            sys.stdout.write("\n")
        else:
            print_text(results, sys.stdout, missing, paths)
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def exit_status(results: list[FileResult], status: int, exit_zero: bool) -> int:
    if status == 2:
        return 2
    if exit_zero:
        return 0
    return 1 if any(r.findings for r in results) else 0


def check_stdin_command(args, config: Config) -> int:
    if args.fix or args.diff:
        print("gradguard: --fix and --diff need files; with `-` (stdin) only the findings are reported",
              file=sys.stderr)
        return 2
    name = args.stdin_filename or "-"
    if args.stdin_filename and config.excluded(name):
        print(f"gradguard: {name} is not checked: it matches `exclude`", file=sys.stderr)
        write_results([], args.format, 0, [name])
        return 0
    root = None
    if not args.no_follow and args.stdin_filename:
        from .project import find_root

        folder = os.path.dirname(os.path.abspath(name))
        root = find_root([folder]) if os.path.isdir(folder) else None
    res = check_stdin(name, sys.stdin.buffer.read(), config, root)
    status = 0
    if res.error:
        print(f"gradguard: {name}: {res.error}", file=sys.stderr)
        status = 2
    write_results([res], args.format, 0, [name])
    return exit_status([res], status, args.exit_zero)


def cache_folder(args) -> Path:
    from .cache import default_folder
    from .project import find_root

    if args.cache_dir:
        return Path(args.cache_dir)
    return default_folder(_ROOT or find_root([p for p in (args.paths or ["."]) if os.path.exists(p)] or ["."]))


def open_cache(args, config: Config, fixing: bool):
    """The result cache of this run, or None. --fix and --diff never use it: they rewrite (or show rewriting)
    the files, and an edit built from a stale result would damage the user's code, not just print a wrong line;
    a fix run also needs the analysis' syntax trees, which the cache does not keep."""
    if args.no_cache or fixing:
        return None
    from .cache import ResultCache, settings_of, workspace_layout

    follow = _ROOT is not None
    layout = workspace_layout(_ROOT) if follow else None
    if follow and layout is None:
        if args.verbose:
            print(f"gradguard: not caching: too many files under the project root {_ROOT} to tell when an import "
                  "may find another file", file=sys.stderr)
        return None
    return ResultCache.open(cache_folder(args), settings_of(config, follow, _ROOT), layout)


def report_cache(cache, files: int, verbose: bool) -> None:
    cache.finish()
    if cache.warning:
        print(f"gradguard: {cache.warning}", file=sys.stderr)
    if verbose:
        for path, why in cache.misses.items():
            print(f"gradguard: analysed {path} ({why})", file=sys.stderr)
        print(f"gradguard: {cache.hits} of {files} files from the cache in {cache.root}", file=sys.stderr)


def cmd_clean(args) -> int:
    from .cache import clean

    try:
        print(clean(cache_folder(args)))
    except (ValueError, OSError) as exc:
        print(f"gradguard: {exc}", file=sys.stderr)
        return 2
    return 0


def cmd_rule(args) -> int:
    from .docs import rule_markdown

    code = args.code.upper()
    if code not in RULES:
        print(f"gradguard: no rule {args.code}; `gradguard rules` lists them", file=sys.stderr)
        return 2
    print(rule_markdown(RULES[code]))
    return 0


def cmd_rules(args) -> int:
    if args.format == "json":
        json.dump([{"code": r.code, "name": r.name, "severity": r.severity.value, "summary": r.summary,
                    "url": r.url, "default_enabled": r.default_enabled} for r in RULES.values()], sys.stdout,
                  indent=1)
        print()
        return 0
    for r in RULES.values():
        print(f"{r.code}  {r.name:34s} {r.severity.value:8s} {r.summary}")
    return 0


def cmd_docs(args) -> int:
    from .docs import write_docs

    written = write_docs(Path(args.out))
    print(f"wrote {len(written)} pages to {args.out}")
    return 0


def cmd_trace(argv: list[str]) -> int:
    from .trace.command import main as trace_main  # the only way in to the code that imports torch

    return trace_main(argv, check_file)


def cmd_lsp(argv: list[str]) -> int:
    from .lsp.entry import main as lsp_main

    return lsp_main(argv)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gradguard", description=__doc__.splitlines()[0], epilog=EXIT_CODES,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"gradguard {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check Python files and folders", epilog=EXIT_CODES,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    check.add_argument("paths", nargs="*", help="files or folders (default: .); `-` reads one file from stdin")
    check.add_argument("--format", choices=["text", "json", "sarif"], default="text",
                       help="text (default), json or sarif: see below")
    check.add_argument("--stdin-filename", help="the path the source read from stdin (`-`) stands for")
    check.add_argument("--select", help="comma-separated codes or prefixes to enable (e.g. GG1,GG201)")
    check.add_argument("--ignore", help="comma-separated codes or prefixes to disable")
    check.add_argument("--exclude", action="append", help="glob of paths to skip (repeatable)")
    check.add_argument("--config", help="pyproject.toml to read [tool.gradguard] from")
    check.add_argument("--isolated", action="store_true", help="ignore pyproject.toml")
    check.add_argument("--fix", action="store_true", help="apply the preferred safe fixes in place")
    check.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; change nothing")
    check.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes that may change behaviour")
    check.add_argument("-j", "--jobs", type=int, default=0, help="processes to use (default: number of cores)")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("--no-follow", action="store_true",
                       help="do not follow calls into the project's other files (by default helpers and module "
                            "classes imported from the project are analysed with the caller)")
    check.add_argument("--strict", action="store_true",
                       help="also report what depends on the caller (grad mode, whether an argument requires grad), "
                            "as information")
    check.add_argument("--no-cache", action="store_true", help="analyse every file; neither read nor write the cache")
    check.add_argument("--cache-dir", help="where results are cached (default: .gradguard_cache in the project root)")
    check.add_argument("-v", "--verbose", action="store_true", help="say which files were analysed and why (the "
                       "others came from the cache)")
    check.set_defaults(func=cmd_check)
    clean = sub.add_parser("clean", help="remove the result cache of the project around the paths")
    clean.add_argument("paths", nargs="*", help="files or folders of the project (default: .)")
    clean.add_argument("--cache-dir", help="the cache folder to remove (default: .gradguard_cache in the project root)")
    clean.set_defaults(func=cmd_clean)
    rule = sub.add_parser("rule", help="print one rule's documentation")
    rule.add_argument("code")
    rule.set_defaults(func=cmd_rule)
    rules = sub.add_parser("rules", help="list the rules")
    rules.add_argument("--format", choices=["text", "json"], default="text")
    rules.set_defaults(func=cmd_rules)
    docs = sub.add_parser("docs", help="write the rule reference pages (Markdown)")
    docs.add_argument("--out", default="docs/rules")
    docs.set_defaults(func=cmd_docs)
    sub.add_parser("lsp", help="start the language server (stdio)", add_help=False)
    sub.add_parser("trace", help="run a program under torch and name the line that broke autograd "
                                 "(needs gradguard[trace])", add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["lsp"]:
        return cmd_lsp(argv[1:])
    if argv[:1] == ["trace"]:
        return cmd_trace(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


def run() -> None:
    """The `gradguard` command. A check leaves hundreds of MB of parsed trees and abstract values behind; letting
    the interpreter tear them down one by one took longer than a third of the check itself (benchmark sample:
    2 s after 3.3 s of work). Everything is written and flushed by then, so end the process at once."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # a closed pipe or stream: nothing left to tell anyone
        code = code or 0
    os._exit(code if isinstance(code, int) else 1)


if __name__ == "__main__":
    run()
