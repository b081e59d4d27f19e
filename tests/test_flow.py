"""Unit tests of the flow analysis: aliases, views, branches, loops, rebinding, helpers, modules, grad mode.

Each snippet states the findings as (line, code); lines count from the first line of the snippet.
The rule examples (run under torch) are the ground truth; these pin down the analysis mechanics.
"""

from __future__ import annotations

import textwrap

import pytest

from gradguard.engine import analyze

HEADER = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"


def findings(src: str) -> list[tuple[int, str]]:
    code = HEADER + textwrap.dedent(src).lstrip("\n")
    result = analyze(code, "snippet.py")
    assert result.error is None, result.error
    offset = HEADER.count("\n")
    return sorted((f.span.line - offset, f.code) for f in result.findings)


CASES = {
    # --- leaves -------------------------------------------------------------------------------
    "augassign on leaf": ("""
        x = torch.ones(3, requires_grad=True)
        x += 1
        """, [(2, "GG101")]),
    "alias of a leaf": ("""
        x = torch.ones(3, requires_grad=True)
        alias = x
        alias.mul_(2)
        """, [(3, "GG101")]),
    "rebinding makes a new tensor": ("""
        x = torch.ones(3, requires_grad=True)
        x = x * 2
        x += 1
        """, []),
    "requires_grad_ makes a leaf": ("""
        x = torch.zeros(3).requires_grad_()
        x.add_(1)
        """, [(2, "GG101")]),
    "view of a leaf": ("""
        x = torch.ones(4, requires_grad=True)
        v = x.view(2, 2)
        v.zero_()
        """, [(3, "GG102")]),
    "no_grad block protects": ("""
        w = torch.ones(3, requires_grad=True)
        with torch.no_grad():
            w -= 0.1 * w
        """, []),
    "enable_grad inside no_grad re-enables": ("""
        w = torch.ones(3, requires_grad=True)
        with torch.no_grad():
            with torch.enable_grad():
                w += 1
        """, [(4, "GG101")]),
    "set_grad_enabled with a constant variable": ("""
        TRAIN = False
        w = torch.ones(3, requires_grad=True)
        with torch.set_grad_enabled(False):
            w += 1
        """, []),
    "plain set_grad_enabled(False) call": ("""
        w = torch.ones(3, requires_grad=True)
        torch.set_grad_enabled(False)
        w += 1
        """, []),
    "no_grad decorator": ("""
        w = torch.ones(3, requires_grad=True)
        @torch.no_grad()
        def update(p):
            p -= 0.1
        update(w)
        """, []),
    "nn.init is allowed": ("""
        lin = nn.Linear(3, 3)
        nn.init.normal_(lin.weight)
        nn.init.zeros_(lin.bias)
        """, []),
    "parameter loop without no_grad": ("""
        model = nn.Linear(3, 1)
        model(torch.ones(2, 3)).sum().backward()
        for p in model.parameters():
            p -= 0.1 * p.grad
        """, [(4, "GG101")]),
    "parameter loop under no_grad": ("""
        model = nn.Linear(3, 1)
        model(torch.ones(2, 3)).sum().backward()
        with torch.no_grad():
            for p in model.parameters():
                p -= 0.1 * p.grad
        """, []),
    "grad tensor ops are fine": ("""
        x = torch.ones(3, requires_grad=True)
        (x * 2).sum().backward()
        x.grad.zero_()
        """, []),
    # --- saved tensors -------------------------------------------------------------------------
    "sigmoid output changed": ("""
        x = torch.ones(3, requires_grad=True)
        y = torch.sigmoid(x)
        y += 1
        y.sum().backward()
        """, [(3, "GG201")]),
    "sigmoid input changed is fine": ("""
        x = torch.ones(3, requires_grad=True)
        h = x * 1
        y = torch.sigmoid(h)
        h += 1
        y.sum().backward()
        """, []),
    "mul saves the other factor": ("""
        x = torch.ones(3, requires_grad=True)
        w = torch.ones(3)
        y = x * w
        w.add_(1)
        y.sum().backward()
        """, [(4, "GG201")]),
    "mul by a number saves nothing of x": ("""
        x = torch.ones(3, requires_grad=True)
        y = x * 2
        y += 1
        y.sum().backward()
        """, []),
    "change after backward is fine": ("""
        x = torch.ones(3, requires_grad=True)
        y = torch.sigmoid(x)
        y.sum().backward()
        y += 1
        """, []),
    "clone before change is fine": ("""
        x = torch.ones(3, requires_grad=True)
        y = torch.sigmoid(x)
        y = y.clone()
        y += 1
        y.sum().backward()
        """, []),
    "change through detach": ("""
        x = torch.ones(3, requires_grad=True)
        y = x.exp()
        d = y.detach()
        d.zero_()
        y.sum().backward()
        """, [(4, "GG201")]),
    "change through a view": ("""
        x = torch.ones(4, requires_grad=True)
        y = torch.tanh(x)
        y[0] = 0.0
        y.sum().backward()
        """, [(3, "GG201")]),
    "change through a list element": ("""
        x = torch.ones(3, requires_grad=True)
        y = torch.exp(x)
        keep = [y]
        keep[0].mul_(2)
        y.sum().backward()
        """, [(4, "GG201")]),
    "change in one branch": ("""
        x = torch.ones(3, requires_grad=True)
        y = torch.sigmoid(x)
        if x.sum() > 0:
            y.add_(1)
        y.sum().backward()
        """, [(4, "GG201")]),
    "backward in the other branch": ("""
        x = torch.ones(3, requires_grad=True)
        y = torch.sigmoid(x)
        flag = input()
        if flag:
            y.add_(1)
        else:
            y.sum().backward()
        """, []),
    "change under no_grad still breaks": ("""
        x = torch.ones(3, requires_grad=True)
        y = torch.sigmoid(x)
        with torch.no_grad():
            y.mul_(2)
        y.sum().backward()
        """, [(4, "GG201")]),
    "helper that changes its argument": ("""
        def scale_(t):
            t.mul_(2)
        x = torch.ones(3, requires_grad=True)
        y = torch.sigmoid(x)
        scale_(y)
        y.sum().backward()
        """, [(5, "GG201")]),
    "helper that clones first": ("""
        def scaled(t):
            t = t.clone()
            t.mul_(2)
            return t
        x = torch.ones(3, requires_grad=True)
        y = torch.sigmoid(x)
        z = scaled(y)
        (y + z).sum().backward()
        """, []),
    "optimizer step between forward and backward": ("""
        model = nn.Linear(3, 3)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        h = model(torch.ones(2, 3, requires_grad=True))
        opt.step()
        h.sum().backward()
        """, [(4, "GG201")]),
    # --- modules -------------------------------------------------------------------------------
    "relu inplace after linear is fine": ("""
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(3, 3)
                self.act = nn.ReLU(inplace=True)
            def forward(self, x):
                return self.act(self.fc(x))
        Net()(torch.ones(2, 3)).sum().backward()
        """, []),
    "relu inplace after sigmoid breaks": ("""
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(3, 3)
                self.act = nn.ReLU(inplace=True)
            def forward(self, x):
                h = torch.sigmoid(self.fc(x))
                return self.act(h)
        Net()(torch.ones(2, 3)).sum().backward()
        """, [(8, "GG201")]),
    "resnet residual add": ("""
        class Block(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(2, 2, 3, padding=1)
                self.bn = nn.BatchNorm2d(2)
                self.relu = nn.ReLU(inplace=True)
            def forward(self, x):
                identity = x
                out = self.bn(self.conv(x))
                out += identity
                return self.relu(out)
        Block()(torch.ones(1, 2, 4, 4)).sum().backward()
        """, []),
    "h[:, 0] after Linear": ("""
        lin = nn.Linear(3, 3)
        h = lin(torch.ones(2, 3))
        h[:, 0] = 0.0
        h.sum().backward()
        """, []),
    # --- views ---------------------------------------------------------------------------------
    "unbind output changed": ("""
        x = torch.ones(2, 3, requires_grad=True)
        a, b = (x * 1).unbind(0)
        a.mul_(2)
        """, [(3, "GG301")]),
    "chunk in a loop": ("""
        x = torch.ones(4, 3, requires_grad=True)
        for part in (x * 1).chunk(2):
            part.add_(1)
        """, [(3, "GG301")]),
    "chunk of a tensor without grad": ("""
        x = torch.ones(4, 3)
        a, b = x.chunk(2)
        a.add_(1)
        """, []),
    "view made under no_grad": ("""
        x = torch.ones(4, requires_grad=True)
        h = x * 1
        with torch.no_grad():
            v = h[:2]
        v.add_(1)
        """, [(5, "GG302")]),
    "expand written in place": ("""
        x = torch.ones(3, 1)
        e = x.expand(3, 4)
        e.add_(1)
        """, [(3, "GG303")]),
    # --- backward family -----------------------------------------------------------------------
    "backward twice": ("""
        x = torch.ones(3, requires_grad=True)
        loss = (x * x).sum()
        loss.backward()
        loss.backward()
        """, [(4, "GG501")]),
    "retain_graph": ("""
        x = torch.ones(3, requires_grad=True)
        loss = (x * x).sum()
        loss.backward(retain_graph=True)
        loss.backward()
        """, []),
    "add graph saves nothing": ("""
        x = torch.ones(3, requires_grad=True)
        loss = (x + 1).sum()
        loss.backward()
        loss.backward()
        """, []),
    "running loss carried across iterations": ("""
        w = torch.ones(3, requires_grad=True)
        total = 0
        for step in range(3):
            loss = (w * w).sum()
            total += loss
            total.backward()
        """, [(6, "GG502")]),
    "loss.item() accumulation": ("""
        w = torch.ones(3, requires_grad=True)
        total = 0
        for step in range(3):
            loss = (w * w).sum()
            total += loss.item()
            loss.backward()
        """, []),
    "hidden state detached each iteration": ("""
        cell = nn.Linear(3, 3)
        h = torch.zeros(1, 3)
        for step in range(3):
            h = torch.tanh(cell(h))
            h.sum().backward()
            h = h.detach()
        """, []),
    "hidden state not detached": ("""
        w = torch.ones(3, requires_grad=True)
        h = torch.zeros(3)
        for step in range(3):
            h = torch.tanh(h * w)
            h.sum().backward()
        """, [(5, "GG502")]),
    "backward without grad": ("""
        x = torch.ones(3)
        loss = (x * 2).sum()
        loss.backward()
        """, [(3, "GG503")]),
    "backward on detached": ("""
        x = torch.ones(3, requires_grad=True)
        loss = (x * 2).sum().detach()
        loss.backward()
        """, [(3, "GG503")]),
    "backward on non-scalar": ("""
        x = torch.ones(3, requires_grad=True)
        y = x * 2
        y.backward()
        """, [(3, "GG504")]),
    "backward with gradient": ("""
        x = torch.ones(3, requires_grad=True)
        y = x * 2
        y.backward(gradient=torch.ones_like(y))
        """, []),
    # --- silent corruption ---------------------------------------------------------------------
    "data write to a saved tensor": ("""
        x = torch.ones(3, requires_grad=True)
        y = x * x
        x.data.mul_(2)
        y.sum().backward()
        """, [(3, "GG401")]),
    "data write with nothing pending": ("""
        x = torch.ones(3, requires_grad=True)
        (x * x).sum().backward()
        x.data.mul_(2)
        """, []),
    "numpy write to a saved tensor": ("""
        x = torch.ones(3, requires_grad=True)
        w = torch.ones(3)
        arr = w.numpy()
        y = x * w
        arr[0] = 5.0
        y.sum().backward()
        """, [(5, "GG402")]),
    # --- out= ----------------------------------------------------------------------------------
    "out with grad": ("""
        x = torch.ones(3, requires_grad=True)
        buf = torch.empty(3)
        torch.add(x, 1, out=buf)
        """, [(3, "GG103")]),
    "out without grad": ("""
        x = torch.ones(3)
        buf = torch.empty(3)
        torch.add(x, 1, out=buf)
        """, []),
}


@pytest.mark.parametrize("name", list(CASES))
def test_flow(name):
    src, want = CASES[name]
    assert findings(src) == sorted(want)


def test_noqa_suppresses():
    src = "x = torch.ones(3, requires_grad=True)\nx += 1  # noqa: GG101\nx.add_(1)  # noqa\nx.mul_(2)  # noqa: GG999\n"
    assert findings(src) == [(4, "GG101")]


def test_syntax_error_is_reported_not_raised():
    result = analyze("def f(:\n  pass\n", "bad.py")
    assert result.findings == [] and "syntax error at line 1" in result.error


def test_analysis_does_not_import_torch():
    import subprocess
    import sys

    code = ("import sys; from gradguard.engine import analyze; "
            "analyze(open(sys.argv[1]).read(), 'x.py'); print('torch' in sys.modules)")
    path = __file__
    out = subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
