"""What a standard-library module's function or class returns is no tensor: yolov5's classify/train.py takes
`data` as `Path(opt.data)` from its options and `DATASETS_DIR / data` is a path, not a division whose graph each
step's backward() frees (a GG501 warning there before). The program runs under torch, and gradguard sees it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from gradguard.config import Config
from gradguard.engine import analyze

PROGRAM = '''from argparse import Namespace
from pathlib import Path

import torch
import torch.nn as nn

from utils.dataloaders import create_classification_dataloader  # yolov5's: another file, not given to gradguard

DATASETS_DIR = Path("datasets")


def train(opt, device):
    save_dir, data, epochs = opt.save_dir, Path(opt.data), opt.epochs
    data_dir = data if data.is_dir() else (DATASETS_DIR / data)
    trainloader = create_classification_dataloader(path=data_dir / "train", batch_size=2)
    model = nn.Linear(3, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scaler = torch.amp.GradScaler("cpu", enabled=False)
    for epoch in range(epochs):
        pbar = enumerate(trainloader)
        for i, (images, labels) in pbar:
            images, labels = images.to(device), labels.to(device)
            loss = nn.functional.cross_entropy(model(images), labels)
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
            optimizer.zero_grad()
    return loss.item()


if __name__ == "__main__":
    print(train(Namespace(save_dir="runs", data="imagenette", epochs=2), "cpu"))
'''

LOADER = '''import torch


def create_classification_dataloader(path, batch_size):
    torch.manual_seed(len(str(path)))
    return [(torch.randn(batch_size, 3), torch.randint(0, 2, (batch_size,))) for _ in range(4)]
'''


def test_a_path_from_the_options_is_not_a_tensor(tmp_path: Path):
    path = tmp_path / "train.py"
    path.write_text(PROGRAM)
    (tmp_path / "utils").mkdir()
    (tmp_path / "utils" / "dataloaders.py").write_text(LOADER)
    ran = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    found = [(f.code, f.span.line) for f in analyze(PROGRAM, "train.py", Config(strict=True)).findings]
    assert found == []
