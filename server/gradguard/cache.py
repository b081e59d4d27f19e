"""The result cache of `gradguard check`, like ruff's and mypy's: a file is analysed again only when something
its findings depend on has changed.

    cache = ResultCache.open(folder, settings_of(config, follow, root), workspace_layout(root))
    hit = cache.lookup(path, text)          # (findings, error), or None: cache.misses[path] says why
    cache.store(path, text_digest(text), analysis.consulted, findings, error)
    cache.finish()                          # drop what no run has used for MAX_AGE_DAYS

An entry is keyed on the file's path and text, gradguard's version and a digest of its own source and data files
(a development change never reuses a result), the settings that change findings (select, ignore, severity,
strict, following imports, the Python and jedi versions), the digests of the other workspace files the analysis
read (`Analysis.consulted`: the files of an import chain too, not only the followed definitions), and, when
imports are followed, the workspace's layout: which Python files and package folders exist (an import may now
find a file that was not there). So editing one imported file re-analyses exactly the files that read it;
adding, removing or renaming a Python file re-analyses everything. A finding that callers in other files decided
(gradguard/callers.py) depends on files that do not call yet: its entry names the function's module and the
packages re-exporting it (`Analysis.importers`), every file whose import lines name one of them is consulted, and a
file that starts to name one is a miss (a file edited into a caller must import the function first). Checking that
reads the import lines of the project's files once per run (gradguard/importers.py), only when an entry has them.

Entries are JSON, never pickle: reading a cache file must not be able to run code. Each carries a checksum of
its body; an entry that is truncated, corrupt, of another format or version, or whose checksum does not match
is a miss (and is overwritten). Written atomically (a temporary file in the same folder, then os.replace): runs
at the same time, and -j workers, see the old entry or the new one, never half of one.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from . import __version__
from .findings import Finding, Fix, Related, Severity, Span, TextEdit
from .importers import names_module, python_files, read_imports

CACHE_DIR_NAME = ".gradguard_cache"
FORMAT = 1
MAX_AGE_DAYS = 7  # an entry no run has read or written for this long is removed
MAX_ENTRIES = 50_000  # beyond this, the least recently used go first
PRUNE_EVERY_S = 3600  # a run looks for old entries at most this often
TOUCH_AFTER_S = 3600  # a hit refreshes its entry's mtime (its "last used") when older than this
CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This file is a cache directory tag created by gradguard.\n"
                "# For information about cache directory tags see https://bford.info/cachedir/\n")
PYTHON_SUFFIXES = (".py", ".pyi", ".so", ".pyd")
MAX_LAYOUT_ENTRIES = 50_000  # files and folders of a workspace the layout digest looks at (~0.2 s), at most
LAYOUT_SKIP = {"__pycache__", "node_modules", "venv", "site-packages", "dist-packages", "build", "dist"}


def content_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def text_digest(text: str) -> str:
    return content_digest(text.encode("utf-8", "surrogatepass"))


_TOOL: str | None = None


def tool_id() -> str:
    """gradguard's version and a digest of its own source and data files."""
    global _TOOL
    if _TOOL is None:
        package = Path(__file__).resolve().parent
        h = hashlib.blake2b(digest_size=8)
        for file in sorted(package.rglob("*")):
            if file.suffix in (".py", ".json") and "__pycache__" not in file.parts and file.is_file():
                h.update(file.relative_to(package).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
        _TOOL = f"{__version__}-{h.hexdigest()}"
    return _TOOL


def settings_of(config, follow: bool, root: str | None) -> dict:
    """What besides the file and gradguard itself changes its findings (`exclude` only chooses files)."""
    out = {"select": sorted(config.select), "ignore": sorted(config.ignore),
           "severity": {code: sev.value for code, sev in sorted(config.severity.items())},
           "strict": config.strict, "follow": follow, "root": root if follow else None, "python": sys.version}
    if follow:
        try:
            from importlib.metadata import version

            out["jedi"] = version("jedi")
        except Exception:  # noqa: BLE001 - no jedi: nothing is followed through it
            out["jedi"] = None
    return out


def workspace_layout(root: str, limit: int = MAX_LAYOUT_ENTRIES) -> str | None:
    """A digest of the workspace's Python files and folders (by name, not content), skipping what
    `Project.contains` skips; None when there are more than `limit` entries to look at (a root that is a home
    folder, a data set): the run is then not cached, rather than slowed down or keyed on less than it reads."""
    names = []
    seen = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in LAYOUT_SKIP)
        seen += len(dirs) + len(files)
        if seen > limit:
            return None
        rel = os.path.relpath(folder, root)
        names.append(rel + "/")
        names.extend(os.path.join(rel, f) for f in sorted(files) if f.endswith(PYTHON_SUFFIXES))
    return content_digest("\n".join(names).encode("utf-8", "surrogateescape"))


