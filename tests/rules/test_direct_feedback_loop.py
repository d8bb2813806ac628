"""MLD401 direct-feedback-loop beyond its own examples: exactly one finding per loop, at the fit."""

from __future__ import annotations

import pytest

from mldebt.registry import load_registry
from mldebt.rule import Invalid, Valid
from mldebt.testing import run_example

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD401")


def lines(code: str) -> list[int]:
    return [finding.line for finding in run_example(RULE, Valid(code)).findings]


@pytest.mark.parametrize("example", RULE.INVALID, ids=lambda example: str(example.expected_line))
def test_each_invalid_example_has_exactly_one_finding(example: Invalid) -> None:
    found = [finding.line for finding in run_example(RULE, example).findings if finding.path == example.path]
    assert found == [example.expected_line]


def test_self_training_loop_written_out() -> None:
    code = """
    import numpy as np
    from sklearn.ensemble import RandomForestClassifier
    model = RandomForestClassifier(random_state=0)
    model.fit(X_labeled, y_labeled)
    probs = model.predict_proba(X_unlabeled)
    confident = np.where(np.max(probs, axis=1) > 0.9)[0]
    X_labeled = np.vstack([X_labeled, X_unlabeled[confident]])
    y_labeled = np.hstack([y_labeled, model.predict(X_unlabeled[confident])])
    model.fit(X_labeled, y_labeled)
    """
    assert lines(code) == [9]


def test_a_target_network_in_q_learning_is_not_a_loop() -> None:
    code = """
    import numpy as np
    def train(self, minibatch):
        current_qs_list = self.model.predict(current_states)
        future_qs_list = self.target_model.predict(new_states)
        X, y = [], []
        for index, (state, action, reward, new_state, done) in enumerate(minibatch):
            if not done:
                new_q = reward + DISCOUNT * np.max(future_qs_list[index])
            else:
                new_q = reward
            current_qs = current_qs_list[index]
            current_qs[action] = new_q
            X.append(state)
            y.append(current_qs)
        self.model.fit(np.array(X), np.array(y), verbose=0)
    """
    assert lines(code) == []


def test_each_fit_reports_once() -> None:
    code = """
    def loop(model, frame):
        frame["label"] = model.predict(frame[["a"]])
        frame["copy"] = frame["label"]
        model.fit(frame[["a", "label"]], frame["copy"])
    """
    assert lines(code) == [4]
