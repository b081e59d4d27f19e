"""Callers in other workspace files: what they pass decides a finding that depends on the caller.

A function that changes in place a tensor an op saved, where the op's inputs come from the function's arguments,
breaks backward only when the caller passes a tensor that requires grad (with grad mode on). The file alone does not
show that: the finding is information (`depends_on`). Model code rarely shows it; the test or training script in
another file does (`means3d = torch.randn(..., requires_grad=True)`, a Parameter, the output of a layer).

For such a finding in a function F of the analysed file (module-level, or a method of a module-level class), this
module looks for the calls of F (or of a function of the same file, or a method of the same class, that calls F) in
the workspace's other files, and asks the engine's own walk of each caller:

1. Which files may call it: those whose import lines name F's module or a package whose `__init__.py` re-exports F
   (gradguard/importers.py: an index of every workspace file's lines holding `import`, read once per project and
   again for a file the project is told changed), and whose text names the function. All those importers are
   recorded as consulted: the result cache re-analyses when one changes, or when another file starts to import.
2. What the caller passes: the scope around each call is walked as the analysis walks any scope, with a probe on
   the calls it follows (analysis.calls.call_function): when the walk enters F's definition (resolved by the
   project's import resolution, as any call into another file), the probe reads the arguments. Evidence is an
   argument that requires grad for sure (a Parameter, `requires_grad=True`, the output of an op on one) with grad
   mode on for sure (a test the runner calls, a script, no `no_grad` around), or on by the training assumption.
3. What F then does: F is walked again with those arguments requiring grad and that grad mode. A finding the walk
   now proves (same rule, same place, no longer depending on anything) replaces the information, with the caller's
   call as a related location.

The probe reads one more fact: which parameters get one tensor (the same single tensor of the caller's walk:
argument_facts). That decides a branch F takes on its arguments (BRANCH_CONDITION findings are pending too): a
fairseq-style attention packs its q/k/v projection into one `chunk` when `query.data_ptr() == key.data_ptr() ==
value.data_ptr()` (MulT's `q *= self.scaling` on a chunk piece), and its self-attention call,
`self.self_attn(query=x, key=x, value=x)`, is in the transformer layer's file. F's walk binds those parameters to one
tensor. A module's forward is called through its instances: the entry methods of the classes of other files that
build one (module_scopes), a function or a script that builds one, are probed too.

A function given to a dispatching decorator of its file (a factory there that calls it:
`@invoke_torch_or_numpy(mdscaling_torch, mdscaling_numpy)` on `def MDScaling(pre_dist_mat, **kwargs)` in alphafold2)
is reached by the decorated function's calls: when no call of F itself decides, the calls of such a wrapper are read
as calls of F, a parameter of the wrapper counting for the parameter of F of the same name at the same position
(dispatchers, passed_on).

When no scope of step 1 gives evidence, the callers (in other files again) of those scopes that are functions are
probed the same way, for the same F: a library's function, called by a class's method that a model's training step
calls. The probe reads the arguments of a call of F even where the walk does not go into it (its budget of other
files' lines spent: analysis/probing.py).

Code reached only under `no_grad`, integer ids, or a caller the walk cannot follow give no evidence: the finding stays
information. Cost: nothing unless a file has such a finding; then the index (once per project: 0.15 s for 2,852 files,
61 MB), and a bounded number of scope walks, each cached per version of the files involved. Not seen: a caller that
reaches F through a registry, a callback, a decorator of another file that dispatches, or an object whose class the
walk does not know (`self.box2box_transform.apply_deltas(...)` with the transform passed in).
"""

from __future__ import annotations

import ast
import threading

from . import pyparse
from .analysis import values
from .analysis.checker import Reporter, run_unit
from .analysis.context import (AnalysisTimeout, FileInfo, ModuleContext, file_info_of, find_method,
                               stop_if_superseded)
from .analysis.interpreter import Interpreter
from .analysis.scopes import start_walk
from .analysis.training import ENTRY_METHODS, calls_name
from .analysis.values import BRANCH_CONDITION, Ref, State, TObj, Tri, fresh_id
from .builders import call_span, read_builds, report_built_elsewhere
from .cache import content_digest
from .findings import Related, Severity
from .importers import files_naming, module_name, python_files, read_imports, read_text, reexporting_packages
from .eval_callers import demote_eval_only
from .users import report_used_elsewhere, subclass_units