def default_folder(root: str) -> Path:
    return Path(root) / CACHE_DIR_NAME


class ResultCache:
    def __init__(self, folder: Path, settings: dict, layout: str | None):
        self.root = folder
        self.folder = folder / tool_id()
        self.settings = content_digest(json.dumps(settings, sort_keys=True).encode())
        self.layout = layout
        self.misses: dict[str, str] = {}  # path -> why it was analysed
        self.hits = 0
        self.warning: str | None = None  # set once when the cache could not be written
        self._digests: dict[str, str | None] = {}  # other files' current digests, read once per run
        self._import_lines: dict[str, dict[str, bytes]] = {}  # project root -> its files' import lines, once per run

    @classmethod
    def open(cls, folder: Path, settings: dict, layout: str | None) -> "ResultCache":
        cache = cls(Path(folder), settings, layout)
        try:
            cache.folder.mkdir(parents=True, exist_ok=True)
            for name, text in ((".gitignore", "# Created by gradguard: the whole folder is a cache.\n*\n"),
                               ("CACHEDIR.TAG", CACHEDIR_TAG)):
                if not (cache.root / name).exists():
                    (cache.root / name).write_text(text)
        except OSError as exc:
            cache.warning = f"cannot use the cache folder {folder}: {exc.strerror or exc}"
        return cache

    # -- reading --------------------------------------------------------------------------------------------
    def entry_path(self, path: str) -> Path:
        name = content_digest(f"{os.path.abspath(path)}\0{path}\0{self.settings}".encode("utf-8", "surrogateescape"))
        return self.folder / f"{name}.json"

    def lookup(self, path: str, text: str):
        """(findings, error) of the last analysis of this very text, when nothing it depended on changed."""
        entry = self.entry_path(path)
        try:
            raw = entry.read_bytes()
        except OSError:
            return self._miss(path, "not in the cache")
        body = self._verified_body(raw)
        if body is None or body.get("format") != FORMAT or body.get("tool") != tool_id():
            return self._miss(path, "cache entry unreadable or from another version")
        if body.get("settings") != self.settings or body.get("path") != path:
            return self._miss(path, "cache entry for other settings")
        if body.get("source") != text_digest(text):
            return self._miss(path, "changed")
        if body.get("layout") != self.layout:
            return self._miss(path, "the workspace's Python files changed")
        consulted = body.get("consulted")
        if not isinstance(consulted, dict):
            return self._miss(path, "cache entry unreadable or from another version")
        for other, digest in consulted.items():
            if self.current_digest(other) != digest:
                return self._miss(path, f"{other} changed")
        importers = body.get("importers")
        if importers is not None:
            try:
                root, names = _str(importers[0]), [_str(n).encode() for n in importers[1]]
            except (TypeError, IndexError, KeyError):
                return self._miss(path, "cache entry unreadable or from another version")
            new = self.new_importer(root, names, consulted, os.path.realpath(path))
            if new == "":
                return self._miss(path, f"too many files under {root} to tell whether one now imports "
                                        f"{b', '.join(names).decode()}")
            if new is not None:
                return self._miss(path, f"{new} now imports {b', '.join(names).decode()}")
        try:
            found = [decode_finding(f) for f in body["findings"]]
            error = body["error"]
            if error is not None and not isinstance(error, str):
                raise TypeError("error")
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            return self._miss(path, "cache entry unreadable or from another version")
        self.hits += 1
        self._touch(entry)
        return found, error

    def _miss(self, path: str, why: str):
        self.misses[path] = why
        return None

    @staticmethod
    def _verified_body(raw: bytes) -> dict | None:
        checksum, _, data = raw.partition(b"\n")
        if checksum.decode("ascii", "replace") != content_digest(data):
            return None
        try:
            body = json.loads(data)
        except (ValueError, RecursionError):
            return None
        return body if isinstance(body, dict) else None

    def current_digest(self, path: str) -> str | None:
        if path not in self._digests:
            try:
                with open(path, "rb") as fh:
                    self._digests[path] = content_digest(fh.read())
            except OSError:
                self._digests[path] = None
        return self._digests[path]

    def new_importer(self, root: str, names: list[bytes], consulted: dict, own: str) -> str | None:
        """A file of `root` whose import lines name one of `names` and that the analysis did not consult; "" when
        `root` holds too many files to look (importers.MAX_WORKSPACE_ENTRIES)."""
        index = self._import_lines.get(root)
        if index is None:
            files = python_files(root)
            if files is None:
                return ""  # too many files to tell: as if one did (the file is analysed again)
            index = self._import_lines[root] = {p: read_imports(p) for p in files}
        return next((p for p, lines in index.items() if p not in consulted and p != own and names_module(lines, names)),
                    None)

    @staticmethod
    def _touch(entry: Path) -> None:
        try:
            if time.time() - entry.stat().st_mtime > TOUCH_AFTER_S:
                os.utime(entry)
        except OSError:
            pass

    # -- writing --------------------------------------------------------------------------------------------
    def store(self, path: str, source: str, consulted: dict, findings: list[Finding], error: str | None,
              importers: tuple[str, list[str]] | None = None) -> None:
        """`source`: text_digest of the text analysed (by the worker that analysed it); `importers`:
        Analysis.importers."""
        if self.warning is not None:
            return
        body = {
            "format": FORMAT, "tool": tool_id(), "settings": self.settings, "path": path,
            "source": source, "layout": self.layout,
            # a file the analysis could not use (absent, unparseable) is keyed on what is there now
            "consulted": {other: digest if digest is not None else self.current_digest(other)
                          for other, digest in sorted(consulted.items())},
            "error": error, "findings": [encode_finding(f) for f in findings],
        }
        if importers is not None:
            body["importers"] = [importers[0], list(importers[1])]
        data = json.dumps(body, separators=(",", ":")).encode()
        self._write(self.entry_path(path), content_digest(data).encode() + b"\n" + data)

    def _write(self, entry: Path, data: bytes) -> None:
        try:
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, entry)
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError as exc:
            self.warning = f"cannot write the cache in {self.folder}: {exc.strerror or exc}; results are not cached"

    # -- size -----------------------------------------------------------------------------------------------
    def finish(self) -> None:
        marker = self.folder / ".pruned"
        try:
            if marker.exists() and time.time() - marker.stat().st_mtime < PRUNE_EVERY_S:
                return
            marker.touch()
        except OSError:
            return
        self.prune()

    def prune(self, max_age_days: float = MAX_AGE_DAYS, max_entries: int = MAX_ENTRIES) -> int:
        """Remove entries unused for `max_age_days`, the least recently used beyond `max_entries`, temporary files
        of writers that died, and other versions' folders unused for `max_age_days`. Returns how many went."""
        now = time.time()
        cutoff = now - max_age_days * 86400
        removed = 0
        try:
            with os.scandir(self.folder) as it:
                entries = [(e.stat().st_mtime, e.path, e.name) for e in it if e.is_file()]
            with os.scandir(self.root) as it:
                others = [e.path for e in it if e.is_dir() and e.path != str(self.folder)]
        except OSError:
            return 0
        for mtime, path, name in entries:
            if name.startswith(".tmp-") and mtime < now - 3600:  # its writer died
                removed += _remove(path)
        entries = sorted(((mtime, path) for mtime, path, name in entries
                          if name.endswith(".json") and not name.startswith(".tmp-")), reverse=True)
        for i, (mtime, path) in enumerate(entries):
            if mtime < cutoff or i >= max_entries:
                removed += _remove(path)
        for other in others:
            try:
                if os.stat(other).st_mtime < cutoff and (Path(other).name.split("-")[0][:1].isdigit()):
                    import shutil

                    shutil.rmtree(other, ignore_errors=True)
                    removed += 1
            except OSError:
                pass
        return removed


