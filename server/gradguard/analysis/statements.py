"""Walking statements: assignments and unpacking, if/for/while, with, try, return, break and continue."""

from __future__ import annotations

import ast

from . import grad_flags, leaf_flags, stale_aliases
from .branch_attributes import read_before_branch, settled_after_branch
from .built_choices import BUILT_CHOICE_KIND
from .argparse_choices import exhaustive_chain_ends
from .builtins import alike_pieces, known_length, not_a_tensor_side, starred_unpack
from .context import MAX_LOOP_PASSES, in_later_pass
from .defaults import (
    default_test, flipped_flag, grad_kept_by_default, grad_sides, joined_by_default, module_list, side_settings,
    untouched)
from .last_iteration import last_iteration_side, loop_bound
from .buffer_loops import buffer_loop_entries
from .model_dicts import dict_loop_entries, model_key, string_key
from .rebound_names import rebound_each_iteration
from .stacked_blocks import another_item
from .syntax import (
    AUG_SYMBOLS, BIN_OPS, const_key, dotted, exits_program, expects_error, freezes, imported_context, is_basic_index,
    is_string_key, optional_parameters, runs_straight, tests_inplace_flag, tests_type_of, used_as_mapping, whole_index,
)
from .values import (
    AnySubmodule, BoolConst, ClassVal, ConstStr, CtxVal, DefaultBool, DictVal, Env, FuncVal, GradCtx, ModuleVal, NOT_SET,
    NoneVal, Number, NumpyArr, ObjTable, Optimizer, ParamsOf, PartialVal, QualVal, Ref, Seq, State, SuperVal, Tri, UNKNOWN, Unknown,
    evolve, fresh_id,
    join_rest, join_states, join_tobj, join_val, older_first, reachable_oids,
)


CONFIG_VALUES = (BoolConst, ConstStr, Number)
MAX_UNROLLED = 16  # layers of a Sequential a `for` over it is walked through one by one
_STMT_METHODS: dict = {}  # node type -> its `stmt_X` method (None: read its expressions), looked up once per type


