"""Module-level scripts of growing length: CPU seconds and microseconds per line of `check_source`, to show the
walk is linear in the script's length (issue: 2.5k lines 0.9 s, 5k 2.05 s, 10k 14.6 s).

    python bench/long_scripts.py [--max-lines 40000]

Three shapes: every block binds new names (the time-limit test's script: the scope keeps growing); a running total
rebound on every block (its history of saves grows); and that total updated under an `if` per block."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from test_time_limit import HEAD, long_module  # noqa: E402

from gradguard import engine  # noqa: E402
from gradguard.analysis.checker import check_source  # noqa: E402
from gradguard.config import Config  # noqa: E402


def running_total(blocks: int) -> str:
    body = [HEAD, "total = torch.zeros(3)\n"]
    for i in range(blocks):
        body.append(f"a = torch.randn(3, requires_grad=True)\nb = torch.sigmoid(a) * {i + 2}\n"
                    "total = total + b\nc = b.sum()\n")
    return "".join(body)


def running_total_under_ifs(blocks: int) -> str:
    body = [HEAD, "total = torch.zeros(3)\n"]
    for i in range(blocks):
        body.append("a = torch.randn(3, requires_grad=True)\nb = torch.sigmoid(a) * 2\n"
                    f"if b.sum() > {i}:\n    total = total + b\n")
    return "".join(body)


# Not linear yet: after n `if`s the total may be any of n tensors, each carrying the saves of all before it.
SHAPES = (("new names", long_module, None), ("running total", running_total, None),
          ("total under ifs", running_total_under_ifs, 2_500))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-lines", type=int, default=40_000)
    args = parser.parse_args(argv)
    engine.tune_gc()
    sizes = [n for n in (2_500, 5_000, 10_000, 20_000, 40_000, 80_000) if n <= args.max_lines]
    print(f"{'shape':<16} {'lines':>7} {'CPU s':>7} {'µs/line':>8} findings")
    for shape, make, limit in SHAPES:
        for lines in sizes:
            if limit is not None and lines > limit:
                print(f"{shape:<16} {lines:>7} (not run: superlinear, see bench/RESULTS.md)")
                break
            source = make(lines // 4)
            started = time.process_time()
            result = check_source(source, "long.py", Config(), time_limit=None)
            cpu = time.process_time() - started
            print(f"{shape:<16} {lines:>7} {cpu:>7.2f} {1e6 * cpu / lines:>8.1f} {len(result.findings)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
