"""Calls that only move data from one format to another: the stuff of glue code.

A conversion changes how values are held (a DataFrame, a NumPy array, a tensor on
some device, a Python list, JSON text), never what they are. Functions match by
qualified name; methods match by name whatever the receiver, since the receiver
(a frame, an array, a tensor) is rarely typed.
"""

from __future__ import annotations

# --- Functions, by qualified name ------------------------------------------------------

CONVERSION_FUNCTIONS = frozenset(
    {
        # NumPy: anything array-like into an ndarray.
        "numpy.array",
        "numpy.asarray",
        "numpy.asanyarray",
        "numpy.ascontiguousarray",
        # PyTorch: arrays and lists into tensors.
        "torch.tensor",
        "torch.as_tensor",
        "torch.from_numpy",
        # TensorFlow: arrays and lists into tensors.
        "tensorflow.convert_to_tensor",
        # pandas: arrays, lists and dicts into frames and series.
        "pandas.DataFrame",
        "pandas.Series",
        "pandas.DataFrame.from_dict",
        "pandas.DataFrame.from_records",
        # JSON text in and out.
        "json.dumps",
        "json.loads",
    }
)

# --- Methods, whatever the receiver ----------------------------------------------------

CONVERSION_METHODS = frozenset(
    {
        # pandas -> NumPy / Python.
        "to_numpy",
        "tolist",
        "to_list",
        # tensor -> NumPy, and between devices and autograd graphs.
        "numpy",
        "cpu",
        "detach",
        # dtype and shape changes that keep the values.
        "astype",
        "reshape",
    }
)

# Attributes read (not called) that convert: pandas `frame.values` is an ndarray.
# `mapping.values()`, a call, is a dict method and not a conversion.
CONVERSION_ATTRIBUTES = frozenset({"values"})
