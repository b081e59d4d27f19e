"""What one walk knows of the files it reads: their imports, functions and classes, its budget, the module
instances it made."""

from __future__ import annotations

import ast
import copy
import time

from ..project import ACTIVE as ACTIVE_PROJECT
from ..pyparse import statements
from ..superseded import (CANCELLED, DEADLINE, AnalysisTimeout, Superseded,  # noqa: F401 - the walk's, re-exported
                          stop_if_superseded)
from . import names
from .base_classes import classes_and_bases
from .deadline import Deadline
from .keras_layers import keras3_file
from .values import ModuleVal


MAX_CALL_DEPTH = 3
MAX_INLINED_STATEMENTS = 4000  # per analysed scope
MAX_LOOP_PASSES = 2
MAX_REF_TARGETS = 4  # a name that may hold more tensors than this is summarised as one
MAX_FOREIGN_DEFINITION = 100  # lines: a function (or a class's __init__) of another file longer than this is unknown
MAX_FOREIGN_LINES = 150  # lines of other files followed per scope
# A helper of this file longer than this is called as unknown code (a 300-line position-id builder): what changes
# an argument or saves a tensor is a few lines long, and walking it again at every call and keystroke is not free.
# A module's forward and a constructor are walked at any size (they are what the caller's tensors go through), and
# so is a function the module's own code calls (a script's `main()`).
MAX_HELPER_DEFINITION = 150
WALKED_AT_ANY_SIZE = {"forward", "__init__", "__call__"}


def code_lines(target: ast.AST) -> int:
    """A definition's length in lines of statements, its signature and docstring left out (kornia's filter2d: 98
    lines, 34 of them statements)."""
    body = getattr(target, "body", None)
    if not isinstance(body, list) or not body:
        return getattr(target, "end_lineno", 0) - getattr(target, "lineno", 0)
    first = body[1] if len(body) > 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
        and isinstance(body[0].value.value, str) else body[0]
    return getattr(target, "end_lineno", 0) - first.lineno + 1



def same_iteration(made: int, here: int) -> bool:
    """Was something made at loop pass `made` in the iteration the walk is in at pass `here` (in it, or in a loop
    nested in it)? A nested loop's pass is `outer * MAX_LOOP_PASSES + n + 1` (statements.loop)."""
    while made > here:
        made = (made - 1) // MAX_LOOP_PASSES
    return made == here


def in_later_pass(loop_pass: int) -> bool:
    """Is the walk in a loop's second (or later) pass, that loop's or an enclosing one's?"""
    while loop_pass:
        if (loop_pass - 1) % MAX_LOOP_PASSES:
            return True
        loop_pass = (loop_pass - 1) // MAX_LOOP_PASSES
    return False