DEPENDS_ON_INPUTS = "whether the inputs of"  # checker.py: a save that holds if the op's inputs require grad
GRAD_MODE = "the caller's grad mode"  # checker.py: a change with grad mode on by assumption only
# what a caller decides: whether the op's inputs require grad, a branch on the arguments (`query.data_ptr() == ...`),
# the grad mode it calls with, whether an argument requires grad ("whether `x` requires grad")
DECIDED_BY_CALLERS = (DEPENDS_ON_INPUTS, BRANCH_CONDITION, GRAD_MODE)
MAX_FACTS = 3  # distinct argument facts (what requires grad, what is one tensor) kept per caller scope
MAX_ENTRIES = 4  # F, and the functions of its file that call it (two levels up)
MAX_CALLER_FILES = 40  # files read to look for the name, per function
MAX_SCOPES = 8  # caller scopes walked per function
MAX_THROUGH = 4  # caller functions (of other files) whose own callers are walked, when no direct caller decides
MAX_WALKS = 16  # walks (callers' scopes and F again) per analysed file
MAX_CACHED = 4096  # evidence and walks kept (per file versions): dropped all at once past this


class CallerIndex:
    """The workspace's files and their import lines, for one Project (engine.analyze attaches it)."""

    def __init__(self, project):
        self.project = project
        self._lock = threading.Lock()
        self._imports: dict[str, bytes | None] | None = None  # path -> its import lines (None: to read)
        self._unread: set[str] = set()  # the paths of _imports still to read (every call asks _index)
        self._evidence: dict[tuple, tuple | None] = {}  # (caller scope's file versions, entry) -> evidence
        self._walks: dict[tuple, list] = {}  # (file version, entry, arguments, grad) -> findings
        self._candidates: dict[tuple, list[str]] = {}  # (path, name) -> candidate_files
        self._digests: dict[str, str | None] = {}  # importer -> digest of its bytes (for the result cache)
        self._naming: dict[bytes, frozenset] = {}  # module name -> the files whose import lines name it

    def forget(self, path: str | None = None) -> None:
        """project.invalidate: a file changed, appeared or went away."""
        with self._lock:
            if path is None or self._imports is None:
                self._imports = None
            else:
                real = self.project.real(path)
                self._imports[real] = None  # read again when next asked
                self._unread.add(real)
            self._evidence.clear()
            self._naming.clear()
            self._walks.clear()
            self._candidates.clear()
            self._digests.clear()

    # -- which files may call -----------------------------------------------------------------------------------
    def _index(self) -> dict:
        with self._lock:
            if self._imports is None:
                # a workspace too large to read (a home folder or `/` as the root): no caller is looked for
                self._imports = dict.fromkeys(python_files(self.project.root) or ())
                self._unread = set(self._imports)
            if self._unread:  # not a look at every file of the workspace on each of the run's ~50 k calls
                for path in self._unread:
                    self._imports[path] = read_imports(path)
                self._unread = set()
            return self._imports

    def module_names(self, path: str, name: str) -> list[bytes]:
        """The names an import of `name` defined in `path` goes through: its module's, and those of the packages
        whose `__init__.py` re-exports it."""
        index = self._index()
        return [n.encode() for n in [module_name(path)] + reexporting_packages(path, name,
                                                                                lambda p: index.get(p) or b"")]

    def importers(self, path: str, names: list[bytes]) -> list[str]:
        """The other workspace files whose import lines name one of `names`: any caller is among them."""
        real = self.project.real(path)
        index = self._index()
        naming = set()
        for name in names:  # every file's import lines scanned once per name, until a file changes (forget)
            found = self._naming.get(name)
            if found is None:
                found = self._naming[name] = files_naming(index, name)
            naming |= found
        return [other for other in index if other in naming and other != real]

    def candidate_files(self, path: str, name: str) -> list[str]:
        """Other workspace files whose imports name the module of `path` (or a package re-exporting `name`) and
        whose text names `name` (kept until a file changes: project.invalidate)."""
        known = self._candidates.get((path, name))
        if known is None:
            known = self._candidates[(path, name)] = self._find_candidates(path, name)
        return known

    def _find_candidates(self, path: str, name: str) -> list[str]:
        word = name.encode()
        out = []
        texts = self.project.session().texts  # the files this analysis read: the next name reads them again
        for other in self.importers(path, self.module_names(path, name)):
            known = self._imports.get(other) or b""
            text = known if word in known else texts.read(other)
            if text is not None and word in text:
                out.append(other)
                if len(out) >= MAX_CALLER_FILES:
                    break
        return out

    def record_importers(self, path: str, entries) -> None:
        """Tell the analysis' session which files may call the entries (gradguard.cache keys the result on them:
        editing one, even one that does not call yet, re-analyses), and which module names made them so."""
        session = self.project.session()
        names = sorted({n for entry in entries for n in self.module_names(path, entry.name)})
        session.importer_names.update(n.decode() for n in names)
        for other in self.importers(path, names):
            if other not in session.importers:
                if other not in self._digests:
                    text = session.texts.read(other)
                    self._digests[other] = content_digest(text) if text is not None else None
                session.importers[other] = self._digests[other]

    # -- promotion ----------------------------------------------------------------------------------------------
    def promote(self, found: dict, info, lines: list[str], path: str, deadline) -> None:
        """Turn the caller-dependent findings of `found` (checker.analyse_tree's, before finalize) that a caller in
        another file decides into the findings that caller proves."""
        pending = [f for f in found.values() if decided_by_callers(f.depends_on)]
        if not pending or not path.endswith(".py"):  # a notebook, an unsaved buffer: no module to import
            return
        budget = [MAX_WALKS]
        path = self.project.real(path)
        version = hash("\n".join(lines))
        self.bound_caches()
        by_function: dict = {}
        for f in pending:
            scope = enclosing_function(info.tree, f.span.line)
            if scope is not None:
                by_function.setdefault(scope, []).append(f)
        try:
            for scope, findings in by_function.items():
                self.promote_in(scope, findings, info, lines, path, version, deadline, budget)
        except (AnalysisTimeout, RecursionError):
            pass  # what was promoted so far stands; the rest stays information

    def report_built(self, found: dict, info, lines: list[str], path: str, deadline) -> None:
        """What the file's classes do built as other workspace files build them (gradguard/builders.py)."""
        self.bound_caches()
        report_built_elsewhere(self, found, info, lines, path, deadline)

    def report_used(self, found: dict, info, lines: list[str], path: str, deadline) -> None:
        """What the state changes of the file's classes break as other workspace files use them (users.py)."""
        self.bound_caches()
        report_used_elsewhere(self, found, info, lines, path, deadline)

    def report_eval_only(self, found: dict, info, lines: list[str], path: str, deadline) -> None:
        """The warnings of the file's classes that every workspace caller runs outside the training path become
        information (eval_callers.py)."""
        demote_eval_only(self, found, info, lines, path, deadline)

    def used_in(self, user_path: str, name: str, path: str, version: int, deadline, walks_left: list, moved) -> list:
        """What the walks of the scopes of `user_path` that build `name` (own_units) find, each finding turned by
        `moved` into one of `path` (or None), when `name` there is the class of `path` (icefall's recipes each import
        their own `scaling`). Kept per version of both files: only the moved findings (a walk's own findings hold
        that file's tree). `walks_left`: the walks left to spend."""
        stop_if_superseded()
        parsed = self.project.snapshot(user_path)
        if parsed is None or not calling_scopes(parsed.tree, name):
            return []
        key = ("used", user_path, parsed.digest, name, path, version)
        if key not in self._evidence:
            target = self.project.resolve(user_path, parsed.tree, ast.Name(id=name), None, plain_only=True)
            own = own_units(parsed, name) if target is not None and target[0].path == path else None
            out = []
            if own is not None:
                info, units = own
                for unit in units[:max(walks_left[0], 0)]:
                    walks_left[0] -= 1
                    out += filter(None, map(moved, run_unit(info, unit, parsed.lines, user_path, deadline)[0]))
            self._evidence[key] = out
        return self._evidence[key]

    def subclassed_in(self, user_path: str, name: str, methods: frozenset, path: str, version: int, deadline,
                      walks_left: list, moved) -> list:
        """used_in for a subclass: what the walks of the methods of `user_path`'s subclasses of `name` that call
        its `methods` (users.subclass_units) find, each turned by `moved` into a finding of `path` (or None)."""
        text = read_text(user_path)
        if text is None or not any(f"self.{m}(".encode() in text for m in methods):
            return []
        stop_if_superseded()
        parsed = self.project.snapshot(user_path)
        if parsed is None:
            return []
        key = ("subclassed", user_path, parsed.digest, name, path, version)
        if key not in self._evidence:
            target = self.project.resolve(user_path, parsed.tree, ast.Name(id=name), None, plain_only=True)
            out = []
            if target is not None and target[0].path == path:
                tree = pyparse.parse("\n".join(parsed.lines), parsed.path)  # as own_units: this file's own nodes
                info = FileInfo(tree, parsed.lines)
                for unit in subclass_units(tree, name, methods)[:max(walks_left[0], 0)]:
                    walks_left[0] -= 1
                    out += filter(None, map(moved, run_unit(info, unit, parsed.lines, user_path, deadline)[0]))
            self._evidence[key] = out
        return self._evidence[key]

    def called_in(self, user_path: str, how: str, name: str, path: str, version: int, deadline, walks_left: list,
                  moved) -> list:
        """What the walks of the scopes of `user_path` that reach a function of `path` find (users.called_names:
        `how` "calls": the scopes calling `name`; "builds": those building the class `name` and calling its
        instances, own_units), each finding turned by `moved` into one of `path` (or None). Kept per version of
        both files."""
        text = read_text(user_path)
        if text is None or (name + "(").encode() not in text:
            return []
        stop_if_superseded()
        parsed = self.project.snapshot(user_path)
        if parsed is None or not calling_scopes(parsed.tree, name):
            return []
        key = ("called", user_path, parsed.digest, how, name, path, version, moved.keywords.get("changes"))
        if key not in self._evidence:
            out = []
            if how == "builds":
                own = own_units(parsed, name)
            else:
                try:
                    tree = pyparse.parse("\n".join(parsed.lines), parsed.path)  # this file's own nodes (own_units)
                except (SyntaxError, ValueError, RecursionError, MemoryError):
                    tree = None
                own = tree and (FileInfo(tree, parsed.lines), [
                    ("function", fn, cls) if fn is not None else ("module", None, None)
                    for fn, cls in calling_scopes(tree, name)])
            if own:
                info, units = own
                for unit in units[:max(walks_left[0], 0)]:
                    walks_left[0] -= 1
                    out += filter(None, map(moved, run_unit(info, unit, parsed.lines, user_path, deadline)[0]))
            self._evidence[key] = out
        return self._evidence[key]

    def builds_in(self, builder_path: str, name: str, path: str, version: int, deadline, scopes_left: list) -> list:
        """What the scopes of `builder_path` that build `name` build the classes of `path` with
        (builders.read_builds), each with the builder's path; `scopes_left`: the walks left to spend."""
        text = read_text(builder_path) if builder_path != path else None
        if text is None or (name + "(").encode() not in text:  # named only (an import, a type): never built there
            return []
        stop_if_superseded()
        parsed = self.project.snapshot(builder_path)
        if parsed is None:
            return []
        out = []
        for scope in calling_scopes(parsed.tree, name):
            key = ("builds", builder_path, parsed.digest, scope_key(scope), path, version)
            if key not in self._evidence:
                if scopes_left[0] <= 0:
                    break
                scopes_left[0] -= 1
                self._evidence[key] = read_builds(parsed, scope, path, deadline)
            out += [(*build, builder_path) for build in self._evidence[key]]
        return out

    def bound_caches(self) -> None:
        """Past MAX_CACHED walks and readings kept, start again (a long editing session meets many versions)."""
        if len(self._walks) + len(self._evidence) + len(self._candidates) > MAX_CACHED:
            self._walks.clear()
            self._evidence.clear()
            self._candidates.clear()

    def cached(self, key: tuple, make) -> list:
        """A walk's findings kept per version of the files involved (`key`)."""
        found = self._walks.get(key)
        if found is None:
            found = self._walks[key] = make()
        return found

    def promote_in(self, scope, findings, info, lines, path, version, deadline, budget) -> None:
        cls = scope[1]
        entries = entries_of(info.tree, *scope)
        self.record_importers(path, entries + [Named(cls)] if module_entry(info.tree, scope) else entries)
        for entry in entries:
            for caller_path, call, facts, training, via in self.evidence_for(entry, path, version, deadline, budget,
                                                                            info.tree, cls):
                if not any(facts) and not any(f.depends_on == GRAD_MODE for f in findings):
                    continue  # only the grad mode known, which no finding waits for
                key = (path, version, entry.lineno, entry.name, cls, facts, training)
                proven = self._walks.get(key)
                if proven is None:
                    if budget[0] <= 0:
                        return
                    budget[0] -= 1
                    proven = self._walks[key] = walk_with_arguments(info, entry, cls, lines, path, deadline,
                                                                    facts, training)
                by_place = {(p.code, p.span.line, p.span.column): p for p in proven
                            if not p.depends_on and p.severity in (Severity.ERROR, Severity.WARNING)}
                for f in findings:
                    new = by_place.get((f.code, f.span.line, f.span.column))
                    if new is None or not f.depends_on:
                        continue
                    f.depends_on = None
                    f.severity, f.message, f.explanation, f.context = new.severity, new.message, \
                        list(new.explanation), new.context
                    called = f"`{cls}`" if via == CALLED_AS_MODULE else f"`{entry.name}`"
                    how = "is called here" if via in (None, CALLED_AS_MODULE) else \
                        f"is reached from here through `{via}`"
                    f.related.insert(0, Related(call_span(call), f"{called} {how} with {describe_facts(facts, entry)}",
                                                caller_path))
                if all(not f.depends_on for f in findings):
                    return

    def evidence_for(self, entry, path: str, version: int, deadline, budget, tree=None, cls=None) -> list[tuple]:
        """(caller file, call node, the facts of the arguments (argument_facts), whether grad mode is on only by the
        training assumption, None or the function of another file the call goes through, or CALLED_AS_MODULE) for
        each caller scope of another file that calls `entry` of `path` with arguments it knows something of. The
        forward of a module class is called through the instances other files build: the entry methods of the
        classes building one (module_scopes), a function or a script building one. When none decides, the callers
        of those scopes that are functions: a library's `cholesky_eigh` called by `TICA.compute`, which a model's
        `training_step` calls. Then (and for those callers' callers) the calls of the wrappers whose decorator
        dispatches to `entry`."""
        out: list = []
        through: list = []
        scopes = [0]
        self.probe_callers(path, entry.name, entry, path, version, deadline, budget, scopes, out, through)
        if tree is not None and module_entry(tree, (entry, cls)):
            self.probe_callers(path, cls, entry, path, version, deadline, budget, scopes, out, None,
                               builds=True)
        for wrapper in dispatchers(tree, entry) if not out and tree is not None else ():
            self.record_importers(path, [wrapper])
            self.probe_callers(path, wrapper.name, entry, path, version, deadline, budget, scopes, out, through,
                               wrapper)
        for caller_path, fn, cls, wrapper in through[:MAX_THROUGH] if not out else ():
            self.record_importers(caller_path, [fn])
            self.probe_callers(caller_path, fn.name, entry, path, version, deadline, budget, scopes, out, None,
                               wrapper)
        return out

    def probe_callers(self, callee_path, name, entry, path, version, deadline, budget, scopes, out, through,
                      wrapper=None, builds=False) -> None:
        """Probe the scopes of other files that call `name` of `callee_path` for what they pass to `entry` of
        `path` (evidence_for); `through` (or None): collects the caller functions that gave nothing. `wrapper`: a
        function of `path` whose decorator dispatches its calls to `entry` (dispatchers): its calls are read.
        `builds`: `name` is the class of the module method `entry`, and the scopes that call its instances are
        probed (module_scopes)."""
        for caller_path in self.candidate_files(callee_path, name):
            stop_if_superseded()
            parsed = self.project.snapshot(caller_path) if caller_path != path else None
            if parsed is None:
                continue
            for scope in module_scopes(parsed.tree, name) if builds else calling_scopes(parsed.tree, name):
                if scopes[0] >= MAX_SCOPES or budget[0] <= 0:
                    return
                scopes[0] += 1
                key = (caller_path, parsed.digest, scope_key(scope), path, version, entry.lineno, entry.name,
                       wrapper and wrapper.lineno)
                if key not in self._evidence:
                    budget[0] -= 1
                    self._evidence[key] = probe_scope(parsed, scope, entry, path, deadline, wrapper)
                found = self._evidence[key]
                via = CALLED_AS_MODULE if builds else name if callee_path != path or wrapper else None
                out += [(caller_path, *fact, via) for fact in found]
                if not found and through is not None and scope[0] is not None:
                    through.append((caller_path, *scope, wrapper))  # a wrapper's caller reaches entry through it


