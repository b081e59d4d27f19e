"""The workspace around the analysed file: helpers and module classes defined in its other files.

    project = Project("/path/to/repo")
    analyze(source, "train.py", config, project=project)   # calls into repo files are followed
    project.invalidate("/path/to/repo/models.py")          # that file changed on disk
    project.set_text(path, text) / project.forget_text(path)  # an editor buffer stands for the file

When the walk meets a call it cannot see into, a name imported from another module (`from models import Net`,
`import helpers as H`, `from .ops import scale_`), it asks `resolve()`. Only a name whose top package is a
file or folder of the workspace (next to the file, at the root, or under root/src) is looked up; torch never is
(the analysis knows it from measured facts), nor is anything installed.

Finding the definition: a chain of plain imports (each name bound once at module level, star imports read
through `__all__` or the public names, `from . import sub` as the submodule) is read from the cached parses
of the files, through namespace packages (folders without __init__.py) as Python searches them. Anything less
plain (a try/except import fallback, a name bound twice in if/else, a dynamic `__all__`, a module `__getattr__`)
goes to jedi: the import statement that binds the name
and the dotted name of the call, with this file's path (`Script(...).goto(..., follow_imports=True)`), so
jedi follows them as Python would. jedi may only inspect modules this process already imported
(`never_import_anything`): it would import a module it sees only as bytecode or native code, which runs it.

The answer is used only if it is a function or class in a `.py` file under the workspace root (not in a
virtualenv, site-packages, build folder...). That file is parsed once per content (tree, index of its names;
cached by path and mtime/size, or by the buffer's text) and the call is followed with the existing
machinery, walking the definition with the caller's state and the other file's names (`analysis.interpreter`).

Bounded: jedi runs on one thread of its own; each analysis gives it `jedi_budget` seconds in all (a call that
is still running when the budget is spent is abandoned, its answer is cached when it comes and `listener` is
called); jedi's answers and failures are cached per (folder, import, name) until `invalidate()`. Anything that
fails or times out is "unknown code", as before: no finding rather than a wrong one. Depth and recursion
between files are bounded by the interpreter's call depth and its stack of functions being followed.
"""

from __future__ import annotations

import ast
import contextvars
import os
import sys
import threading
import time
import weakref
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Callable, Optional

from .bindings import (cached_import_bindings, definitions_of, import_bindings, imported_when_the_try_succeeds,
                       module_bindings, parse_import, star_imports)
from .cache import content_digest
from .importers import MAX_FILE_BYTES, SKIP_PARTS, ReadTexts
from . import pyparse
from .namespaces import installed, locate_namespace
from .parsed_files import ParsedFile, ParsedFiles
from .shared_answers import MISSING, SharedAnswers
from .roots import ROOT_MARKERS, argument_roots, common_folder, find_root, folder_of  # noqa: F401
from .superseded import stop_if_superseded

MAX_SCRIPT_FOLDER_FILES = 200  # files of a folder read to tell whether one is a script (_script_folder)
NEVER_FOLLOWED = {"torch"}  # torch is known from its measured facts (data/torch_ops.json), never from its source
MAX_CACHED_FILES = 256  # parsed other files kept (the server's default; the CLI keeps more)
MAX_RESOLUTIONS = 4096
# The project of the analysis running in this thread (engine.analyze sets it; the interpreter reads it).
ACTIVE: "contextvars.ContextVar[Project | None]" = contextvars.ContextVar("gradguard_project", default=None)


def relative_base(importer: str, level: int) -> str:
    """The folder `from .` (level 1), `from ..` (level 2)... refer to in `importer`."""
    base = os.path.dirname(importer)
    for _ in range(level - 1):
        base = os.path.dirname(base)
    return base


@dataclass
class Resolved:
    path: str
    line: int
    name: str
    kind: str  # "function" | "class"


class Session:
    """What one analysis used: jedi time spent, the other files' snapshots (one version per file per analysis)."""

    def __init__(self, project: "Project", budget: float):
        self.project = project
        self.budget = budget
        self.spent = 0.0
        self.files: dict[str, Optional[ParsedFile]] = {}
        self.used: set[str] = set()  # files whose definitions were followed
        self.calls: dict = {}  # (call's func node, qual) -> answer, within this analysis
        self.class_tables: dict = {}  # id(FileInfo) -> (it, its classes and their bases elsewhere): base_classes.py
        # callers.py: the files whose import lines name the module (or re-exporting package) of a function whose
        # callers decide a finding -> their digest, and those names (the result cache keys on both)
        self.importers: dict[str, Optional[str]] = {}
        self.importer_names: set[str] = set()
        self.texts = ReadTexts()  # the other files read whole, for callers.py (dropped at the end)
        self.recording: list[list] = []  # shared_answers.py: the snapshots taken while an answer is computed
        self.jedi_asked = 0  # times this analysis asked jedi (shared_answers.py keeps no answer that did)



