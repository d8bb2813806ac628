from __future__ import annotations

import libcst as cst
import pytest

from mldebt.names import ImportAliases, absolute_module, collect_top_level


def _resolve(source: str, expression: str, module: str = "pkg.mod", is_package: bool = False) -> str | None:
    tree = cst.parse_module(source)
    aliases = ImportAliases(module, is_package)
    collect_top_level(tree, aliases)
    return aliases.qualified_name(cst.parse_expression(expression))


@pytest.mark.parametrize(
    ("source", "expression", "expected"),
    [
        ("import numpy as np\n", "np.random.rand", "numpy.random.rand"),
        ("import numpy\n", "numpy.random.rand", "numpy.random.rand"),
        ("import numpy.random as npr\n", "npr.shuffle", "numpy.random.shuffle"),
        ("import torch.nn.functional as F\n", "F.softmax", "torch.nn.functional.softmax"),
        ("from sklearn.model_selection import train_test_split as tts\n", "tts", "sklearn.model_selection.train_test_split"),
        ("import os.path\n", "os.path.join", "os.path.join"),
        ("", "open", "builtins.open"),
        ("try:\n    import ujson as json\nexcept ImportError:\n    json = None\n", "json.loads", "ujson.loads"),
    ],
)
def test_resolves_through_imports(source: str, expression: str, expected: str) -> None:
    assert _resolve(source, expression) == expected


@pytest.mark.parametrize(
    ("source", "expression"),
    [
        ("", "np.random.rand"),  # never imported
        ("def train_test_split(frame): ...\n", "sklearn.train_test_split"),
        ("from a import f\nfrom b import f\n", "f"),  # two meanings: stay silent
        ("from sklearn.model_selection import train_test_split\ndef train_test_split(x): ...\n", "train_test_split"),
        ("from x import *\n", "thing"),
    ],
)
def test_stays_silent_when_unsure(source: str, expression: str) -> None:
    assert _resolve(source, expression) is None


def test_local_definition_resolves_to_the_module_itself() -> None:
    assert _resolve("def helper(): ...\n", "helper") == "pkg.mod.helper"


def test_relative_imports_resolve_against_the_importer() -> None:
    assert _resolve("from .config import LR\n", "LR", module="pkg.train") == "pkg.config.LR"
    assert _resolve("from ..data import load\n", "load", module="pkg.sub.train") == "pkg.data.load"
    assert _resolve("from . import utils\n", "utils.f", module="pkg", is_package=True) == "pkg.utils.f"


def test_absolute_module_levels() -> None:
    assert absolute_module("x", 0, "a.b", False) == "x"
    assert absolute_module("x", 1, "a.b", False) == "a.x"
    assert absolute_module(None, 1, "a.b", True) == "a.b"
    assert absolute_module("x", 2, "a.b.c", False) == "a.x"
