"""MLD201 correction-cascade beyond its own examples: exactly one finding per cascade, at the fit."""

from __future__ import annotations

import pytest

from mldebt.registry import load_registry
from mldebt.rule import Invalid, Valid
from mldebt.testing import run_example

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD201")


def lines(code: str) -> list[int]:
    return [finding.line for finding in run_example(RULE, Valid(code)).findings]


@pytest.mark.parametrize("example", RULE.INVALID, ids=lambda example: str(example.expected_line))
def test_each_invalid_example_has_exactly_one_finding(example: Invalid) -> None:
    found = [finding.line for finding in run_example(RULE, example).findings if finding.path == example.path]
    assert found == [example.expected_line]


def test_one_finding_per_consuming_fit() -> None:
    code = """
    import numpy as np
    from sklearn.model_selection import cross_val_score
    def stack(base_models, stacker, X, y):
        level_one = np.column_stack([m.predict_proba(X)[:, 1] for m in base_models])
        scores = cross_val_score(stacker, level_one, y, cv=3)
        stacker.fit(level_one, y)
        stacker.fit(X, y)
    """
    assert lines(code) == [5, 6]


def test_the_same_class_rebound_is_left_alone() -> None:
    code = """
    import numpy as np
    from xgboost import XGBRegressor
    model = XGBRegressor().fit(X, y)
    p = model.predict(X)
    model = XGBRegressor()
    model.fit(np.c_[X, p], y)
    """
    assert lines(code) == []


def test_a_teacher_mixed_into_the_labels_adjusts_the_target() -> None:
    code = """
    soft = 0.5 * teacher.predict_proba(X) + 0.5 * y_onehot
    student.fit(X, soft)
    """
    assert lines(code) == [2]


def test_stacking_outside_an_estimator_class_is_reported() -> None:
    code = """
    import numpy as np
    class Ensemble:
        def fit_predict(self, X, y):
            train_meta = np.column_stack([clf.fit(X, y).predict(X) for clf in self.base_models])
            self.stacker.fit(train_meta, y)
    """
    assert lines(code) == [5]


def test_an_encoder_by_name_is_feature_extraction() -> None:
    code = """
    import numpy as np
    codes = encoder.predict(X)
    clf.fit(np.c_[X, codes], y)
    """
    assert lines(code) == []


def test_a_network_trained_on_labels_here_is_a_predictor() -> None:
    code = """
    import numpy as np
    from keras.models import Sequential
    net = Sequential()
    net.fit(X, y)
    gbm.fit(np.c_[X, net.predict(X)], y)
    """
    assert lines(code) == [5]


def test_message_names_both_models() -> None:
    code = """
    from sklearn.ensemble import RandomForestRegressor
    rf = RandomForestRegressor().fit(X, y)
    gbm.fit(X, y - rf.predict(X))
    """
    [finding] = run_example(RULE, Valid(code)).findings
    assert finding.message == (
        "`gbm.fit(...)` trains `gbm` on top of `rf`: the output of `rf.predict` (line 3) adjusts its target"
    )