CALLED_AS_MODULE = ""  # evidence_for's `via` for a module's forward reached by calling an instance


class Named:
    """A name to record the importers of (record_importers reads `.name`): a module class whose instances other
    files call."""

    def __init__(self, name: str) -> None:
        self.name = name


def module_entry(tree: ast.Module, scope: tuple) -> bool:
    """Is `scope` (function, class name) an entry method (forward) of a module-level class, which other files call
    through the instances they build?"""
    fn, cls = scope
    return cls is not None and fn.name in ENTRY_METHODS and any(
        isinstance(n, ast.ClassDef) and n.name == cls and fn in n.body for n in tree.body)


def module_scopes(tree: ast.Module, cls: str) -> list[tuple]:
    """The scopes of a caller file that call the instances of the module class `cls` they build: the entry methods
    (forward) of each class whose method builds one (`self.self_attn = MultiheadAttention(...)` in `__init__`), a
    function or the module's statements that build one."""
    out = []
    for fn, owner in calling_scopes(tree, cls):
        if owner is None:
            out.append((fn, None))
            continue
        node = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == owner)
        out += [(m, owner) for m in node.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))
                and m.name in ENTRY_METHODS and (m, owner) not in out]
    return out


def decided_by_callers(depends_on: str | None) -> bool:
    """Does a finding depend on what a caller decides (DECIDED_BY_CALLERS)?"""
    return bool(depends_on) and (depends_on.startswith(DECIDED_BY_CALLERS) or
                                 depends_on.startswith("whether `") and " requires grad" in depends_on)


