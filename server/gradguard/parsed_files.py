"""Other files' parses, as the workspace projects keep them (gradguard.project): one version of a file per
content, and the cache all projects of a process share.

Two sizes of entry: a full parse (tree, lines, definitions, names), for a file whose definitions an analysis
walks; and a name index (what binds each name at module level, a def or class as its line and name only), for a
file an import chain merely passes through (`from .layers import Mlp` read through layers/__init__.py). A full
parse costs about 1.5 kB a line and the index a few bytes a name: the cache keeps every index it can and only
the recently walked trees, bounded by their lines.
"""

from __future__ import annotations

import ast
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import NamedTuple

from .pyparse import set_under

MAX_TREE_LINES = 40_000  # lines of full parses kept by a shared cache (about 60 MB)
MAX_INDEXES = 2048  # name indexes kept (files an import chain passes through)


class FileTag:
    """What a node of another file says about its file (`node._gg_file`): its path and lines, for locations.
    Not the ParsedFile itself: tree -> node -> ParsedFile -> tree would be a reference cycle, and every
    evicted parse would wait for the cyclic collector (MBs per file)."""

    __slots__ = ("path", "lines")

    def __init__(self, path: str, lines: list[str]):
        self.path = path
        self.lines = lines


@dataclass
class ParsedFile:
    """One version of another workspace file: its tree (every node tagged with `_gg_file` = a FileTag once the
    analysis walks into it, so a finding's related location knows its file), its lines, its index of names."""

    path: str
    key: tuple
    lines: list[str]
    tree: ast.Module | None  # None: only the name index is kept (see ParsedFile.index)
    info: object = None  # analysis.context.FileInfo, built on first use
    definitions: dict = field(default_factory=dict)  # ("function" | "class", name) -> [nodes]
    names: object = None  # ModuleNames: what binds each name at module level
    tagged: bool = False
    digest: str = ""  # of the bytes read (gradguard.cache keys a result on the files its analysis consulted)
    file_tag: FileTag | None = None  # what its tagged nodes carry (tag_under)

    def tag(self) -> None:
        """Tag every node with this file, before the first walk into one of its definitions. Most files are
        parsed only to follow an import chain through them, or to find a definition too large to follow:
        those are never tagged (a walk over every node costs about as much as the parse)."""
        if self.tagged:
            return
        self.tag_under(self.tree)
        self.tagged = True

    def tag_under(self, root: ast.AST) -> None:
        """Tag `root` and every node under it (not the shared singletons `Load()`, `Add()`: never a location) with
        the file's one FileTag: nodes tagged at different times still compare as of the same file (`is`)."""
        tag = self.file_tag
        if tag is None:
            tag = self.file_tag = FileTag(self.path, self.lines)
        set_under(root, "_gg_file", tag)

    def index(self) -> "ParsedFile":
        """This version without its tree: what following an import chain through the file needs."""
        names = self.names._replace(names={
            name: [b._replace(data=Definition(b.data.lineno, b.data.name)) if b.kind in ("function", "class") else b
                   for b in found]
            for name, found in self.names.names.items()})
        return ParsedFile(self.path, self.key, [], None, names=names, digest=self.digest)

    @property
    def full(self) -> bool:
        return self.tree is not None


class Definition(NamedTuple):
    """A def or class of a file whose tree is not kept: where it is, for jedi-free resolution (Resolved)."""

    lineno: int
    name: str


class ParsedFiles:
    """Parses of other files by real path, bounded: full trees by their total lines (least recently used go
    first, and stay as name indexes), name indexes by count. `max_files` bounds the full trees by count instead
    (a project of its own, the command line). Thread-safe."""

    def __init__(self, max_lines: int | None = MAX_TREE_LINES, max_files: int | None = None,
                 max_indexes: int = MAX_INDEXES):
        self.max_lines = max_lines
        self.max_files = max_files
        self.max_indexes = max_indexes
        self._lock = threading.Lock()
        self._trees: "OrderedDict[str, ParsedFile]" = OrderedDict()
        self._indexes: "OrderedDict[str, ParsedFile]" = OrderedDict()
        self._lines = 0

    def get(self, path: str, key: tuple, full: bool) -> ParsedFile | None:
        """The cached version `key` of the file: a full parse, or (unless `full`) its name index."""
        with self._lock:
            found = self._trees.get(path)
            if found is not None and found.key == key:
                self._trees.move_to_end(path)
                return found
            if not full:
                found = self._indexes.get(path)
                if found is not None and found.key == key:
                    self._indexes.move_to_end(path)
                    return found
        return None

    def put(self, parsed: ParsedFile) -> None:
        with self._lock:
            self._drop(parsed.path)
            self._trees[parsed.path] = parsed
            self._lines += len(parsed.lines)
            while len(self._trees) > 1 and (
                    (self.max_lines is not None and self._lines > self.max_lines)
                    or (self.max_files is not None and len(self._trees) > self.max_files)):
                _, oldest = self._trees.popitem(last=False)
                self._lines -= len(oldest.lines)
                self._keep_index(oldest)

    def keep_index_only(self, path: str) -> None:
        """An analysis only passed through this file: keep its names, not its tree."""
        with self._lock:
            parsed = self._trees.pop(path, None)
            if parsed is not None:
                self._lines -= len(parsed.lines)
                self._keep_index(parsed)

    def drop(self, path: str | None = None) -> None:
        with self._lock:
            if path is None:
                self._trees.clear()
                self._indexes.clear()
                self._lines = 0
            else:
                self._drop(path)

    def keep_only(self, wanted) -> None:
        """Drop the parses of the files for which `wanted(path)` is false (no project needs them any more)."""
        with self._lock:
            for path in [p for p in list(self._trees) + list(self._indexes) if not wanted(p)]:
                self._drop(path)

    def __len__(self) -> int:
        return len(self._trees) + len(self._indexes)

    def _drop(self, path: str) -> None:
        old = self._trees.pop(path, None)
        if old is not None:
            self._lines -= len(old.lines)
        self._indexes.pop(path, None)

    def _keep_index(self, parsed: ParsedFile) -> None:
        self._indexes[parsed.path] = parsed.index()
        while len(self._indexes) > self.max_indexes:
            self._indexes.popitem(last=False)
