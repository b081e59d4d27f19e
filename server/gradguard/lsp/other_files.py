"""The workspace around each document: its other files, whose definitions the analysis follows, and the open
buffers that stand for them. A mixin of GradGuardServer (it uses the server's documents, settings and scheduler)."""

from __future__ import annotations

import functools
import os
from typing import Optional

from lsprotocol import types
from pygls.uris import to_fs_path

from .. import engine
from ..parsed_files import ParsedFiles
from ..project import Project, find_root
from .documents import GENERATIONS, DocState
from .settings import Settings

JEDI_BUDGET = 0.2  # seconds of jedi per analysis (other files); an answer that comes later triggers a re-analysis
# Other files' parses, shared by every project of the server: full trees of the files whose definitions were walked
# lately, by their lines (about 1.5 kB each), and the name index of every file an import chain went through.
PARSED_LINES = 20_000


class OtherFiles:
    parsed_files: ParsedFiles  # the server's, shared by all its projects

    def _project_for(self, st: DocState, settings: Settings) -> Optional[Project]:
        """The workspace around the document (its folder, else the nearest pyproject.toml/.git): calls into the
        other files of it are followed. None when `followImports` is off."""
        if not settings.follow_imports:
            return None
        folder = self._folder_for(st.uri)
        root = None
        if folder.startswith("file:"):
            try:
                root = to_fs_path(folder)
            except Exception:
                root = None
        if root is None:
            if not st.path:
                return None
            root = find_root([st.path])
        root = os.path.realpath(root)
        project = self.projects.get(root)
        if project is None:
            project = self.projects[root] = Project(root, jedi_budget=JEDI_BUDGET, cache=self.parsed_files)
            project.listener = functools.partial(self._late_answer, project)
            for other in self.docs.values():  # open buffers stand for their files
                if other.notebook is None and other.path and project.contains(other.path):
                    project.set_text(other.path, other.text)
        return project

    def _drop_unused_projects(self) -> None:
        """A project outside every workspace folder (made for a file opened from elsewhere) lives as long as an open
        document is in it."""
        folders = set()
        for folder in self._folder_uris():
            try:
                folders.add(os.path.realpath(to_fs_path(folder)))
            except Exception:
                continue
        for root, project in list(self.projects.items()):
            if root in folders:
                continue
            if not any(st.path and project.contains(st.path) for st in self.docs.values()):
                del self.projects[root]
                project.close()
        projects = list(self.projects.values())
        self.parsed_files.keep_only(lambda path: any(project.contains(path) for project in projects))

    def _buffer_changed(self, st: DocState, delay: float) -> None:
        """A Python document's buffer is what other documents see of that file; they follow it."""
        if st.notebook is not None or not st.path:
            return
        for project in self.projects.values():
            if project.contains(st.real_path):
                project.set_text(st.real_path, st.text)
        self._refresh_followers(st.real_path, delay, resolved=True)

    def _buffer_closed(self, st: DocState, delay: float) -> None:
        """The file on disk stands for a closed buffer again. The documents that followed it are analysed again,
        unless the buffer held what the disk holds (it was saved): they would read the same text."""
        if st.notebook is not None or not st.path:
            return
        unchanged = False
        for project in self.projects.values():
            project.forget_text(st.path)
            unchanged = unchanged or project.same_on_disk(st.path, st.text)
        if not unchanged:
            self._refresh_followers(st.path, delay)

    def _refresh_followers(self, path: str, delay: float, within: Optional[Project] = None,
                           resolved: bool = False) -> None:
        """Analyse again the documents whose last analysis followed `path`; with `within`, every document of that
        workspace (a file came or went, or jedi answered late: any import may lead elsewhere now)."""
        real = path if resolved or not path else os.path.realpath(path)
        refreshed = False
        for other in list(self.docs.values()):
            if other.path and other.real_path == real:
                continue
            if (within is not None and other.path and within.contains(other.path)) or real in other.deps:
                engine.forget(other.path or other.uri)  # its cached scopes read the old text of that file
                other.deps = ()  # the next analysis is a full one: it says again what it follows
                other.gen = next(GENERATIONS)
                self._schedule(other.uri, delay)
                refreshed = True
        if refreshed:
            self._ask_for_pull()

    def _late_answer(self, project: Project) -> None:
        """jedi answered after an analysis stopped waiting (its budget): on jedi's thread."""
        loop = getattr(self, "_main_loop", None)
        if loop is None or loop.is_closed():
            return

        def again() -> None:
            try:
                self._refresh_followers("", 0.05, within=project)
            except Exception:
                self._log_exception("analysing again after a late answer")

        loop.call_soon_threadsafe(again)

    def on_watched_files(self, params: types.DidChangeWatchedFilesParams) -> None:
        came_or_went: set = set()
        for change in params.changes or []:
            try:
                path = to_fs_path(change.uri)
            except Exception:
                continue
            if not path:
                continue
            for project in self.projects.values():
                if project.contains(path):
                    project.invalidate(path)
                    if change.type != types.FileChangeType.Changed:
                        came_or_went.add(project.root)  # an import may lead somewhere else now
            self._refresh_followers(path, 0.05)
        for root in came_or_went:
            self._refresh_followers("", 0.05, within=self.projects[root])
