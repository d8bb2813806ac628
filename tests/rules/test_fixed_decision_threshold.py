"""MLD701 fixed-decision-threshold beyond its own examples: one finding per comparison, names."""

from __future__ import annotations

import pytest

from mldebt.knowledge.models import name_words
from mldebt.registry import load_registry
from mldebt.rule import Valid
from mldebt.testing import run_example

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD701")


def lines(code: str, path: str = "example.py") -> list[int]:
    return [finding.line for finding in run_example(RULE, Valid(code, path=path)).findings]


def test_one_finding_per_comparison() -> None:
    code = """
    import numpy as np
    labels = np.where(model.predict_proba(X)[:, 1] > 0.5, 1, 0)
    band = 0.3 < probs < 0.7
    """
    assert lines(code) == [2, 3]


@pytest.mark.parametrize(
    ("identifier", "words"),
    [("yProba", ("y", "proba")), ("pred_scores2", ("pred", "scores2", "scores")), ("f1_score", ("f1", "f", "score"))],
)
def test_name_words(identifier: str, words: tuple[str, ...]) -> None:
    assert name_words(identifier) == words


@pytest.mark.parametrize(
    "code",
    [
        "hit = probs > 0.5\n",
        "hit = y_pred_proba >= 0.42\n",
        "pred_score = ranker.predict(batch)\nhit = pred_score > 0.9\n",
        "hit = detection.confidence > 0.25\n",
        "hit = mean_probs > 0.5\n",
        "hit = val_probs > 0.5\n",
        "hit = logits.sigmoid() > 0.5\n",
        "hit = 0.5 <= probs\n",
        "hit = probs.ge(0.5)\n",
        "score = detector(image)[0]\nhit = score > -0.25\n",
    ],
)
def test_flagged(code: str) -> None:
    assert lines(code) == [len(code.splitlines())]


@pytest.mark.parametrize(
    "code",
    [
        "hit = problem_size > 0.5\n",
        "hit = f1_score > 0.9\n",
        "hit = best_score > 0.5\n",
        "hit = mean_score > 0.5\n",
        "hit = probs == 0.5\n",
        "hit = probs > 1\n",
        "hit = probs > 0.001\n",
        "hit = dropout_prob > 0.5\n",
        "hit = prob_threshold < 0.5\n",
        "hit = probs > threshold\n",
        "hit = model.predict(X) > 0.5\n",
        "hit = y_pred > 0.5\n",
        "hit = score > 0.5\n",
        "hit = result.score > 0.5\n",
        "def keep(score):\n    return score > 0.5\n",
        "hit = frame['prob'] > 0.5\n",
    ],
)
def test_not_flagged(code: str) -> None:
    assert lines(code) == []


def test_a_name_assigned_from_a_model_score_call_counts_whatever_its_name() -> None:
    code = """
    def decide(clf, X):
        out = clf.predict_proba(X)[:, 1]
        return out > 0.3
    """
    assert lines(code) == [3]


def test_a_score_assigned_from_a_metric_is_not_flagged_even_in_a_nested_function() -> None:
    code = """
    from sklearn.metrics import accuracy_score
    score = accuracy_score(y, p)
    def report():
        if score > 0.8:
            print("ok")
    """
    assert lines(code) == []
