"""Keras 3 on the torch backend (analysis/keras_layers.py): a layer's `call` is its forward. With KERAS_BACKEND=torch
the cell below gets each time step as an unbind() output of the sequence (torch raises 'Output 0 of Unbind is a view
and is being modified inplace', rule example GG202/bad_rnn_cell_drops_out_its_step_input.py); Keras 2 code, which only
runs on TensorFlow, stays unchecked."""

from __future__ import annotations

from gradguard.analysis.checker import check_source
from gradguard.config import Config

CELL = """\
from keras import ops
from keras.layers.layer import Layer
from keras.layers.rnn.rnn import RNN


class LSTMCell(Layer):
    def __init__(self, units, dropout=0.0, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.dropout = min(1.0, max(0.0, dropout))

    def call(self, inputs, states, training=False):
        h_tm1 = states[0]
        dp_mask = self.get_dropout_mask(inputs)
        if training and 0.0 < self.dropout < 1.0:
            inputs *= dp_mask
        z = ops.matmul(inputs, self.kernel)
        z += ops.matmul(h_tm1, self.recurrent_kernel)
        return z, [z]


class LSTM(RNN):
    def __init__(self, units, dropout=0.0, **kwargs):
        cell = LSTMCell(units, dropout=dropout)
        super().__init__(cell, **kwargs)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        return super().call(sequences, mask=mask, training=training, initial_state=initial_state)
"""


def found(source: str) -> list[tuple[str, int]]:
    return [(f.code, f.span.line) for f in check_source(source, "lstm.py", Config()).findings]


def test_layer_call_changing_its_input_is_reported():
    assert found(CELL) == [("GG202", 16)]


def test_layer_call_scaling_out_of_place_is_clean():
    assert found(CELL.replace("inputs *= dp_mask", "inputs = inputs * dp_mask")) == []


def test_keras_core_layer():
    source = CELL.replace("from keras import ops", "from keras_core import operations as ops")
    assert found(source.replace("from keras.", "from keras_core.")) == [("GG202", 16)]


def test_keras_2_code_runs_on_tensorflow_only():
    assert found(CELL.replace("from keras import ops\n", "from keras import backend\n")) == []


def test_tensorflow_backend_code_is_not_checked():
    assert found("import tensorflow as tf\n" + CELL) == []


def test_method_named_call_of_a_plain_class_is_no_entry():
    source = "from keras import ops\n\n\nclass Helper:\n    def call(self, x):\n        x *= 2\n        return x\n"
    assert found(source) == []
