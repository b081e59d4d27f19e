"""Runs the flow walk over every scope of a file and turns its events into findings."""

from __future__ import annotations

import ast
import re
import sys
import time

from .. import pyparse
from ..config import Config
from ..facts import FILLS, RESTRIDES
from ..findings import Analysis, Finding, Related, Severity, Span, source_lines
from .partial import check_partially, syntax_error  # the blocks that parse are still analysed
from .base_classes import classes_and_bases
from .deadline import Deadline
from .context import (ACTIVE_PROJECT, DEADLINE, AnalysisTimeout, FileInfo, ModuleContext, file_info_of, find_method,
                      functions_of, record_fields, same_iteration)
from .inherited_entries import inherited_units
from .interpreter import Interpreter
from .scopes import start_walk
from .tensors import maybe_copy_note
from .watchdog import AnalysisStopped, watched
from .expressions import GRAD_FIELD
from .hook_attributes import reads_hook_attribute
from .names import kernel_function, other_framework_only
from .syntax import (backward_per_item, call_per_item, conditional_truncation, only_slices, reset_after_backward,
                     set_by_other_methods, tensor_index, whole_index)
from . import (backward_hooks, constant_loss, dirty_outputs, input_embeddings, kept_lists, module_state, out_arguments,
               values)
from .save_conditions import saved_each, saved_every_alternative, saved_where_made
from .built_choices import rests_on_other_sides, saved_by_every_candidate
from .nni_choices import held_by_another_candidate, saved_in_choice
from .noqa import module_built
from .freed_changes import changed_after_freed
from .reported import finalize, merge_finding
from .helper_blame import CHANGED_IN_HELPER, change_made_here, returns_changed, saved_inside, stepping_frame
from .defaults import defaults_kept_by_builders, flag_settings_clash, settings_clash
from .training import calls_backward, classes_built_in_text
from .values import (
    BRANCH_CONDITION, BUILT_CHOICE, CONFIGURATION, DEFAULT_CONFIGURATION, ModuleVal, Ref, Seq, State, TObj, Tri,
    default_source, evolve, exclusive, flat_refs, names_setting, other_side,
)

DEFAULT_TIME_LIMIT = 10.0  # seconds per file
# Optional arguments of a forward that training passes (so a branch taken only when they are given is on the
# training path): masks, sequence lengths, per-sample or per-class weights, labels, and the positional embeddings of
# DETR-style layers (`forward(self, x, pos=None)`, `query_pos`), which every call of the model passes.
TRAINING_OPTIONS = re.compile(r"mask|^lens$|lengths?$|^seq_lens?$|weights?$|labels?$|targets?$"
                              r"|^(query_|key_)?pos(_embed|_embedding|_emb|_encoding)?s?$", re.IGNORECASE)
# A module's forward is walked on its own (the training assumption: GG202 on its line); what one caller passes it is
# reported at that caller's call.
MODULE_CALLS = {"forward", "__call__"}
# An argument named as a loss (`loss`, `regularizer_loss`, `total_losses`): the total the function adds into.
LOSS_TOTAL = re.compile(r"(^|_)loss(es)?($|_)", re.IGNORECASE)
# The maybe-copies (TObj.maybe_copy) that convert dtype or device: the tensor itself only when nothing changes.
CONVERSIONS = {"float", "to", "type_as"}


def check_source(source: str, path: str, config: Config, time_limit: float | None = DEFAULT_TIME_LIMIT):
    """Under the watchdog (watchdog.py): a loop in the engine that never reaches a deadline check is stopped too."""
    return watched(lambda: parse_and_analyse(source, path, config, time_limit), time_limit)


def parse_and_analyse(source: str, path: str, config: Config, time_limit: float | None):
    if "\x00" in source:
        return Analysis(error="the file contains NUL bytes; it is not Python source", error_line=1)
    if source.startswith("\ufeff"):
        source = source[1:]
    try:
        tree = pyparse.parse(source, path)
    except SyntaxError as exc:
        line, error = syntax_error(exc)
        return check_partially(source, path, config, time_limit, error, line, analyse=analyse_tree)
    except (RecursionError, MemoryError):
        return Analysis(error="the file is nested too deeply for Python's parser", error_line=1)
    except ValueError as exc:
        return Analysis(error=f"cannot parse: {exc}", error_line=1)
    lines = source_lines(source)
    return analyse_tree(tree, lines, path, config, time_limit)


def analyse_tree(tree: ast.Module, lines: list[str], path: str, config: Config, time_limit, unit_cache=None,
                 info: FileInfo | None = None, cross_file=None):
    """Walk every scope of a parsed file (each an independent unit), merge and filter the findings.

    `unit_cache(unit, run)` may answer a unit from an earlier walk of the same code (the server's incremental
    path); `run()` walks it. `cross_file(found, run)` likewise for the passes that read other workspace files."""
    if other_framework_only(tree):
        return Analysis()  # MXNet, TensorFlow, JAX code: not torch's autograd
    deadline = Deadline(time_limit) if time_limit else None  # the CPU time this thread spends (deadline.py)
    info = info or FileInfo(tree, lines)
    found: dict = {}
    error = None
    timed_out = False
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old_limit, 6000))
    # GG202 (and GG301 on a piece of an argument) assume the caller's tensor requires grad; for a class this file
    # builds and calls, the caller's walk follows the call with what it really passes, so the class's own walk need
    # not assume anything. Likewise a finding `by_default` assumes the class is built with its defaults: not for one
    # the file builds itself.
    callers_shown = info.classes_called_here(lines)
    built_shown = None
    kept_by_builders: dict = {}  # (class, defaults) -> defaults.defaults_kept_by_builders, once per analysis
    limited = DEADLINE.set(deadline)  # parsing other files, which asks no Budget, stops at it too
    try:
        table = classes_and_bases(info, path, ACTIVE_PROJECT.get(), file_info_of)  # the walks' own, kept
        for unit in units_of(tree, info, table):
            def run(unit=unit):
                return run_unit(info, unit, lines, path, deadline)
            findings, _ = unit_cache(unit, run) if unit_cache else run()
            assumed_caller = unit[2] not in callers_shown
            for f in findings:
                if f.context.get("by_default") and unit[2] is not None:
                    built_shown = classes_built_in_text(info.classes, lines) if built_shown is None else built_shown
                    key = (unit[2], f.context["by_default"])
                    if unit[2] in built_shown:
                        if key not in kept_by_builders:
                            kept_by_builders[key] = defaults_kept_by_builders(info.tree, info.classes, *key)
                        if not kept_by_builders[key]:
                            continue
                if assumed_caller or f.code != "GG202" and not f.context.get("caller_assumed"):
                    merge_finding(found, f)
        for f in backward_hooks.findings(tree, lines, Reporter(lines, path).span):  # GG305: an AST pass, no walk
            merge_finding(found, f)
        if (callers := getattr(ACTIVE_PROJECT.get(), "callers", None)) is not None:
            def passes():
                callers.promote(found, info, lines, path, deadline)  # gradguard/callers.py: what another file passes
                callers.report_built(found, info, lines, path, deadline)  # builders.py: what another file builds
                callers.report_used(found, info, lines, path, deadline)  # users.py: how another file uses them
                callers.report_eval_only(found, info, lines, path, deadline)  # eval_callers.py: never in training
                if deadline is not None and time.monotonic() > deadline.at and deadline.reached():
                    raise AnalysisTimeout()  # a pass cut at the limit keeps what it found: shown, never cached as whole
            cross_file(found, passes) if cross_file else passes()
    except AnalysisTimeout as stop:
        for f in stop.found_so_far:  # the unit that ran out of time: what it found before is still true
            merge_finding(found, f)
        error = f"analysis stopped after {time_limit:.0f} s of CPU (time limit); findings so far are shown"
        timed_out = True
    except AnalysisStopped as stop:  # the watchdog: the scopes walked before the stop still hold
        stop.found_so_far = finalize(list(found.values()), lines, config)
        raise
    except RecursionError:
        error = "the code is nested too deeply to analyse"
    finally:
        sys.setrecursionlimit(old_limit)
        DEADLINE.reset(limited)
    findings = finalize(list(found.values()), lines, config)
    return Analysis(findings=findings, error=error, error_line=1 if error else None, timed_out=timed_out)


