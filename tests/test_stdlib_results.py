"""What a standard-library module's function or class returns is no tensor: yolov5's classify/train.py takes
`data` as `Path(opt.data)` from its options and `DATASETS_DIR / data` is a path, not a division whose graph each
step's backward() frees (a GG501 warning there before). The program runs under torch, and gradguard sees it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from gradguard.config import Config
from gradguard.engine import analyze

PROGRAM = '''import argparse
from pathlib import Path

import torch
import torch.nn as nn

DATASETS_DIR = Path("datasets")


def make_loader(path, n=4):
    torch.manual_seed(len(str(path)))
    return [(torch.randn(2, 3), torch.randint(0, 2, (2,))) for _ in range(n)]


try:
    from utils.dataloaders import create_classification_dataloader  # yolov5's, which the walk does not see
except ImportError:
    create_classification_dataloader = make_loader


def train(opt):
    save_dir, data, epochs = opt.save_dir, Path(opt.data), opt.epochs
    data_dir = data if data.is_dir() else (DATASETS_DIR / data)
    loader = create_classification_dataloader(data_dir / "train")
    model = nn.Linear(3, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(epochs):
        for images, labels in loader:
            loss = nn.functional.cross_entropy(model(images), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return loss.item()


if __name__ == "__main__":
    print(train(argparse.Namespace(save_dir="runs", data="imagenette", epochs=2)))
'''


def test_a_path_from_the_options_is_not_a_tensor(tmp_path: Path):
    path = tmp_path / "train.py"
    path.write_text(PROGRAM)
    ran = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    found = [(f.code, f.span.line) for f in analyze(PROGRAM, "train.py", Config(strict=True)).findings]
    assert found == []