class Budget:
    def __init__(self, deadline: Deadline | None):
        self.deadline = deadline
        self.inlined = 0
        self.foreign = 0  # lines of other files' definitions followed
        self.followed: set = set()  # those definitions (each is counted once)
        self.cancelled = CANCELLED.get()
        self.steps = 0

    def follows_foreign(self, target: ast.AST) -> bool:
        """May the walk go into `target`, a definition of another file? Every function walked in another file
        counts, not only the one called from here: a small subclass's __init__ calling super().__init__() of a
        400-line base class is not small. Each counts once: a block's forward walked again for its next call reads
        no new lines."""
        if target in self.followed:
            return True
        size = code_lines(target)
        if size > MAX_FOREIGN_DEFINITION or self.foreign + size > MAX_FOREIGN_LINES:
            return False
        self.foreign += size
        self.followed.add(target)
        return True

    def check(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline.at and self.deadline.reached():
            raise AnalysisTimeout()  # deadline.py: the limit counts the CPU time the analysing thread spent
        if self.cancelled is not None:
            self.steps += 1
            if self.steps % 32 == 0 and self.cancelled():
                raise Superseded()


class ClassInfo:
    def __init__(self, node: ast.ClassDef, imports: names.ImportMap):
        self.node = node
        self.name = node.name
        self.methods = {n.name: n for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        self.bases = [imports.qualname(b) or (b.id if isinstance(b, ast.Name) else None) for b in node.bases]
        self.constants: dict[str, ast.Constant | None] = {}  # `inplace = True` in the class body: its value node
        for stmt in node.body:
            target = stmt.targets[0] if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 else \
                stmt.target if isinstance(stmt, ast.AnnAssign) and stmt.value is not None else None
            if isinstance(target, ast.Name):
                self.constants[target.id] = stmt.value if isinstance(stmt.value, ast.Constant) else None


def method_order(classes: dict, cls: str) -> list[str]:
    """`cls` and its base classes defined in the same file, in the order Python looks methods up (depth first, left
    to right, each once: the C3 order of the usual single-inheritance and mixin hierarchies)."""
    out: list[str] = []
    todo = [cls]
    while todo:
        name = todo.pop(0)
        if name in out or name not in classes:
            continue
        out.append(name)
        todo[:0] = [b for b in classes[name].bases if b]
    return out


# bases that set no attributes a subclass's methods use as networks or optimizers
ATTRIBUTELESS_BASES = frozenset({"object", "abc.ABC", "typing.Generic", "typing.Protocol"})


def unseen_base(classes: dict, cls: str) -> bool:
    """Does `cls` derive, through the file's classes, from a class the walk does not follow (another file's, or a
    package's other than torch's), whose `__init__` may set the networks and optimizers its methods use?"""
    for name in method_order(classes, cls):
        for base in classes[name].bases:
            if base and base not in classes and base not in ATTRIBUTELESS_BASES and \
                    base.split(".", 1)[0] != "torch":
                return True
    return False


def class_constant(classes: dict, cls: str, attr: str) -> ast.Constant | None:
    """`inplace = True` / `inplace: bool = True` in the body of `cls` or of a base class of the file: what
    `self.inplace` reads when no method set it (a class attribute, or a dataclass field's default)."""
    for name in method_order(classes, cls):
        constants = classes[name].constants
        if attr in constants:
            return constants[attr]
    return None


def decorator_name(deco: ast.AST) -> str | None:
    """`dataclass` for `@dataclass`, `@dataclasses.dataclass` and `@dataclass(frozen=True)`."""
    func = deco.func if isinstance(deco, ast.Call) else deco
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def dataclass_fields(info: ClassInfo) -> list[str] | None:
    """The fields of a `@dataclass` class or a `typing.NamedTuple`, in order (its own, annotated in its body); None
    for another class."""
    if not any(decorator_name(d) == "dataclass" for d in info.node.decorator_list) and \
            "typing.NamedTuple" not in info.bases:
        return None
    return [s.target.id for s in info.node.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)]


def namedtuple_classes(tree: ast.Module, imports: names.ImportMap) -> list[ast.ClassDef]:
    """`Losses = namedtuple("Losses", "policy_loss qf_loss")` at the top of the file, as the `@dataclass` class it
    stands for (made at the assignment): `Losses(policy_loss=a, qf_loss=b).qf_loss` is `b`, not every field's graph."""
    found = []
    for stmt in tree.body:
        call = stmt.value if stmt.__class__ is ast.Assign and len(stmt.targets) == 1 and \
            stmt.targets[0].__class__ is ast.Name else None
        if call.__class__ is not ast.Call or len(call.args) < 2 or \
                imports.qualname(call.func) != "collections.namedtuple":
            continue
        spec = call.args[1]
        if spec.__class__ is ast.Constant and isinstance(spec.value, str):
            fields = spec.value.replace(",", " ").split()
        elif spec.__class__ in (ast.List, ast.Tuple) and all(
                e.__class__ is ast.Constant and isinstance(e.value, str) for e in spec.elts):
            fields = [e.value for e in spec.elts]
        else:
            continue
        body = [ast.AnnAssign(ast.Name(f, ast.Store()), ast.Name("object", ast.Load()), None, 1) for f in fields]
        node = ast.ClassDef(stmt.targets[0].id, [], [], body or [ast.Pass()], [ast.Name("dataclass", ast.Load())])
        node.type_params = []
        found.append(ast.fix_missing_locations(ast.copy_location(node, stmt)))
    return found


def record_fields(ctx: "ModuleContext", value) -> list:
    """What an instance returned as a record holds, for the caller to read its tensors from: the fields of a
    `@dataclass` (`return ModuleOutput(output, hiddens)`) or the attributes of a plain object (`Output(x, h)`), of a
    class without base classes; nothing for another value (a module is not its caller's result, and a base class
    may make a record something else: transformers' `ModelOutput` drops its None fields and is a dict)."""
    if not isinstance(value, ModuleVal) or not value.cls:
        return []
    owner = ctx.root.class_owner.get(value.id, ctx.root)
    info = owner.class_table.get(value.cls) if owner is not None else None
    if info is None or any(b != "object" for b in info.bases):
        return []
    return list(ctx.instance_attrs.get(value.id, {}).values())


OUTER_CLASS = "<outer {}>"


def lookup_order(classes: dict, cls: str) -> list[str]:
    """method_order with the bases the file does not define kept in their place: depth first, left to right, each
    class at its last occurrence (a base shared by two bases comes after both, as in Python's C3 order). A base that
    names a class on its own inheritance path (diffusers' deprecation shim `class UpBlockMotion(UpBlockMotion)`)
    is the class of that name bound before this one, which the walk does not read: it stands as an unknown base."""
    seen: list[str] = []
    todo: list[tuple[str, frozenset]] = [(cls, frozenset())]
    while todo:
        name, path = todo.pop(0)
        if name in path:
            seen.append(OUTER_CLASS.format(name))
            continue
        seen.append(name)
        if name in classes:
            todo[:0] = [(b, path | {name}) for b in classes[name].bases if b]
    return [name for i, name in enumerate(seen) if name not in seen[i + 1:]]


def may_define_methods(base: str) -> bool:
    """Can a base class the walk does not read define the method looked up? Not `object` and the like, nor torch.nn's
    modules (a module's methods are its own: `class Net(nn.Module, Mixin)` calls the mixin's); any other can
    (`class Normal(torch.distributions.Normal, Mixin)`: its `log_prob` is torch's, not the mixin's base's)."""
    return base not in ATTRIBUTELESS_BASES and not base.startswith("torch.nn.")


def find_method(classes: dict, cls: str, attr: str, after: str | None = None):
    """(owner class, def node) of `cls.attr` found through the file's classes, or None; `after`: start past that
    class, as `super()` does inside a method of it. None too when a base the file does not define comes first in
    the lookup: it may define `attr`."""
    order = lookup_order(classes, cls)
    if after is not None:
        order = order[order.index(after) + 1:] if after in order else []
    for name in order:
        info = classes.get(name)
        if info is None:
            if may_define_methods(name):
                return None
            continue
        node = info.methods.get(attr)
        if node is not None:
            return name, node
    return None


def find_initializer(classes: dict, cls: str):
    """find_method for `__init__`, stopping at a `@dataclass` without one of its own: its generated `__init__` sets
    the fields, not a base class's (`@dataclass class BaseModelOutput(ModelOutput)`). None then."""
    for name in method_order(classes, cls):
        node = classes[name].methods.get("__init__")
        if node is not None:
            return name, node
        if dataclass_fields(classes[name]) is not None:
            return None
    return None


class FileInfo:
    """What one parse of a file tells every scope: imports, top-level functions, classes. Built once per tree."""

    def __init__(self, tree: ast.Module, lines: list[str] | None = None):
        self.tree = tree
        self.lines = lines  # the source lines, when known: a rule may look for a word before walking the tree
        self.canonical: dict = {}  # class name -> `self` built once (scopes.canonical_instance)
        self.imports = names.ImportMap()
        self.functions: dict[str, ast.AST] = {}
        self.classes: dict[str, ClassInfo] = {}
        self.import_nodes: list = []  # every import statement, in order (nested ones too)
        nested = []
        self.every_function: list = []  # every def, nested ones too, in source order
        for top in tree.body:
            kind = top.__class__
            if kind is ast.Import or kind is ast.ImportFrom:
                self.imports.add_import(top)
                self.import_nodes.append(top)
            elif kind is ast.ClassDef:
                nested.append(top)
            elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                self.every_function.append(top)
            imports, classes, functions = outline(top)
            for node in imports:
                self.imports.add_import(node)
            self.import_nodes += imports
            nested += classes
            self.every_function += functions
        self.every_class: list = nested  # every class, nested ones too, in source order
        names.add_star_provided(self.imports, self.import_nodes, tree.body)
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions[node.name] = node
            elif isinstance(node, ast.ClassDef):
                self.classes[node.name] = ClassInfo(node, self.imports)
        for node in nested:
            if node.name not in self.classes:
                self.classes[node.name] = ClassInfo(node, self.imports)
        for record in namedtuple_classes(tree, self.imports):
            self.classes.setdefault(record.name, ClassInfo(record, self.imports))
        self.registries = module_registries(tree)
        self._training_roles: dict | None = None
        self._called_here: frozenset | None = None

    def classes_called_here(self, lines: list[str] | None = None) -> frozenset:
        """training.classes_called_here, once per tree (`lines`: the file's, to skip the classes whose text names
        no other class)."""
        if self._called_here is None:
            from .training import classes_called_here
            # a Keras layer is called through Keras's Layer.__call__, which the caller's walk does not follow
            self._called_here = frozenset() if keras3_file(self.tree) else classes_called_here(self.every_class, lines)
        return self._called_here

    def training_roles(self, lines: list[str] | None = None) -> dict:
        """Function node -> training.Role for the scopes on the training path (built on first use; `lines`: the
        file's, see training.training_roles)."""
        if self._training_roles is None:
            from .training import training_roles
            self._training_roles = training_roles(self.tree, self.every_class, self.every_function, lines)
        return self._training_roles


def outline(top: ast.stmt) -> tuple[list, list, list]:
    """(imports, classes, defs) among the statements nested in a top-level statement, in source order. Kept on
    the node: on a keystroke only the edited statement is new (incremental.py drops the outline of a statement
    whose nested function it replaces). Not `top` itself: it would refer to itself, a cycle for the collector."""
    known = top.__dict__.get("_gg_outline")
    if known is None:
        imports, classes, functions = [], [], []
        for node in statements([top]):  # statements only: imports and classes (nested ones too)
            if node is top:
                continue
            cls = node.__class__
            if cls is ast.Import or cls is ast.ImportFrom:
                imports.append(node)
            elif cls is ast.ClassDef:
                classes.append(node)
            elif cls is ast.FunctionDef or cls is ast.AsyncFunctionDef:
                functions.append(node)
        known = top._gg_outline = (imports, classes, functions)
    return known


def functions_of(tree: ast.Module):
    """Every function and method, with its class name; nested functions too."""
    out = []
    for top in tree.body:
        known = top.__dict__.get("_gg_functions")  # dropped with _gg_outline when the statement changes
        if known is None:
            known = top._gg_functions = functions_in(top)
        if isinstance(top, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out.append((top, None))  # not kept on the node: it would refer to itself
        out += known
    return out


# Statements whose blocks may define functions: `async with`/`async for`, `match` cases and `try`/`except*` too.
BLOCK_STATEMENTS = tuple(getattr(ast, name) for name in (
    "If", "Try", "TryStar", "With", "AsyncWith", "For", "AsyncFor", "While", "Match") if hasattr(ast, name))


def functions_in(top: ast.stmt) -> list:
    """The functions and methods nested in a top-level statement (not the statement itself)."""
    out = []

    def visit(body, cls):
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out.append((node, cls))
                visit(node.body, None)
            elif isinstance(node, ast.ClassDef):
                visit(node.body, node.name)
            elif isinstance(node, BLOCK_STATEMENTS):
                for field in ("body", "orelse", "finalbody"):
                    visit(getattr(node, field, []) or [], cls)
                for handler in getattr(node, "handlers", None) or getattr(node, "cases", None) or []:
                    visit(handler.body, cls)

    if isinstance(top, (ast.FunctionDef, ast.AsyncFunctionDef)):
        visit(top.body, None)
    else:
        visit([top], None)
    del visit  # a recursive closure is a reference cycle: leave nothing for the cyclic collector
    return out


def module_registries(tree: ast.Module) -> dict:
    """Module-level names bound once to a dict literal of classes or functions by constant keys
    (`_ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh}`): the file's functions look things up in them by name.
    Name -> the Assign statement."""
    out: dict = {}
    bound: dict = {}
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, (ast.AnnAssign, ast.AugAssign)) else []
        for t in targets:
            for n in ast.walk(t):
                if isinstance(n, ast.Name):
                    bound[n.id] = bound.get(n.id, 0) + 1
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                and isinstance(node.value, ast.Dict) and node.value.keys \
                and all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in node.value.keys) \
                and all(isinstance(v, (ast.Name, ast.Attribute)) for v in node.value.values):
            out[node.targets[0].id] = node
    return {name: node for name, node in out.items() if bound.get(name) == 1}


