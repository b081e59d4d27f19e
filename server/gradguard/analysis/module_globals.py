"""Module-level models, optimizers and tensors that a function of the file reads as globals.

    netG = Generator()                        # at the top of a script
    optimizerG = optim.Adam(netG.parameters())

    def train(x):                             # walked on its own: netG and optimizerG are what the module built
        delta = netG(x)
        ...

A function's own walk starts with its parameters only; a global it reads was unknown code (a call of it an unknown
call). Here the function's walk starts with the module-level values it reads evaluated as the module's code builds
them (their own globals first: the optimizer's model), when that is sound:
- the name is bound exactly once at module level (`name = value`, possibly under an `if`/`try`/`with`, never in a
  loop), and no function declares it `global` (which rebinds it): a name bound several times is the last binding
  on one path and another on the next, which one a call sees depends on when it runs;
- the function is one of the module (not a method, not nested: a closure's free names may be its enclosing
  function's) and the module-level code never calls it, directly or through the file's other functions: the
  module's walk then follows the call with the state that code really built (a model frozen, put in eval mode,
  loaded), which a fresh binding would not know;
- module-level code does nothing to it that a fresh binding would not know: no `requires_grad_`, `eval()`, other
  in-place method (`w.normal_()`), `.data`, attribute or item store, loop over it or its parameters, and no call of
  code outside torch with it as an argument (`set_requires_grad(netD, False)`); reading it, `load_state_dict`,
  `.to(device)`, `apply(init)` and handing it to torch (`optim.Adam(netG.parameters())`) are fine;
- only a module, an optimizer or a tensor is kept; anything else stays unknown, as before.
"""

from __future__ import annotations

import ast
import sys

from .values import Env, ModuleVal, Optimizer, Ref, Tri

LOOPS = (ast.For, ast.AsyncFor, ast.While)
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
# module-level method calls on a global that leave what autograd sees as a fresh binding has it
KEEPING_METHODS = frozenset({"apply", "load_state_dict", "cuda", "to", "cpu", "parameters", "named_parameters",
                             "state_dict", "modules", "children", "named_modules", "named_children", "zero_grad",
                             "train", "float", "double", "half", "size", "dim", "numel", "register_buffer",
                             "add_param_group"})
PASSIVE_CALLS = frozenset({"print", "len", "isinstance", "str", "repr", "type", "id", "hasattr", "getattr", "format"})
# values that are never a module, an optimizer or a tensor (loggers' names, config tables): not evaluated
NOT_TENSORS = (ast.Constant, ast.JoinedStr, ast.Dict, ast.Set, ast.Tuple, ast.List, ast.Lambda, ast.ListComp,
               ast.DictComp, ast.SetComp, ast.GeneratorExp, ast.Compare, ast.BoolOp)
STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) - {"__future__"}
MAX_DEPTH = 4  # globals an evaluated global reads, followed this deep (`opt = Adam(model.parameters())`)


