"""`gradguard trace [--format text|json|sarif] [--strict] [--hooks-only] script.py [args...]` (or `-m module`).

The program runs as `python script.py args...` would, under the recorder. Exit code: 1 when the run found an
autograd problem, else the program's own (1 for an uncaught exception, as Python); 2 for a usage error or a
missing torch. The text report goes to stderr after the program's own output; with --format json or sarif the
report is the only thing on stdout (the program's stdout goes to stderr).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from typing import Callable

USAGE = "gradguard trace [options] script.py [args...] | gradguard trace [options] -m module [args...]"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gradguard trace", usage=USAGE,
                                     description="Run a program under torch and name the line that broke autograd.")
    parser.add_argument("--format", choices=["text", "json", "sarif"], default="text")
    parser.add_argument("--strict", action="store_true",
                        help="also report changes of saved tensors that no backward() used in this run, "
                             "as information")
    parser.add_argument("--hooks-only", action="store_true",
                        help="no dispatch mode: torch.compile keeps compiling, but a changed saved tensor is found "
                             "at backward() without the line that changed it, and .data writes are not seen")
    parser.add_argument("--no-static", action="store_true", help="do not run the static analysis on the files")
    parser.add_argument("--no-result-file", action="store_true",
                        help="do not write .gradguard_trace/last.json (what the editor shows)")
    parser.add_argument("-m", dest="module", metavar="MODULE", help="run a library module as a script")
    return parser


def split_program(argv: list[str]) -> tuple[list[str], list[str]]:
    """(trace's own options, the program and its arguments): everything after the script or `-m MODULE` is
    the program's, as with `python`."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "-m":
            return argv[:i + 2], argv[i + 2:]
        if arg == "--format":
            i += 2
        elif arg == "--":
            return argv[:i], argv[i + 1:]
        elif arg.startswith("-"):
            i += 1
        else:
            break
    return argv[:i], argv[i:]


def main(argv: list[str], check: Callable) -> int:
    """`check`: `gradguard check`'s analysis of one file, for the link to the static findings."""
    parser = build_parser()
    own, program = split_program(argv)
    try:
        args = parser.parse_args(own)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    args.program = program
    if args.module is None and not args.program:
        parser.print_usage(sys.stderr)
        print("gradguard trace: give a script or -m module", file=sys.stderr)
        return 2
    if args.module is not None:
        target, program_args = args.module, args.program
    else:
        target, program_args = args.program[0], args.program[1:]
        if not os.path.isfile(target):
            print(f"gradguard trace: {target}: no such file", file=sys.stderr)
            return 2
    try:
        from . import runner
    except ImportError as exc:
        if "torch" in str(exc):
            print("gradguard trace needs torch: pip install 'gradguard[trace]'", file=sys.stderr)
            return 2
        raise
    from . import report as reporting
    from ..project import find_root

    stdout = sys.stdout
    quiet = args.format != "text"
    with contextlib.redirect_stdout(sys.stderr) if quiet else contextlib.nullcontext():
        outcome = runner.run(target, program_args, module=args.module is not None, hooks_only=args.hooks_only)
    sys.stdout.flush()
    result = reporting.build(outcome.observations, args.strict, check=None if args.no_static else check)
    exit_code = 1 if result.findings else outcome.exit_code
    program = (["-m", target] if args.module is not None else [target]) + program_args
    if args.format == "json":
        json.dump(reporting.to_json(result, program, exit_code), stdout, indent=1)
        stdout.write("\n")
    elif args.format == "sarif":
        json.dump(reporting.to_sarif(result), stdout, indent=1)
        stdout.write("\n")
    else:
        reporting.print_text(result, sys.stderr)
    if not args.no_result_file:
        root = find_root([target]) if args.module is None else os.getcwd()
        reporting.write_last(result, program, exit_code, root)
    return exit_code