def enclosing_function(tree: ast.Module, line: int) -> tuple | None:
    """(function, None) for the module-level function whose lines hold `line`, (method, class name) for a method
    of a module-level class; None elsewhere."""
    for node in tree.body:
        if node.lineno <= line <= node.end_lineno:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return node, None
            if isinstance(node, ast.ClassDef):
                return next(((m, node.name) for m in node.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))
                             and m.lineno <= line <= m.end_lineno), None)
    return None


def entries_of(tree: ast.Module, fn, cls: str | None) -> list:
    """`fn`, then the functions of its file that call it, and those that call them: module-level functions for a
    module-level function, the methods of its class for a method."""
    body = tree.body if cls is None else next(n.body for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls)
    functions = [n for n in body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    out, frontier = [fn], [fn]
    for _ in range(2):
        frontier = [g for g in functions if g not in out and any(calls_name(g, f.name) for f in frontier)]
        out += frontier[:MAX_ENTRIES - len(out)]
    return out[:MAX_ENTRIES]


def calling_scopes(tree: ast.Module, name: str) -> list[tuple]:
    """(function, class name) of the caller file's module-level functions and methods that call `name`, and
    (None, None) for its module-level statements when they do."""
    out = []
    module_calls = False
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if calls_name(node, name):
                out.append((node, None))
        elif isinstance(node, ast.ClassDef):
            out += [(m, node.name) for m in node.body
                    if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)) and calls_name(m, name)]
        elif calls_name(node, name):
            module_calls = True
    return out + ([(None, None)] if module_calls else [])