def decode_source(data: bytes) -> str:
    """A Python file's bytes as text: its coding declaration (PEP 263) or UTF-8, without a byte-order mark."""
    import io
    import tokenize

    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    text = data.decode(encoding)
    return text[1:] if text.startswith("\ufeff") else text


JEDI_PROBE_FILE = "__gradguard_jedi_probe__.py"  # _goto_now: the path jedi is told its two lines are at


class Project:
    def __init__(self, root: str, *, jedi_budget: float = 0.2, listener: Callable[[], None] | None = None,
                 max_files: int = MAX_CACHED_FILES, cache: ParsedFiles | None = None):
        """`cache`: where other files' parses are kept (a server shares one among all its projects); by default
        one of this project's own, of `max_files` full parses."""
        self.root = os.path.realpath(os.path.abspath(root))
        self.jedi_budget = jedi_budget
        self.cache = cache if cache is not None else ParsedFiles(max_lines=None, max_files=max_files)
        self.listener = listener  # called (on jedi's thread) when an abandoned resolution finished later
        self._lock = threading.RLock()
        self._texts: dict[str, str] = {}  # open editor buffers
        self._resolved: "OrderedDict[tuple, Optional[Resolved]]" = OrderedDict()
        self._pending: dict[tuple, Future] = {}
        self._abandoned: set[tuple] = set()  # resolutions an analysis stopped waiting for
        self._local: dict[tuple, bool] = {}
        self._modules: dict[tuple, str | None] = {}  # (module, importing folder, level) -> file
        self._contains: dict[str, bool] = {}
        self._real: dict[str, str] = {}  # path -> its real path (realpath stats every folder on the way)
        self._folders: dict[str, list[str]] = {}  # importing folder -> folders its absolute imports search
        self._scripts: dict[str, bool] = {}  # folder -> does a file of it run as a script (_script_folder)
        self._module_folders: dict[tuple, list[str]] = {}  # (module, importer) -> _folders_for (a stat or two each)
        self._callers: dict[str, str] = {}
        self._jedi = None
        self._env = None
        self._executor: ThreadPoolExecutor | None = None
        self._session = threading.local()
        self.stats = {"jedi_calls": 0, "jedi_timeouts": 0, "parsed": 0}
        self.callers = None  # gradguard.callers.CallerIndex, attached by engine.analyze
        self.shared = SharedAnswers()  # resolutions kept from one analysis to the next, per version of what they read

    # -- files ----------------------------------------------------------------------------------------------
    def contains(self, path: str) -> bool:
        known = self._contains.get(path)
        if known is None:
            known = self._contains[path] = self._compute_contains(path)
        return known

    def _compute_contains(self, path: str) -> bool:
        path = self.real(path)
        try:
            rel = os.path.relpath(path, self.root)
        except ValueError:
            return False
        if rel == os.curdir or rel.startswith(os.pardir + os.sep) or rel == os.pardir:
            return False
        parts = rel.split(os.sep)
        return not any(p in SKIP_PARTS or (p.startswith(".") and p not in (".", "..")) for p in parts[:-1])

    def set_text(self, path: str, text: str) -> None:
        """An open editor buffer: used instead of the file on disk when its definitions are followed."""
        real = self.real(path)
        with self._lock:
            self._texts[real] = text

    def real(self, path: str) -> str:
        """`os.path.realpath` of the absolute path, remembered until `invalidate` (a link may change with the files)."""
        real = self._real.get(path)
        if real is None:
            real = os.path.realpath(os.path.abspath(path))
            if len(self._real) > 100_000:
                self._real.clear()
            self._real[path] = real
        return real

    def is_buffer(self, path: str) -> bool:
        """Does an open editor buffer stand for this file (set_text)?"""
        real = self.real(path)
        with self._lock:
            return real in self._texts

    def forget_text(self, path: str) -> None:
        with self._lock:
            self._texts.pop(self.real(path), None)

    def invalidate(self, path: str | None = None) -> None:
        """A file changed, appeared or went away (None: anything may have): drop what was cached about it, and
        every resolution (an import may now lead elsewhere)."""
        with self._lock:
            self.cache.drop(None if path is None else self.real(path))
            self._real.clear()
            self._resolved.clear()
            self._local.clear()
            self._modules.clear()
            self._contains.clear()
            self._folders.clear()
            self._scripts.clear()
            self._module_folders.clear()
            self._real.clear()
            self._callers.clear()
            self.shared.clear()
        if self.callers is not None:
            self.callers.forget(path)

    def _read(self, path: str, full: bool) -> tuple[tuple, str, str] | None:
        with self._lock:
            text = self._texts.get(path)
        if text is not None:
            digest = content_digest(text.encode("utf-8", "surrogatepass"))
            return ("buffer", digest), text, digest
        try:
            st = os.stat(path)
            if st.st_size > MAX_FILE_BYTES:
                return None
            key = ("disk", st.st_mtime_ns, st.st_size)
            cached = self.cache.get(path, key, full)
            if cached is not None:
                return key, "", cached.digest
            with open(path, "rb") as fh:
                data = fh.read()
            text = decode_source(data)
        except (OSError, SyntaxError, LookupError, UnicodeDecodeError):
            return None
        return key, text, content_digest(data)

    def same_on_disk(self, path: str, text: str) -> bool:
        """Is `text` (an editor buffer being closed) what the file on disk holds? Then the files that followed the
        buffer read the same content from disk, and need no new analysis."""
        try:
            real = self.real(path)
            if os.stat(real).st_size > MAX_FILE_BYTES:
                return False
            with open(real, "rb") as fh:
                return decode_source(fh.read()) == (text[1:] if text.startswith("\ufeff") else text)
        except (OSError, SyntaxError, LookupError, UnicodeDecodeError):
            return False

    def parsed(self, path: str, full: bool = True) -> ParsedFile | None:
        """The file's current version, parsed (cached per content); unless `full`, maybe only its name index."""
        path = self.real(path)
        got = self._read(path, full)
        if got is None:
            return None
        key, text, digest = got
        cached = self.cache.get(path, key, full)
        if cached is not None:
            return cached
        if "\x00" in text:
            return None
        stop_if_superseded()  # a newer text of the document waits: the buffer may already hold it (set_text)
        try:
            tree = pyparse.parse(text, filename=path)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        parsed = ParsedFile(path, key, text.splitlines(), tree, digest=digest)
        parsed.definitions = definitions_of(tree)
        parsed.names = module_bindings(tree)
        self.stats["parsed"] += 1
        self.cache.put(parsed)
        return parsed

    # -- analyses -------------------------------------------------------------------------------------------
    def begin(self, budget: float | None = None) -> Session:
        session = Session(self, self.jedi_budget if budget is None else budget)
        self._session.current = session
        return session

    def end(self) -> Session | None:
        """The analysis is over: what it used (`used`: files whose definitions were followed; `files`: every
        file it read, to follow an import chain through it too)."""
        session = getattr(self._session, "current", None)
        self._session.current = None
        if session is None:
            return None
        session.texts = ReadTexts()  # what a kept session holds on to: not the files read
        for path, parsed in session.files.items():
            if parsed is not None and parsed.full and path not in session.used:
                self.cache.keep_index_only(path)  # only an import chain went through it
        return session

    def session(self) -> Session:
        """The session of the analysis running in this thread (begun now if none is)."""
        return self._current()

    def _current(self) -> Session:
        session = getattr(self._session, "current", None)
        if session is None:
            session = self.begin()
        return session

    def snapshot(self, path: str, full: bool = True) -> ParsedFile | None:
        """The version of `path` this analysis uses (the first one it saw); unless `full`, its name index may do."""
        session = self._current()
        known = session.files.get(path, False)
        if known is False or (full and known is not None and not known.full):
            known = session.files[path] = self.parsed(path, full)
        if session.recording:
            for reads in session.recording:
                reads.append((path, full, known))
        return known

    # -- resolving ------------------------------------------------------------------------------------------
    def resolve(self, caller_path: str, caller_tree: ast.Module, func: ast.AST, qual: str | None,
                local_names=(), plain_only: bool = False) -> tuple[ParsedFile, ast.AST] | None:
        """The function or class definition (in another workspace file) that the call's `func` refers to, with
        that file's parse; None when it is not one, or it cannot be told in time. `plain_only`: from the files
        alone, never asking jedi (a guess at a call on a relatively imported module, mostly not a definition)."""
        target = self.target_of(caller_tree, func, qual, local_names)
        if target is None:
            return self._resolve_starred(caller_path, caller_tree, func, local_names)
        session = self._current()
        memo = (id(func), target[1], caller_path, plain_only)  # the same call met again (loops, several walks)
        if memo in session.calls:
            return session.calls[memo]
        answer = self._resolve(caller_path, target, plain_only)
        if answer is not None or session.spent < session.budget:  # an answer cut short by the budget may come
            session.calls[memo] = answer
        return answer

    def _resolve_starred(self, caller_path: str, tree: ast.Module, func: ast.AST, local_names=()):
        """`from pkg.utils import *` then `ConvBNReLU(c)`: a name nothing in the file binds is looked up in each
        module the file star-imports from the workspace, from the files alone, as `from pkg.utils import
        ConvBNReLU` would be (pytorch-semseg's blocks come into its models this way)."""
        if func.__class__ is not ast.Name or func.id in local_names:
            return None
        stars = star_imports(tree)
        if not stars:
            return None
        session = self._current()
        memo = (id(func), "*", caller_path)
        if memo in session.calls:
            return session.calls[memo]
        answer = None
        for module, level in stars:
            if not module or not level and module.split(".", 1)[0] in NEVER_FOLLOWED:
                continue
            target = (f"from {'.' * level}{module} import {func.id}", func.id, module, level)
            answer = self._resolve(caller_path, target, plain_only=True)
            if answer is not None:
                break
        session.calls[memo] = answer
        return answer

    def _resolve(self, caller_path: str, target, plain_only: bool = False) -> tuple[ParsedFile, ast.AST] | None:
        """The definition `target` (target_of) names, seen from `caller_path`: the same for every analysis that
        reads the same versions of the files it went through (shared_answers.py)."""
        found = self.shared.answer(self, ("resolve", caller_path, target, plain_only),
                                   lambda: self._find_definition(caller_path, target, plain_only),
                                   _pack_definition, _unpack_definition)
        if found is not None:
            self._current().used.add(found[0].path)  # a file whose definitions are followed
        return found

    def _find_definition(self, caller_path: str, target, plain_only: bool) -> tuple[ParsedFile, ast.AST] | None:
        import_src, expr, module, level = target
        caller = self._caller_path(caller_path)
        if not level and not self._is_local(module, caller):
            return None
        found = self._plain(caller, import_src, expr)
        if found is NOT:
            return None
        if found is None and not plain_only:
            found = self._jedi_goto(caller, import_src, expr)
        if found is None or not self.contains(found.path) or not found.path.endswith(".py"):
            return None
        real = self.real(found.path)
        if real == caller:
            return None  # this very file: its own functions are followed already
        parsed = self.snapshot(real)
        if parsed is None:
            return None
        node = find_definition(parsed, found)
        return None if node is None else (parsed, node)

    def _caller_path(self, path: str) -> str:
        known = self._callers.get(path)
        if known is None:
            if path and not path.startswith("<") and "://" not in path:
                known = self.real(path)
            else:
                known = os.path.join(self.root, "__gradguard_buffer__.py")
            self._callers[path] = known
        return known

    @staticmethod
    def target_of(tree: ast.Module, func: ast.AST, qual: str | None, local_names=()):
        """(import statement, dotted expression, module, level) for jedi; None when the callee is not a name
        bound by an import."""
        bindings = cached_import_bindings(tree)
        parts = []
        node = func
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        expr = None
        if isinstance(node, ast.Name) and node.id in bindings and node.id not in local_names:
            expr = ".".join([node.id, *reversed(parts)])
        elif qual:
            # a local name holding an imported object (`f = helpers.scale_`): spell it with the import's name
            for name, (stmt, module, level, target) in bindings.items():
                if not level and (qual == target or qual.startswith(target + ".")):
                    expr = name + qual[len(target):]
                    break
        if expr is None:
            return None
        stmt, module, level, _ = bindings[expr.split(".", 1)[0]]
        if not level and module.split(".", 1)[0] in NEVER_FOLLOWED:
            return None
        return stmt, expr, module, level

    def _is_local(self, module: str, caller: str) -> bool:
        """Is the top package of `module` a file or folder of the workspace (next to the caller, at the root, or
        under root/src)? Anything else (torch, installed packages) is never asked about."""
        top = module.split(".", 1)[0]
        folders = self._folders_for(module, caller)
        key = (top, tuple(folders))
        with self._lock:
            known = self._local.get(key)
        if known is not None:
            return known
        found = False
        for folder in folders:
            if not self.contains(os.path.join(folder, "x.py")) and folder != self.root:
                continue
            if os.path.isfile(os.path.join(folder, top + ".py")) or os.path.isdir(os.path.join(folder, top)):
                found = True
                break
        with self._lock:
            self._local[key] = found
        return found

    # -- plain imports ------------------------------------------------------------------------------------------
    def _plain(self, caller: str, import_src: str, expr: str) -> Resolved | None:
        """The common case without jedi: a chain of plain imports through files of the workspace, each name bound
        once, ending at a `def` or `class`. None when anything is less plain (a star import, a name bound twice
        or by an assignment, a module `__getattr__`): jedi decides those."""
        stmt = parse_import(import_src)
        if stmt is None:
            return None
        parts = expr.split(".")
        alias = stmt.names[0]
        if isinstance(stmt, ast.Import):
            found = ("module", self._module_file(alias.name if alias.asname else parts[0], caller, 0))
        else:
            module_file = self._module_file(stmt.module or "", caller, stmt.level or 0)
            if module_file is None and (stmt.level or stmt.module):
                # `from . import thops` or `from agents import base` from a folder without __init__.py (a namespace
                # package has only submodules): the submodule's file, if it is one
                sub = self._locate(relative_base(caller, stmt.level), [alias.name]) if not stmt.module else \
                    self._module_file(f"{stmt.module}.{alias.name}", caller, stmt.level or 0)
                if sub is not None and sub.endswith(".py") and not sub.endswith("__init__.py"):
                    return self._plain_chain(("module", sub), parts)
            if module_file is None and (self._absent(stmt.module or "", caller, stmt.level or 0)
                                        or self._absent((stmt.module or "") + "." + alias.name, caller,
                                                        stmt.level or 0, namespace_only=True)):
                # `from ..utils import f` with no utils here at all, or `from pkg import f` where pkg is a folder
                # without __init__.py (a namespace package has only submodules) and no pkg/f: no one can find it
                return NOT
            found = self._member(module_file, alias.name, 0)
        return self._plain_chain(found, parts)

    def _plain_chain(self, found, parts: list[str]) -> Resolved | None:
        """_plain, from what the import binds (`found`) through the attributes of `parts[1:]`."""
        for attr in parts[1:]:
            if found is None or found is NOT:
                return found
            if found[0] != "module":
                return NOT  # an attribute of a class or function (`Net.from_config`): not followed
            found = self._member(found[1], attr, 0)
        if found is None or found is NOT:
            return found
        if found[0] not in ("function", "class"):
            return NOT  # the module itself
        parsed, node = found[1]
        return Resolved(parsed.path, node.lineno, node.name, found[0])

    def _member(self, module_file: str | None, name: str, depth: int):
        """What `name` is in that module: ("module", path), ("function"|"class", (parsed, node)), or None when it
        is something else or cannot be told from the files alone. The binding that runs last wins (a star
        import provides the names of `__all__`, or the public ones); bindings inside if/try compete only
        when they are the only one."""
        parsed = self.snapshot(module_file, full=False) if module_file else None
        if parsed is None and module_file and self.is_buffer(module_file):
            # Half-typed code in an editor buffer: nothing in it is followed until it parses again. jedi would read
            # the file on disk, which the buffer stands for, only for the definition to be dropped as not parsing
            # (_resolve), and its first answer comes after seconds of importing jedi and a re-analysis.
            return NOT
        if parsed is None or depth > 8:
            return None
        found = list(parsed.names.names.get(name, []))
        for star in parsed.names.stars:
            source = self._module_file(star.data[0], module_file, star.data[1])
            provides = self._exports(source, name, depth + 1)
            if provides is None:
                return None
            if provides:
                found.append(star._replace(data=source))
        if not found:
            if os.path.basename(module_file) == "__init__.py" and "__getattr__" not in parsed.names.names:
                sub = self._locate(os.path.dirname(module_file), [name])
                return ("module", sub) if sub else None
            return None
        if len(found) > 1 and any(b.nested for b in found):
            chosen = imported_when_the_try_succeeds(found)
            if chosen is None:
                return None  # bound in if/else, or at module level and again in a block: jedi decides
            if chosen.kind == "from" and self._fails_to_import(chosen.data[0], module_file, chosen.data[1]):
                # `from ._fast import op` with no _fast here, not even compiled: the except clause's binding
                handlers = [b for b in found if b.nested[1] == "handler"]
                if len(handlers) != 1:
                    return None
                chosen = handlers[0]
            found = [chosen]
        binding = max(found, key=lambda b: b.line)
        if binding.kind in ("function", "class"):
            return binding.kind, (parsed, binding.data)
        if binding.kind == "import":
            if not self._is_local(binding.data, module_file):
                return NOT  # an installed package (or torch): never followed, whatever jedi would say
            path = self._module_file(binding.data, module_file, 0)
            return ("module", path) if path else None
        if binding.kind == "from":
            module, level, original = binding.data
            if not level and not self._is_local(module, module_file):
                return NOT  # re-exported from an installed package: never followed
            source = self._module_file(module, module_file, level)
            if source is None and (self._compiled(module, module_file, level)
                                   or self._absent(module, module_file, level)):
                return NOT  # a compiled extension, or a module that is not there: nothing to read
            if source is not None and source == self.real(module_file):  # `from . import sub` in __init__
                sub = self._locate(os.path.dirname(source), [original])
                return ("module", sub) if sub else None
            return self._member(source, original, depth + 1)
        if binding.kind == "star":
            return self._member(binding.data, name, depth + 1)
        return NOT  # an assignment, a loop variable...: a value, not a definition to follow

    def _exports(self, module_file: str | None, name: str, depth: int) -> bool | None:
        """Does `from module import *` bind `name`? None: cannot be told (jedi's business)."""
        parsed = self.snapshot(module_file, full=False) if module_file else None
        if parsed is None or depth > 8 or parsed.names.dynamic_all:
            return None
        if parsed.names.exported is not None:
            return name in parsed.names.exported
        if name.startswith("_"):
            return False
        if name in parsed.names.names:
            return True
        for star in parsed.names.stars:
            provides = self._exports(self._module_file(star.data[0], module_file, star.data[1]), name, depth + 1)
            if provides is None or provides:
                return provides
        return False

    def _module_file(self, module: str, importer: str, level: int) -> str | None:
        """The .py file (or package __init__.py) that `import module` (with `level` dots) in `importer` loads,
        among the workspace's files."""
        key = (module, os.path.dirname(importer), level)
        with self._lock:
            if key in self._modules:
                return self._modules[key]
        found = self._find_module(module, importer, level)
        with self._lock:
            self._modules[key] = found
        return found

    def _find_module(self, module: str, importer: str, level: int) -> str | None:
        parts = module.split(".") if module else []
        if level:
            base = relative_base(importer, level)
            found = self._locate(base, parts)
            return found if found is not None else locate_namespace(self, [base], parts)
        if not parts:
            return None
        folders = self._folders_for(module, importer)
        for folder in folders:
            found = self._locate(folder, parts)
            if found is not None:
                return found
            top = os.path.join(folder, parts[0])
            if os.path.isfile(top + ".py") or os.path.isfile(os.path.join(top, "__init__.py")):
                return locate_namespace(self, [folder], parts)  # the package is here: do not look further
        # a regular package installed anywhere on sys.path wins over a namespace package's folders
        return None if installed(parts[0], self.root) else locate_namespace(self, folders, parts)

    def _absent(self, module: str, importer: str, level: int, namespace_only: bool = False) -> bool:
        """The imported module is neither a file nor a folder of its regular package in the workspace (a partial
        checkout, a generated file): jedi would look for it in vain. False whenever it may exist (a namespace
        package, a package found nowhere here)."""
        parts = module.split(".") if module else []
        if level:
            bases = [relative_base(importer, level)]
        else:
            if not parts:
                return False
            # every folder where the top package is: a namespace package may have portions in several
            bases = [folder for folder in self._search_folders(importer)
                     if os.path.isdir(os.path.join(folder, parts[0]))]
            if not bases:
                return False
        return all(self._missing_under(base, parts, namespace_only) for base in bases)

    @staticmethod
    def _missing_under(path: str, parts: list[str], namespace_only: bool = False) -> bool:
        """`namespace_only`: missing, and the folder that would hold the last part has no __init__.py."""
        for part in parts:
            if os.path.isfile(os.path.join(path, part + ".py")):
                return False
            if not os.path.isdir(os.path.join(path, part)):
                return not namespace_only or not os.path.isfile(os.path.join(path, "__init__.py"))
            path = os.path.join(path, part)
        return False

    def _fails_to_import(self, module: str, importer: str, level: int) -> bool:
        """A relative import of a module of the importer's package that is absent, as source and as a compiled
        extension (`_fast.cpython-311-x86_64-linux-gnu.so`)."""
        return bool(level and module and self._absent(module, importer, level)
                    and not self._compiled(module, importer, level))

    @staticmethod
    def _compiled(module: str, importer: str, level: int) -> bool:
        """A relative import of a module built as an extension: there is no source to follow."""
        if not level or not module:
            return False
        *folders, last = module.split(".")
        folder = os.path.join(relative_base(importer, level), *folders)
        try:
            names = os.listdir(folder) if os.path.isdir(folder) else []
        except OSError:
            return False
        return any(n.startswith(last + ".") and n.endswith((".so", ".pyd")) for n in names)

    def _folders_for(self, module: str, importer: str) -> list[str]:
        """_search_folders, then the importer's own folder when Python 3 does not search it (a package's module),
        the module is there (whole: `torch_xla.runtime` is not a sibling torch_xla.py), is not the standard
        library's nor the importer itself, and the folder holds a script (`if __name__ == "__main__":`): a plain
        `from scaling import X` in a folder with an `__init__.py` works only when the folder is on sys.path, the way
        icefall's recipes run train.py beside conformer.py and scaling.py. Last, so anything Python finds first is
        what the import loads. Kept until `invalidate`: every call of an imported name asks (_is_local), and on a
        keystroke in x-transformers the stats took a third of the analysis."""
        key = (module, importer)
        known = self._module_folders.get(key)
        if known is None:
            if len(self._module_folders) > 100_000:
                self._module_folders.clear()
            known = self._module_folders[key] = self._find_folders_for(module, importer)
        return known

    def _find_folders_for(self, module: str, importer: str) -> list[str]:
        folders = self._search_folders(importer)
        here = os.path.dirname(importer)
        parts = module.split(".")
        if here in folders or parts[0] in sys.stdlib_module_names or \
                self._locate(here, parts) in (None, self.real(importer)) or not self._script_folder(here):
            return folders
        return folders + [here]

    def _script_folder(self, folder: str) -> bool:
        """Does a Python file of the folder run as a script (its text holds `__main__`)? Read once per folder."""
        known = self._scripts.get(folder)
        if known is None:
            try:
                names = sorted(n for n in os.listdir(folder) if n.endswith(".py"))[:MAX_SCRIPT_FOLDER_FILES]
            except OSError:
                names = []
            known = self._scripts[folder] = any(b"__main__" in read_head(os.path.join(folder, n)) for n in names)
        return known

    def _search_folders(self, importer: str) -> list[str]:
        """Where `import a.b` from `importer` is looked up, as Python would with the workspace on sys.path: the
        folder above the importer's top package (or a script's own folder), the root, root/src."""
        here = os.path.dirname(importer)
        known = self._folders.get(here)
        if known is None:
            above = here
            while os.path.isfile(os.path.join(above, "__init__.py")) and self.contains(os.path.join(above, "x.py")):
                parent = os.path.dirname(above)
                if parent == above:
                    break
                above = parent
            # A module of a package is imported from above its top package (Python 3 never looks in the module's
            # own folder: `import logging` there is the standard library's, not a sibling logging.py); a
            # script's own folder is sys.path[0].
            order = (above, self.root, os.path.join(self.root, "src")) if above != here else \
                (here, self.root, os.path.join(self.root, "src"))
            known = []
            for folder in order:
                if folder not in known:
                    known.append(folder)
            self._folders[here] = known
        return known

    def _locate(self, base: str, parts: list[str]) -> str | None:
        path = base
        for part in parts[:-1]:
            path = os.path.join(path, part)
            if not os.path.isfile(os.path.join(path, "__init__.py")):
                return None  # not a regular package (a namespace package is jedi's business)
        if parts:
            as_file = os.path.join(path, parts[-1] + ".py")
            if os.path.isfile(as_file):
                return self.real(as_file)
            path = os.path.join(path, parts[-1])
        init = os.path.join(path, "__init__.py")
        return self.real(init) if os.path.isfile(init) and self.contains(init) else None

    # -- jedi -------------------------------------------------------------------------------------------------
    def _jedi_goto(self, caller: str, import_src: str, expr: str) -> Resolved | None:
        # An import means the same in every file of a folder (relative ones too: same package): ask once.
        key = (os.path.dirname(caller), import_src, expr)
        with self._lock:
            if key in self._resolved:
                self._resolved.move_to_end(key)
                return self._resolved[key]
            pending = self._pending.get(key)
        session = self._current()
        session.jedi_asked += 1
        left = session.budget - session.spent
        if left <= 0:
            return None
        if pending is None:
            pending = self._submit(key, caller)
            if pending is None:
                return None
        started = time.perf_counter()
        try:
            result = pending.result(timeout=left)
        except FutureTimeout:
            self.stats["jedi_timeouts"] += 1
            with self._lock:
                self._abandoned.add(key)
            result = None
        except Exception:  # noqa: BLE001 - jedi failed: unknown code
            result = None
        session.spent += time.perf_counter() - started
        return result

    def _submit(self, key, caller: str) -> Future | None:
        try:
            self._ensure_jedi()
        except Exception:  # noqa: BLE001 - no jedi: nothing is followed across files
            return None
        with self._lock:
            pending = self._pending.get(key)
            if pending is None:
                pending = self._executor.submit(self._goto_now, key, caller)
                self._pending[key] = pending
        return pending

    def _ensure_jedi(self) -> None:
        if self._jedi is not None:
            return
        import jedi  # imported here (about 0.3 s): only when a file imports from the workspace

        never_import_anything()
        sys_path = [self.root]
        if os.path.isdir(os.path.join(self.root, "src")):
            sys_path.append(os.path.join(self.root, "src"))
        with self._lock:
            if self._jedi is None:
                self._env = jedi.InterpreterEnvironment()
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gradguard-jedi")
                # sys_path: the workspace only, so jedi never searches (or infers into) installed packages
                self._jedi = jedi.Project(self.root, sys_path=sys_path, smart_sys_path=True)

    def _goto_now(self, key, caller: str) -> Resolved | None:
        """On jedi's thread."""
        import jedi

        _, import_src, expr = key
        result = None
        try:
            self.stats["jedi_calls"] += 1
            code = f"{import_src}\n{expr}\n"
            last = expr.rsplit(".", 1)[-1]
            # Not the caller's own path: jedi would keep these two lines as that file's text, and a later question
            # that leads into it (GaussianPolicy, defined there) would find nothing. A file of the same folder
            # that is none of the workspace's keeps the package (relative imports) and the answer (keyed per folder).
            probe = os.path.join(os.path.dirname(caller), JEDI_PROBE_FILE)
            script = jedi.Script(code, path=probe, project=self._jedi, environment=self._env)
            for name in script.goto(2, len(expr) - len(last), follow_imports=True):
                if name.type in ("function", "class") and name.module_path is not None and name.line:
                    result = Resolved(os.path.realpath(str(name.module_path)), name.line, name.name, name.type)
                    break
        except Exception:  # noqa: BLE001 - jedi's own errors: unknown code
            result = None
        trim_parso_cache()
        with self._lock:
            self._pending.pop(key, None)
            self._resolved[key] = result
            while len(self._resolved) > MAX_RESOLUTIONS:
                self._resolved.popitem(last=False)
            late = key in self._abandoned
            self._abandoned.discard(key)
        if late and result is not None and self.listener is not None:
            try:
                self.listener()  # an analysis went on without this answer: it may want to run again
            except Exception:  # noqa: BLE001
                pass
        return result

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)


