"""`parser.add_argument('--loss', default='wgan-gp', choices=['wgan-gp', 'r1'])`, then `if args.loss == 'wgan-gp':
... elif args.loss == 'r1': ...`: the chain covers every value argparse lets through, so its last test is true
whenever the walk reaches it, and a name every side sets is set (not the one of an earlier loop iteration)."""

from __future__ import annotations

import ast


def exhaustive_chain_ends(tree: ast.AST, lines: list[str] | None = None) -> frozenset:
    """Ids of the `if` nodes that end (with no `else`) a chain of tests of one argparse option against constants
    that together cover its `choices`. Kept on the tree: one walk of it per file whose text (`lines`, when known)
    says `choices` at all."""
    cached = tree.__dict__.get("_gg_exhaustive")
    if cached is None:
        cached = frozenset() if lines is not None and not any("choices" in line for line in lines) else find_ends(tree)
        tree._gg_exhaustive = cached
    return cached


def find_ends(tree: ast.AST) -> frozenset:
    choices, changed, ifs = {}, set(), []
    for node in ast.walk(tree):
        if node.__class__ is ast.Call and node.func.__class__ is ast.Attribute and node.func.attr == "add_argument":
            option = declared_choices(node)
            if option is not None:
                dest, values = option
                choices[dest] = values if choices.get(dest, values) == values else frozenset()
        elif node.__class__ is ast.Attribute and node.ctx.__class__ is not ast.Load:
            changed.add(node.attr)  # `args.loss = ...`: the option may hold anything afterwards
        elif node.__class__ is ast.If:
            ifs.append(node)
    if not choices:
        return frozenset()
    inner = {id(n.orelse[0]) for n in ifs if len(n.orelse) == 1 and n.orelse[0].__class__ is ast.If}
    ends = set()
    for head in ifs:
        if id(head) in inner:
            continue  # walked from the head of its chain
        option, covered, node = None, set(), head
        while True:
            tested = tested_values(node.test)
            if tested is None or option not in (None, tested[0]):
                break
            option = tested[0]
            covered |= tested[1]
            if not node.orelse:
                values = choices.get(option.attr)
                if values and option.attr not in changed and values <= covered:
                    ends.add(id(node))
                break
            if len(node.orelse) != 1 or node.orelse[0].__class__ is not ast.If:
                break
            node = node.orelse[0]
    return frozenset(ends)


def declared_choices(call: ast.Call):
    """(dest, choices) of an `add_argument` call with constant choices and a default among them (argparse checks a
    passed value against the choices, not the default), or None."""
    keywords = {k.arg: k.value for k in call.keywords}
    listed = keywords.get("choices")
    if listed.__class__ not in (ast.List, ast.Tuple, ast.Set) or \
            not all(e.__class__ is ast.Constant for e in listed.elts):
        return None
    values = frozenset(e.value for e in listed.elts)
    default = keywords.get("default")
    required = keywords.get("required")
    if not (default.__class__ is ast.Constant and default.value in values or
            required.__class__ is ast.Constant and required.value is True):
        return None
    dest = keywords.get("dest")
    if dest is not None:
        return (dest.value, values) if dest.__class__ is ast.Constant and isinstance(dest.value, str) else None
    flags = [a.value for a in call.args if a.__class__ is ast.Constant and isinstance(a.value, str)]
    named = [f for f in flags if f.startswith("--")] or [f for f in flags if f.startswith("-")]
    return (named[0].lstrip("-").replace("-", "_"), values) if named else None


def tested_values(test: ast.AST):
    """(the `args.loss` attribute, the constants) of `args.loss == 'r1'`, `'r1' == args.loss` or
    `args.loss in ('a', 'b')`; None for another test."""
    if test.__class__ is not ast.Compare or len(test.ops) != 1:
        return None
    left, op, right = test.left, test.ops[0], test.comparators[0]
    if op.__class__ is ast.Eq and right.__class__ is ast.Attribute and left.__class__ is ast.Constant:
        left, right = right, left
    if left.__class__ is not ast.Attribute or left.value.__class__ is not ast.Name:
        return None
    if op.__class__ is ast.Eq and right.__class__ is ast.Constant:
        values = {right.value}
    elif op.__class__ is ast.In and right.__class__ in (ast.List, ast.Tuple, ast.Set) and \
            all(e.__class__ is ast.Constant for e in right.elts):
        values = {e.value for e in right.elts}
    else:
        return None
    return TestedOption(left.value.id, left.attr), values


class TestedOption(tuple):
    """(name, attr) of `args.loss`, compared as a pair."""

    def __new__(cls, name: str, attr: str):
        return tuple.__new__(cls, (name, attr))

    @property
    def attr(self) -> str:
        return self[1]
