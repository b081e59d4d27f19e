"""Base classes defined in other workspace files: `class RNNDecoder(base.BaseModule)`, whose `__init__` builds the
dropout the decoder's forward applies, and whose methods (`self.embed(x)`) the subclass calls.

A file's class table (`FileInfo.classes`, by name) is extended, for method lookup only (context.method_order,
find_method, class_constant), with the classes of other files that its classes derive from, found the way a call
into another file is (project.resolve), and theirs in turn (a few files deep). Such a class is entered under a key
of its own, "Name@path", never an identifier, so that it never shadows a name of the file; its bases that are
classes of its own file, or of a file further on, are rewritten to their keys. Its methods are walked with its
file's names (ModuleContext.context_of) and on the budget for other files' code (calls.py, modules.py).

The table is built once per analysis (the project's Session) and file: the other files it read are those of that
analysis."""

from __future__ import annotations

import ast
import copy

from .names import nn_class

MAX_BASE_FILES = 3  # files of base classes followed from a class: its base's file, that base's base's file, ...
MAX_FOREIGN_CLASSES = 12  # classes of other files taken into one file's table
# A base class of another file longer than this is a framework's (transformers' PreTrainedModel, 4,000 lines;
# LightningModule; diffusers' ModelMixin), not one of the project's own with its shared layers: left unknown, as
# before, rather than walked into at every model's construction (its __init__ and bookkeeping cost the CLI 5 %).
MAX_BASE_CLASS_LINES = 400
# bases that are never a class of the workspace: what the walk knows already, or what sets nothing
KNOWN_BASES = frozenset({"object", "abc.ABC", "typing.Generic", "typing.Protocol", "typing.NamedTuple",
                         "enum.Enum", "Exception"})


def foreign_key(name: str, path: str) -> str:
    return f"{name}@{path}"


def maybe_elsewhere(base: str | None, node: ast.expr, classes: dict) -> bool:
    """Could the base class `node` (its qualified name `base`) be a class of another workspace file? Not one of the
    file, nor torch's, nor a builtin; a plain or dotted name (not `Generic[T]`)."""
    if not isinstance(node, (ast.Name, ast.Attribute)):
        return False
    if base is None:
        return True  # `base.BaseModule` through `from . import base`: a relative import
    return base not in classes and base not in KNOWN_BASES and base.split(".", 1)[0] != "torch" and \
        nn_class(base) is None


def classes_and_bases(info, path: str | None, project, file_info_of) -> dict:
    """`info.classes`, plus the classes of other workspace files its classes derive from (module docstring). The
    file's own classes when there is no project, or none of its classes has a base in another file.
    `file_info_of(parsed)`: another file's FileInfo (context.file_info_of)."""
    if project is None:
        return info.classes
    tables = project.session().class_tables
    known = tables.get(id(info))
    if known is not None and known[0] is info:
        return known[1]
    if path is None or path.startswith("<"):
        return info.classes  # a summary's or a class's own walk: the file's table, once its analysis built it
    table = build_table(info, path, project, file_info_of)
    tables[id(info)] = (info, table)
    return table


def build_table(info, path: str, project, file_info_of) -> dict:
    if not any(maybe_elsewhere(base, node, info.classes)
               for cls in info.classes.values() for base, node in zip(cls.bases, cls.node.bases)):
        return info.classes
    table = dict(info.classes)
    todo = [(name, info, path, 0, name) for name in info.classes]
    while todo:
        key, file_info, file_path, depth, name = todo.pop(0)
        cls = file_info.classes.get(name)
        if cls is None:
            continue
        bases = []
        for base, node in zip(cls.bases, cls.node.bases):
            if depth and base in file_info.classes:  # a base of its own file, which is another file here
                bases.append(foreign_key(base, file_path))
                if bases[-1] not in table:
                    table[bases[-1]] = None
                    tag_class(project.snapshot(file_path), file_info.classes[base].node)
                    todo.append((bases[-1], file_info, file_path, depth, base))
                continue
            found = None
            if depth < MAX_BASE_FILES and maybe_elsewhere(base, node, file_info.classes) and \
                    sum(1 for k in table if "@" in k) < MAX_FOREIGN_CLASSES:
                found = project.resolve(file_path, file_info.tree, node, base, plain_only=True)
            if found is None or not isinstance(found[1], ast.ClassDef) or \
                    found[1].end_lineno - found[1].lineno > MAX_BASE_CLASS_LINES:
                bases.append(base)
                continue
            parsed, definition = found
            other = file_info_of(parsed, tagged=False)  # a file of 5,000 lines for one base class: tagged when walked
            bases.append(foreign_key(definition.name, parsed.path))
            if bases[-1] not in table:
                table[bases[-1]] = None
                if other.classes.get(definition.name) is None or other.classes[definition.name].node is not definition:
                    bases[-1] = base  # a class nested or defined twice: not the one the name reads
                    continue
                tag_class(parsed, definition)
                todo.append((bases[-1], other, parsed.path, depth + 1, definition.name))
        if depth == 0 and bases == cls.bases:
            continue  # a class of the file, its bases unchanged: its own entry
        entry = copy.copy(cls)
        entry.bases = bases
        table[key] = entry
    return {key: cls for key, cls in table.items() if cls is not None}


def tag_class(parsed, definition: ast.ClassDef) -> None:
    """Tag the nodes of a class of another file with its file (as ParsedFile.tag does the whole file's): its methods
    then walk with that file's names (ModuleContext.context_of), and its lines are reported as that file's."""
    if parsed is None or parsed.tagged or hasattr(definition, "_gg_file"):
        return
    parsed.tag_under(definition)
