"""Answers about other workspace files kept from one analysis to the next (Project.shared).

Which definition `from .layers import Mlp` names in a file is the same for every analysis that walks into that file:
the command line's files resolve the same imports of the same library files again and again (core.txt's 300 files:
10,080 searches, 6,157 of them answered from an earlier analysis). Such an answer is a function of the workspace's layout (kept by the project until
`invalidate`, as its other caches) and of the files it read. While it is computed, every snapshot the analysis takes
(Project.snapshot) is recorded: the path, whether the whole tree was asked for, and the version it got. The next
analysis that asks the same question takes those snapshots again, in the same order (so they are its own as well:
the result cache keys a result on the files its analysis consulted, `engine.analyze`), and uses the kept answer only
when each one is the very version the answer was computed from (the same parse: the kept answer holds its nodes).
Not kept: an answer that asked jedi (it answers on a time budget) or read a file that did not parse (an editor
buffer half typed: what then decides depends on more than the file's version).
"""

from __future__ import annotations

import weakref

MAX_SHARED = 50_000  # answers kept; past it they are dropped all at once
MISSING = object()


class SharedAnswers:
    """Kept answers by key: (the snapshots read, the answer). Answers hold other files' nodes by weak reference:
    the project's parse cache, not this one, decides how long a tree lives."""

    def __init__(self, limit: int = MAX_SHARED):
        self.limit = limit
        self._answers: dict = {}
        self.stats = {"kept": 0, "reused": 0}

    def clear(self) -> None:
        self._answers.clear()

    def answer(self, project, key, make, pack, unpack):
        """`make()`'s answer, or the one kept under `key` when every snapshot it read is the same version now.
        `pack(answer)`: what is kept (weak references to nodes and parses); `unpack(kept)`: the answer again, or
        MISSING when something it referred to is gone."""
        session = project.session()
        kept = self._answers.get(key)
        if kept is not None:
            reads, packed = kept
            if self._same(project, reads):
                answer = unpack(packed)
                if answer is not MISSING:
                    self.stats["reused"] += 1
                    return answer
        reads: list = []
        session.recording.append(reads)
        asked = session.jedi_asked
        try:
            answer = make()
        finally:
            session.recording.pop()
        if session.jedi_asked == asked and all(parsed is not None for _, _, parsed in reads):
            if len(self._answers) >= self.limit:
                self._answers.clear()
            once = {(path, full, id(parsed)): (path, full, weakref.ref(parsed)) for path, full, parsed in reads}
            self._answers[key] = (tuple(once.values()), pack(answer))
            self.stats["kept"] += 1
        return answer

    @staticmethod
    def _same(project, reads) -> bool:
        """Take the snapshots again: is each the version read then?"""
        for path, full, ref in reads:
            if project.snapshot(path, full) is not ref():
                return False
        return True
