"""What the server keeps per open document, and the results an analysis hands back to the event loop."""

from __future__ import annotations

import asyncio
import functools
import itertools
import os
from dataclasses import dataclass, field
from typing import Any, Optional

from lsprotocol import types
from pygls.uris import to_fs_path

from .features import Entry
from .notebooks import Notebook


@dataclass
class DocState:
    uri: str
    text: str
    version: Optional[int]
    gen: int = field(default_factory=lambda: next(GENERATIONS))  # new on every change and settings change
    entries: list[Entry] = field(default_factory=list)
    analysis: Any = None  # the Analysis behind `entries` when they are fresh
    analysed_gen: int = -1  # the generation `entries` were last brought up to date for
    broken: bool = False  # the text of analysed_gen did not parse: entries are the old ones, moved
    last_error: Optional[str] = None
    timer: Optional[asyncio.TimerHandle] = None
    inflight: Optional[int] = None  # the generation being analysed
    background: Optional[int] = None  # the generation whose deferred scopes the background pass walks next
    rerun: bool = False  # asked for while an analysis ran: the current text is analysed as soon as it ends
    waiters: list = field(default_factory=list)  # (gen, asyncio.Future)
    notebook: Optional[Notebook] = None  # a notebook: `text` is its code cells as one program, `program` maps it
    program: Any = None
    deps: tuple = ()  # other workspace files the last analysis followed (absolute paths)
    analysed_program: Any = None  # the program `entries` of a notebook were built on

    @property
    def up_to_date(self) -> bool:
        return self.analysed_gen == self.gen

    @property
    def fresh(self) -> bool:
        """`entries` (and their fixes) were computed from exactly the current text."""
        return self.analysed_gen == self.gen and not self.broken

    @functools.cached_property
    def path(self) -> Optional[str]:  # a document's uri never changes: computed once, not on every keystroke
        try:
            return to_fs_path(self.uri) if self.uri.startswith("file:") else None
        except Exception:
            return None

    @functools.cached_property
    def real_path(self) -> str:
        """The path with links resolved (os.path.realpath stats every folder on the way: not per keystroke)."""
        return os.path.realpath(self.path) if self.path else ""


SKIPPED = object()
# One counter for all documents: a document closed and opened again never reuses a generation, so a
# late result for its old text cannot pass for the new one.
GENERATIONS = itertools.count(1)


@dataclass
class Result:
    analysis: Any
    entries: Optional[list[Entry]]  # None when the text did not parse
    millis: float
    program: Any = None  # a notebook's program the entries were built on
    background: bool = False  # the pass that walked the scopes the first pass over this text deferred


@dataclass
class Failure:
    message: str
    details: str


def is_python(language_id: Optional[str], uri: str) -> bool:
    path = uri.split("?", 1)[0].split("#", 1)[0].lower()
    return (language_id or "").lower() in ("python", "py", "pyi") or path.endswith((".py", ".pyi", ".pyw"))


def contains(rng: types.Range, pos: types.Position) -> bool:
    p = (pos.line, pos.character)
    start, end = (rng.start.line, rng.start.character), (rng.end.line, rng.end.character)
    return start <= p < end or start == end == p


def intersects(a: types.Range, b: types.Range) -> bool:
    return (a.start.line, a.start.character) <= (b.end.line, b.end.character) and (
        b.start.line,
        b.start.character,
    ) <= (a.end.line, a.end.character)