class ModuleGlobals:
    """The per-file facts (built once per FileInfo): names bound once at module level and the functions that
    module-level code reaches by name."""

    def __init__(self, tree: ast.Module, functions: dict, imports, lines: list[str] | None = None):
        self.tree = tree
        self.functions = functions
        self.once: dict[str, ast.stmt] = {}  # name -> its single module-level `name = value`
        self.module_functions: set = set()  # ids of the functions defined at module level (under if/try too)
        self.statements = [stmt for stmt in tree.body if not isinstance(stmt, SCOPES)]  # module-level code
        self._free: dict = {}  # id(function) -> the names it reads that it does not bind
        self._reached: frozenset | None = None
        counts: dict[str, int] = {}
        candidates: dict[str, ast.stmt] = {}
        self.scan(tree.body, counts, candidates, in_loop=False)
        # a literal or a call of the standard library is never a module or a tensor: most files end here
        self.once = {n: s for n, s in candidates.items() if counts.get(n) == 1 and not never_tensor(s.value, imports)}
        if not self.once:
            return
        declared_global = set()
        if lines is None or any("global" in line for line in lines):  # a walk of the whole tree, when it may tell
            for node in ast.walk(tree):
                if isinstance(node, ast.Global):
                    declared_global.update(node.names)
        self.once = {n: s for n, s in self.once.items() if n not in declared_global}
        if self.once:
            changed = changed_at_module_level(tree.body, self.once, imports)
            self.once = {n: s for n, s in self.once.items() if n not in changed}

    def free_names(self, fn: ast.AST) -> set:
        found = self._free.get(id(fn))
        if found is None:
            found = self._free[id(fn)] = read_names(fn) - local_names(fn)
        return found

    @property
    def reached(self) -> frozenset:
        if self._reached is None:
            self._reached = reached_from_module(self.tree, self.functions)
        return self._reached

    def scan(self, body: list, counts: dict, candidates: dict, in_loop: bool) -> None:
        for stmt in body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                counts[stmt.name] = counts.get(stmt.name, 0) + 1
                if not isinstance(stmt, ast.ClassDef):
                    self.module_functions.add(id(stmt))
                continue
            for name in bound_names(stmt):
                counts[name] = counts.get(name, 0) + 1
            if not in_loop and isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and \
                    isinstance(stmt.targets[0], ast.Name):
                candidates[stmt.targets[0].id] = stmt
            elif not in_loop and isinstance(stmt, ast.AnnAssign) and stmt.value is not None and \
                    isinstance(stmt.target, ast.Name):
                candidates[stmt.target.id] = stmt
            loop = in_loop or isinstance(stmt, LOOPS)
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(stmt, field, None)
                if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                    self.scan(inner, counts, candidates, loop)
            for handler in getattr(stmt, "handlers", None) or []:
                if handler.name:
                    counts[handler.name] = counts.get(handler.name, 0) + 1
                self.scan(handler.body, counts, candidates, loop)
            for case in getattr(stmt, "cases", None) or []:
                self.scan(case.body, counts, candidates, loop)


def bound_names(stmt: ast.stmt) -> list[str]:
    """The names a module-level statement binds itself (not in its nested blocks, which scan visits): assignment
    and loop targets, `with ... as`, imports, `del`, and walrus targets in its expressions."""
    targets: list = []
    if isinstance(stmt, ast.Assign):
        targets = list(stmt.targets)
    elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
        targets = [stmt.target] if not isinstance(stmt, ast.AnnAssign) or stmt.value is not None else []
    elif isinstance(stmt, (ast.For, ast.AsyncFor)):
        targets = [stmt.target]
    elif isinstance(stmt, (ast.With, ast.AsyncWith)):
        targets = [item.optional_vars for item in stmt.items if item.optional_vars is not None]
    elif isinstance(stmt, ast.Delete):
        targets = list(stmt.targets)
    names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        names += [(a.asname or a.name).split(".")[0] for a in stmt.names]
    for field in ("value", "test", "iter", "items", "targets", "target"):
        part = getattr(stmt, field, None)
        for sub in part if isinstance(part, list) else [part]:
            if isinstance(sub, ast.AST):
                names += [n.target.id for n in ast.walk(sub) if isinstance(n, ast.NamedExpr)
                          and isinstance(n.target, ast.Name)]
    return names


def changed_at_module_level(body: list, names: dict, imports) -> set:
    """The names of `names` that module-level code (not a def or class body) may change after binding them (see
    the module's docstring)."""
    out: set = set()

    def visit(node: ast.AST, parent: ast.AST | None, grand: ast.AST | None) -> None:
        if isinstance(node, SCOPES):
            return
        if isinstance(node, ast.Name) and node.id in names and isinstance(node.ctx, ast.Load):
            if not kept_use(node, parent, grand, imports):
                out.add(node.id)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            out.update(n.id for n in ast.walk(node.iter) if isinstance(n, ast.Name) and n.id in names)
        for child in ast.iter_child_nodes(node):
            visit(child, node, parent)

    for stmt in body:
        visit(stmt, None, None)
    return out