class StatementWalker:
    """The `stmt_*` half of the Interpreter: one method per statement type, each returning the state after it."""

    # ------------------------------------------------------------------ statements
    def run_block(self, body: list[ast.stmt], state: State) -> State:
        top = self.depth == 0 and not self.in_function
        for stmt in body:
            if state.dead:
                break
            state = self.stmt(stmt, state)
            # Not inside an `if`: what the join would give back from the other side is dropped only after it.
            if top and len(state.objs) > self.prune_at and state.fork_token is None:
                self.prune_unreachable(state)
        return state

    def prune_unreachable(self, state: State) -> None:
        """A long script makes tensors it rebinds and never reaches again (`total = total + z`): drop those the
        module's names, module state and parameters no longer reach, so that every `if` does not copy and join
        them all again (a 20k-line script walked quadratically). What a dropped tensor saved stays in the
        histories of the tensors made from it; a change of one of its views or aliases still finds it by storage."""
        keep: set = set()
        for value in state.env.values():
            reachable_everything(value, keep)
        for attrs in self.ctx.instance_attrs.values():
            for value in attrs.values():
                reachable_everything(value, keep)
        for value in self.ctx.attr_writes:
            reachable_everything(value, keep)
        keep.update(self.ctx.param_ids.values())
        keep.update(self.ctx.params_all.values())
        storages = {state.objs[o].storage for o in keep if o in state.objs}
        old = state.objs
        state.objs = ObjTable({oid: obj for oid, obj in old.items()
                               if oid in keep or obj.storage in storages or obj.param_of is not None})
        log = getattr(old, "recent", None)
        if log is not None:  # dropping is writing: an enclosing `if` joins or undoes by the log
            for oid, obj in old.items():
                if oid not in log and oid not in state.objs:
                    log[oid] = obj
            state.objs.recent = log
        self.prune_at = max(PRUNE_AT, 2 * len(state.objs))

    def stmt(self, node: ast.stmt, state: State) -> State:
        self.ctx.budget.check()
        kind = node.__class__
        try:
            method = _STMT_METHODS[kind]
        except KeyError:
            method = _STMT_METHODS[kind] = getattr(type(self), "stmt_" + kind.__name__, None)
        if method is None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self.expr(child, state)
            return state
        return method(self, node, state)

    def stmt_Expr(self, node, state):
        if isinstance(node.value, ast.Call):
            node.value._gg_statement = True  # `torch.set_grad_enabled(False)` on its own line sets the mode
        self.expr(node.value, state)
        if exits_program(node.value, self.ctx.imports, state.env):
            state.dead = True  # `exit()` / `sys.exit(1)` in an `except:` ends the run, as a `raise` does
        return state

    def stmt_Assign(self, node, state):
        alias = stale_aliases.snapshot(self, node, state) if node.value.__class__ is ast.Call and not self.frames else None
        value = self.expr(node.value, state)
        if alias is not None:
            stale_aliases.check(self, node, value, state, alias)  # GG403: `h = relu_(x)`, then `x` read
        if value.__class__ is ModuleVal and value.kind == BUILT_CHOICE_KIND and not value.chosen_as and \
                len(node.targets) == 1 and dotted(node.targets[0]):  # `self.act = Gate() if gated else Shift(d)`
            value = evolve(value, chosen_as=dotted(node.targets[0]))
        for target in node.targets:
            self.assign(target, value, state, node.value)
            if target.__class__ is ast.Tuple and node.value.__class__ is ast.Call:
                self.unpacked_model_and_optimizer(target, node.value, state)
            elif value.__class__ is Unknown and freezes(node.value) and model_key(target, state.env) is not None:
                # `ema = copy.deepcopy(net).eval().requires_grad_(False)`: the module the name holds is frozen
                self.ctx.root.frozen_modules.add(self.foreign_module(target, state.env))
        if isinstance(node.value, ast.IfExp):
            # `layer = cache[i] if cache is not None else None`: the name is set by the caller's optional argument
            given, absent = self.optional_argument_tests(node.value.test, state)
            if given or absent:
                condition = state.optional.get(given or absent) or f"whether the caller passes `{given or absent}`"
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        state.optional[target.id] = condition
        return state

    def stmt_AnnAssign(self, node, state):
        if node.value is not None:
            self.assign(node.target, self.expr(node.value, state), state, node.value)
        return state

    def stmt_AugAssign(self, node, state):
        op = type(node.op)
        symbol = AUG_SYMBOLS.get(op, "?")
        rhs = self.expr(node.value, state)
        target = node.target
        if isinstance(target, ast.Subscript):
            base = self.expr(target.value, state)
            index = self.expr(target.slice, state)
            if isinstance(base, Ref) and is_string_key(target.slice):
                return state  # `out["logits"] += ...`: an item of a mapping, not a slice of a tensor
            if isinstance(base, Ref):
                self.mutate(base, node, "setitem", f"[...] {symbol}=", state,
                            index_basic=is_basic_index(target.slice, index), inputs=[rhs])
                return state
            if isinstance(base, NumpyArr):
                self.silent_numpy_write(base, node, state)
                return state
            if isinstance(base, (Seq, DictVal)):
                item = self.expr(target, state)  # `cache["h"] += 1`: __iadd__ on the tensor in the container
                if isinstance(item, Ref):
                    self.mutate(item, node, "augassign", f"{symbol}=", state, inputs=[rhs], op_name=BIN_OPS.get(op))
            return state
        current = self.expr(target, state)
        if isinstance(current, Ref) and op is not ast.MatMult:  # tensors have no __imatmul__: `x @= m` rebinds
            self.mutate(current, node, "augassign", f"{symbol}=", state, inputs=[rhs], op_name=BIN_OPS.get(op))
            return state
        if isinstance(current, NumpyArr):
            self.silent_numpy_write(current, node, state)
            return state
        # Not a tensor (or not known to be): `a += b` is `a = a + b`.
        result = self.binop(op, current, rhs, node, state)
        self.assign(target, result, state, node)
        return state

    def stmt_If(self, node, state):
        test = default_test(self.expr(node.test, state), self.ctx.class_table)
        known = grad_flags.decided(node.test, self.grad_flags) if self.grad_flags else None
        known = self.truth(test) if known is None else known
        if known is True or known is None and (appends_if_present(node, test, state) or
                                               id(node) in exhaustive_chain_ends(self.ctx.tree, self.ctx.info.lines)):
            return self.run_block(node.body, state)  # (the last test of `if args.loss == 'a': elif ... == 'b':`)
        if known is False:
            return self.run_block(node.orelse, state)
        read_before_branch(self, node, state)  # the module state a skipped body leaves as it was
        given, absent = self.optional_argument_tests(node.test, state)
        grad_side = grad_test(node.test, self.ctx.functions)  # `if x.grad_fn is not None: ... else: <no grad>`
        last = self.last_iteration_test(node.test)
        narrowed = not_a_tensor_side(self, node.test, state)  # `isinstance(t, torch.Tensor)`: no tensor on one side
        if not node.orelse and not absent and not grad_side and last is None and not narrowed and \
                state.env.__class__ is Env and state.objs.__class__ is ObjTable:  # the other way changes nothing
            return settled_after_branch(self, node, self.if_in_place(node, state, given, grad_side, test))
        body_state, else_state = state.fork(2)
        if narrowed:
            (body_state, else_state)[narrowed[1]].env[narrowed[0]] = UNKNOWN
        if given and not body_state.path_condition:
            body_state.path_condition = state.optional.get(given) or f"whether the caller passes `{given}`"
        if absent and not else_state.path_condition:
            else_state.path_condition = state.optional.get(absent) or f"whether the caller passes `{absent}`"
        side = (self.start_id, id(node), self.loop_pass)
        body_state.branch = state.branch + (side + (0,),)
        else_state.branch = state.branch + (side + (1,),)
        if isinstance(test, DefaultBool):
            self.note_default_sides(side, test, node.test)
        if grad_side is not None:
            (else_state if grad_side else body_state).grad = Tri.NO
        opt_in = tests_inplace_flag(node.test)
        self.inplace_opt_in += opt_in
        a = self.run_block_noting(node.body, body_state, state.path_condition)
        b = self.run_block_noting(node.orelse, else_state, state.path_condition)
        self.inplace_opt_in -= opt_in
        if last is not None:  # what only the loop's last iteration frees, no later iteration meets
            records, body_is_last = last
            final, other = (a, b) if body_is_last else (b, a)
            records.update((k, v) for k, v in final.freed.items() if k not in state.freed and k not in other.freed)
        a.path_condition = b.path_condition = state.path_condition
        chosen = self.chosen_by_defaults(test, a, b)
        chosen.update(self.chosen_modules(node, a, b, skip=chosen))  # `block = A(d)` / `block = B(d)`: one of them
        flagged = grad_sides(self, test, a, b)
        out = join_states([a, b], consume=True)
        for oid, mine, theirs in flagged:
            out.objs[oid] = grad_kept_by_default(test, join_tobj(mine, theirs), mine, theirs)
        for name, value in chosen.items():
            out.env[name] = value
        # What the join recorded is relative to where `state` records from: if `state` is one path of an
        # enclosing `if`, so is `out`, and that `if` can join by the recorded writes too.
        out.fork_token, out.parent_recent = state.fork_token, state.parent_recent
        out.branch = state.branch
        if grad_side is not None:
            out.grad = state.grad
        return settled_after_branch(self, node, out)

    def chosen_by_defaults(self, test, body: State, orelse: State) -> dict:
        """The names an `if` on a constructor's default leaves holding the modules of the defaults' side
        (defaults.joined_by_default), where the join would lose them."""
        if not isinstance(test, DefaultBool) or body.dead or orelse.dead:
            return {}
        names = dict.fromkeys(list(body.env.recent if body.env.recent is not None else body.env) +
                              list(orelse.env.recent if orelse.env.recent is not None else orelse.env))
        chosen = {}
        for name in names:
            mine, theirs = body.env.get(name), orelse.env.get(name)
            if mine is not None and theirs is not None and mine is not theirs:
                value = joined_by_default(test, mine, theirs)
                chose = getattr(value, "by_default", "") if value.__class__ in (ModuleVal, FuncVal) else \
                    value.items[-1].by_default if module_list(value) else \
                    getattr(value.func, "by_default", "") if value.__class__ is PartialVal else ""
                if chose and value != join_val(mine, theirs):
                    chosen[name] = value
        return chosen

    def note_default_sides(self, side: tuple, test: DefaultBool, node=None) -> None:
        """Which side of this `if` the constructor's defaults take, and for a bool flag the setting that takes the
        other side (`self_attention=True`); and the settings each side needs (defaults.side_settings)."""
        root = self.ctx.root
        root.default_sides[side + (0 if test.default else 1,)] = test.source
        flipped = flipped_flag(test.source)
        if flipped is not None:  # a bool flag: every test of it takes one side or the other, never a third
            root.other_sides[side + (1 if test.default else 0,)] = flipped
        parts = self.bool_parts[1] if node.__class__ is ast.BoolOp and self.bool_parts[0] is node else None
        for key, needed in side_settings(test, node, parts).items():
            root.side_settings[side + (key,)] = needed

    def if_in_place(self, node, state, given, grad_side, test=None):
        """stmt_If when the test's false side runs nothing and changes nothing about the state. The body runs on
        `state` itself, its names and tensors logging what they held before (Recording): the join looks at those
        only, and a body that returns or raises is undone. No copy of the scope: a script of 40k lines of
        `if`s walks in linear time."""
        outer_env, outer_objs = state.env.recent, state.objs.recent
        outer_fork = (state.fork_token, state.parent_recent)
        muts, freed, optional = dict(state.muts), dict(state.freed), dict(state.optional)
        grad, condition, branch = state.grad, state.path_condition, state.branch
        modes = (state.grad_assumed, state.training, state.inference)
        # Like a fork of one path: the body's log starts here, and a copy made in it (a `return` kept for the
        # caller) carries the older log too (State.copy).
        token = object()
        state.env.recent, state.objs.recent = {}, {}
        state.fork_token, state.parent_recent = token, (outer_env, outer_objs)
        if given and not condition:
            state.path_condition = state.optional.get(given) or f"whether the caller passes `{given}`"
        state.branch = branch + ((self.start_id, id(node), self.loop_pass, 0),)
        if isinstance(test, DefaultBool):  # the side the defaults take (1: past the body, which has no key)
            self.note_default_sides(state.branch[-1][:3], test, node.test)
        if grad_side is not None:  # `if x.grad_fn is None:` (grad_side False): no grad in the body
            state.grad = Tri.NO
        opt_in = tests_inplace_flag(node.test)
        self.inplace_opt_in += opt_in
        a = self.run_block_noting(node.body, state, condition)
        self.inplace_opt_in -= opt_in
        logged = a.fork_token is token and a.env.__class__ is Env and a.objs.__class__ is ObjTable \
            and a.env.recent is not None and a.objs.recent is not None
        if a.dead or not logged:
            # Back to the state before the `if` (`state` was changed in place only until the body copied it,
            # e.g. in a loop, whose result logs from an older point).
            if a is state and not logged:
                raise AssertionError("an `if` body lost the log of its own state")
            state.env.undo()
            state.objs.undo()
            state.muts, state.freed, state.optional, state.grad, state.dead = muts, freed, optional, grad, False
            state.grad_assumed, state.training, state.inference = modes
            state.env.recent, state.objs.recent = outer_env, outer_objs
            out = state if a.dead else join_states([a, state])  # not logged: compare every name
        else:
            out = a
            env, objs = out.env, out.objs
            for name, old in env.recent.items():
                cur = env.get(name, NOT_SET)
                if old is not NOT_SET and cur is not old:
                    env[name] = old if cur is NOT_SET else joined_by_default(test, cur, old)
                    if env[name] is UNKNOWN and cur.__class__ is ModuleVal and old.__class__ is ModuleVal:
                        env[name] = self.choice_of(name, cur, old, node) or UNKNOWN  # `if gelu: act = nn.GELU()`
                elif old is NOT_SET and "." in name and isinstance(cur, CONFIG_VALUES):
                    # `if not hasattr(args, "mode"): args.mode = "sgd"`: before the branch the attribute held what
                    # the object had, which this walk never saw
                    env[name] = UNKNOWN
            for oid, old in objs.recent.items():
                cur = dict.get(objs, oid)
                old = untouched(self, cur) if old is NOT_SET and isinstance(test, DefaultBool) else old
                if old not in (NOT_SET, None) and cur is not old:
                    objs[oid] = old if cur is None else grad_kept_by_default(test, join_tobj(cur, old), cur, old)
            join_rest(out, muts, freed, grad, optional)
            env.recent = None if outer_env is None else older_first(outer_env, env.recent)
            objs.recent = None if outer_objs is None else older_first(outer_objs, objs.recent)
        out.fork_token, out.parent_recent = outer_fork
        out.path_condition, out.branch = condition, branch
        if grad_side is not None:
            out.grad = grad
        return out

    def run_block_noting(self, body, state: State, outer_condition) -> State:
        """run_block, noting the ids of the objects made there when the block runs only on an optional path."""
        if state.path_condition == outer_condition:
            return self.run_block(body, state)
        first = fresh_id()
        out = self.run_block(body, state)
        self.ctx.root.optional_ids.append((first, fresh_id(), state.path_condition))
        return out

    def optional_argument_tests(self, test: ast.AST, state: State) -> tuple[str | None, str | None]:
        """`if cache is not None` / `if cache` on an argument that defaults to None: (body needs it, else needs it).

        Such a branch runs only when the caller passes the optional argument (a cache at generation time, say),
        so what happens there depends on the caller."""
        fn = self.func_stack[-1] if self.func_stack else None
        if fn is None or isinstance(fn, ast.Lambda):
            return None, None
        optional = optional_parameters(fn) | set(state.optional)
        if not optional:
            return None, None
        given = absent = None
        for part in (test.values if isinstance(test, ast.BoolOp) else [test]):
            if isinstance(part, ast.Compare) and len(part.ops) == 1 and isinstance(part.left, ast.Name) and \
                    part.left.id in optional and isinstance(part.comparators[0], ast.Constant) and \
                    part.comparators[0].value is None:
                if isinstance(part.ops[0], ast.IsNot):
                    given = part.left.id
                elif isinstance(part.ops[0], ast.Is):
                    absent = part.left.id
            elif isinstance(part, ast.Name) and part.id in optional:
                given = part.id
            elif isinstance(part, ast.UnaryOp) and isinstance(part.op, ast.Not) and \
                    isinstance(part.operand, ast.Name) and part.operand.id in optional:
                absent = part.operand.id
            elif (tested := self.presence_helper(part, optional)) is not None:
                given = tested  # `if exists(mask):` with `def exists(val): return val is not None`
            elif isinstance(part, ast.UnaryOp) and isinstance(part.op, ast.Not) and \
                    (tested := self.presence_helper(part.operand, optional)) is not None:
                absent = tested
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
            return None, None  # `a is not None or b`: the body may run without it
        return given, absent

    def presence_helper(self, test: ast.AST, optional: set) -> str | None:
        """The optional argument `exists(mask)` tests, when the file's helper `exists` is `return val is not None`."""
        if not (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and len(test.args) == 1
                and not test.keywords and isinstance(test.args[0], ast.Name) and test.args[0].id in optional):
            return None
        helper = self.ctx.functions.get(test.func.id)
        if helper is None or len(helper.body) != 1 or not isinstance(helper.body[0], ast.Return):
            return None
        params = [p.arg for p in helper.args.args]
        ret = helper.body[0].value
        if len(params) == 1 and isinstance(ret, ast.Compare) and len(ret.ops) == 1 and \
                isinstance(ret.ops[0], ast.IsNot) and isinstance(ret.left, ast.Name) and ret.left.id == params[0] \
                and isinstance(ret.comparators[0], ast.Constant) and ret.comparators[0].value is None:
            return test.args[0].id
        return None

    def stmt_For(self, node, state):
        entries = dict_loop_entries(self, node.iter, state) or buffer_loop_entries(self, node.iter, state)
        if entries is not None and len(entries) <= MAX_UNROLLED and not node.orelse and runs_straight(node.body):
            # `for key in self.models.keys():` over a dict whose keys are all known (or `for b in self.buffers()`,
            # buffer_loops): each once, in order
            for entry in entries:
                self.assign(node.target, entry, state, node.iter)
                state = self.run_block(node.body, state)
            return state
        iterable = self.expr(node.iter, state)
        layers = self.sequential_of(iterable)
        if isinstance(layers, ModuleVal) and runs_in_order(layers) and not node.orelse and runs_straight(node.body) \
                and not (layers.kind == "ModuleList" and tests_type_of(node.body, node.target)):
            # `for layer in self:` over a Sequential's layers, `for layer in self.layers:` over a ModuleList of
            # unlike blocks: each once, in order, as calling the Sequential runs them. Not when the body asks the
            # block's class (`if isinstance(layer, nn.Conv2d): x *= mask`), which the walk cannot answer: each
            # block would take the branch meant for the others.
            for layer in layers.members:
                self.assign(node.target, layer, state, node.iter)
                state = self.run_block(node.body, state)
            return state
        # A `for` is taken to run at least once: what only its skipping would cause (a batch of the previous
        # epoch reaching this one's backward() when `for _ in range(n_critic)` runs no step) is not reported.
        # Its first pass is the first iteration and its second any later one (unless it runs once, as any one):
        # the counter is 0, then past 0; the first item of a tuple or list the walk knows item by item, then the
        # others (`for opt, loss in zip((opt_g, opt_d), (loss_g, loss_d))`: what the first step() does to the
        # second backward() is seen).
        counter = counter_name(node)
        items = known_items(iterable)
        any_iteration = in_later_pass(self.loop_pass)
        bound = loop_bound(node)
        final_frees: set = set()  # (save id, (backward node, pass)) freed in a branch only the last iteration takes

        def bind(st):
            for key, freed_by in final_frees:
                if st.freed.get(key) == freed_by:
                    del st.freed[key]
            final_frees.clear()
            first_pass = (self.loop_pass - 1) % MAX_LOOP_PASSES == 0
            item = self.iter_item(iterable, node, st) if items is None or any_iteration else \
                items[0] if first_pass else self.iter_item(Seq(items[1:]), node, st)
            if not first_pass and items is None:
                item = another_item(self, item, st)
            self.assign(node.target, item, st, node.iter)
            if counter is not None and not any_iteration:
                st.env[counter] = Number(minimum=0, maximum=0) if first_pass else Number(minimum=1)
        if bound is None:
            return self.loop(node, state, bind, at_least_once=True)
        self.counted_loops.append((bound, final_frees))
        try:
            return self.loop(node, state, bind, at_least_once=True)
        finally:
            self.counted_loops.pop()

    def last_iteration_test(self, test: ast.AST) -> tuple[set, bool] | None:
        """(the enclosing loop's record of what its last iteration frees, whether the `if` body is the branch only
        the last iteration takes) when `test` compares that loop's counter with its last value."""
        for (counter, bound), records in reversed(self.counted_loops):
            side = last_iteration_side(test, counter, bound)
            if side is not None:
                return records, side
        return None

    stmt_AsyncFor = stmt_For

    def stmt_While(self, node, state):
        self.expr(node.test, state)
        return self.loop(node, state, lambda st: self.expr(node.test, st))

    def loop(self, node, state, bind, at_least_once: bool = False):
        entry = state
        exits = [] if at_least_once else [entry]
        current = entry.copy()
        self.loop_exits.append([])
        saved_pass = self.loop_pass
        for n in range(1 if in_later_pass(saved_pass) else MAX_LOOP_PASSES):
            self.loop_pass = saved_pass * MAX_LOOP_PASSES + n + 1
            bind(current)
            after = self.run_block(node.body, current)
            continues = [s for s in getattr(self, "_continues", [])]
            exits.append(after)
            if after.dead and not continues:
                break
            current = join_states([after.copy()]) if not after.dead else after.copy()
            current.dead = False
            for name in rebound_each_iteration(node):  # the next iteration binds it anew or reads what it held before
                if name in entry.env:
                    current.env[name] = entry.env[name]
                elif name in current.env:
                    del current.env[name]
        self.loop_pass = saved_pass
        breaks = self.loop_exits.pop()
        if at_least_once and all(s.dead for s in exits + breaks):
            exits.insert(0, entry)  # `for x in xs: return x`: what follows runs when there is no item
        if node.orelse:  # the else block runs when the loop ends without a break; a break skips it
            out = join_states([self.run_block(node.orelse, join_states(exits))] + breaks)
        else:
            out = join_states(exits + breaks)
        self.lists_of_choices(exits + breaks, out)  # a ModuleList each pass gave a block the code chose
        return out

    def stmt_Break(self, node, state):
        if self.loop_exits:
            self.loop_exits[-1].append(state.copy())
        state.dead = True
        return state

    def stmt_Continue(self, node, state):
        state.dead = True
        return state

    def stmt_Return(self, node, state):
        value = self.expr(node.value, state) if node.value is not None else NoneVal()
        self.returns.append((value, state.copy()))
        self.ctx.sink.on_return(self, value, node, state)
        state.dead = True
        return state

    def stmt_Raise(self, node, state):
        if node.exc is not None:
            self.expr(node.exc, state)
        state.dead = True
        return state

    def stmt_With(self, node, state):
        previous = (state.grad, state.grad_assumed, state.inference)
        for item in node.items:
            ctx_val = self.expr(item.context_expr, state)
            flag = grad_flags.split_flag(item.context_expr, ctx_val, node.body) if len(node.items) == 1 else None
            if isinstance(ctx_val, GradCtx):
                state.grad = ctx_val.enabled
                state.grad_assumed = False
                state.inference = ctx_val.inference
            elif state.grad is Tri.NO and not isinstance(ctx_val, QualVal) and \
                    not imported_context(item.context_expr, self.ctx.imports):
                # `with ctx():` chosen at run time (`torch.enable_grad if ... else nullcontext`) may turn grad on
                state.grad = Tri.MAYBE
            if item.optional_vars is not None:
                self.assign(item.optional_vars, UNKNOWN, state, item.context_expr)
        if flag is not None:  # `set_grad_enabled(flag)`: as `if flag:` with grad on, else off (grad_flags.py)
            state = grad_flags.run_per_flag(self, node, state, flag)
        elif not any(expects_error(item.context_expr, self.ctx.imports) for item in node.items):
            state = self.run_block(node.body, state)
        # else a test that checks the block raises: it stops at the error it expects (not walked)
        state.grad, state.grad_assumed, state.inference = previous
        return state

    stmt_AsyncWith = stmt_With

    def stmt_Try(self, node, state):
        entry = state.copy()
        body = self.run_block(node.body, state)
        body = self.run_block(node.orelse, body) if node.orelse and not body.dead else body
        outs = [body]
        for handler in node.handlers:
            start = join_states([entry, body]) if not body.dead else entry.copy()
            start.dead = False
            if handler.name:
                start.env[handler.name] = UNKNOWN
            outs.append(self.run_block(handler.body, start))
        out = join_states(outs)
        if node.finalbody:
            was_dead = out.dead
            out.dead = False
            out = self.run_block(node.finalbody, out)
            out.dead = out.dead or was_dead
        return out

    stmt_TryStar = stmt_Try

    def stmt_FunctionDef(self, node, state):
        for deco in node.decorator_list:
            self.expr(deco, state)
        # A function defined in a function (`def _inner_forward(x):` in forward) reads the names of the scope that
        # defines it (`self`, the block's layers), as a lambda does.
        nested = self.depth > 0 or self.in_function
        state.env[node.name] = FuncVal(node, self.class_name, closure=state.env if nested else None)
        return state

    stmt_AsyncFunctionDef = stmt_FunctionDef

    def stmt_ClassDef(self, node, state):
        state.env[node.name] = ClassVal(node.name)
        return state

    def stmt_Delete(self, node, state):
        for target in node.targets:
            if isinstance(target, ast.Name):
                state.env.pop(target.id, None)
            elif isinstance(target, ast.Subscript) and whole_index(target) and \
                    isinstance(self.expr(target.value, state), Seq):  # `del policy.saved_log_probs[:]`: emptied
                self.assign(target.value, Seq((), True), state, node)
        return state

    def stmt_Match(self, node, state):
        self.expr(node.subject, state)
        outs = [state.copy()]
        for case in node.cases:
            outs.append(self.run_block(case.body, state.copy()))
        return join_states(outs)

    def stmt_Import(self, node, state):
        return state

    stmt_ImportFrom = stmt_Import

    # ------------------------------------------------------------------ assignment
    def assign(self, target: ast.AST, value, state: State, value_node: ast.AST | None) -> None:
        if isinstance(target, ast.Name):
            state.env[target.id] = value
            if state.path_condition:
                state.optional[target.id] = state.path_condition
            else:
                state.optional.pop(target.id, None)
        elif isinstance(target, (ast.Tuple, ast.List)):
            items = starred_unpack(target.elts, value) or self.unpack(value, len(target.elts), value_node, state)
            for elt, item in zip(target.elts, items):
                if isinstance(elt, ast.Starred):
                    self.assign(elt.value, item if isinstance(item, Seq) else UNKNOWN, state, value_node)
                else:
                    self.assign(elt, item, state, value_node)
        elif isinstance(target, ast.Attribute):
            base = self.expr(target.value, state)
            if target.attr == "requires_grad" and isinstance(base, Ref) and \
                    leaf_flags.set_flag(self, target, base, value, state):
                return
            if target.attr == "data" and isinstance(base, Ref):
                self.forget_sizes(base, state)  # `x.data = t`: x now has t's sizes
            if target.attr == "inplace" and isinstance(base, AnySubmodule) and isinstance(value, BoolConst):
                self.switch_inplace(base.module, value.value, target)  # `for m in self.modules(): m.inplace = True`
                return
            key = dotted(target)
            if key:
                state.env[key] = value
                self.dotted_writes.add(key)
            if isinstance(base, ModuleVal) and base.cls and base.id in self.ctx.instance_attrs:
                # module state (`self.memory = ...`) outlives this call: the next call sees it
                self.ctx.instance_attrs[base.id][target.attr] = value
                self.ctx.attr_writes.append(value)
                self.ctx.sink.on_state_store(self, target, value, value_node, state)
        elif isinstance(target, ast.Subscript):
            base = self.expr(target.value, state)
            index = self.expr(target.slice, state)
            key = string_key(target.slice, index)
            if isinstance(base, DictVal) and key is not None and isinstance(target.value, ast.Attribute) and \
                    dotted(target.value) is not None:
                # `self.models["encoder"] = Encoder(...)`: the dict the attribute holds now holds it under that key
                items = tuple((k, v) for k, v in base.items if k != key) + ((key, value),)
                self.assign(target.value, DictVal(items, base.base), state, None)
                return
            if isinstance(base, (Ref, DictVal)) and is_string_key(target.slice) and isinstance(target.value, ast.Name):
                # `outputs["logits"] = x` on a value of unknown type: a mapping's item replaced, no tensor changed.
                # The mapping now holds `x` (a returned dict of outputs carries its graph).
                key = const_key(target.slice)
                key = key if key is not None else ast.unparse(target.slice)
                items = base.items if isinstance(base, DictVal) else ()
                state.env[target.value.id] = DictVal(tuple((k, v) for k, v in items if k != key) + ((key, value),),
                                                     base.base if isinstance(base, DictVal) else base)
                return
            if isinstance(base, Ref) and is_string_key(target.slice):
                return  # `batch["pair"] = ...`: a mapping's item replaced, no tensor changed
            if isinstance(base, Ref) and isinstance(target.value, ast.Name) and \
                    used_as_mapping(self.func_stack[-1] if self.func_stack else self.ctx.tree, target.value.id):
                # `params[key] = val` on what the code reads `.items()` of: an item under some key, no tensor written
                state.env[target.value.id] = DictVal((), base, value)
                return
            if isinstance(base, Ref):
                self.mutate(base, target, "setitem", "[...] =", state, index_basic=is_basic_index(target.slice, index),
                            inputs=[value], stmt_node=target)
                if isinstance(index, Number) and isinstance(target.value, ast.Name) and isinstance(value, Ref) and \
                        all((o := state.obj(oid)).is_argument and not o.tensor_declared for oid in base.objs):
                    # `x[i] = self.m[i](x[i])` on an argument, `i` a number: a list of tensors whose item is replaced
                    # (the checker takes the write so), and `x[i]` is that item from here on, not a view of the old
                    state.env[target.value.id] = Seq((value, "*"), True)
            elif isinstance(base, NumpyArr):
                self.silent_numpy_write(base, target, state)
            elif isinstance(base, (Seq, DictVal)) and (isinstance(target.value, ast.Name) or dotted(target.value)):
                # `xs[i] = v`, `self.xs[i] = v`: the container the name or attribute holds, with its item replaced
                key, replaced = const_key(target.slice), None
                if key is None and isinstance(base, DictVal):
                    key = string_key(target.slice, index)  # `d[name]`, `name` bound to a string the walk knows
                if isinstance(base, Seq) and isinstance(key, int) and -len(base.items) <= key < len(base.items):
                    items = list(base.items)
                    items[key] = value
                    replaced = Seq(tuple(items), base.mutable)
                elif isinstance(base, Seq):  # `cache[k] = cache[k].clone()`, k unknown: any item may be the new one
                    replaced = Seq(tuple(i if i == "*" else join_val(i, value) for i in base.items), base.mutable)
                elif isinstance(base, DictVal) and key is not None:
                    items = [(k, v) for k, v in base.items if k != key] + [(key, value)]
                    replaced = DictVal(tuple(items), some=base.some)
                elif isinstance(base, DictVal):  # `blocks[sector] = u`: under a key the walk does not know, maybe
                    some = value if base.some is None else join_val(base.some, value)  # one it does
                    items = tuple((k, join_val(v, value)) for k, v in base.items)
                    replaced = DictVal(items, base.base, some)
                if replaced is not None:
                    self.store_container(target.value, replaced, state)
        elif isinstance(target, ast.Starred):
            self.assign(target.value, UNKNOWN, state, value_node)

    def store_container(self, target: ast.AST, container, state: State) -> None:
        if isinstance(target, ast.Name):
            state.env[target.id] = container
        else:
            self.assign(target, container, state, None)

    def unpack(self, value, count: int, node, state: State) -> list:
        if isinstance(value, Seq) and value.items and value.items[-1] == "*":  # `a, b = x.chunk(2)`: (piece, "*")
            template = value.items[0]
            return [self.clone_template(template, state) for _ in range(count)]
        if isinstance(value, Seq) and len(value.items) == count:
            return list(value.items)
        if isinstance(value, Ref) and value.maybe_none:
            # a tensor on one path, another value on the other (`out = out[0] if len(out) == 1 else out`): maybe a
            # list of tensors, whose items are not views of one another; either way they keep its grad
            return [self.opaque_result([value], node, state, requires_grad=self.rg(value, state))
                    for _ in range(count)]
        if isinstance(value, Ref):
            if not self.known_single_tensor(value, state):
                # A tuple from code we cannot see into (or an argument of unknown type): fresh values, not views.
                return [self.clone_template(value, state) for _ in range(count)]
            # Iterating a tensor unbinds it: the pieces are views of one base, returned together.
            return [self.make_view(value, node, state, "unbind", multi=True) for _ in range(count)]
        return [UNKNOWN] * count

    def known_single_tensor(self, ref: Ref, state: State) -> bool:
        """Made by a torch op we know returns one tensor (so iterating it unbinds it)."""
        return all(not (o := state.obj(oid)).opaque and not o.is_argument and o.storage > 0 for oid in ref.objs)

    def clone_template(self, template, state: State):
        """A fresh tensor like `template` (an item of a sequence of unknown length)."""
        if isinstance(template, Ref):
            oids = []
            for oid in template.objs:
                new = fresh_id()
                obj = state.objs[oid]
                # a piece of `x.chunk(2)` stays a piece (of the caller's tensor, for an argument `x`)
                if (obj.opaque or obj.is_argument or obj.storage <= 0) and obj.view_kind != "multi":
                    obj = evolve(obj, storage=fresh_id(), memory=fresh_id(), shape=None, scalar=Tri.MAYBE,
                                  opaque=True, is_argument=False, leaf=False, leaf_view=False, view_kind=None,
                                  passed_in=obj.passed_in or obj.is_argument)
                state.objs[new] = obj
                made_in = self.ctx.root.made_in.get(oid)
                if made_in:
                    self.ctx.root.made_in[new] = made_in
                oids.append(new)
            return Ref(frozenset(oids), every=template.every)  # each of a model's gradients stays each
        if isinstance(template, Seq) and "*" not in template.items:  # `for i, x in enumerate(xs)`: each x anew
            return Seq(tuple(item if isinstance(item, Ref) and any(state.objs[o].leaf for o in item.objs) else
                             self.clone_template(item, state) for item in template.items), template.mutable)  # params
        return template

    def iter_item(self, iterable, node, state: State):
        if isinstance(iterable, Seq):
            items = [i for i in iterable.items if i != "*"]
            if iterable.items and iterable.items[-1] == "*":
                return self.clone_template(iterable.items[0], state)
            if not items:
                return UNKNOWN
            if alike_pieces(items, state):  # `for t in x.chunk(2)`: as for a sequence of unknown length of them
                return self.clone_template(items[0], state)
            out = items[0]
            for item in items[1:]:
                out = join_val(out, item)
            return out
        if isinstance(iterable, Optimizer):
            return iterable  # `for opt in optimizers`: the name stood for a collection (expr_Subscript)
        if isinstance(iterable, ParamsOf):
            params = self.all_params_ref(iterable.module, state)
            return Seq((UNKNOWN, params)) if iterable.named else params
        if isinstance(iterable, Ref):
            if not self.known_single_tensor(iterable, state):
                return self.clone_template(iterable, state)
            return self.make_view(iterable, node, state, "unbind", multi=True)
        iterable = self.sequential_of(iterable)  # `for layer in self:` in a subclass of nn.Sequential
        if isinstance(iterable, ModuleVal) and iterable.members:
            return any_member(iterable.members)
        return UNKNOWN

    def member_at(self, container: ModuleVal, index):
        """`self.blocks[i]` of an nn.ModuleList or nn.Sequential, `i` not a constant: the block at a number the walk
        knows, else one of the blocks `i` can reach by its bounds (a loop's counter: 0 in the first pass, past 0 in
        later ones), else any of them, as iterating the container gives."""
        members = container.members
        if isinstance(index, Number) and type(index.value) is int:
            return members[index.value] if -len(members) <= index.value < len(members) else UNKNOWN
        if isinstance(index, Number) and index.value is None and type(index.minimum) is int and \
                0 <= index.minimum < len(members):
            top = index.maximum if type(index.maximum) is int else len(members) - 1
            members = members[index.minimum:top + 1] or members
        return any_member(members)


