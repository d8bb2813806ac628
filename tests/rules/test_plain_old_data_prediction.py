"""MLD508 plain-old-data-prediction beyond its own examples: names, and one finding per function."""

from __future__ import annotations

import pytest

from mldebt.registry import load_registry
from mldebt.rule import Valid
from mldebt.testing import run_example

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD508")


def lines(code: str, path: str = "example.py") -> list[int]:
    return [finding.line for finding in run_example(RULE, Valid(code, path=path)).findings]


@pytest.mark.parametrize(
    "name",
    ["predict", "predict_batch", "predictOne", "predict2", "score_customers", "infer", "inference", "classify_image",
     "rank_items", "PredictBatch"],
)
def test_entry_point_names(name: str) -> None:
    assert lines(f"def {name}(x):\n    return a, b, c\n") == [2]


@pytest.mark.parametrize(
    "name",
    ["_predict", "predict_step", "prediction_step", "predictions", "infer_shape", "infer_dtype", "rank_zero_only",
     "evaluate", "detect", "forward", "scorer"],
)
def test_other_names(name: str) -> None:
    assert lines(f"def {name}(x):\n    return a, b, c\n") == []


def test_one_finding_per_function_at_its_first_bare_return() -> None:
    code = (
        "def predict(x):\n"
        "    if x is None:\n"
        "        return None, None, None\n"
        "    return label, prob, version\n"
        "def score(x):\n"
        "    return {'id': i, 'score': s, 'model': m}\n"
    )
    assert lines(code) == [3, 6]


def test_two_values_and_lists_are_not_reported() -> None:
    assert lines("def predict(x):\n    return label, prob\n") == []
    assert lines("def predict(x):\n    return [boxes, labels, scores]\n") == []
