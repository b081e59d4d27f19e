"""Keras 3 on the torch backend: a layer's `call` is its forward.

Keras 3 (and keras-core before it) runs a layer on the backend the user picks; with KERAS_BACKEND=torch a layer's
`call(self, inputs, training=...)` runs under torch autograd, its weights are nn.Parameters and `keras.ops` are
torch ops, so `inputs *= mask` changes the caller's torch tensor in place (Keras 2, tf.keras, only runs on
TensorFlow, where `*=` makes a new tensor). A file is Keras 3 code when it imports keras-core, or Keras 3's backend
operations (`from keras import ops`, `from keras.src import ops`, `keras.ops`): such a file is checked, and a method
named `call` of its classes is taken as a layer's forward (training.py). A layer is called through Keras's own
`Layer.__call__`, which the walk does not follow, so a layer another layer of the file builds is still walked on its
own (training.classes_called_here).
"""

from __future__ import annotations

import ast

KERAS_CORE = "keras_core"
KERAS_ROOTS = ("keras", "keras.src")
LAYER_CALL = "call"


def keras3_file(tree: ast.Module) -> bool:
    """Does the module's own top-level import list import keras-core or Keras 3's `ops`? (kept on the tree)"""
    found = tree.__dict__.get("_gg_keras3")
    if found is None:
        found = tree._gg_keras3 = any(keras3_import(node) for node in tree.body)
    return found


def keras3_import(node: ast.stmt) -> bool:
    if node.__class__ is ast.Import:
        return any(a.name.split(".")[0] == KERAS_CORE or operations_module(a.name) for a in node.names)
    if node.__class__ is ast.ImportFrom and node.module and not node.level:
        if node.module.split(".")[0] == KERAS_CORE or operations_module(node.module):
            return True
        return node.module in KERAS_ROOTS and any(a.name == "ops" for a in node.names)
    return False


def operations_module(module: str) -> bool:
    """keras.ops, keras.src.ops and the modules under them."""
    return any(module == f"{root}.ops" or module.startswith(f"{root}.ops.") for root in KERAS_ROOTS)