def units_of(tree: ast.Module, info: FileInfo | None = None, table: dict | None = None) -> list[tuple]:
    """The module's own statements, then every function and method: ("module", None, None) / ("function", fn, cls);
    then the entry methods a class inherits from a base class of the file, or of another workspace file in `table`
    (the file's class table with those): ("inherited", fn, cls), inherited_entries.py."""
    units = [("module", None, None)] + [("function", fn, cls) for fn, cls in functions_of(tree) if not kernel_function(fn)]
    if info is not None:
        units += inherited_units(tree, info, table)
    return units


def run_unit(info, unit, lines: list[str], path: str, deadline) -> tuple[list[Finding], set]:
    """One scope, walked on its own: fresh ids and module instances, so its findings depend on nothing else
    than the code it reads (which is what makes them cacheable). Returns (findings, nodes it read)."""
    values.reset_ids()
    reporter = Reporter(lines, path)
    ctx = ModuleContext(info, reporter, deadline)
    reporter.ctx = ctx
    kind, fn, cls = unit
    try:
        if kind == "module":
            Interpreter(ctx).run_block(info.tree.body, State())
            return reporter.findings(), ctx.touched
        owner = cls if kind == "function" else find_method(ctx.class_table, cls, fn.name)[0]  # where `fn` is defined
        walker, state, role = start_walk(ctx, info, fn, cls, owner, lines, path)
        if kind == "function" and fn.name == "forward" and cls and walker.autograd_function(cls):  # its contract: GG505
            dirty_outputs.report(reporter, fn)
        if kind == "function" and fn.name == "__init__" and cls is not None and cls in info.canonical:
            # The submodules its `self` was built with stand for the ones this walk would build again (a model's
            # whole tree of blocks, each built anew: a third of the CLI's walk).
            ctx.reuse_built = info.canonical[cls][4]
        walker.run_block(fn.body, state)
        constant_loss.report(reporter, walker, fn, role)
        return reporter.findings(), ctx.touched
    except AnalysisTimeout as stop:
        stop.found_so_far = reporter.findings()
        raise
    finally:
        ctx.close()


# GG202 on an item of a list/tuple argument (`h, c = state`, `for f in feats`) changed as a whole; not an index write
WHOLE_CHANGES = ("augassign", "method")  # (YOLO losses decode each head output they get: `out[..., :2] = ...`)


