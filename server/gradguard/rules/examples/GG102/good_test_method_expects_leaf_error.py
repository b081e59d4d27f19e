"""A TestCase's `test...` method checks that torch refuses to change a parameter's element in place."""
import torch
import torch.nn as nn


class ExpectedError:
    """What `assertRaisesRegex` returns: passes the block's exception if its message matches, fails otherwise."""

    def __init__(self, kind, pattern):
        self.kind, self.pattern = kind, pattern

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if kind is None or not issubclass(kind, self.kind) or self.pattern not in str(error):
            raise AssertionError(f"expected {self.kind.__name__} matching {self.pattern!r}, got {error!r}")
        print("raised as expected:", error)
        return True


class TestCase:
    """Stands in for unittest.TestCase: the runner finds each `test...` method by name and calls it."""

    def assertRaisesRegex(self, kind, pattern):
        return ExpectedError(kind, pattern)

    def run(self):
        for name in dir(self):
            if name.startswith("test"):
                getattr(self, name)()


class BiasTest(TestCase):
    def test_element_write_is_refused(self):
        bias = nn.Parameter(torch.zeros(6))
        with self.assertRaisesRegex(RuntimeError, "a view of a leaf Variable"):
            bias[2] = -10000
        print("bias:", bias.tolist())


BiasTest().run()