def _remove(path: str) -> int:
    try:
        os.unlink(path)
        return 1
    except OSError:
        return 0


def clean(folder: Path) -> str:
    """Remove a cache folder, only if gradguard made it (its CACHEDIR.TAG says so): `--cache-dir ~` must not
    delete a home folder."""
    import shutil

    tag = folder / "CACHEDIR.TAG"
    if not folder.exists():
        return f"no cache at {folder}"
    try:
        ours = tag.read_text(errors="replace") == CACHEDIR_TAG
    except OSError:
        ours = False
    if not ours:
        raise ValueError(f"{folder} is not a gradguard cache (no CACHEDIR.TAG of gradguard's); not removed")
    shutil.rmtree(folder)
    return f"removed {folder}"


# -- findings as JSON -------------------------------------------------------------------------------------------
def encode_finding(f: Finding) -> dict:
    return {
        "code": f.code, "severity": f.severity.value, "message": f.message, "span": _span_list(f.span),
        "related": [[_span_list(r.span), r.message, r.path] for r in f.related],
        "fixes": [{"title": fx.title, "preferred": fx.preferred, "safe": fx.safe,
                   "edits": [[_span_list(e.span), e.new_text] + ([e.path] if e.path else []) for e in fx.edits]}
                  for fx in f.fixes],
        "explanation": list(f.explanation), "depends_on": f.depends_on,
    }


