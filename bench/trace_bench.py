"""What `gradguard trace` costs: training-step time under the recorder vs plain torch (CPU).

    .venv/bin/python bench/trace_bench.py [--steps 30] [--repeats 5]

Prints a table: per workload, the median step time plain, with the full recorder (saved-tensor hooks and the
write-watching dispatch mode) and hooks-only, and the ratios. Budget (issue #18): the full recorder at most
2x on the small transformer training step. Run it on a quiet machine: the ratios are what counts.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

from gradguard.trace.frames import UserFrames  # noqa: E402
from gradguard.trace.recorder import Recorder  # noqa: E402

BUDGET = 2.0


def transformer():
    torch.manual_seed(0)
    model = nn.Sequential(nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=128, batch_first=True,
                                                     dropout=0.1),
                          nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=128, batch_first=True,
                                                     dropout=0.1))
    head = nn.Linear(64, 10)
    params = list(model.parameters()) + list(head.parameters())
    opt = torch.optim.AdamW(params, lr=1e-3)
    x = torch.randn(8, 32, 64)
    target = torch.randint(0, 10, (8, 32))

    def step():
        opt.zero_grad()
        logits = head(model(x))
        loss = nn.functional.cross_entropy(logits.reshape(-1, 10), target.reshape(-1))
        loss.backward()
        opt.step()
    return step


def mlp(width: int):
    def make():
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(width, width), nn.ReLU(inplace=True), nn.Linear(width, width), nn.Tanh(),
                              nn.Linear(width, 1))
        opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
        x = torch.randn(64, width)

        def step():
            opt.zero_grad()
            model(x).pow(2).mean().backward()
            opt.step()
        return step
    return make


WORKLOADS = [("transformer step (2 layers, d=64, 8x32 tokens)", transformer), ("MLP step (width 512)", mlp(512)),
             ("tiny MLP step (width 8)", mlp(8))]


def timed(step, steps: int, recorder_factory=None) -> float:
    """CPU seconds a step (process time: other processes on a busy machine do not count)."""
    with recorder_factory() if recorder_factory is not None else contextlib.nullcontext():
        step()
        start = time.process_time()
        for _ in range(steps):
            step()
        return (time.process_time() - start) / steps


def measure(step, steps: int, repeats: int, variants) -> list[float]:
    """Median per variant, the variants interleaved in every repeat so that a slow phase hits them all."""
    samples = [[] for _ in variants]
    for _ in range(repeats):
        for i, factory in enumerate(variants):
            samples[i].append(timed(step, steps, factory))
    return [statistics.median(s) for s in samples]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(1)
    frames = UserFrames()
    full = lambda: Recorder(frames)  # noqa: E731
    hooks = lambda: Recorder(frames, watch_writes=False)  # noqa: E731
    rows = []
    for name, make in WORKLOADS:
        step = make()
        plain, traced, hooked = measure(step, args.steps, args.repeats, [None, full, hooks])
        rows.append((name, plain, traced, hooked))
    print(f"torch {torch.__version__}, 1 thread, median of {args.repeats} x {args.steps} steps, CPU time")
    print("| workload | plain ms | trace ms | ratio | hooks-only ms | ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, plain, traced, hooked in rows:
        print(f"| {name} | {plain * 1e3:.2f} | {traced * 1e3:.2f} | {traced / plain:.2f}x | {hooked * 1e3:.2f} | "
              f"{hooked / plain:.2f}x |")
    ratio = rows[0][2] / rows[0][1]
    verdict = "met" if ratio <= BUDGET else "NOT met"
    print(f"budget: transformer step under trace <= {BUDGET:.1f}x plain: {ratio:.2f}x, {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
