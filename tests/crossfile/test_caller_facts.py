"""Findings decided by what a caller in another file knows beyond "this argument requires grad" (callers.py).

Which arguments are one tensor (callers.argument_facts):

`packed_attn/attention.py` is a fairseq-style attention: when query, key and value are one tensor
(`query.data_ptr() == key.data_ptr() == value.data_ptr()`) it splits one packed projection with `chunk`, and
`q *= self.scaling` then changes one of several views, which torch forbids. The file alone holds three unknown
arguments: the chunk branch is one of three, the finding information. In one workspace the encoder layer of
layer.py calls it as self-attention (`self.self_attn(query=x, key=x, value=x)`): the finding is an error in
attention.py, with that call as related. In the other the decoder layer passes a memory as key and value: q is a
projection of its own, and nothing is promoted. torch agrees on both (main.py of each workspace, run by
test_crossfile.py's torch test, and here).

The grad mode alone: `scatterlib/alloc.py` writes in place into a leaf it made with requires_grad=True, which torch
forbids with grad mode on; the function alone gets its caller's grad mode (information). A script calling it at module
level (grad mode on for sure, nothing requiring grad passed) makes it an error; one calling it under `torch.no_grad()`
leaves it information, and torch runs it.

A view of an argument that the caller's tensor makes require grad: `chunklib/affine.py` changes in place a `chunk`
piece of its argument (Wolf's Affine.calc_params), which torch forbids when the argument requires grad. A script
passing a layer's output makes it an error; one passing a plain tensor leaves it information.
"""

from __future__ import annotations

import os
from pathlib import Path

from crossfile_support import check, expected, run_under_torch

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.findings import Severity

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SELF_ATTENTION = FIXTURES / "caller_self_attention"
CROSS_ATTENTION = FIXTURES / "caller_cross_attention"


def test_a_caller_passing_one_tensor_three_times_makes_the_chunk_branch_an_error() -> None:
    attention = SELF_ATTENTION / "packed_attn" / "attention.py"
    want, _ = expected(attention.read_text())
    result = check(SELF_ATTENTION, "packed_attn/attention.py")
    assert {(f.span.line, f.code) for f in result.findings} == want
    [finding] = result.findings
    assert finding.severity is Severity.ERROR and finding.depends_on is None
    caller = finding.related[0]
    assert (caller.path, caller.span.line) == (os.path.realpath(SELF_ATTENTION / "layer.py"), 16)
    assert caller.message == ("`PackedAttention` is called here with one tensor that requires grad as `query`, "
                              "`key` and `value`")


def test_the_layer_reports_it_at_its_own_call() -> None:
    layer = SELF_ATTENTION / "layer.py"
    want, _ = expected(layer.read_text())
    assert {(f.span.line, f.code) for f in check(SELF_ATTENTION, "layer.py").findings} == want


def test_without_the_callers_the_branch_is_one_of_three() -> None:
    attention = SELF_ATTENTION / "packed_attn" / "attention.py"
    assert analyze(attention.read_text(), str(attention), Config()).findings == []
    [finding] = analyze(attention.read_text(), str(attention), Config(strict=True)).findings
    assert (finding.code, finding.severity) == ("GG301", Severity.INFORMATION)
    assert finding.depends_on.startswith("which branch ran before")


def test_a_caller_passing_a_memory_as_key_and_value_leaves_it_information() -> None:
    assert check(CROSS_ATTENTION, "packed_attn_cross/attention.py").findings == []
    [finding] = check(CROSS_ATTENTION, "packed_attn_cross/attention.py", strict=True).findings
    assert (finding.code, finding.span.line, finding.severity) == ("GG301", 28, Severity.INFORMATION)
    assert finding.related == []


def test_torch_raises_for_self_attention_and_runs_cross_attention() -> None:
    mains = [SELF_ATTENTION / "main.py", CROSS_ATTENTION / "main.py"]
    got = run_under_torch([{"id": str(p), "workspace": str(p.parent), "file": str(p)} for p in mains])
    raised = got[str(mains[0])]
    assert raised["raised"] and "Output 0 of Split is a view and is being modified inplace" in raised["message"]
    assert not got[str(mains[1])]["raised"], got[str(mains[1])]


GRAD_ON = FIXTURES / "caller_grad_mode_on"
GRAD_OFF = FIXTURES / "caller_grad_mode_off"


def test_a_script_calling_with_grad_mode_on_makes_the_leaf_change_an_error() -> None:
    alloc = GRAD_ON / "scatterlib" / "alloc.py"
    want, _ = expected(alloc.read_text())
    result = check(GRAD_ON, "scatterlib/alloc.py")
    assert {(f.span.line, f.code) for f in result.findings} == want
    [finding] = result.findings
    assert finding.severity is Severity.ERROR and finding.depends_on is None
    caller = finding.related[0]
    assert (caller.path, caller.span.line) == (os.path.realpath(GRAD_ON / "main.py"), 5)
    assert caller.message == "`scatter_weights` is called here with grad mode on"
    alone = analyze(alloc.read_text(), str(alloc), Config(strict=True)).findings
    assert [(f.code, f.severity, f.depends_on) for f in alone] == [("GG101", Severity.INFORMATION,
                                                                   "the caller's grad mode")]


def test_a_caller_under_no_grad_leaves_the_leaf_change_information() -> None:
    assert check(GRAD_OFF, "scatterlib_off/alloc.py").findings == []
    [finding] = check(GRAD_OFF, "scatterlib_off/alloc.py", strict=True).findings
    assert (finding.code, finding.span.line, finding.severity) == ("GG101", 7, Severity.INFORMATION)


def test_torch_raises_with_grad_mode_on_and_runs_under_no_grad() -> None:
    mains = [GRAD_ON / "main.py", GRAD_OFF / "main.py"]
    got = run_under_torch([{"id": str(p), "workspace": str(p.parent), "file": str(p)} for p in mains])
    raised = got[str(mains[0])]
    assert raised["raised"] and "a leaf Variable that requires grad is being used in an in-place" in raised["message"]
    assert not got[str(mains[1])]["raised"], got[str(mains[1])]


LAYER_OUTPUT = FIXTURES / "caller_passes_layer_output"
PLAIN_TENSOR = FIXTURES / "caller_passes_plain_tensor"


def test_a_caller_passing_a_layer_output_makes_the_chunk_piece_change_an_error() -> None:
    affine = LAYER_OUTPUT / "chunklib" / "affine.py"
    want, _ = expected(affine.read_text())
    result = check(LAYER_OUTPUT, "chunklib/affine.py")
    assert {(f.span.line, f.code) for f in result.findings} == want
    [finding] = result.findings
    assert finding.severity is Severity.ERROR and finding.depends_on is None
    caller = finding.related[0]
    assert (caller.path, caller.span.line) == (os.path.realpath(LAYER_OUTPUT / "main.py"), 6)
    assert caller.message == "`calc_params` is called here with a tensor that requires grad as `params`"
    [alone] = analyze(affine.read_text(), str(affine), Config(strict=True)).findings
    assert alone.depends_on == "whether `log_scale` requires grad and the caller's grad mode"


def test_a_caller_passing_a_plain_tensor_leaves_the_chunk_piece_change_information() -> None:
    assert check(PLAIN_TENSOR, "chunklib_plain/affine.py").findings == []
    [finding] = check(PLAIN_TENSOR, "chunklib_plain/affine.py", strict=True).findings
    assert (finding.code, finding.span.line, finding.severity) == ("GG301", 4, Severity.INFORMATION)
