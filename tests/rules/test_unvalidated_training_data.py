"""MLD804 unvalidated-training-data beyond its own examples: one finding per load, at its first fit."""

from __future__ import annotations

import pytest

from mldebt.registry import load_registry
from mldebt.rule import Invalid, Valid
from mldebt.testing import run_example

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD804")


def lines(code: str, path: str = "example.py") -> list[int]:
    return [finding.line for finding in run_example(RULE, Valid(code, path=path)).findings]


@pytest.mark.parametrize("example", RULE.INVALID, ids=lambda example: str(example.expected_line))
def test_each_invalid_example_has_exactly_one_finding(example: Invalid) -> None:
    assert lines(example.code) == [example.expected_line]


def test_one_finding_per_load_at_its_first_fit() -> None:
    code = """
    import pandas as pd
    train = pd.read_csv("train.csv")
    for fold in range(5):
        model.fit(train[["a"]], train["y"])
        other.fit(train[["a"]], train["y"])
    extra = pd.read_csv("extra.csv")
    other.fit(pd.concat([train, extra])[["a"]], pd.concat([train, extra])["y"])
    """
    assert lines(code) == [4, 7]


def test_a_check_between_two_fits_covers_the_later_ones_only() -> None:
    code = """
    import numpy as np
    X = np.load("X.npy")
    first.fit(X, y)
    assert np.isfinite(X).all()
    second.fit(X, y)
    """
    assert lines(code) == [3]


def test_notebook_style_module_level_code() -> None:
    code = """
    import pandas as pd
    from sklearn.model_selection import cross_val_score
    from sklearn.ensemble import RandomForestRegressor
    home = pd.read_csv("train.csv")
    y = home.SalePrice
    X = home[["LotArea", "YearBuilt"]]
    scores = cross_val_score(RandomForestRegressor(), X, y, cv=5)
    """
    assert lines(code) == [7]


def test_tests_are_left_alone() -> None:
    code = """
    import pandas as pd
    def test_fit():
        frame = pd.read_csv("fixture.csv")
        model.fit(frame, frame["y"])
    """
    assert lines(code, path="tests/test_fit.py") == []
    assert lines(code, path="fit.py") == [4]