def own_units(parsed, name: str) -> tuple | None:
    """The file parsed again as its own analysis parses it (the snapshot's nodes are tagged as another file's, and
    the walk reports nothing there), with the units that walk what `name` built there does: the entry methods
    (forward) of a class whose method builds it, a function that does, the module's statements."""
    try:
        tree = pyparse.parse("\n".join(parsed.lines), parsed.path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    info = FileInfo(tree, parsed.lines)
    units: list = []
    for fn, cls in calling_scopes(tree, name):
        if cls is not None:
            located = [find_method(info.classes, cls, entry) for entry in sorted(ENTRY_METHODS)]
            found = [("function" if owner == cls else "inherited", node, cls) for owner, node in filter(None, located)]
        else:
            found = [("function", fn, None) if fn is not None else ("module", None, None)]
        units += [u for u in found if u not in units]
    return (info, units) if units else None


def scope_key(scope: tuple) -> tuple:
    fn, cls = scope
    return (fn.lineno, fn.name, cls) if fn is not None else ()


def probe_scope(parsed, scope: tuple, entry, path: str, deadline, wrapper=None) -> list[tuple]:
    """Walk one scope of a caller file (as checker.run_unit does) and read what it passes to `entry` of `path`:
    (the call, the facts of its arguments (argument_facts), training-assumed grad mode) for each distinct reading
    with grad mode on and something known, the surest first (at most MAX_FACTS); none when no call passes a tensor
    that requires grad or one tensor twice. With `wrapper` (a function of `path` whose decorator dispatches to
    `entry`), what the calls of `wrapper` pass, read as passed on to `entry` (passed_on)."""
    info = file_info_of(parsed)
    called = wrapper or entry
    params = [p.arg for p in called.args.posonlyargs + called.args.args + called.args.kwonlyargs]
    best: dict = {}

    def wants(target) -> bool:
        tag = getattr(target, "_gg_file", None)
        return tag is not None and tag.path == path and target.lineno == called.lineno and target.name == called.name

    def probe(target, inner: State, frames) -> None:
        if not wants(target):
            return
        if inner.grad is not Tri.YES or inner.inference or (inner.grad_assumed and not inner.training):
            return
        facts = argument_facts(params, inner)
        if wrapper is not None:
            facts = (passed_on(facts[0], wrapper, entry), frozenset())  # what is one tensor: read for `entry` only
        if not any(facts) and inner.grad_assumed:  # nothing known but a grad mode on for sure (GRAD_MODE)
            return
        # the call nearest to the entry that the caller file makes (itself, or a helper of its own it goes through)
        call = next((f.call for f in reversed(frames) if getattr(f.call, "_gg_file", None) in (None, parsed_tag)),
                    frames[0].call)
        found = (call, facts, inner.grad_assumed)
        known = best.get(found[1:])
        if known is None or span_order(call) < span_order(known[0]):  # the first call in the file, for each reading
            best[found[1:]] = found

    parsed_tag = getattr(parsed.tree.body[0], "_gg_file", None) if parsed.tree.body else None
    fn, cls = scope
    values.reset_ids()
    reporter = Reporter(parsed.lines, parsed.path)
    ctx = ModuleContext(info, reporter, deadline)
    reporter.ctx = ctx
    probe.wants = wants  # analysis/probing.py: a call the walk does not go into
    ctx.probe = probe
    try:
        if fn is None:
            Interpreter(ctx).run_block(info.tree.body, State())
        else:
            walk_function(ctx, info, fn, cls, parsed.lines, parsed.path)
    except RecursionError:
        pass
    finally:
        ctx.close()
    return sorted(best.values(), key=lambda found: (surest(found), span_order(found[0])))[:MAX_FACTS]


def span_order(call) -> tuple:
    return getattr(call, "lineno", 0), getattr(call, "col_offset", 0)


def argument_facts(params: list[str], inner: State) -> tuple:
    """(the parameters bound to a tensor that requires grad, the groups of parameters bound to one tensor) at a
    call: `self.self_attn(query=x, key=x, value=x)` gives `query`, `key` and `value` one tensor, which picks
    fairseq's packed projection (`query.data_ptr() == key.data_ptr() == value.data_ptr()`)."""
    requiring = frozenset(p for p in params if requires_grad_for_sure(inner.env.get(p), inner))
    holders: dict = {}
    for p in params:
        value = inner.env.get(p)
        if isinstance(value, Ref) and len(value.objs) == 1 and not value.maybe_none and not value.every:
            holders.setdefault(value.objs, []).append(p)
    return requiring, frozenset(frozenset(names) for names in holders.values() if len(names) > 1)


def describe_facts(facts: tuple, fn) -> str:
    """What a caller's call passes (argument_facts), in the order of `fn`'s parameters, for the related location:
    "one tensor that requires grad as `query`, `key` and `value`", "a tensor that requires grad as `w`"."""
    requiring, aliases = facts
    order = [p.arg for p in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs]

    def names(group) -> str:
        listed = [f"`{p}`" for p in sorted(group, key=order.index)]
        return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]

    grouped = sorted(aliases, key=lambda group: min(map(order.index, group)))
    parts = [("one tensor that requires grad as " if group & requiring else "one tensor as ") + names(group)
             for group in grouped]
    alone = requiring - {p for group in aliases for p in group}
    if alone:
        parts.append("a tensor that requires grad as " + ", ".join(f"`{p}`" for p in sorted(alone, key=order.index)))
    return "; ".join(parts) or "grad mode on"


