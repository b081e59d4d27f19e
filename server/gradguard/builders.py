"""Builders in other workspace files: the settings another file builds a class of the analysed file with.

A module class's own walk builds its `self` with the constructor's defaults (`activation=None`,
`bidirectional=True`): what it does when built otherwise, the file need not show. The training script next to it
often does: `ARMA4NC(..., activation=nn.ReLU())` in citation.py, `modules.LSTMDecoder(bidirectional=False, ...)`
in the model that uses the decoder. With a finding depending on such a setting, the defaults' walk finds nothing.

For the module classes of the analysed file, this module looks for the scopes of other workspace files that build
one of them (the files whose imports name the module and whose text names the class: callers.CallerIndex), walks
each such scope as the analysis walks any scope, and reads at every instance of a class of the analysed file that
walk builds (the class named there, and those its constructor builds in turn: `ARMAConv(activation=activation)`)
the settings it is built with. A class built with a setting is then walked again, entry methods (`forward`) on their
own, with `self` built from those arguments. A finding that walk proves (error or warning, resting on nothing
else) that the walk with the defaults did not make is reported, with the builder's call as a related location.

Settings are what decides which layers run and what they keep: bools, strings, None and torch layers (`nn.ReLU()`).
Other arguments (sizes, rates, tensors, the builder's own objects) are passed as the walk knows them there
(numbers) or unknown; a builder passing no setting is not walked again. Cost: only a file whose classes keep a
setting that decides what saves a tensor, and may change one in place, is looked at (module_classes, from the
syntax); then the project's index of import lines (read once per project, callers.py), the files that call a class
by its name, and a bounded number of scope walks (MAX_BUILDER_SCOPES) and walks again (MAX_REWALKS), cached per
version of the files involved. On the bench's core files: about 2 % more CPU.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import replace

from .analysis import values
from .analysis.checker import Reporter, run_unit
from .analysis.base_classes import classes_and_bases
from .analysis.context import (ACTIVE_PROJECT, AnalysisTimeout, ModuleContext, file_info_of, find_method,
                               method_order)
from .analysis.interpreter import Interpreter
from .analysis.reported import merge_finding
from .analysis.scopes import build_canonical, start_walk
from .analysis.syntax import is_inplace_name, optional_parameters
from .analysis.training import ENTRY_METHODS, calls_in
from .analysis.values import UNKNOWN, BoolConst, ConstStr, ModuleVal, NoneVal, Number, State, fresh_id
from .findings import Related, Severity, Span

MAX_BUILDER_SCOPES = 4  # scopes of other files walked to read what they build the file's classes with, per file
MAX_REWALKS = 6  # classes (with one set of settings each) walked again, per file
MAX_SETTINGS_PER_CLASS = 2  # different sets of settings a class is walked again with


def module_classes(info) -> list[str]:
    """The file's classes worth looking for in other files: with a forward and a constructor that takes a setting,
    in a file where a module class (with its bases in the file) keeps a setting that decides what saves a tensor and
    may change a tensor in place. The settings: an optional layer (`self.activation = activation`, None by default,
    called as `self.activation(x)`), or a recurrent layer's direction (`nn.LSTM(..., bidirectional=self.bidirectional)`;
    one direction keeps its output on CPU, two do not). The class built elsewhere may be the one that builds the
    changing one (`ARMA4NC` builds `ARMAConv`). Read from the syntax of the file's classes, once each."""
    modules = [name for name in info.classes if find_method(info.classes, name, "forward") is not None]
    if not any(any(keeps_deciding_setting(n, info.lines) for n in nodes) and any(changes_in_place(n) for n in nodes)
               for nodes in ([info.classes[c].node for c in method_order(info.classes, name)] for name in modules)):
        return []
    return [name for name in modules if any(takes_setting(info.classes[c].node)
                                            for c in method_order(info.classes, name))]


def keeps_deciding_setting(cls: ast.ClassDef, lines: list[str] | None) -> bool:
    """An optional layer kept from a parameter that defaults to None and called in a method, or a recurrent layer
    built with a direction that is not written as a constant (looked for where the class's text passes one)."""
    found = cls.__dict__.get("_gg_deciding_setting")
    if found is None:
        text = lines[cls.lineno - 1:cls.end_lineno] if lines is not None else None
        recurrent = text is None or any("bidirectional=" in line for line in text)
        found = cls._gg_deciding_setting = optional_layer(cls) or recurrent and any(
            isinstance(n, ast.Call) and call_name(n) in RECURRENT and any(
                k.arg == "bidirectional" and not isinstance(k.value, ast.Constant) for k in n.keywords)
            for n in ast.walk(cls))
    return found


