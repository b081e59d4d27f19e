"""GG502 for a list of log-probabilities kept on a policy between episodes and never emptied (REINFORCE,
actor-critic in the style of pytorch/examples).

`policy.saved_log_probs.append(m.log_prob(action))` in one function, `torch.cat(...)` of the list and backward() in
another: backward() frees the graph of every item. If the file never empties the list, the next episode's loss
goes through this episode's items again, and its backward() raises 'Trying to backward through the graph a second
time'. The update function is walked on its own (its `policy` is an argument), so what the list holds is not
followed: it stands for an item computed with this episode's graph (`read`), which `report` finds at the backward().
"""

from __future__ import annotations

import ast

from ..findings import Severity
from .module_state import no_grad_item
from .training import calls_backward, no_grad_decorated
from .values import ModuleVal, Ref, Save, Seq, Tri, Unknown, fresh_id, from_caller

KEPT = "kept-list"  # Save.role of the stand-in for an item kept from an earlier episode
GRAPH_CALLS = frozenset({"log_prob"})  # what a policy's list keeps: a distribution's log-probability of its action
NOT_GRAPH = frozenset({"detach", "item", "data", "cpu", "numpy", "tolist"})
EMPTYING = frozenset({"clear", "pop", "popleft", "remove"})


def kept_lists(info) -> dict:
    """Attribute name -> the `.append(...)` call that fills it with a log-probability carrying its graph, for the
    list attributes the file never empties, re-binds (outside `__init__`) or deletes. Once per tree."""
    found = info.__dict__.get("_gg_kept_lists")
    if found is None and info.lines is not None and not any("log_prob" in line for line in info.lines):
        found = info._gg_kept_lists = {}  # no `.log_prob(...)` in the text: no walk of the tree
    if found is None:
        appended = {}
        for fn in info.every_function:
            if not no_grad_decorated(fn):
                appended.update((attr, call) for attr, call in graph_appends(fn) if attr not in appended)
        emptied = emptied_attributes(info.tree)
        found = info._gg_kept_lists = {attr: call for attr, call in appended.items() if attr not in emptied}
    return found


def graph_appends(fn):
    """(attribute, call) for `x.attr.append(value)` in `fn` (not in a nested def, nor under `torch.no_grad()`) whose
    value is, or is a name bound in `fn` to, an expression with a `.log_prob(...)` call and no `.detach()`."""
    bound: dict = {}
    calls = []
    todo = list(fn.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, (ast.With, ast.AsyncWith)) and any(no_grad_item(i.context_expr) for i in node.items):
            continue
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            bound.setdefault(node.targets[0].id, []).append(node.value)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append" \
                and isinstance(node.func.value, ast.Attribute) and len(node.args) == 1:
            calls.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return [(c.func.value.attr, c) for c in calls if carries_graph(c.args[0], bound)]


def carries_graph(expr: ast.AST, bound: dict, depth: int = 0) -> bool:
    nodes = list(ast.walk(expr))
    if any(isinstance(n, ast.Attribute) and n.attr in NOT_GRAPH for n in nodes):
        return False
    if any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in GRAPH_CALLS
           for n in nodes):
        return True
    names = {n.id for n in nodes if isinstance(n, ast.Name) and n.id in bound}
    return depth < 3 and any(all(carries_graph(v, bound, depth + 1) for v in bound[name]) for name in names)


def emptied_attributes(tree: ast.Module) -> set:
    """Attributes the file empties or replaces: `del x.attr[:]`, `x.attr.clear()`, `x.attr = []` outside a
    constructor, `setattr(x, "attr", ...)`."""
    out = set()
    todo = [(tree, None)]
    while todo:
        node, function = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            function = node.name
        targets = []
        if isinstance(node, ast.Delete):
            targets = node.targets
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and function != "__init__":
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in EMPTYING \
                and isinstance(node.func.value, ast.Attribute):
            out.add(node.func.value.attr)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr" and \
                len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
            out.add(node.args[1].value)
        out.update(n.attr for t in targets for n in ast.walk(t) if isinstance(n, ast.Attribute))
        todo.extend((child, function) for child in ast.iter_child_nodes(node))
    return out


def read(walker, base, node: ast.Attribute, state):
    """`policy.saved_log_probs` read by a function that calls backward() itself, walked on its own, where `policy` is
    its argument (or `self`, whose list the constructor left empty): a list whose items carry the graph of an earlier
    episode. None when the walk follows what the list holds, or it is not such a list."""
    if walker.frames or not walker.in_function or not walker.func_stack or not calls_backward(walker.func_stack[0]):
        return None
    appended = kept_lists(walker.ctx.info).get(node.attr)
    if appended is None:
        return None
    if isinstance(base, Ref):
        if not from_caller(base, state):
            return None
    elif isinstance(base, ModuleVal):
        held = walker.ctx.instance_attrs.get(base.id, {}).get(node.attr)
        if not (isinstance(held, Seq) and not held.items):
            return None
    elif not isinstance(base, Unknown):
        return None
    seq = walker.ctx.next_seq()
    kept = Save(fresh_id(), seq, None, None, appended, ast.unparse(node), KEPT, None, certain=True, assumed=True)
    item = walker.new_tensor(state, node, Tri.ASSUMED, history=frozenset([kept]), describe=f"an item of "
                             f"`{ast.unparse(node)}`", opaque=True)
    walker.ctx.touched.update(walker.ctx.tree.body)  # any statement of the file may empty the list
    return Seq((item, "*"), True)


def report(sink, history, node, state) -> None:
    """The backward() of a loss made from such a list: a warning that names the list and where it is filled."""
    kept = sorted((s for s in history if s.role == KEPT), key=lambda s: s.seq)
    if not kept or not isinstance(node, ast.Call) or any(k.arg in ("retain_graph", "create_graph")
                                                          for k in node.keywords):
        return
    save = kept[0]
    name = save.op
    sink.add("GG502", node, Severity.WARNING,
             f"The loss goes through the items of `{name}`, which this file appends to and never empties: this "
             "backward() frees their graph, and when the training loop calls this again for the next episode, the "
             f"list still holds them, so its backward() raises 'Trying to backward through the graph a second "
             f"time' (unless code this file does not show empties `{name}`). Empty the list after the update: "
             f"`del {name}[:]`.",
             [sink.related(save.node, f"`{name}` is filled here")],
             [f"`{name}` outlives the update: the log-probabilities of every episode pile up in it."],
             fix={"kind": "empty-list", "node": node, "list": name})