INSTANCE_TABLES = ("instance_attrs", "instance_class", "param_ids", "params_all", "modules", "module_keys",
                   "foreign_modules", "frozen_modules", "inplace_switched", "optimized_modules", "class_files",
                   "stacked_blocks")


def file_info_of(parsed, tagged: bool = True) -> FileInfo:
    """The FileInfo of another workspace file, built on first use; its nodes tagged with their file (ParsedFile.tag)
    before a walk goes in. Not `tagged`: only its classes are read (base_classes.py tags the ones it takes)."""
    if tagged:
        parsed.tag()
    if parsed.info is None:
        parsed.info = FileInfo(parsed.tree, parsed.lines)
    return parsed.info


class ModuleContext:
    """One walk's view of the file: the file's facts plus the module instances this walk created."""

    def __init__(self, tree_or_info, sink, deadline: Deadline | None = None):
        info = tree_or_info if isinstance(tree_or_info, FileInfo) else FileInfo(tree_or_info)
        self.tree = info.tree
        self.imports = info.imports
        self.functions = info.functions
        self.classes = info.classes
        self.registries = info.registries
        self.info = info
        self.touched: set = set()  # function and class nodes whose bodies this walk read
        self.sink = sink
        self.budget = Budget(deadline)
        self.instance_attrs: dict[int, dict[str, object]] = {}  # module instance id -> attr -> Val
        self.instance_class: dict[int, str] = {}
        self.param_ids: dict[tuple[int, str], int] = {}  # (module id, attr) -> obj id
        self.params_all: dict[int, int] = {}  # module id -> obj id standing for "every parameter"
        self.seq = 0
        self.building: set[int] = set()
        # Modules switched to eval mode by `.eval()` / `.train(False)` so far in the walk (and not back): their
        # dropouts do nothing, in place or not.
        self.eval_modules: set[int] = set()
        self.modules: dict[int, ModuleVal] = {}  # instance id -> module, for containers' members
        self.module_keys: dict[int, tuple] = {}  # nn.ModuleDict id -> the names of its members, in order
        self.attr_writes: list = []  # values stored on module instances, in order (kept alive across calls)
        # (first id, last id, condition): the objects made in a branch that runs only when the caller passes an
        # optional argument. A name holding one of them or a tensor of the default path is the latter by default.
        self.optional_ids: list = []
        # Other workspace files (gradguard/project.py): their contexts share everything above but their names.
        self.project = ACTIVE_PROJECT.get()
        self.path = getattr(sink, "path", None)
        # the classes for method lookup: the file's, and the base classes of other files they derive from
        self.class_table = classes_and_bases(info, self.path, self.project, file_info_of)
        self.root = self
        self.others: dict = {}  # path -> that file's context in this walk
        self.class_owner: dict = {}  # module instance id -> the context of its class, when another file's
        self.class_files: dict[int, str] = {}  # the same, as that file's path (what another walk installs)
        self.foreign_modules: dict[str, int] = {}  # `model`, `model.emb` built by unknown code -> a module id
        self.block_summaries: dict = {}  # block instance id -> what its forward keeps (modules.block_summary)
        self.frozen_modules: set[int] = set()  # module ids after `requires_grad_(False)` (modules.freeze)
        self.optimized_modules: set[int] = set()  # module ids whose parameters went to an optimizer, and their parts
        # torch module id -> (True/False, the line) after `m.inplace = True` on it (modules.switch_inplace)
        self.inplace_switched: dict[int, tuple] = {}
        # id(call node) -> the instance of a class of the file built there, while building a class's canonical
        # `self` (scopes.build_canonical); the walk of that class's own __init__ takes them from there (reuse_built)
        self.built_at: dict | None = None
        self.reuse_built: dict | None = None
        self.defined_under: dict = {}  # id(function node) -> (it, the defs and lambdas in it): calls.defined_in
        # branch key (statements.stmt_If) -> the constructor defaults that take it (`activation="tanh"`)
        self.default_sides: dict[tuple, str] = {}
        # branch key of the side a bool flag's default does not take -> the setting that leads there (`self_attention=True`)
        self.other_sides: dict[tuple, str] = {}
        # branch key -> the bool settings (`deformable_decoder=False`) that side needs, each test of an `and` on its
        # body (defaults.side_settings)
        self.side_settings: dict[tuple, frozenset] = {}
        # tensor id -> State.branch where a tensor made inside an `if` was made (tensors.configuration_condition)
        self.made_in: dict[int, tuple] = {}
        # storages of the tensors a comprehension makes anew for each item (`[conv(x) for conv in convs]`): each item
        # is another tensor, so a later pass of a `for` over them gets one of its own (statements.stmt_For)
        self.item_storages: set[int] = set()
        # the same storages -> the ids the element's walk used; (save id, index) -> that item's own copy of the save
        # (comprehension_items.py: `losses[0]`, `losses[1]` of `[loss(c(x)) for c in critics]`, each its own graph)
        self.item_ranges: dict[int, tuple] = {}
        self.item_saves: dict[tuple, object] = {}
        # ids of the blocks that stand for others a loop built alike and appended to a ModuleList (stacked_blocks.py)
        self.stacked_blocks: set[int] = set()
        # storage -> where the tensor was made, for each tensor a changed name may hold (checker.displaced_where_saved)
        self.storage_made_in: dict[int, tuple] = {}
        # branch key of one candidate of an nni LayerChoice -> "when the LayerChoice picks `name`" (nni_choices.py)
        self.choice_sides: dict[tuple, str] = {}
        self.choice_outputs: dict[tuple, frozenset] = {}  # the same key -> the storages that candidate returned
        # the candidates' ids of a choice among modules the code built (built_choices.py) -> its module id
        self.choice_ids: dict[tuple, int] = {}
        self.choice_lists: set[str] = set()  # the names of the nn.ModuleLists given such a choice (append_block)
        self.argument_names: set[str] = set()  # the arguments of the function this scope walks
        # What the walk took for code it cannot see when that made a tensor not require grad (a GG503 resting on
        # it is a warning that says so): "what `loader` yields does not require grad".
        self.no_grad_assumptions: list[str] = []
        # version counter of an input embedding's output -> the call that made it: input_embeddings.py
        self.input_embedding_outputs: dict[int, tuple] = {}
        # (definition, the state its body starts in) -> None, called at every call this walk follows: what a caller
        # in another file passes (gradguard/callers.py); None in an ordinary walk
        self.probe = None
        # (class node, args, kwargs, call node) -> None, called at every instance this walk builds: what a builder in
        # another file builds the analysed file's classes with (gradguard/builders.py); None in an ordinary walk
        self.build_probe = None

    def instance_tables(self) -> dict:
        """What the module instances built so far are (their attributes, parameters, members), to install in
        another walk's context (install_instances)."""
        return {name: type(table)(table) for name in INSTANCE_TABLES for table in [getattr(self, name)]}

    def install_instances(self, tables: dict) -> None:
        """Another walk's instances, here: each walk gets its own copy of their attributes, which a method may set."""
        for name, table in tables.items():
            if name == "instance_attrs":
                table = {mid: dict(attrs) for mid, attrs in table.items()}
            getattr(self, name).update(table)
        # an instance of another file's class built by that walk (a trainer's network, built in `__init__`): its
        # class is read from that file here too, so that calling it walks its forward
        for mid, path in tables.get("class_files", {}).items():
            parsed = self.project.parsed(path) if self.project is not None and mid not in self.class_owner else None
            if parsed is not None:
                self.class_owner[mid] = self.other_file(parsed)

    def close(self) -> None:
        """The walk is over: break the cycles (root, the other files' contexts, the Reporter's back reference) so
        that reference counting frees it at once. A keystroke's walk left ~2,000 objects per edit to the cyclic
        collector, whose passes then cost the server 13 ms every few keystrokes."""
        for other in self.others.values():
            other.root = other.others = other.sink = None
        self.others = {}
        self.class_owner.clear()  # shared by the other files' contexts, which it refers to
        if getattr(self.sink, "ctx", None) is self:
            self.sink.ctx = None
        self.root = self.sink = None

    def next_seq(self) -> int:
        root = self.root
        root.seq += 1
        return root.seq

    def other_file(self, parsed) -> "ModuleContext":
        """Another file's context for this walk: its imports, functions and classes; the Reporter, budget,
        sequence numbers and module instances of the analysed file (what happens there is reported here)."""
        root = self.root
        ctx = root.others.get(parsed.path)
        if ctx is None:
            info = file_info_of(parsed)
            ctx = copy.copy(root)
            ctx.tree, ctx.imports = info.tree, info.imports
            ctx.functions, ctx.classes, ctx.path = info.functions, info.classes, parsed.path
            ctx.registries = info.registries
            ctx.class_table = classes_and_bases(info, parsed.path, root.project, file_info_of)
            root.others[parsed.path] = ctx
        return ctx

    def context_of(self, node) -> "ModuleContext":
        """The context of the file that defines `node` (nodes of other files carry `_gg_file`); a file first met
        here (a method of a base class of another file) gets its context now."""
        tag = getattr(node, "_gg_file", None)
        if tag is None:
            return self.root
        ctx = self.root.others.get(tag.path)
        if ctx is None and self.root.project is not None:
            parsed = self.root.project.snapshot(tag.path)
            if parsed is not None and parsed.info is not None and parsed.tree is not self.root.tree:
                ctx = self.other_file(parsed)
        return ctx or self