def dispatchers(tree: ast.Module, entry) -> list:
    """The module-level functions of the entry's file (`tree`) decorated by a call of a decorator factory of that
    file that is given the module-level function `entry` and calls it (dispatches): alphafold2's
    `@invoke_torch_or_numpy(mdscaling_torch, mdscaling_numpy)` on `def MDScaling(pre_dist_mat, **kwargs)`, whose
    calls run `mdscaling_torch` with the arguments they were given. A factory that only reads the function (its
    docstring: `@copy_doc(f)`) or one of another file does not count."""
    if entry not in tree.body:  # a method: its name in a decorator is not its class's
        return []
    factories = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    out = []
    for fn in tree.body:
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) and fn is not entry and any(
                calls_what_it_is_given(factories.get(getattr(d.func, "id", None)), d, entry.name)
                for d in fn.decorator_list if isinstance(d, ast.Call)):
            out.append(fn)
    return out[:MAX_ENTRIES]


def calls_what_it_is_given(factory, call: ast.Call, name: str) -> bool:
    """Does `factory`, called as `call`, call the function `name` that the call gives it: a call in its body of
    the parameter bound to it, or of a name assigned from an expression holding that parameter
    (`backend_fn = torch_fn if backend == 'torch' else numpy_fn`)?"""
    if factory is None:
        return False
    params = [p.arg for p in factory.args.posonlyargs + factory.args.args]
    given = {params[i] for i, a in enumerate(call.args[:len(params)]) if isinstance(a, ast.Name) and a.id == name}
    given |= {k.arg for k in call.keywords if isinstance(k.value, ast.Name) and k.value.id == name and k.arg}
    if not given:
        return False
    holding = set(given)
    for _ in range(2):  # a name assigned from one assigned from the parameter
        holding |= {t.id for n in ast.walk(factory) if isinstance(n, ast.Assign)
                    and any(isinstance(v, ast.Name) and v.id in holding for v in ast.walk(n.value))
                    for t in n.targets if isinstance(t, ast.Name)}
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in holding
               for n in ast.walk(factory))