_PATCHED = False


NOT = ("not", None)  # the plain path knows for sure that the name is no function or class to follow


def never_import_anything() -> None:
    """jedi's in-process environment imports a module it cannot read as source (bytecode only, a native
    extension) to inspect it, and importing runs it. The analysis must never run the user's code: jedi may only
    look at modules this process has already imported (the standard library it needs for builtins)."""
    global _PATCHED
    if _PATCHED:
        return
    import sys

    from jedi.inference.compiled import access

    original = access.load_module

    def load_module(inference_state, dotted_name, sys_path):
        if dotted_name not in sys.modules:
            return None
        return original(inference_state, dotted_name=dotted_name, sys_path=sys_path)

    access.load_module = load_module
    _PATCHED = True


MAX_PARSO_MODULES = 4


def trim_parso_cache() -> None:
    """jedi keeps the parso tree of every module it read, for good (about 0.2 MB each); its answers are cached
    here already, so keep only the last few (on jedi's thread, the only one using parso)."""
    try:
        from parso.cache import parser_cache
    except ImportError:
        return
    for modules in parser_cache.values():
        if len(modules) > MAX_PARSO_MODULES:
            by_use = sorted(modules, key=lambda path: getattr(modules[path], "last_used", 0))
            for path in by_use[:len(modules) - MAX_PARSO_MODULES]:
                modules.pop(path, None)


def _pack_definition(found):
    """Project._resolve's answer, as shared_answers.py keeps it: the parse and the node by weak reference."""
    return None if found is None else (weakref.ref(found[0]), weakref.ref(found[1]))


def _unpack_definition(kept):
    if kept is None:
        return None
    parsed, node = kept[0](), kept[1]()
    return MISSING if parsed is None or node is None else (parsed, node)


def find_definition(parsed: ParsedFile, found: Resolved) -> ast.AST | None:
    """The definition jedi pointed at: by line and name, or by name alone when the file changed since jedi
    read it (and the name is not ambiguous)."""
    candidates = parsed.definitions.get((found.kind, found.name), [])
    for node in candidates:
        if node.lineno == found.line:
            return node
    return candidates[0] if len(candidates) == 1 else None


def read_head(path: str) -> bytes:
    """The file's bytes up to MAX_FILE_BYTES (nothing when it cannot be read)."""
    try:
        with open(path, "rb") as f:
            return f.read(MAX_FILE_BYTES)
    except OSError:
        return b""
