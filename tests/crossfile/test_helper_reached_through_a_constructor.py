"""A helper of one file reached through the constructor of a plain class of that file, called from another file.

fixtures/helper_reached_through_a_constructor/ is laid out as NVAE is (realbugs24 AE01): distributions.py's
`soft_clamp(x)` divides its argument in place (`x.div_(5.0)`), and `Normal.__init__` applies it to the `mu` and
`log_sigma` it is built with; model.py's Encoder builds `Normal(mu, log_sigma)` from the two `torch.chunk` pieces of
a convolution's output, so the helper changes in place one of several views of a tensor that requires grad: torch
raises (train.py). Alone, distributions.py shows nothing (the helper's argument is a plain parameter). In the
workspace, model.py reports at its `Normal(...)` call, and distributions.py on the helper's own line (the line the
fix changes), the call in model.py as related. With the helper out of place, torch runs clean and neither reports.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from crossfile_support import check, expected, run_under_torch

WORKSPACE = Path(__file__).resolve().parent / "fixtures" / "helper_reached_through_a_constructor"


def found(workspace: Path, rel: str) -> set:
    result = check(workspace, rel)
    assert result.error is None, result.error
    return {(f.span.line, f.code) for f in result.findings}


def test_each_file_reports_what_its_markers_say() -> None:
    for rel in ("distributions.py", "model.py"):
        want, _ = expected((WORKSPACE / rel).read_text())
        assert want and found(WORKSPACE, rel) == want, rel


def test_the_helper_line_names_the_constructor_call_in_the_other_file() -> None:
    [finding] = check(WORKSPACE, "distributions.py").findings
    assert any(r.path and r.path.endswith("model.py") and r.span.line == 14 for r in finding.related), finding.related


def test_torch_raises_and_the_out_of_place_helper_runs_clean(tmp_path: Path) -> None:
    fixed = tmp_path / "ws"
    shutil.copytree(WORKSPACE, fixed)
    helper = fixed / "distributions.py"
    helper.write_text(helper.read_text().replace("x.div_(5.0)", "x.div(5.0)"))
    train = WORKSPACE / "train.py"
    _, raises = expected(train.read_text())
    got = run_under_torch([{"id": "bad", "workspace": str(WORKSPACE), "file": str(train)},
                           {"id": "good", "workspace": str(fixed), "file": str(fixed / "train.py")}])
    (line, text), = raises.items()
    assert got["bad"]["raised"] and got["bad"]["line"] == line and text in got["bad"]["message"], got["bad"]
    assert not got["good"]["raised"], got["good"]
    assert found(fixed, "distributions.py") == set() and found(fixed, "model.py") == set()