class Reporter:
    """The rules: decides which events are findings, with their messages and related locations."""

    def __init__(self, lines: list[str], path: str):
        self.lines = lines
        self.path = path
        self._found: dict[tuple, Finding] = {}
        self.ctx = None
        self.role = None  # training.Role of the scope walked, when it is on the training path
        self.optional_storages: dict[int, str] = {}  # storage of an argument that defaults to None -> its name

    # -- spans --------------------------------------------------------------------------------
    def span(self, node: ast.AST) -> Span:
        other = getattr(node, "_gg_file", None)  # a node of another workspace file: its own lines
        lines = other.lines if other is not None else None
        line = getattr(node, "lineno", 1)
        end_line = getattr(node, "end_lineno", None) or line
        col = self.char_col(line, getattr(node, "col_offset", 0), lines)
        end_col = self.char_col(end_line, getattr(node, "end_col_offset", None) or 0, lines)
        if end_line == line and end_col <= col:
            end_col = col + 1
        return Span(line, col + 1, end_line, end_col + 1)

    def char_col(self, line: int, byte_offset: int, lines: list[str] | None = None) -> int:
        lines = self.lines if lines is None else lines
        if 1 <= line <= len(lines):
            text = lines[line - 1]
            if text.isascii():
                return byte_offset
            return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="replace"))
        return byte_offset

    def text(self, node: ast.AST, limit: int = 40) -> str:
        try:
            out = ast.unparse(node)
        except Exception:  # noqa: BLE001 - unparse of odd nodes: a generic name is enough
            return "the tensor"
        return out if len(out) <= limit else out[: limit - 1] + "…"

    def add(self, code: str, node: ast.AST, severity: Severity, message: str, related=(), explanation=(),
            via=(), obj: TObj | None = None, fix: dict | None = None, depends_on: str | None = None,
            tensor_shape: tuple[int, ...] | None = None, stepped: int | None = None) -> None:
        # Inside a followed call: a change made by a helper of this file to a tensor that came in as an argument
        # is reported on the helper's line (that line is what the fix changes), with the call as related; a
        # helper whose name says it works in place (`clip_(t)`, like torch's `add_`) has the call to blame unless
        # it saved the tensor itself, as have a module's forward, a helper of another file and a `__main__` demo's
        # call. A view-kind hazard belongs where the view was made. `stepped`: the index in `via` of the call that
        # handed a helper the optimizer it stepped (helper_blame.stepping_frame), reported there.
        if stepped is not None:  # a helper stepped the optimizer it was handed: the call that handed it is blamed
            node, here = via[stepped].call, self.related(node, f"`{via[-1].func_name}` steps it here")
            related = [here, *(r for r in related if r.span != self.span(node) or r.path is not None)]
        for i, frame in enumerate(via if stepped is None else ()):
            # A view-kind hazard belongs where the view was made; other hazards follow the tensor's identity.
            made_inside = code.startswith("GG3") and obj is not None and obj.origin is not None and \
                within(obj.origin, frame.inner)
            # `out=` with an argument that requires grad raises at that call, wherever the argument came from
            if made_inside or code == "GG103" and within(node, frame.inner):
                continue
            if obj is None or obj.storage in frame.arg_storages or obj.memory in frame.arg_storages or (
                    obj.param_of is not None and obj.param_of in frame.arg_modules):
                if (code[:3] in CHANGED_IN_HELPER or code == "GG401" and returns_changed(node, via[-1].inner)) and \
                        getattr(frame.inner, "_gg_file", None) is None and \
                        getattr(node, "_gg_file", None) is None and not self.in_main_block(frame.call) and \
                        getattr(frame.inner, "name", "") not in MODULE_CALLS and (
                        not frame.func_name.endswith("_") or saved_inside(fix, frame.inner)):
                    called = self.related(frame.call, f"`{frame.func_name}` is called here with it")
                    related = [r for r in related if r != called]
                    related.insert(0, called)
                    break
                related = [self.related(node, f"`{via[-1].func_name}` does it here"), *related]
                node = frame.call
                break
        if getattr(node, "_gg_file", None) is not None or elsewhere(fix):
            # Another workspace file: reported at this file's call that led there (never there). No fix, but
            # `inplace=False` where an in-place module is built, which may be in that other file, or the fixes of
            # a change made here to a tensor made there (helper_blame.change_made_here).
            entry = next((f for f in via if getattr(f.call, "_gg_file", None) is None
                          and getattr(f.inner, "_gg_file", None) is not None), None)
            if getattr(node, "_gg_file", None) is not None:
                if entry is None:
                    return
                here = self.related(node, f"`{via[-1].func_name}` does it here")
                related = [here, *related] if here not in related else list(related)
                node = entry.call
            fix = self.remote_module_fix(fix) or change_made_here(fix, node)
        span = self.span(node)
        context = dict(fix or {}, tree=self.ctx.tree if self.ctx else None, imports=self.ctx.imports if self.ctx else None)
        merge_finding(self._found, Finding(code, severity, message, span, list(related), [], list(explanation),
                                           depends_on, tensor_shape, context))

    def in_main_block(self, node: ast.AST) -> bool:
        """Is `node` in the file's `if __name__ == "__main__":` demo? That is one caller among the unknown others:
        what it passes is reported at its own call, and the model's lines keep what holds for any caller."""
        if getattr(node, "_gg_file", None) is not None:
            return False  # a call in another file's method (an inherited forward's)
        line = getattr(node, "lineno", 0)
        tree = self.ctx.tree if self.ctx is not None else None
        for stmt in getattr(tree, "body", ()):
            if isinstance(stmt, ast.If) and stmt.lineno <= line <= (stmt.end_lineno or 0) and \
                    "__name__" in ast.dump(stmt.test):
                return True
        return False

    def remote_module_fix(self, fix: dict | None) -> dict | None:
        """The fix context of a change made by an `inplace=True` module built in another workspace file: the
        builder edits that file (fixes.Builder.module_inplace_false), with its tree."""
        event = (fix or {}).get("event")
        module_node = getattr(event, "module_node", None) if event is not None and event.kind == "module" else None
        tag = getattr(module_node, "_gg_file", None)
        if tag is None or self.ctx is None:
            return None
        other = self.ctx.context_of(module_node)
        tree = getattr(other, "tree", None)
        if tree is None or getattr(tree, "_gg_file", None) is not tag:
            return None
        return {"kind": "remote-module", "event": event, "save": fix.get("save"), "module_tree": tree}

    def related(self, node: ast.AST, message: str) -> Related:
        other = getattr(node, "_gg_file", None)
        return Related(self.span(node), message, other.path if other is not None else None)

    def findings(self) -> list[Finding]:
        return list(self._found.values())

    # -- helpers --------------------------------------------------------------------------------
    def via_related(self, event) -> list[Related]:
        return [self.related(f.call, f"through the call of `{f.func_name}` here") for f in event.via[1:]]

    def target_text(self, event) -> str:
        node = event.node
        if event.kind == "optimizer":
            return "the model's parameters" if event.obj.param_of is not None else "the optimizer's tensors"
        if isinstance(node, ast.AugAssign):  # `x[:2] += 1` changes x; `cache[key] += 1` the tensor the dict holds
            whole = isinstance(node.target, ast.Subscript) and event.kind != "augassign"
            return self.text(node.target.value if whole else node.target)
        if isinstance(node, ast.Subscript):
            return self.text(node.value)
        if event.kind == "module" and node is event.module_node:
            return "input"  # an nn.Sequential member: no call of its own; torch names its argument `input`
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute) and event.kind not in ("function", "module", "inplace-arg"):
                return self.text(node.func.value)
            if node.args:
                return self.text(node.args[0])
        return "the tensor"

    # -- events from the walk ------------------------------------------------------------------
    def on_mutation(self, walker: Interpreter, event, state: State, index_basic=True, inputs=()) -> None:
        if event.silent or event.kind in ("out",):
            return
        module_state.written(self, walker, event, state, inputs)
        obj: TObj = event.obj
        name = self.target_text(event)
        via = self.via_related(event)
        module_rel = [self.related(event.module_node, module_built(event.module_node))] \
            if event.module_node is not None else []
        method = event.node.func.attr if isinstance(event.node, ast.Call) and isinstance(event.node.func,
                                                                                          ast.Attribute) else None
        # A change of the whole expanded tensor, or of a slice of it, writes shared memory; `e[0] = ...` picks
        # one row and depends on which dims were expanded. `fill_`/`zero_` write one value (torch allows it),
        # until autograd has to write a gradient back through the expanded layout.
        whole = event.kind in ("augassign", "method", "function", "inplace-arg", "module")
        sliced = event.kind == "setitem" and only_slices(event.node)
        # A fill raises only at backward(), through autograd's copy: not when nothing shows the tensor requires grad
        fills_ok = method in FILLS and (obj.requires_grad in (Tri.NO, Tri.MAYBE) or event.grad_enabled is Tri.NO)
        # torch checks a view of a leaf that requires grad first (grad mode on): that error is GG102's
        leaf_first = obj.leaf_view and event.grad_enabled is Tri.YES and obj.requires_grad in (Tri.YES, Tri.ASSUMED)
        # `mask.expand(...).float()` of a tensor that need not be floating (a bool or integer mask) is a copy
        # with its own memory; of one that requires grad, in float32 training the expanded tensor itself. A
        # conversion before the expand (`mask.float().expand(...)`) leaves the expand sharing memory all the same.
        after = obj.maybe_copy if obj.view_op not in ("expand", "expand_as") else ""
        converted = after in CONVERSIONS and obj.requires_grad not in (Tri.YES, Tri.ASSUMED)
        if obj.view_kind == "expand" and (whole or sliced) and not fills_ok and not leaf_first and \
                method not in RESTRIDES and not converted:
            self.add("GG303", event.node, Severity.ERROR,
                     f"`{name}` is an `expand()` result; changing it in place ({event.op}) writes one memory "
                     "location many times, and torch raises here.",
                     via, [f"`{name}` comes from `expand()`, whose elements share memory."], via=event.via, obj=event.obj, fix={"kind": "mutation", "event": event})
            return
        if event.grad_enabled is Tri.NO:
            return
        certain = event.grad_enabled is Tri.YES and not state.grad_assumed
        # On the training path the caller's grad mode is on: a warning that says so.
        mode_assumed = not certain and event.grad_enabled is Tri.YES and state.training
        grad_note = "" if certain else " (on the training path, where grad mode is on)" if mode_assumed else \
            " (when grad mode is on, as in training)"
        depends = None if certain or mode_assumed else "the caller's grad mode"
        if names_setting(event.path_condition):
            grad_note += " " + event.path_condition  # a warning that names the setting
            certain = False
        elif default_source(event.path_condition):  # what the module built with its defaults does: a warning
            grad_note += ", " + event.path_condition
            certain = False
        elif event.path_condition:
            depends = self.blocking_condition(event.path_condition)
        if obj.requires_grad is Tri.MAYBE and obj.rg_default and obj.leaf:  # a warning that names the defaults
            grad_note += f", with the default {obj.rg_default}, under which `{name}` requires grad"
            certain = False
        elif obj.requires_grad is Tri.MAYBE or (obj.is_argument and obj.requires_grad not in (Tri.ASSUMED, Tri.YES)):
            depends = f"whether `{name}` requires grad" + (" and the caller's grad mode" if depends else "")
        rg = obj.requires_grad
        if obj.view_kind in ("nograd", "inference") and event.grad_enabled is Tri.YES:
            mode = "inference mode" if obj.view_kind == "inference" else "no_grad mode"
            then = "in normal mode" if obj.view_kind == "inference" else "with grad mode enabled"
            self.add("GG302", event.node, Severity.ERROR if certain else Severity.WARNING,
                     f"`{name}` is a view taken in {mode}; changing it in place ({event.op}) with grad mode on "
                     f"raises: 'A view was created in {mode} and is being modified inplace {then}'.", via,
                     [f"`{name}` was viewed in {mode} from a tensor that requires grad."], via=event.via,
                     obj=event.obj, fix={"kind": "mutation", "event": event}, depends_on=depends)
            return
        if input_embeddings.report(self, event, name, via, event.kind == "setitem" and index_basic and
                                   not whole_index(event.node), certain or mode_assumed):
            return
        if rg is Tri.NO:
            return
        if obj.leaf and event.kind == "setitem" and index_basic and not whole_index(event.node):
            code, what = "GG102", "a view of a leaf Variable that requires grad is being used in an in-place operation."
        elif obj.leaf:
            code, what = "GG101", "a leaf Variable that requires grad is being used in an in-place operation."
        elif obj.leaf_view and (obj.view_kind is None or leaf_first and obj.view_kind == "expand"):
            code, what = "GG102", "a view of a leaf Variable that requires grad is being used in an in-place operation."
        elif (obj.is_argument or obj.passed_in and event.kind in WHOLE_CHANGES) and rg is Tri.ASSUMED and \
                obj.view_kind is None and event.grad_enabled is Tri.YES \
                and state.training and not event.path_condition:
            self.caller_tensor_finding(event, name, via)
            return
        elif obj.view_kind == "multi":
            if obj.maybe_copy:  # a warning: reshaping a piece splits its dims far more often than it merges them
                grad_note += " " + maybe_copy_note(obj.maybe_copy)
            self.add("GG301", event.node, Severity.ERROR if rg is Tri.YES and certain and not obj.maybe_copy
                     else Severity.WARNING,
                     f"`{name}` is one of several views returned by `{obj.view_op}`; changing it in place "
                     f"({event.op}) raises{grad_note}: 'Output 0 of ... is a view and is being modified inplace'.",
                     via + module_rel, [f"`{obj.view_op}` returns views that autograd cannot rebase one by one."],
                     via=event.via, obj=event.obj, depends_on=depends, fix={
                         "kind": "mutation", "event": event, "caller_assumed": obj.is_argument and rg is Tri.ASSUMED})
            return
        else:
            return
        severity = Severity.ERROR if certain and rg is Tri.YES else Severity.WARNING
        if obj.is_argument:
            severity = Severity.WARNING
        if obj.maybe_copy and code in ("GG101", "GG102"):  # `.to(device)` of a leaf: itself only on its own device
            severity, grad_note = Severity.WARNING, grad_note + " " + maybe_copy_note(obj.maybe_copy)
        leafdesc = obj.describe
        self.add(code, event.node, severity,
                 f"`{name}` is {article(leafdesc)} that requires grad; changing it in place ({event.op}) "
                 f"raises{grad_note}: '{what}'"
                 + (" Do parameter updates under `torch.no_grad()`." if obj.param_of is not None else ""),
                 via + module_rel,
                 [f"`{name}` is {article(leafdesc)}: autograd accumulates its gradient, so it may not change "
                  "in place while grad mode is on."], via=event.via, obj=event.obj, fix={"kind": "mutation", "event": event},
                 depends_on=depends)

    def caller_tensor_finding(self, event, name: str, via: list) -> None:
        """GG202: on the training path, an entry (a module's `forward`, a loss) changes in place the tensor its
        caller passed in. The caller's tensor requires grad there; whether torch raises depends on what the caller
        did with it, which this file cannot show, so it is a warning that says both ways torch fails."""
        obj = event.obj
        if event.kind in ("module", "inplace-arg") or event.opted_in:
            return  # `nn.ReLU(inplace=True)` on the input: a deliberate, common memory saving, torch-safe after most ops
        if event.kind == "setitem" and not tensor_index(event.node):
            return  # `x[i] = ...` with a plain index: `x` may as well be a list of tensors
        named = re.search(r"argument `([^`]+)`", obj.describe)  # "a view of argument `x`" names `x` too
        arg = named.group(1) if named else obj.describe.removeprefix("argument ").strip("`")
        if LOSS_TOTAL.search(arg):
            return  # `regularizer_loss += term`: the running total a caller hands each term's helper, a sum no op saved
        whose = "a view of the tensor" if obj.describe.startswith("a view of ") else "the tensor"
        self.add("GG202", event.node, Severity.WARNING,
                 f"`{name}` is {whose} the caller passed in as `{arg}`; changing it in place ({event.op}) changes "
                 "the caller's tensor, which requires grad on the training path: backward() will raise if the op "
                 "that made it saved it (ReLU, sigmoid, tanh, softmax, an LSTM, or a Linear/conv that took it as "
                 "input): 'one of the variables needed for gradient computation has been modified by an inplace "
                 "operation'; this line raises if it is a leaf: 'a leaf Variable that requires grad is being used "
                 "in an in-place operation'.",
                 via, [f"`{arg}` comes from the caller: what else holds it, and which op saved it, is decided there.",
                       f"Compute a new tensor instead (`{name} = {name} + ...`): the caller's tensor stays intact."],
                 via=(), obj=obj, fix={"kind": "mutation", "event": event})

    def set_by_the_class_elsewhere(self, walker: Interpreter, node) -> bool:
        """Is `node` `self.<attr>.backward()` in a method walked on its own, whose class sets `self.<attr>` in
        another method (which may run before this one, as a training step does)?"""
        func = getattr(node, "func", None)
        receiver = func.value if func.__class__ is ast.Attribute and func.attr == "backward" else None
        if receiver.__class__ is not ast.Attribute or receiver.value.__class__ is not ast.Name or \
                receiver.value.id != "self" or len(walker.func_stack) != 1 or walker.class_name is None:
            return False
        cls = self.ctx.info.classes.get(walker.class_name) if self.ctx is not None else None
        return cls is not None and set_by_other_methods(cls.node, receiver.attr, walker.func_stack[0])

    def set_by_a_hook(self, walker: Interpreter, node) -> bool:
        """Does `node`, a backward() in a method, read a `self.<attr>` that a hook of its class sets?"""
        cls = self.ctx.info.classes.get(walker.class_name) if self.ctx is not None and walker.class_name else None
        if cls is None or not walker.func_stack:
            return False
        # the answer reads every method's body (which hooks it registers), which the class's own fingerprint leaves out
        walker.ctx.touched.update(n for n in cls.node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))
        return reads_hook_attribute(cls.node, walker.func_stack[-1], node)

    def on_out_argument(self, walker: Interpreter, node, args, kwargs, state: State) -> None:
        out_arguments.report(self, walker, node, args, kwargs, state)

    def on_backward(self, walker: Interpreter, ref: Ref, node, state: State, has_gradient: bool,
                    upstream: frozenset = frozenset()) -> None:
        rg = walker.rg(ref, state)
        name = self.text(node.func.value) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr == "backward" else self.text(node.args[0]) if getattr(node, "args", None) else "it"
        via = []
        if rg is Tri.NO and (self.set_by_the_class_elsewhere(walker, node) or self.set_by_a_hook(walker, node)):
            return  # `def backward(self): self.loss.backward()`: the loss a training method set, not __init__'s zeros
        if rg is Tri.NO and all(state.obj(o).describe == GRAD_FIELD for o in ref.objs):
            return  # `autograd.grad(p.grad, p, zs)` (a Hessian-vector product): the caller's backward() kept a graph
        if rg is Tri.NO:
            obj = walker.first(ref, state)
            why = "it comes from `.detach()`/`.data`" if obj.detached else \
                "it was computed under `torch.no_grad()` or only from tensors that do not require grad"
            assumed = self.ctx.root.no_grad_assumptions if self.ctx is not None else []
            if assumed:
                why += "; this assumes that " + " and that ".join(dict.fromkeys(assumed))
            self.add("GG503", node, Severity.WARNING if assumed else Severity.ERROR,
                     f"`{name}` does not require grad ({why}); backward() raises: 'element 0 of tensors does not "
                     "require grad and does not have a grad_fn'.", via, [f"`{name}` has no grad_fn: {why}."], via=walker.frames,
                     obj=obj, fix={"kind": "nograd", "node": node})
            return
        scalar = Tri.YES
        for oid in ref.objs:
            s = state.obj(oid).scalar
            scalar = Tri.NO if s is Tri.NO else scalar if s is Tri.YES else Tri.MAYBE
        if scalar is Tri.NO and not has_gradient and rg is Tri.YES:
            self.add("GG504", node, Severity.ERROR,
                     f"`{name}` has more than one element; backward() without `gradient=` raises: 'grad can be "
                     "implicitly created only for scalar outputs'.", via, via=walker.frames, obj=walker.first(ref, state),
                     fix={"kind": "nonscalar", "node": node})
        history = walker.history(ref, state) - upstream  # autograd.grad(loss, x): not what made `x`
        kept_lists.report(self, history, node, state)
        # Carried: the freed graph was built in an earlier iteration of a loop around this backward() (not in the
        # same iteration, an inner loop's included: that is an earlier backward() of this very iteration).
        def carried_over(s) -> bool:
            return s.loop_pass != 0 and not same_iteration(s.loop_pass, walker.loop_pass)

        freed_by = None
        # One freed in this iteration first (a loop that may run no time joins in the last iteration's graph too),
        # then a certain one, the earliest.
        for save in sorted(history, key=lambda s: (carried_over(s), not s.certain, s.seq, s.id)):
            hit = state.freed.get(save.id)
            if hit is not None:
                freed_by = (save, hit)
                break
        reset = None
        if freed_by is not None and freed_by[1][0] is node and carried_over(freed_by[0]) and \
                (reset := reset_after_backward(self.ctx.tree if self.ctx else None, node)):
            freed_by = None  # gradient accumulation: what this backward() went through is reset on its path
        if freed_by is not None and freed_by[1][0] is node and not carried_over(freed_by[0]) and \
                self.item_graph(walker, freed_by[0], node, state):
            freed_by = None  # one item of a collection per iteration, each with its own graph
        if freed_by is not None:
            save, (bnode, bpass) = freed_by
            carried = carried_over(save)
            code = "GG502" if carried else "GG501"
            msg = (f"`{name}` still depends on the graph of the previous loop iteration (through `{save.op}`), "
                   "which the previous backward() freed; torch raises 'Trying to backward through the graph a "
                   "second time'. Detach the carried tensor each iteration.") if carried else (
                f"`{name}` goes through `{save.op}`, whose saved tensors an earlier backward() freed; torch raises "
                "'Trying to backward through the graph a second time'. Pass `retain_graph=True` to the first "
                "backward(), or `.detach()` what the first loss should not backpropagate into (a GAN's "
                "discriminator step: `netD(fake.detach())`).")
            related = [self.related(save.node, f"`{save.op}` is part of the graph freed by the earlier backward()")]
            if not carried:
                related.append(self.related(bnode, "the first backward() frees the graph here"))
            severity = Severity.ERROR if save.certain and not save.assumed else Severity.WARNING
            depends_on = None if save.certain else f"whether the inputs of `{save.op}` require grad"
            truncation = conditional_truncation(self.ctx.tree if self.ctx else None, node) if carried else None
            if truncation is not None:  # truncated BPTT: a detach every k steps, a backward() every k steps
                severity = Severity.INFORMATION
                depends_on = f"whether the detach on line {truncation.lineno} runs after every backward() " \
                    "of this loop (its condition and this backward()'s line up)"
                related.append(self.related(truncation, "the carried tensor is detached only when this holds"))
            self.add(code, node, severity, msg, via + related, via=walker.frames,
                     obj=walker.first(ref, state),
                     fix={"kind": "carried", "node": node, "names": self.carried_names(walker, state)}
                     if carried else {"kind": "retain", "node": bnode, "save": save,
                                      "changed": changed_after_freed(state, history)},
                     depends_on=depends_on)
        self.report_stale(walker, history, state, node, name, at_backward=True, reset=reset)

    def item_graph(self, walker, save, node, state: State) -> bool:
        """Is `save` part of the graph of the item this loop iteration took from a collection (syntax.backward_per_item)?"""
        tree = self.ctx.tree if self.ctx else None
        items = backward_per_item(tree, node) or (  # or a helper's, called in the loop with the item
            call_per_item(tree, walker.frames[-1].call, walker.frames[-1].inner) if walker.frames else set())
        return any(save in walker.history(value, state) for name in items
                   if isinstance(value := state.env.get(name), Ref) and all(o in state.objs for o in value.objs))

    def carried_names(self, walker, state: State) -> list[str]:
        """Names (and module attributes) still holding a graph that a backward() already freed."""
        def stale(val) -> bool:
            return isinstance(val, Ref) and all(o in state.objs for o in val.objs) and \
                any(s.id in state.freed for s in walker.history(val, state))

        names = [name for name, val in state.env.items() if stale(val)]
        names += [f"{name}[:]" for name, val in state.env.items()  # a list of losses or log-probabilities
                  if isinstance(val, Seq) and any(stale(item) for item in val.items)]
        for name, val in state.env.items():
            if isinstance(val, ModuleVal) and "." not in name:
                for attr, v in self.ctx.instance_attrs.get(val.id, {}).items():
                    if stale(v):
                        names.append(f"{name}.{attr}")
                    elif isinstance(v, Seq) and any(stale(item) for item in v.items):
                        names.append(f"{name}.{attr}[:]")
        return names

    def report_stale(self, walker, history, state: State, node, name, at_backward: bool, reset=None,
                     stepped_ok: bool = False) -> None:
        for save in sorted(history, key=lambda s: (s.seq, s.id)):
            hit = state.freed.get(save.id)  # a freed save fails first, as GG501/GG502; but for one that this
            if save.storage is None or hit is not None and not (reset and hit[0] is node):  # backward() freed on
                continue  # the path that reset what it read (`reset`), the path that skipped it carries it here
            for event in state.muts.get(("s", save.storage), ()):
                if event.seq <= save.seq or event.silent or exclusive(save.branch, event.branch) or \
                        stepped_ok and event.kind == "optimizer" or \
                        event.tensor_made_in and self.ctx is not None and \
                        flag_settings_clash(self.ctx.root, save.branch, event.branch, event.tensor_made_in) or \
                        hit is not None and any(k[1:] == (reset[0], hit[1], reset[1]) for k in event.branch) or \
                        event.alternatives and self.ctx is not None and \
                        held_by_another_candidate(self.ctx.root.choice_outputs, save.branch, event):
                    continue
                if event.held_by_default and (saved_every_alternative(save, event, history) or self.off_default(
                        save.branch) or not saved_each(save, event, event.held_by_default, history)):
                    # back to the branch's condition: saved whichever tensor the name holds (no condition, below), or
                    # built with the defaults, it may hold another one, unsaved, or the save does not run
                    event = evolve(event, path_condition=BRANCH_CONDITION)
                if (event.path_condition == BRANCH_CONDITION or (event.path_condition or "").startswith(CONFIGURATION)) \
                        and saved_every_alternative(save, event, history) or \
                        event.path_condition == BRANCH_CONDITION and saved_where_made(save, event):
                    event = evolve(event, path_condition=None)  # whichever tensor the name held, the op saved it
                if event.path_condition is not None and self.displaced_where_saved(save, event):
                    continue  # also a change made by the module the defaults choose (`activation="relu"`)
                self.stale_finding(walker, save, event, node, name, at_backward, holders(state, event.storage),
                                   history)
            for event in state.muts.get(("m", save.memory), ()):
                if event.seq <= save.seq or (not event.silent and event.storage == save.storage):
                    continue
                self.silent_finding(walker, save, event, node, name)

    def displaced_where_saved(self, save, event) -> bool:
        """`out = block(x)`, `if self.final_bn: out = self.bn(out)`, then `out += r`: the name holds the tensor from
        before the `if` only on the runs that skip its side, and `bn` saved that tensor on the side itself: never in
        one run. True when another tensor the name may hold was made on a side of an `if` that the save was made on
        (and the changed tensor, and the change, were not): that side puts it in the name."""
        if self.ctx is None or not event.alternatives:
            return False
        sides = set(save.branch) - set(event.branch) - set(event.tensor_made_in)
        if not sides:
            return False
        made_in = self.ctx.root.storage_made_in
        return any(sides & set(made_in.get(storage, ())) for storage in event.alternatives - {event.storage})

    def stale_finding(self, walker, save, event, node, name, at_backward, holding=frozenset(), history=()) -> None:
        if event.kind == "setitem" and event.obj.is_argument and not event.obj.tensor_declared and \
                not tensor_index(event.node):
            return  # `x[i] = self.m[i](x[i])` on an argument: `x` may as well be a list of tensors (one item replaced)
        role = "output" if save.role == "result" else "input" if save.role in ("input", "self") else \
            "parameters" if save.role == "parameters" else f"`{save.role}` argument"
        target = self.target_text(event)
        where = "backward() fails here" if at_backward else "the result is returned here; a backward() through it fails"
        severity = Severity.ERROR if save.certain and not save.assumed else Severity.WARNING
        depends = "" if save.certain else " (if the tensors involved require grad)"
        if save.assumed and save.role == "parameters":
            depends = f" on the training path, where the parameters of `{save.op}` require grad"
        elif save.assumed:  # what the training assumption takes, said as such: the user knows what the data is
            depends = f" on the training path, where the inputs of `{save.op}` require grad (assumed: true of a " \
                "previous layer's output, not of a batch straight from the data loader)"
        if event.obj.maybe_copy:  # `.float()` of a saved tensor: the same tensor in float32 training
            depends += ", " + maybe_copy_note(event.obj.maybe_copy)
            severity = Severity.WARNING
        path_condition = event.path_condition
        if path_condition is None and event.storage in self.optional_storages:
            path_condition = f"whether the caller passes `{self.optional_storages[event.storage]}`"
        if path_condition is None and self.ctx is not None:  # the save made by one candidate of a LayerChoice
            path_condition = saved_in_choice(self.ctx.root.choice_sides, save.branch, event.branch)
            if path_condition and saved_by_every_candidate(self.ctx.root.choice_sides, save, event, history):
                path_condition = None  # whichever module the code's branches built, it kept the tensor
        if (path_condition or "").startswith(BUILT_CHOICE) and \
                rests_on_other_sides(self.ctx.root.choice_sides, save, event, path_condition):
            path_condition = BRANCH_CONDITION  # the save rests on another choice too: not known to meet the change
        # The constructor defaults this rests on: of the change (made inside a module the defaults chose), of the
        # branch that made the saved tensor (the one the defaults take), or of the module that saved it.
        defaults = default_source(path_condition)
        if path_condition == BRANCH_CONDITION:
            defaults = self.default_path(save, event) or save.by_default
        elif path_condition is None:
            defaults = save.by_default
        by_default = bool(defaults)
        if by_default:
            flipped = self.off_default(event.branch) and self.flipped_settings(event.branch, defaults)
            if flipped is None:
                return  # the change runs only where the defaults do not lead (`if self.mode == "b": h += 1`)
            # what the module does built with its defaults, which the code that builds it may change: a warning
            depends += f", {DEFAULT_CONFIGURATION}{defaults}"
            if flipped:  # `if self.residual: x += c` (default False): what the module built with residual=True does
                depends += f", {CONFIGURATION}with {flipped}"
            severity = Severity.WARNING
            path_condition = None
        condition = self.blocking_condition(path_condition) if path_condition else None
        configured = names_setting(path_condition)
        if configured and self.ctx is not None and settings_clash(self.ctx.root, path_condition, (event.branch,)):
            return  # `if not self.a and self.b: x *= s` on a tensor the name holds when built with `a=True`
        if configured:  # a warning that names the setting, if the save does not depend on anything else
            depends += f", {path_condition}"
            severity = Severity.WARNING
        elif path_condition and condition is None:
            # the training path passes it (a loss's weights, a forward's lengths): assumed, so not an error
            depends += f", {path_condition.replace('whether the caller', 'when the caller')} (as training does)"
            severity = Severity.WARNING
        grad_fn = f" ({save.grad_fn})" if save.grad_fn else ""
        message = (f"`{target}` is changed in place ({event.op}) after `{save.op}`{grad_fn} saved it as its {role} "
                   f"for backward; backward() will raise{depends}: 'one of the variables needed for gradient "
                   "computation has been modified by an inplace operation'.")
        related = [self.related(save.node, f"`{save.op}` saves its {role} here"),
                   self.related(node, where)] + self.via_related(event)
        if event.module_node is not None:
            related.append(self.related(event.module_node, module_built(event.module_node)))
        explanation = [
            f"`{save.op}` keeps its {role} for backward (facts from torch: {save.grad_fn or save.op}).",
            f"`{event.op}` bumps the tensor's version counter; autograd checks it at backward() and raises.",
        ]
        stepped = stepping_frame(event.via, event)
        if stepped is not None and any(f.call is event.via[stepped].call for f in walker.frames):
            stepped = None  # the backward() runs inside the same call: the helper steps between its own backward()s
        self.add("GG201", event.node, severity, message, related, explanation, via=event.via, obj=event.obj,
                 fix={"kind": "mutation", "event": event, "save": save, "backward": node, "holders": holding,
                      "by_default": defaults or ""},
                 depends_on=condition if path_condition and not configured else None if save.certain
                 else f"whether the inputs of `{save.op}` require grad",
                 tensor_shape=known_shape(event.obj), stepped=stepped)

    def off_default(self, branch: tuple) -> bool:
        """Is this path on the side of an `if` that the constructor's defaults do not take?"""
        sides = self.ctx.root.default_sides if self.ctx is not None else {}
        return any(other_side(key) in sides for key in branch)

    def flipped_settings(self, branch: tuple, defaults: str) -> str | None:
        """The bool settings (`residual=True`) under which a path that leaves the defaults' side runs, where each
        side it leaves them on is a bool flag's: the module built with them flipped runs it, and keeps the other
        defaults (`defaults`). None when a side is not a bool flag's (`mode="b"`), or one of them flips a default
        that the finding rests on (the two never meet)."""
        root = self.ctx.root
        off = [key for key in branch if other_side(key) in root.default_sides]
        if any(key not in root.other_sides for key in off):
            return None
        flipped = list(dict.fromkeys(root.other_sides[key] for key in off))
        rested = {part.split("=", 1)[0] for part in defaults.split(", ")}
        if any(setting.split("=", 1)[0] in rested for setting in flipped):
            return None
        return " and ".join(flipped)

    def default_path(self, save, event) -> str | None:
        """The constructor defaults (`activation="tanh"`) under which the branches that made `save`, and not
        `event`, all run; None when one of them is not the defaults' side."""
        sides = self.ctx.root.default_sides if self.ctx is not None else {}
        own = [key for key in save.branch if key not in event.branch]
        if not own or any(key not in sides for key in own):
            return None
        return ", ".join(dict.fromkeys(sides[key] for key in own))

    def blocking_condition(self, condition: str) -> str | None:
        """The path condition a finding depends on, or None when the training path takes it: a loss function's
        optional arguments (class weights, masks) are what its callers pass when they train, and so are a
        forward's masks, lengths and per-sample weights (`forward(x, lens=None)`: padded batches pass `lens`). A
        cache or a state passed only at generation time still depends on the caller."""
        if names_setting(condition):
            return None  # what the branch is written for: the module built otherwise, a warning that names it
        if self.role is None or not condition.startswith("whether the caller passes"):
            return condition
        if self.role.loss:
            return None
        names = re.findall(r"`([^`]+)`", condition)
        if self.role.inputs_require_grad and names and all(TRAINING_OPTIONS.search(n) for n in names):
            return None
        return condition

    def silent_finding(self, walker, save, event, node, name) -> None:
        code = "GG402" if event.kind == "numpy" else "GG401"
        how = "a NumPy array that shares its memory" if code == "GG402" else "`.data`"
        role = "output" if save.role == "result" else "input"
        what = f"This writes through {how} to a tensor"
        if event.kind == "optimizer":  # a fused step: no `.data` in sight, the kernel goes around the counter
            what = (f"A fused optimizer step (`fused=True`) writes {self.target_text(event)} without bumping their "
                    "version counter, and one of them is a tensor")
        self.add(code, event.node, Severity.WARNING,
                 f"{what} that `{save.op}` saved as its {role} for backward; torch does not notice, and the "
                 "backward() below computes wrong gradients with no error.",
                 [self.related(save.node, f"`{save.op}` saves the tensor here"),
                  self.related(node, "backward() uses the changed values here")] + self.via_related(event), via=event.via, obj=event.obj,
                 fix={"kind": "mutation", "event": event, "save": save, "backward": node},
                 depends_on=None if save.certain else f"whether the inputs of `{save.op}` require grad")

    def report_state_round_trip(self, walker: Interpreter, value, state: State) -> None:
        """`Si, Zi = memory; Zi += K; ... einsum(Q, Zi) ...; return V, [Si, Zi]`: a recurrent step changes the
        state passed in, an op then saves it, and it goes back out as the next step's state. The next call's
        in-place change hits what this call's op saved: the backward() through both steps raises."""
        if self.role is None or not self.role.inputs_require_grad or not isinstance(value, Seq):
            return  # the state goes out beside the step's output (`return out, state`), not as the output
        items = [flat_refs([item]) for item in value.items if item != "*"]
        for i, state_refs in enumerate(items):
            others = [r for j, refs in enumerate(items) if j != i for r in refs]
            saves = sorted((s for r in others for s in walker.history(r, state) if s.certain and s.storage is not None),
                           key=lambda s: (s.seq, s.id))
            self.round_trips(state_refs, saves, state)

    def round_trips(self, refs, saves, state: State) -> None:
        for ref in refs:
            for oid in ref.objs:
                obj = state.obj(oid)
                if not (obj.passed_in or obj.is_argument):
                    continue
                for event in state.muts.get(("s", obj.storage), ()):
                    if event.silent or event.via or event.grad_enabled is Tri.NO or \
                            event.kind not in ("augassign", "method", "setitem", "function"):
                        continue
                    later = [s for s in saves if s.storage == obj.storage and s.seq > event.seq
                             and not exclusive(s.branch, event.branch)]
                    if later:
                        self.round_trip_finding(event, later[0])

    def round_trip_finding(self, event, save) -> None:
        target = self.target_text(event)
        role = "output" if save.role == "result" else "input" if save.role in ("input", "self") else \
            "parameters" if save.role == "parameters" else f"`{save.role}` argument"
        self.add("GG201", event.node, Severity.WARNING,
                 f"`{target}` is state passed in by the caller and returned for the next step; it is changed in "
                 f"place ({event.op}) and then saved by `{save.op}` as its {role}, so the next step's {event.op} "
                 "changes what this step saved: backward() through both steps will raise on the training path: "
                 "'one of the variables needed for gradient computation has been modified by an inplace "
                 "operation'.",
                 [self.related(save.node, f"`{save.op}` saves it here, after the change")],
                 [f"`{event.op}` on the carried state bumps the version counter of the tensor the previous step's "
                  f"`{save.op}` saved.", "Update the state out of place: `s = s + ...`."],
                 via=event.via, obj=event.obj, fix={"kind": "mutation", "event": event})

    def on_state_store(self, walker: Interpreter, target: ast.Attribute, value, value_node, state: State) -> None:
        module_state.stored(self, walker, target, value, value_node, state)

    def on_return(self, walker: Interpreter, value, node, state: State) -> None:
        if walker.frames or not getattr(walker, "in_function", False):
            return
        self.report_state_round_trip(walker, value, state)
        # A training step that ran its own backward() and then stepped returns its statistics (a dict of the loss
        # terms): what it returns was backpropagated already, not left for the caller's backward().
        stepped_ok = bool(walker.func_stack) and calls_backward(walker.func_stack[0])
        # a tensor, or tensors in the tuples, lists, dicts and records (a dataclass's fields) returned
        for ref in flat_refs([value] + record_fields(self.ctx, value)):
            self.report_stale(walker, walker.history(ref, state), state, node, "the result", at_backward=False,
                              stepped_ok=stepped_ok)