def kept_use(name: ast.Name, parent, grand, imports) -> bool:
    """Does this module-level read of a global leave it as a fresh binding has it?"""
    if isinstance(parent, ast.Attribute) and parent.value is name:
        if not isinstance(parent.ctx, ast.Load):
            return False  # `netG.training = False`, `w.requires_grad = False`
        return isinstance(grand, ast.Call) and grand.func is parent and parent.attr in KEEPING_METHODS
    if isinstance(parent, ast.Subscript) and parent.value is name:
        return isinstance(parent.ctx, ast.Load)  # `w[0] = 1` changes it
    if isinstance(parent, ast.Call) and name in parent.args or isinstance(parent, ast.keyword):
        call = grand if isinstance(parent, ast.keyword) else parent
        func = getattr(call, "func", None)
        if isinstance(func, ast.Name) and func.id in PASSIVE_CALLS:
            return True
        qual = imports.qualname(func) if func is not None else None
        return qual is not None and (qual == "torch" or qual.startswith("torch."))
    if isinstance(parent, (ast.Starred, ast.Tuple, ast.List, ast.Set, ast.Dict, ast.Assign, ast.AnnAssign,
                           ast.NamedExpr, ast.withitem)):
        return False  # another name or a container holds it too: what is done through that is not followed here
    return True  # read: `x = netG`, `netG if a else b`, `print(f"{netG}")`...


def reached_from_module(tree: ast.Module, functions: dict) -> frozenset:
    """The file's top-level functions that module-level code calls by name, directly or through each other (a
    function passed as a value, `Thread(target=train)`, counts as called)."""
    calls: dict = {}
    for name, fn in functions.items():
        calls[name] = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id in functions and n.id != name}
    todo = set()
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        todo |= {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and n.id in functions}
    seen: set = set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo |= calls.get(name, set())
    return frozenset(id(functions[n]) for n in seen)


def local_names(fn: ast.AST) -> set:
    """Every name `fn` (or anything nested in it) binds or declares: parameters, assignment targets, imports,
    defs. Taken as local, which only ever leaves a global out."""
    out = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            out.add(node.id)
        elif isinstance(node, ast.arg):
            out.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            out.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node is not fn:
            out.add(node.name)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            out.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            out.update(node.names)
    return out


def read_names(node: ast.AST) -> set:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def never_tensor(value: ast.expr, imports) -> bool:
    """A value that is never a module, an optimizer or a tensor: a literal, a display, or a call of the standard
    library (`logger = logging.getLogger(__name__)`, most of the globals a library's functions read)."""
    if isinstance(value, NOT_TENSORS):
        return True
    qual = imports.qualname(value.func) if isinstance(value, ast.Call) else None
    return qual is not None and qual.split(".")[0] in STDLIB


def facts_of(info) -> ModuleGlobals:
    found = info.__dict__.get("_module_globals")
    if found is None:
        found = info._module_globals = ModuleGlobals(info.tree, info.functions, info.imports, info.lines)
    return found


def bind_globals(walker, fn: ast.AST, cls, state) -> None:
    """Start the walk of function `fn` with the module-level modules, optimizers and tensors it reads (see the
    module's docstring for when)."""
    ctx = walker.ctx
    info = ctx.info
    if cls is not None or getattr(fn, "_gg_file", None) is not None:
        return
    facts = facts_of(info)
    if id(fn) not in facts.module_functions:
        return
    # what a name the function reads is bound to at module level (a literal now, a model after the next edit) is
    # this walk's business: the editor's per-scope cache walks it again when module-level code changes
    ctx.touched.update(facts.statements)
    if not facts.once:
        return
    wanted = facts.free_names(fn) & facts.once.keys() - set(state.env)
    if not wanted:
        return
    ctx.touched.update(info.tree.body)  # which names are bound once, and who calls `fn`, is the module's business
    if id(fn) in facts.reached:
        return
    needed: set = set()

    def need(name: str, depth: int) -> None:
        if name in needed or depth > MAX_DEPTH:
            return
        needed.add(name)
        for dep in read_names(facts.once[name].value) & facts.once.keys():
            need(dep, depth + 1)

    for name in wanted:
        need(name, 0)
    order = sorted(needed, key=lambda n: (facts.once[n].lineno, facts.once[n].col_offset))
    module_walker = type(walker)(ctx)  # the module's own walker: module-level code runs in grad mode, no caller
    inner = state.copy(env=Env())  # names of its own: a parameter of `fn` may have a global's name
    inner.grad, inner.grad_assumed, inner.training = Tri.YES, False, False
    for name in order:
        module_walker.run_block([facts.once[name]], inner)
    walker.merge_side_effects(state, inner)
    for name in sorted(wanted):
        value = inner.env.get(name)
        if isinstance(value, (ModuleVal, Optimizer, Ref)):
            state.env[name] = value