def _edit(e) -> TextEdit:
    """[span, text] or, for an edit of another file, [span, text, path]."""
    if not isinstance(e, list) or len(e) not in (2, 3):
        raise ValueError("edit")
    return TextEdit(_span(e[0]), _str(e[1]), _opt_str(e[2]) if len(e) == 3 else None)


def decode_finding(d: dict) -> Finding:
    """Raises TypeError/ValueError/KeyError on anything that is not what encode_finding wrote."""
    related = [Related(_span(s), _str(m), _opt_str(p)) for s, m, p in d["related"]]
    fixes = [Fix(_str(fx["title"]), tuple(_edit(e) for e in fx["edits"]),
                 preferred=_bool(fx["preferred"]), safe=_bool(fx["safe"])) for fx in d["fixes"]]
    explanation = d["explanation"]
    if not isinstance(explanation, list):
        raise TypeError("explanation")
    return Finding(code=_str(d["code"]), severity=Severity(d["severity"]), message=_str(d["message"]),
                   span=_span(d["span"]), related=related, fixes=fixes, explanation=[_str(e) for e in explanation],
                   depends_on=_opt_str(d["depends_on"]))


def _span_list(s: Span) -> list[int]:
    return [s.line, s.column, s.end_line, s.end_column]


def _span(v) -> Span:
    if not isinstance(v, list) or len(v) != 4 or not all(type(x) is int for x in v):
        raise TypeError("span")
    return Span(*v)


def _str(v) -> str:
    if not isinstance(v, str):
        raise TypeError("string")
    return v


def _opt_str(v) -> str | None:
    return None if v is None else _str(v)


def _bool(v) -> bool:
    if not isinstance(v, bool):
        raise TypeError("bool")
    return v