def runs_in_order(layers: ModuleVal) -> bool:
    """A `for` over these blocks is walked through them one by one: an nn.Sequential's layers, or an nn.ModuleList's
    blocks when they are not all built alike (a stack of one kind of block is walked as a loop, whose later pass
    gives one block's output to the next)."""
    members = layers.members
    if layers.cls is not None or not members or len(members) > MAX_UNROLLED:
        return False
    if layers.kind == "Sequential":
        return True
    return layers.kind == "ModuleList" and len(members) >= 2 and \
        not all(built_alike(members[0], member) for member in members[1:])


def any_member(members: tuple):
    """One of a container's blocks, not known which: their join, where blocks built alike stand for each other."""
    out = members[0]
    for member in members[1:]:
        out = out if built_alike(out, member) else join_val(out, member)
    return out


def built_alike(a, b) -> bool:
    """Two torch.nn (or mmcv) modules built the same way, such as one constructor call on two passes of a loop
    (`layers.append(ConvModule(c, c, 3))`): calling either saves the same tensors for backward."""
    if not isinstance(a, ModuleVal) or not isinstance(b, ModuleVal):
        return a == b
    if a.cls is not None or b.cls is not None or a.kind != b.kind or a.kind == "ModuleDict" or \
            len(a.members) != len(b.members) or evolve(a, id=b.id, node=b.node, members=b.members) != b:
        return False
    return all(built_alike(x, y) for x, y in zip(a.members, b.members))