def passed_on(requiring: frozenset, wrapper, entry) -> frozenset:
    """The parameters of `entry` that get what a call of `wrapper` gave its parameters `requiring`, when the
    dispatching decorator passes the call's arguments on: only a parameter of the same name at the same position
    (or keyword-only in the wrapper and a parameter of `entry`), so that both readings of the call agree."""
    def positional(fn):
        return [p.arg for p in fn.args.posonlyargs + fn.args.args]

    ours, theirs = positional(wrapper), positional(entry)
    named = set(theirs) | {p.arg for p in entry.args.kwonlyargs}
    return frozenset(p for p in requiring if (p in ours and p in theirs and ours.index(p) == theirs.index(p)) or
                     (p not in ours and p in named))


def surest(evidence: tuple) -> tuple:
    """Grad mode on for sure before on by the training assumption; then more arguments known (the sort puts the
    surest first)."""
    _, (requiring, aliases), assumed = evidence
    return assumed, -len(requiring) - sum(len(group) for group in aliases)


def requires_grad_for_sure(value, state: State) -> bool:
    return isinstance(value, Ref) and bool(value.objs) and all(
        oid in state.objs and state.objs[oid].requires_grad is Tri.YES for oid in value.objs)


def walk_function(ctx, info, fn, cls, lines, path, facts=(frozenset(), frozenset()), training=None) -> None:
    """checker.run_unit's walk of a function on its own (scopes.start_walk); `facts` (argument_facts): parameters
    bound to tensors that require grad, with grad mode on (`training`: on by the training assumption only), and
    groups of parameters bound to one tensor."""
    requiring, aliases = facts
    walker, state, _ = start_walk(ctx, info, fn, cls, cls, lines, path)
    if training is not None:
        state.grad, state.grad_assumed, state.training = Tri.YES, training, training or state.training
    for name in requiring:
        oid, storage = fresh_id(), fresh_id()
        state.objs[oid] = TObj(storage, storage, Tri.YES, describe=f"argument `{name}`", is_argument=True)
        state.env[name] = Ref(frozenset([oid]))
    for group in aliases:  # the first name's tensor (one that requires grad when one of them does) for all
        first = min(group, key=lambda name: (name not in requiring, name))
        if isinstance(state.env.get(first), Ref):
            for name in group:
                state.env[name] = state.env[first]
    walker.run_block(fn.body, state)


def walk_with_arguments(info, entry, cls, lines, path, deadline, facts, training) -> list:
    """The findings of `entry`'s walk with what a caller passes (`facts`: argument_facts)."""
    values.reset_ids()
    reporter = Reporter(lines, path)
    ctx = ModuleContext(info, reporter, deadline)
    reporter.ctx = ctx
    try:
        walk_function(ctx, info, entry, cls, lines, path, facts, training)
        return reporter.findings()
    except RecursionError:
        return []
    finally:
        ctx.close()
