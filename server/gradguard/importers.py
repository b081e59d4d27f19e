"""Which workspace files import a module: the lines holding `import` of every Python file of a project.

callers.py looks for the callers of a function among the files whose import lines name its module, or a package
whose `__init__.py` re-exports it; cache.py keys a result that callers decided on the same files, so that a file
edited to call the function (it must import its module first) re-analyses. Both read the workspace through this
module: they agree on the files and on what "names the module" means.
"""

from __future__ import annotations

import os

SKIP_PARTS = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv", "venv", ".tox", ".nox",
              "site-packages", "dist-packages", ".eggs", "build", "dist", ".mypy_cache", ".pytest_cache"}
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_PACKAGE_LEVELS = 3  # packages above a module whose `__init__.py` may re-export its functions
# Files and folders a workspace walk looks at, at most (as cache.MAX_LAYOUT_ENTRIES): past it the root is a home
# folder, a filesystem root or a data set, and reading the import lines of every file there would take minutes.
MAX_WORKSPACE_ENTRIES = 50_000


def python_files(root: str, limit: int | None = None) -> list[str] | None:
    """The project's Python files (the folders Project.contains skips left out), in walk order; None when the walk
    meets more than `limit` (MAX_WORKSPACE_ENTRIES) files and folders: then nobody reads them all."""
    limit = MAX_WORKSPACE_ENTRIES if limit is None else limit
    out = []
    seen = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIP_PARTS and not d.startswith(".")]
        seen += len(dirs) + len(files)
        if seen > limit:
            return None
        out += [os.path.join(folder, name) for name in files if name.endswith(".py")]
    return out


def read_imports(path: str) -> bytes:
    """The file's import lines; nothing for a file that cannot be read or is larger than the project reads."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return b""
    return import_lines(data) if len(data) <= MAX_FILE_BYTES else b""


def import_lines(data: bytes) -> bytes:
    """The lines of `data` that hold the word `import` (every import statement's first line, and a few others).
    Found with bytes.find: a regex over every byte of a large workspace costs 7x more."""
    out = []
    at = data.find(b"import")
    while at != -1:
        end = data.find(b"\n", at)
        end = len(data) if end == -1 else end
        out.append(data[data.rfind(b"\n", 0, at) + 1:end])
        at = data.find(b"import", end)
    return b"\n".join(out)


def module_name(path: str) -> str:
    """The last part of the module's dotted name: the file's stem, or its package's folder for `__init__.py`."""
    base = os.path.basename(path)
    return os.path.basename(os.path.dirname(path)) if base == "__init__.py" else base[:-3]


def names_module(lines: bytes, names) -> bool:
    """Do these import lines name one of `names` (module or package names, as bytes)? A word anywhere in the
    lines: `from pkg.sub import f`, `import pkg.sub as s`, `from .sub import f` all hold `sub`."""
    return any(name in lines for name in names)


def files_naming(index: dict, name: bytes) -> frozenset:
    """The paths of `index` (path -> import lines) whose lines name `name`: names_module for one name, without a
    call and a generator per file (callers.py asks it of every workspace file for each new module name)."""
    return frozenset([path for path, lines in index.items() if lines and name in lines])


def reexporting_packages(path: str, name: str, lines_of) -> list[str]:
    """The names of the packages above `path` whose `__init__.py` re-exports `name` from it (`from .impl import f`,
    `from .impl import *`, then the same one level up): a caller may import it as `from pkg import f`.
    `lines_of(init_path)`: an `__init__.py`'s import lines (b"" when there is none)."""
    out = []
    child, folder = module_name(path), os.path.dirname(path)
    if os.path.basename(path) == "__init__.py":
        folder = os.path.dirname(folder)
    word = name.encode()
    for _ in range(MAX_PACKAGE_LEVELS):
        init = os.path.join(folder, "__init__.py")
        lines = lines_of(init)
        if not lines or not any(child.encode() in line and (word in line or b"*" in line or b"(" in line)
                                for line in lines.split(b"\n")):
            break
        child, folder = os.path.basename(folder), os.path.dirname(folder)
        out.append(child)
    return out


def read_text(path: str) -> bytes | None:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


class ReadTexts:
    """The other files one analysis read whole (project.Session.texts), up to MAX_READ_TEXT_BYTES: callers.py looks
    for each name of the analysed file in the text of every file importing its module, the same files for every
    name (core.txt: 15 k reads of 2 k files)."""

    def __init__(self) -> None:
        self.texts: dict[str, bytes | None] = {}
        self.size = 0

    def read(self, path: str) -> bytes | None:
        text = self.texts.get(path, NOT_READ)
        if text is NOT_READ:
            text = read_text(path)
            if self.size + len(text or b"") <= MAX_READ_TEXT_BYTES:
                self.texts[path] = text
                self.size += len(text or b"")
        return text


NOT_READ = object()
MAX_READ_TEXT_BYTES = 16 * 1024 * 1024
