"""GG505: a custom autograd.Function's forward marks tensors dirty (`ctx.mark_dirty`) and returns without one of
them. torch raises at `apply` as forward returns (grad mode on or off, whatever requires grad). Each program below
was run under torch 2.13: the ones with an expected line raise "Some elements marked as dirty during the forward
method were not returned as output"; the others run clean (the precision cases: the tensor is returned under another
name, through a list or ctx, or on a path the mark is not made on). The bad/good pairs in rules/examples/GG505 are
run by the test suite itself."""

from __future__ import annotations

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

DRIVER = '''

w = torch.randn(4, requires_grad=True)
out = Fn.apply(w * 1, torch.zeros(4), True)
y = out[0] if isinstance(out, tuple) else out
y.sum().backward()
print(w.grad)
'''

CASES = {
    # a classmethod forward: ctx is its second argument
    "classmethod": ('''
import torch
class Fn(torch.autograd.Function):
    @classmethod
    def forward(cls, ctx, x, stat, training):
        x.mul_(2)
        stat.add_(x.detach())
        ctx.mark_dirty(x, stat)
        return x
    @staticmethod
    def backward(ctx, g):
        return g * 2, None, None
''', [9]),
    # marked in a loop's body, returned without the second
    "loop": ('''
import torch
class Fn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, stat, training):
        for t in (x, stat):
            t.mul_(2)
            ctx.mark_dirty(x, stat)
        return x
    @staticmethod
    def backward(ctx, g):
        return g * 2, None, None
''', [9]),
    # the same test guards the mark and the return that gives the statistic back: the later return is not reached
    # from the mark
    "same test": ('''
import torch
class Fn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, stat, training):
        x.mul_(2)
        if training:
            stat.add_(1)
            ctx.mark_dirty(x, stat)
        else:
            ctx.mark_dirty(x)
        if training:
            ctx.mark_non_differentiable(stat)
            return x, stat
        return x
    @staticmethod
    def backward(ctx, g, *rest):
        return g * 2, None, None
''', []),
    # an early return before the mark
    "early return": ('''
import torch
class Fn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, stat, training):
        if not training:
            return x * 2
        x.mul_(2)
        stat.add_(1)
        ctx.mark_dirty(x, stat)
        ctx.mark_non_differentiable(stat)
        return x, stat
    @staticmethod
    def backward(ctx, g, *rest):
        return g * 2, None, None
''', []),
    # returned through a list the forward fills, and through an attribute of ctx
    "holders": ('''
import torch
class Fn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, stat, training):
        x.mul_(2)
        stat.add_(1)
        ctx.mark_dirty(x, stat)
        ctx.mark_non_differentiable(stat)
        ctx.stat = stat
        outs = [x]
        outs.append(ctx.stat)
        return tuple(outs)
    @staticmethod
    def backward(ctx, g, *rest):
        return g * 2, None, None
''', []),
    # a starred mark names no tensor the check can follow
    "starred": ('''
import torch
class Fn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, stat, training):
        x.mul_(2)
        stat.add_(1)
        dirty = (x, stat)
        ctx.mark_dirty(*dirty)
        ctx.mark_non_differentiable(stat)
        return x, stat
    @staticmethod
    def backward(ctx, g, *rest):
        return g * 2, None, None
''', []),
    # an early return on one path holds the statistic (`mean = stat.contiguous()`); the path that marks it dirty
    # rebinds that name to a fresh tensor first, and returns without the statistic (a distributed sync batch norm)
    "rebound on the marking path": ('''
import torch
class Fn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, stat, training):
        if not training:
            mean = stat.contiguous()
            return x - mean
        mean = x.mean()
        stat.mul_(0.9).add_(0.1 * mean)
        ctx.mark_dirty(stat)
        y = x - mean
        return y
    @staticmethod
    def backward(ctx, g):
        return g, None, None
''', [13]),
    # a function defined inside forward: its own return is not forward's
    "nested return": ('''
import torch
class Fn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, stat, training):
        def scale(t):
            return t.mul_(2)
        scale(x)
        stat.add_(1)
        ctx.mark_dirty(x, stat)
        return x
    @staticmethod
    def backward(ctx, g):
        return g * 2, None, None
''', [11]),
}


@pytest.mark.parametrize("name", CASES)
def test_dirty_tensors_missing_from_a_return(name):
    source, lines = CASES[name]
    found = analyze(source + DRIVER, "fn.py", Config())
    assert sorted(f.span.line for f in found.findings if f.code == "GG505") == lines


def test_a_plain_class_with_a_mark_dirty_method_is_not_a_custom_function():
    source = '''
import torch
class Recorder:
    @staticmethod
    def forward(ctx, x, stat):
        ctx.mark_dirty(x, stat)
        return x
'''
    assert not [f for f in analyze(source, "rec.py", Config()).findings if f.code == "GG505"]