def within(node: ast.AST, scope: ast.AST) -> bool:
    """Is `node` inside `scope`'s lines, in the same file?"""
    return scope.lineno <= getattr(node, "lineno", 0) <= scope.end_lineno and \
        getattr(scope, "_gg_file", None) is getattr(node, "_gg_file", None)


def holders(state: State, storage) -> frozenset:
    """The names that hold the tensor of `storage` (itself, or in a list, tuple or dict): another name for a
    changed tensor sees the change, and a fix that only rebinds one name would not give it to the others."""
    names = set()
    for name, val in state.env.items():
        for ref in flat_refs([val]):
            if any(oid in state.objs and state.objs[oid].storage == storage for oid in ref.objs):
                names.add(name)
                break
    return frozenset(names)






def elsewhere(fix: dict | None) -> bool:
    """Would the fix edit code of another workspace file (its nodes carry `_gg_file`)?"""
    if not fix:
        return False
    event = fix.get("event")
    nodes = [fix.get("node")] + ([event.node, event.module_node, getattr(event.obj, "origin", None)] if event else [])
    return any(getattr(n, "_gg_file", None) is not None for n in nodes if n is not None)


def article(desc: str) -> str:
    if desc.startswith(("a ", "an ", "the ")):
        return desc
    return ("an " if desc[:1] in "aeiou" else "a ") + desc


def known_shape(obj) -> tuple[int, ...] | None:
    """The tensor's sizes when every one is known, as torch prints them in its error."""
    shape = getattr(obj, "shape", None)
    if shape is None or not all(isinstance(n, int) for n in shape):
        return None
    return tuple(shape)
