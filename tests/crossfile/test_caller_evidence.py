"""A finding that depends on what the caller passes, decided by a caller in another workspace file (callers.py).

`rowgate_*/core.py` changes in place the output of sigmoid, which sigmoid saved: backward breaks when the tensors
involved require grad, which the file alone does not show (information, with --strict). In one workspace a script
passes a Parameter with grad mode on: the finding is an error in core.py, the call as related. In the other every
caller runs under no_grad (a plain tensor, a Parameter): nothing is promoted. torch agrees on both (the programs run in
test_crossfile.py's torch test; here too, with the library's own line).
"""

from __future__ import annotations

import os
from pathlib import Path

from crossfile_support import check, expected, run_under_torch

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.findings import Severity
from gradguard.project import Project

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PASSES_PARAMETER = FIXTURES / "caller_passes_parameter"
UNDER_NO_GRAD = FIXTURES / "caller_under_no_grad"


def test_a_caller_passing_a_parameter_makes_the_library_finding_an_error() -> None:
    core = PASSES_PARAMETER / "rowgate_param" / "core.py"
    want, _ = expected(core.read_text())
    result = check(PASSES_PARAMETER, "rowgate_param/core.py")
    assert {(f.span.line, f.code) for f in result.findings} == want
    [finding] = result.findings
    assert finding.severity is Severity.ERROR and finding.depends_on is None
    caller = finding.related[0]
    assert (caller.path, caller.span.line) == (os.path.realpath(PASSES_PARAMETER / "main.py"), 6)
    assert "`gated` is called here with a tensor that requires grad as `w`" == caller.message


def test_callers_under_no_grad_leave_it_information() -> None:
    assert check(UNDER_NO_GRAD, "rowgate_nograd/core.py").findings == []
    [finding] = check(UNDER_NO_GRAD, "rowgate_nograd/core.py", strict=True).findings
    assert (finding.code, finding.span.line, finding.severity) == ("GG201", 7, Severity.INFORMATION)


def test_without_the_callers_it_is_information() -> None:
    core = PASSES_PARAMETER / "rowgate_param" / "core.py"
    assert analyze(core.read_text(), str(core), Config()).findings == []


def test_torch_raises_through_the_parameter_and_runs_under_no_grad() -> None:
    jobs = [{"id": str(p), "workspace": str(p.parent), "file": str(p)}
            for p in (PASSES_PARAMETER / "main.py", UNDER_NO_GRAD / "main.py",
                      UNDER_NO_GRAD / "main_parameter_in_eval.py")]
    got = run_under_torch(jobs)
    raised = got[str(PASSES_PARAMETER / "main.py")]
    assert raised["raised"] and "modified by an inplace operation" in raised["message"]
    assert "is at version 1; expected version 0" in raised["message"]  # sigmoid's output, changed once in core.py
    assert not got[str(UNDER_NO_GRAD / "main.py")]["raised"]
    assert not got[str(UNDER_NO_GRAD / "main_parameter_in_eval.py")]["raised"]


def test_a_caller_written_later_decides_it_after_the_project_hears_of_it(tmp_path) -> None:
    import shutil

    workspace = tmp_path / "ws"
    shutil.copytree(UNDER_NO_GRAD, workspace)
    project = Project(str(workspace), jedi_budget=10.0)
    core = workspace / "rowgate_nograd" / "core.py"
    assert analyze(core.read_text(), str(core), Config(), project=project).findings == []
    train = workspace / "train.py"
    train.write_text("import torch\n\nfrom rowgate_nograd.core import gated\n\n"
                     "w = torch.nn.Parameter(torch.randn(3, 3))\nloss = gated(torch.randn(2, 3), w).sum()\n")
    project.invalidate(str(train))
    [finding] = analyze(core.read_text(), str(core), Config(), project=project).findings
    assert (finding.code, finding.span.line, finding.severity) == ("GG201", 7, Severity.ERROR)
    assert (finding.related[0].path, finding.related[0].span.line) == (os.path.realpath(train), 6)


def test_the_editor_path_decides_it_the_same_way() -> None:
    """engine.analyze(incremental=True), as the language server calls it: the units come from its cache, the
    callers are asked after them."""
    core = PASSES_PARAMETER / "rowgate_param" / "core.py"
    project = Project(str(PASSES_PARAMETER), jedi_budget=10.0)
    for _ in range(2):  # the second analysis reuses every unit
        [finding] = analyze(core.read_text(), str(core), Config(), incremental=True, project=project).findings
        assert (finding.code, finding.span.line, finding.severity) == ("GG201", 7, Severity.ERROR)
        assert finding.related[0].path == os.path.realpath(PASSES_PARAMETER / "main.py")


THROUGH_A_METHOD = FIXTURES / "caller_through_a_method"


