"""gradguard: finds PyTorch code that breaks autograd by changing a tensor in place.

The analysis is a pure library: ``analyze(source, path)`` takes text and returns findings.
It never imports torch and never runs the code it reads.
"""

__version__ = "0.1.0"