def counter_name(loop: ast.For) -> str | None:
    """The name that counts the iterations from 0: `i` in `for i in range(n)` and `for i, x in enumerate(xs)`."""
    it = loop.iter
    if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and not it.keywords) or \
            any(isinstance(a, ast.Starred) for a in it.args):
        return None
    starts_at_zero = len(it.args) == 1 or len(it.args) == 2 and isinstance(it.args[0], ast.Constant) and \
        it.args[0].value == 0 and it.args[0].value is not False
    if it.func.id == "range" and starts_at_zero and isinstance(loop.target, ast.Name):
        return loop.target.id
    if it.func.id == "enumerate" and len(it.args) == 1 and isinstance(loop.target, ast.Tuple) and \
            len(loop.target.elts) == 2 and isinstance(loop.target.elts[0], ast.Name):
        return loop.target.elts[0].id
    return None


def known_items(iterable) -> tuple | None:
    """The items of a tuple or list the walk knows item by item (at least 2), else None."""
    return iterable.items if known_length(iterable) and len(iterable.items) >= 2 else None


def grad_test(test: ast.AST, functions: dict | None = None, depth: int = 0) -> bool | None:
    """Does the test ask whether autograd is recording (`x.grad_fn is not None`, `x.requires_grad`,
    `torch.is_grad_enabled()`)? True: the body is that path and the else branch the no-grad one; False: the
    reverse (`x.grad_fn is None`, `not x.requires_grad`); None: another test. A call of one of the file's
    predicates (`def eligible(x): return ... and not x.requires_grad`) is read through."""
    if isinstance(test, ast.BoolOp):
        sides = [grad_test(v, functions, depth) for v in test.values]
        if isinstance(test.op, ast.And) and False in sides:
            return False  # the body needs that part: it is a path where nothing is recorded
        distinct = set(sides)
        return distinct.pop() if len(distinct) == 1 else None
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = grad_test(test.operand, functions, depth)
        return None if inner is None else not inner
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and functions and depth < 2:
        predicate = functions.get(test.func.id)
        body = [s for s in getattr(predicate, "body", [])
                if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]  # docstrings aside
        if len(body) == 1 and isinstance(body[0], ast.Return) and body[0].value is not None:
            return grad_test(body[0].value, functions, depth + 1)
    if isinstance(test, ast.Attribute) and test.attr == "requires_grad":
        return True
    if isinstance(test, ast.Call) and isinstance(test.func, (ast.Attribute, ast.Name)) and \
            getattr(test.func, "attr", getattr(test.func, "id", None)) == "is_grad_enabled":
        return True
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.left, ast.Attribute) and \
            test.left.attr == "grad_fn" and isinstance(test.comparators[0], ast.Constant) and \
            test.comparators[0].value is None:
        return isinstance(test.ops[0], ast.IsNot) if isinstance(test.ops[0], (ast.Is, ast.IsNot)) else None
    return None