RECURRENT = {"LSTM", "GRU", "RNN"}


def call_name(call: ast.Call) -> str | None:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", None)


def optional_layer(cls: ast.ClassDef) -> bool:
    init = next((n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
    if init is None:
        return False
    none_default = optional_parameters(init)
    if not none_default:
        return False
    kept = {t.attr for n in init.body if isinstance(n, ast.Assign) and isinstance(n.value, ast.Name)
            and n.value.id in none_default for t in n.targets
            if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self"}
    return bool(kept) and any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in kept and
        isinstance(n.func.value, ast.Name) and n.func.value.id == "self"
        for method in cls.body if isinstance(method, ast.FunctionDef) and method.name != "__init__"
        for n in calls_in(method))


def takes_setting(cls: ast.ClassDef) -> bool:
    """Does the class's `__init__` take a setting: a parameter that defaults to None, a bool or a string, or to a
    name another module holds (`defaults.BIDIRECTIONAL`), or `**kwargs` it may pass on?"""
    found = cls.__dict__.get("_gg_takes_setting")
    if found is None:
        init = next((n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
        defaults = [] if init is None else init.args.defaults + [d for d in init.args.kw_defaults if d is not None]
        found = cls._gg_takes_setting = init is not None and (init.args.kwarg is not None or any(
            isinstance(d, ast.Attribute) or isinstance(d, ast.Constant) and (d.value is None or isinstance(
                d.value, (bool, str))) for d in defaults))
    return found


def changes_in_place(cls: ast.ClassDef) -> bool:
    """Does a method of the class other than `__init__` hold an in-place form: `x += y`, `x[i] = y`, a call of a
    `*_` method or with `inplace=True`, or a call whose result is dropped (`self.dropout(x)`)?"""
    found = cls.__dict__.get("_gg_changes_in_place")
    if found is None:
        found = cls._gg_changes_in_place = any(
            in_place_form(node) for method in cls.body
            if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) and method.name != "__init__"
            for node in ast.walk(method))
    return found


def in_place_form(node: ast.AST) -> bool:
    if isinstance(node, ast.AugAssign) or isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        return True
    if isinstance(node, ast.Assign):
        return any(isinstance(t, ast.Subscript) for t in node.targets)
    if isinstance(node, ast.Call):
        attr = node.func.attr if isinstance(node.func, ast.Attribute) else ""
        return is_inplace_name(attr) or any(k.arg == "inplace" for k in node.keywords)
    return False


def portable(value):
    """What of a value of the builder's walk can be given to another walk: constants as they are, a torch layer
    without members as a recipe (built again with that walk's ids); anything else unknown."""
    if isinstance(value, (BoolConst, NoneVal, ConstStr)):
        return value
    if isinstance(value, Number):
        return Number(value.value, value.minimum, value.maximum)
    if isinstance(value, ModuleVal) and value.cls is None and value.kind and not value.members and \
            not value.by_default and not value.optional:
        return replace(value, id=0)
    return UNKNOWN


def is_setting(value) -> bool:
    return isinstance(value, (BoolConst, NoneVal, ConstStr, ModuleVal))


def made(value):
    """A portable value in the walk that builds `self` (its ids): a torch layer gets an id of that walk."""
    return replace(value, id=fresh_id()) if isinstance(value, ModuleVal) else value


def describe(args: tuple, kwargs: tuple) -> str:
    """The settings passed, for messages: `activation=nn.ReLU()`, `bidirectional=False` (three at most)."""
    shown = [f"`{k}={show(v)}`" for k, v in kwargs if is_setting(v)]
    if not shown:
        shown = [f"`{show(v)}`" for v in args if is_setting(v)]
    return ", ".join(shown[:3])


def show(value) -> str:
    if isinstance(value, ModuleVal):
        return f"nn.{value.kind}()"
    if isinstance(value, BoolConst):
        return repr(value.value)
    if isinstance(value, NoneVal):
        return "None"
    if isinstance(value, ConstStr):
        return repr(value.value)
    return "..."


def read_builds(parsed, scope: tuple, path: str, deadline) -> list[tuple]:
    """Walk one scope of a builder file and read what it builds the classes of `path` with: (class name, args,
    kwargs, the builder file's call) for each instance with a setting, portable values only."""
    info = file_info_of(parsed)
    out: list = []
    outer_call = [None]

    def build_probe(cls_node, args, kwargs, node) -> None:
        tag = getattr(node, "_gg_file", None)
        if node is not None and (tag is None or tag.path == parsed.path):  # a call written in the builder file
            outer_call[0] = node
        cls_tag = getattr(cls_node, "_gg_file", None)
        if cls_tag is None or cls_tag.path != path or outer_call[0] is None:
            return
        given = tuple(portable(a) for a in args)
        named = tuple((k, portable(v)) for k, v in kwargs.items())
        if any(is_setting(v) for v in given) or any(is_setting(v) for _, v in named):
            out.append((cls_node.name, given, named, outer_call[0]))

    fn, cls = scope
    values.reset_ids()
    reporter = Reporter(parsed.lines, parsed.path)
    ctx = ModuleContext(info, reporter, deadline)
    reporter.ctx = ctx
    ctx.build_probe = build_probe
    try:
        if fn is None:
            Interpreter(ctx).run_block(info.tree.body, State())
        else:
            walker, state, _ = start_walk(ctx, info, fn, cls, cls, parsed.lines, parsed.path)
            walker.run_block(fn.body, state)
    except RecursionError:
        pass
    finally:
        ctx.close()
    return out


def walk_built(info, cls: str, args: tuple, kwargs: tuple, lines: list[str], path: str, deadline) -> list:
    """The findings of the entry methods of `cls` walked on their own with `self` built from these arguments."""
    view = copy.copy(info)  # the file's facts, with a `self` of its own for `cls` (and for the classes it needs)
    view.canonical = {}
    project = ACTIVE_PROJECT.get()
    tables = project.session().class_tables if project is not None else {}
    if project is not None:  # its classes and their bases in other files, as the file's own walks read them
        tables[id(view)] = (view, classes_and_bases(info, path, project, file_info_of))

    def arguments():
        return [made(a) for a in args], {k: made(v) for k, v in kwargs}

    found = []
    try:
        view.canonical[cls] = build_canonical(view, cls, 1, path, Reporter, arguments)
        for entry in sorted(ENTRY_METHODS):
            located = find_method(info.classes, cls, entry)
            if located is None:
                continue
            kind = "function" if located[0] == cls else "inherited"
            findings, _ = run_unit(view, (kind, located[1], cls), lines, path, deadline)
            found += findings
    finally:
        tables.pop(id(view), None)
    return found


def report_built_elsewhere(index, found: dict, info, lines: list[str], path: str, deadline) -> None:
    """Add to `found` (checker.analyse_tree's findings, before finalize) what the classes of the file do built as
    other workspace files build them (see the module's docstring). `index`: the project's callers.CallerIndex."""
    if not path.endswith(".py"):
        return
    classes = module_classes(info)
    if not classes:
        return
    path = index.project.real(path)
    version = hash("\n".join(lines))
    known = {(f.code, f.span.line, f.span.column) for f in found.values() if not f.depends_on}
    called_here = info.classes_called_here(lines)  # their callers in the file pass what they pass (analyse_tree)
    scopes_left, walks_left = [MAX_BUILDER_SCOPES], [MAX_REWALKS]
    settings: dict = {}  # class -> {(args, kwargs): builder call, builder path}
    try:
        # the files that may build them (a file edited to build one must import the module first): the result
        # cache analyses this file again when one changes
        index.record_importers(path, [info.classes[name].node for name in classes])
        for name in classes:
            for builder_path in index.candidate_files(path, name):
                for cls_name, args, kwargs, call, where in index.builds_in(builder_path, name, path, version,
                                                                            deadline, scopes_left):
                    seen = settings.setdefault(cls_name, {})
                    if len(seen) < MAX_SETTINGS_PER_CLASS:
                        seen.setdefault((args, kwargs), (call, where))
        for cls_name, by_settings in settings.items():
            for (args, kwargs), (call, where) in by_settings.items():
                if walks_left[0] <= 0:
                    return
                walks_left[0] -= 1
                key = ("walk", path, version, cls_name, args, kwargs)
                proven = index.cached(key, lambda: walk_built(info, cls_name, args, kwargs, lines, path, deadline))
                for f in proven:
                    place = (f.code, f.span.line, f.span.column)
                    if f.depends_on or f.severity not in (Severity.ERROR, Severity.WARNING) or place in known or \
                            cls_name in called_here and (f.code == "GG202" or f.context.get("caller_assumed")):
                        continue
                    known.add(place)
                    note = Related(call_span(call), f"`{cls_name}` is built here with {describe(args, kwargs)}: "
                                                    "what it does built so (not with its defaults)", where)
                    merge_finding(found, replace(f, related=[note] + list(f.related)))
    except (AnalysisTimeout, RecursionError):
        pass  # what was found so far stands


def call_span(call: ast.AST) -> Span:
    """Where a call of a builder or caller file is (its nodes carry the file's lines: columns in characters)."""
    return Reporter([], "").span(call)