def test_a_caller_of_a_caller_in_a_third_file_decides_it() -> None:
    """eigtools/linalg.py's function is called by Whitening.compute (stats.py), which gets plain `features`; the
    model's training step (model.py) calls that method with a layer's output: the finding is a warning (grad mode on
    by the training assumption), with the training step's call as related."""
    lib = THROUGH_A_METHOD / "eigtools" / "linalg.py"
    want, _ = expected(lib.read_text())
    result = check(THROUGH_A_METHOD, "eigtools/linalg.py")
    assert {(f.span.line, f.code) for f in result.findings} == want
    [finding] = result.findings
    assert finding.severity is Severity.WARNING and finding.depends_on is None
    caller = finding.related[0]
    assert (caller.path, caller.span.line) == (os.path.realpath(THROUGH_A_METHOD / "model.py"), 17)
    assert caller.message == ("`normalized_directions` is reached from here through `compute` with a tensor that "
                              "requires grad as `A`")


def test_torch_raises_through_the_method_of_the_model() -> None:
    train = THROUGH_A_METHOD / "train.py"
    got = run_under_torch([{"id": "train", "workspace": str(THROUGH_A_METHOD), "file": str(train)}])["train"]
    (line, text), = expected(train.read_text())[1].items()
    assert got["raised"] and got["line"] == line and text in got["message"], got
    assert "output 0 of AsStrided" in got["message"]  # the column pow saved, divided in place


def test_a_caller_importing_through_the_package_decides_it(tmp_path) -> None:
    """`from rowgate_param import gated`, re-exported by the package's __init__.py: the caller's imports do not
    name core.py's module, the package's do."""
    import shutil

    workspace = tmp_path / "ws"
    shutil.copytree(PASSES_PARAMETER, workspace)
    (workspace / "rowgate_param" / "__init__.py").write_text("from .core import gated\n")
    main = workspace / "main.py"
    main.write_text(main.read_text().replace("from rowgate_param.core import gated", "from rowgate_param import gated"))
    [finding] = check(workspace, "rowgate_param/core.py").findings
    assert (finding.code, finding.span.line, finding.severity) == ("GG201", 7, Severity.ERROR)
    assert (finding.related[0].path, finding.related[0].span.line) == (os.path.realpath(main), 6)


GRADCHECKED = FIXTURES / "caller_gradchecks"


def test_a_gradcheck_of_the_function_in_another_file_decides_it() -> None:
    """check_gradients.py runs `gradcheck(scaled_exp, (x,))` with `x` requiring grad: gradcheck calls the function
    with it and computes its gradient, which the change of exp's output breaks."""
    ops = GRADCHECKED / "exptools" / "ops.py"
    want, _ = expected(ops.read_text())
    result = check(GRADCHECKED, "exptools/ops.py")
    assert {(f.span.line, f.code) for f in result.findings} == want
    [finding] = result.findings
    assert finding.severity is Severity.ERROR and finding.depends_on is None
    caller = finding.related[0]
    assert (caller.path, caller.span.line) == (os.path.realpath(GRADCHECKED / "check_gradients.py"), 7)
    assert analyze(ops.read_text(), str(ops), Config()).findings == []  # alone: information


def test_torch_raises_in_the_gradcheck() -> None:
    script = GRADCHECKED / "check_gradients.py"
    got = run_under_torch([{"id": "gc", "workspace": str(GRADCHECKED), "file": str(script)}])["gc"]
    (line, text), = expected(script.read_text())[1].items()
    assert got["raised"] and got["line"] == line and text in got["message"], got
    assert "output 0 of Exp" in got["message"]


JACOBIANS = FIXTURES / "caller_jacobians"


def test_a_reverse_mode_jacobian_decides_it_and_a_forward_mode_one_does_not() -> None:
    """jacobian_rows.py takes the Jacobian of `doubled_gate` through a lambda, on a tensor that does not require
    grad: torch.autograd.functional makes it require grad and runs backward, which the change of sigmoid's output
    breaks (an error). forward_rows.py asks for forward mode: no backward, the finding stays information."""
    rev = JACOBIANS / "gate_rev" / "ops.py"
    want, _ = expected(rev.read_text())
    result = check(JACOBIANS, "gate_rev/ops.py")
    assert {(f.span.line, f.code) for f in result.findings} == want
    [finding] = result.findings
    assert finding.severity is Severity.ERROR
    assert (finding.related[0].path, finding.related[0].span.line) == (
        os.path.realpath(JACOBIANS / "jacobian_rows.py"), 7)
    assert check(JACOBIANS, "gate_fwd/ops.py").findings == []
    [quiet] = check(JACOBIANS, "gate_fwd/ops.py", strict=True).findings
    assert (quiet.code, quiet.span.line, quiet.severity) == ("GG201", 7, Severity.INFORMATION)


def test_torch_raises_in_the_reverse_mode_jacobian_only() -> None:
    jobs = [{"id": name, "workspace": str(JACOBIANS), "file": str(JACOBIANS / name)}
            for name in ("jacobian_rows.py", "forward_rows.py")]
    got = run_under_torch(jobs)
    (line, text), = expected((JACOBIANS / "jacobian_rows.py").read_text())[1].items()
    raised = got["jacobian_rows.py"]
    assert raised["raised"] and raised["line"] == line and text in raised["message"], raised
    assert not got["forward_rows.py"]["raised"]