PRUNE_AT = 2000  # tensors a module-level walk holds before it drops those no name reaches


def reachable_everything(value, out: set, depth: int = 0) -> None:
    """reachable_oids, also through optimizers, NumPy arrays, functions' closures and `super()`/`ctx` values."""
    if depth > 6:
        return
    if isinstance(value, (Ref, Seq, DictVal, ModuleVal)):
        reachable_oids(value, out, depth)
        if isinstance(value, Seq):
            for item in value.items:
                if not isinstance(item, (Ref, Seq, DictVal, ModuleVal)):
                    reachable_everything(item, out, depth + 1)
    elif isinstance(value, Optimizer):
        for ref in value.tensors:
            out.update(ref.objs)
    elif isinstance(value, NumpyArr) and value.tensor_obj is not None:
        out.add(value.tensor_obj)
    elif isinstance(value, FuncVal) and isinstance(value.closure, dict) and depth < 2:
        for item in value.closure.values():
            reachable_everything(item, out, depth + 1)
    elif isinstance(value, SuperVal):
        reachable_everything(value.instance, out, depth + 1)
    elif isinstance(value, CtxVal):
        for ref in value.saved:
            out.update(ref.objs)


def appends_if_present(node: ast.If, test, state: State) -> bool:
    """`if module is not None: module_list.append(module)` (no else) on a module that is None on some path
    (`act = None; if activation is not None: act = getattr(nn, activation)()`): the list holds the module exactly
    when there is one, which is what an optional member stands for. The body is all there is to walk."""
    if node.orelse or len(node.body) != 1 or not isinstance(node.body[0], ast.Expr):
        return False
    call = node.body[0].value
    tested = node.test.left if isinstance(node.test, ast.Compare) and len(node.test.ops) == 1 and \
        isinstance(node.test.ops[0], ast.IsNot) and isinstance(node.test.comparators[0], ast.Constant) and \
        node.test.comparators[0].value is None else node.test
    if not (isinstance(tested, ast.Name) and isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and
            call.func.attr == "append" and len(call.args) == 1 and not call.keywords and
            isinstance(call.args[0], ast.Name) and call.args[0].id == tested.id):
        return False
    value = state.env.get(tested.id)
    return isinstance(value, ModuleVal) and value.optional

