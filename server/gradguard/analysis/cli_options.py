"""The command line's defaults: `args = parser.parse_args()` after `parser.add_argument('--freeze_embed',
action='store_true')` holds `args.freeze_embed` False unless the user passes the flag. Such an option is a setting
the run chooses, like a constructor's default (defaults.py): the walk still takes both sides of `if
args.freeze_embed:`, and what the defaults select (values.DefaultBool) can be reported as a warning that names
them. Only bool options are read (`store_true`, `store_false`, a bool `default=`); an option the file may set
otherwise (`args.freeze_embed = ...`, `setattr(args, ...)`, `vars(args).update(...)`) stays unknown."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from .values import UNKNOWN, DefaultBool, Seq, Unknown

BOOL_ACTIONS = {"store_true": False, "store_false": True}


@dataclass(unsafe_hash=True)
class Options(Unknown):
    """What `parser.parse_args()` returns: its bool options at their declared defaults ((dest, DefaultBool), ...);
    any other attribute unknown."""

    options: tuple = ()

    def option(self, attr: str):
        for dest, value in self.options:
            if dest == attr:
                return value
        return None


@dataclass(unsafe_hash=True)
class ArgParser(Unknown):
    """`argparse.ArgumentParser(...)`, with the file that made it (its options are declared there, whichever file
    calls `parse_args()` on it: `args = get_parser().parse_args()`)."""

    tree: object = field(default=None, compare=False, hash=False)


def parse_call(receiver, attr: str, call: ast.Call, here: ast.AST):
    """What `parser.parse_args()` (Options) or `parser.parse_known_args()` ((Options, the rest)) returns, the
    options read from the file that made the parser, else from `here` (the calling file); None for another call."""
    if attr not in ("parse_args", "parse_known_args"):
        return None
    options = parsed_options(call, receiver.tree if receiver.__class__ is ArgParser and receiver.tree else here)
    if options is None or attr == "parse_args":
        return options
    return Seq((options, UNKNOWN), False)


def parsed_options(call: ast.Call, tree: ast.AST) -> Options | None:
    """`parser.parse_args()` (no arguments, `[]`, `None` or `sys.argv[1:]`: what the user types, or nothing) in a
    file (`tree`) that declares its options: the bool ones at their defaults. None for another call."""
    passed = list(call.args) + [k.value for k in call.keywords if k.arg == "args"]
    if len(passed) > 1 or any(k.arg not in ("args",) for k in call.keywords) or \
            passed and not command_line(passed[0]):
        return None
    declared = declared_defaults(tree)
    if not declared:
        return None
    return Options(options=tuple(sorted(
        (dest, DefaultBool(default=value, source=f"`args.{dest}={value}`")) for dest, value in declared.items())))


def command_line(node: ast.AST) -> bool:
    if node.__class__ is ast.Constant and node.value is None:
        return True
    if node.__class__ is ast.List and not node.elts:
        return True
    return node.__class__ is ast.Subscript and ast.unparse(node) == "sys.argv[1:]"


def declared_defaults(tree: ast.AST) -> dict:
    """dest -> the bool default of each bool option the file's `add_argument` calls declare (`set_defaults`
    overrides them), leaving out options declared twice with other defaults and options the file may set by other
    means (set_elsewhere). Kept on the tree."""
    cached = tree.__dict__.get("_gg_cli_defaults")
    if cached is not None:
        return cached
    found: dict = {}
    overridden: dict = {}
    for node in ast.walk(tree):
        if node.__class__ is ast.Call and node.func.__class__ is ast.Attribute:
            if node.func.attr == "add_argument":
                option = bool_option(node)
                if option is not None:
                    dest, value = option
                    found[dest] = value if found.get(dest, value) == value else None
            elif node.func.attr == "set_defaults":
                for k in node.keywords:
                    overridden[k.arg] = k.value.value if k.value.__class__ is ast.Constant and \
                        isinstance(k.value.value, bool) else None
    out = {}
    if None not in overridden:  # `set_defaults(**cfg)`: any of them
        for dest, value in found.items():
            value = overridden.get(dest, value)
            if isinstance(value, bool) and not set_elsewhere(tree, dest):
                out[dest] = value
    tree._gg_cli_defaults = out
    return out


def set_elsewhere(tree: ast.AST, attr: str) -> bool:
    """May the file set the option `attr` other than on the command line: an assignment to some `x.<attr>`, or a
    namespace filled wholesale (`setattr(...)`, `vars(args).update(...)`, `args.__dict__.update(...)`)?"""
    cached = tree.__dict__.get("_gg_cli_rewrites")
    if cached is None:
        cached = set()
        for node in ast.walk(tree):
            if node.__class__ is ast.Attribute and node.ctx.__class__ is not ast.Load:
                cached.add(node.attr)
            elif node.__class__ is ast.Call and (
                    node.func.__class__ is ast.Name and node.func.id == "setattr" or
                    node.func.__class__ is ast.Attribute and node.func.attr == "update" and (
                        node.func.value.__class__ is ast.Call and node.func.value.func.__class__ is ast.Name and
                        node.func.value.func.id == "vars" or
                        node.func.value.__class__ is ast.Attribute and node.func.value.attr == "__dict__")):
                cached.add(None)
        tree._gg_cli_rewrites = cached
    return attr in cached or None in cached


def bool_option(call: ast.Call):
    """(dest, default) of `add_argument('--freeze-embed', action='store_true')`, `action='store_false'`, or a bool
    `default=` with no action that stores something else; None for another option."""
    keywords = {k.arg: k.value for k in call.keywords}
    if None in keywords:
        return None
    action = keywords.get("action")
    default = keywords.get("default")
    if action is not None:
        if action.__class__ is not ast.Constant or action.value not in BOOL_ACTIONS:
            return None
        value = BOOL_ACTIONS[action.value]
        if default is not None:
            if default.__class__ is not ast.Constant or not isinstance(default.value, bool):
                return None
            value = default.value
    elif default.__class__ is ast.Constant and isinstance(default.value, bool) and "type" not in keywords and \
            "nargs" not in keywords and "choices" not in keywords:
        value = default.value
    else:
        return None
    dest = keywords.get("dest")
    if dest is not None:
        return (dest.value, value) if dest.__class__ is ast.Constant and isinstance(dest.value, str) else None
    flags = [a.value for a in call.args if a.__class__ is ast.Constant and isinstance(a.value, str)]
    named = [f for f in flags if f.startswith("--")] or [f for f in flags if f.startswith("-")]
    if not named:
        return None
    return named[0].lstrip("-").replace("-", "_"), value