DISPATCHED = FIXTURES / "caller_through_a_dispatcher"


def test_a_caller_of_a_dispatching_wrapper_decides_it() -> None:
    """`@by_backend(soft_rows_torch, soft_rows_numpy)` on `def soft_rows(scores, temperature)`: its calls run
    soft_rows_torch with their arguments (alphafold2's MDScaling). train.py calls soft_rows with a Parameter, grad
    mode on: the change of exp's output in soft_rows_torch is an error, the wrapper's call as related. evaluate.py
    calls the same code (softrows_eval) under no_grad only: it stays information."""
    ops = DISPATCHED / "softrows" / "ops.py"
    want, _ = expected(ops.read_text())
    result = check(DISPATCHED, "softrows/ops.py")
    assert {(f.span.line, f.code) for f in result.findings} == want
    [finding] = result.findings
    assert finding.severity is Severity.ERROR and finding.depends_on is None
    caller = finding.related[0]
    assert (caller.path, caller.span.line) == (os.path.realpath(DISPATCHED / "train.py"), 6)
    assert caller.message == ("`soft_rows_torch` is reached from here through `soft_rows` with a tensor that requires "
                              "grad as `scores`")
    assert check(DISPATCHED, "softrows_eval/ops.py").findings == []
    [quiet] = check(DISPATCHED, "softrows_eval/ops.py", strict=True).findings
    assert (quiet.code, quiet.span.line, quiet.severity) == ("GG201", 22, Severity.INFORMATION)


def test_a_caller_of_a_function_calling_the_wrapper_decides_it() -> None:
    """softrows_deep/attention.py's `attend(scores, values)` calls the wrapper with what it was given (nothing
    known there); train_deep.py calls `attend` with a Parameter: the caller of the caller decides, through the
    wrapper."""
    ops = DISPATCHED / "softrows_deep" / "ops.py"
    want, _ = expected(ops.read_text())
    result = check(DISPATCHED, "softrows_deep/ops.py")
    assert {(f.span.line, f.code) for f in result.findings} == want
    [finding] = result.findings
    assert finding.severity is Severity.ERROR
    caller = finding.related[0]
    assert (caller.path, caller.span.line) == (os.path.realpath(DISPATCHED / "train_deep.py"), 6)
    assert caller.message == ("`soft_rows_torch` is reached from here through `attend` with a tensor that requires "
                              "grad as `scores`")


def test_torch_raises_through_the_wrapper_and_runs_under_no_grad() -> None:
    jobs = [{"id": name, "workspace": str(DISPATCHED), "file": str(DISPATCHED / name)}
            for name in ("train.py", "train_deep.py", "evaluate.py")]
    got = run_under_torch(jobs)
    for name in ("train.py", "train_deep.py"):
        (line, text), = expected((DISPATCHED / name).read_text())[1].items()
        assert got[name]["raised"] and got[name]["line"] == line and text in got[name]["message"], got[name]
        assert "output 0 of Exp" in got[name]["message"]
    assert not got["evaluate.py"]["raised"]


def test_only_a_factory_calling_the_function_dispatches_and_only_matching_parameters_pass() -> None:
    """A wrapper dispatches to a function when its decorator is a factory of the file that calls what it is given
    (directly or through a name chosen from it), not one that reads its docstring. A parameter of the wrapper counts
    for the dispatched function only under the same name at the same position (or keyword-only there): `def api(x,
    y)` dispatching to `impl(y, x)` proves nothing about `impl`'s `x`."""
    import ast

    from gradguard.callers import dispatchers, passed_on

    tree = ast.parse("def deco(first, other=None):\n"
                     "    def outer(f):\n"
                     "        def inner(*a):\n"
                     "            chosen = first if a else other\n"
                     "            return chosen(*f(*a))\n"
                     "        return inner\n"
                     "    return outer\n\n"
                     "def copy_doc(source):\n"
                     "    def outer(f):\n"
                     "        f.__doc__ = source.__doc__\n"
                     "        return f\n"
                     "    return outer\n\n"
                     "def impl(x, y, *, scale=1.0):\n    pass\n\n"
                     "def swapped(y, x):\n    pass\n\n"
                     "@deco(impl)\ndef api(x, y, *, scale=1.0):\n    return x, y\n\n"
                     "@deco(None, other=impl)\ndef api2(x):\n    return x\n\n"
                     "@copy_doc(swapped)\ndef documented(y, x):\n    return x\n\n"
                     "@deco\ndef plain(x):\n    return x\n")
    impl, swapped, api, api2 = (next(n for n in tree.body if getattr(n, "name", "") == name)
                                for name in ("impl", "swapped", "api", "api2"))
    assert dispatchers(tree, impl) == [api, api2]
    assert dispatchers(tree, swapped) == []  # copy_doc reads its docstring, never calls it
    assert passed_on(frozenset({"x", "y", "scale"}), api, impl) == {"x", "y", "scale"}
    assert passed_on(frozenset({"x", "y"}), api, swapped) == frozenset()
