"""MLD402 hidden-feedback-loop beyond its own examples: one finding per training module."""

from __future__ import annotations

from mldebt.registry import load_registry
from mldebt.rule import Invalid
from mldebt.testing import run_example

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD402")


def trainer(reads: str, writes: str) -> str:
    """A script that trains on one predictions file and writes its own predictions."""
    return (
        "import pandas as pd\n"
        f'frame = pd.read_csv("{reads}")\n'
        'model = make_model().fit(frame[["a", "b"]], frame["target"])\n'
        'frame["prediction"] = model.predict(frame[["a", "b"]])\n'
        f'frame.to_csv("{writes}")\n'
    )


def test_a_loop_through_three_training_modules_is_reported_in_each() -> None:
    files = {
        "b.py": trainer("a_scores.csv", "b_scores.csv"),
        "c.py": trainer("b_scores.csv", "c_scores.csv"),
    }
    example = Invalid(trainer("c_scores.csv", "a_scores.csv"), path="a.py", line=2, files=files)
    found = run_example(RULE, example).findings
    assert sorted((f.path, f.line) for f in found) == [("a.py", 2), ("b.py", 2), ("c.py", 2)]
    by_path = {f.path: f.message for f in found}
    assert by_path["b.py"] == (
        "A hidden feedback loop through 3 training modules closes here: `b.py` writes `b_scores.csv` → "
        "`c.py` reads it, writes `c_scores.csv` → `a.py` reads it, writes `a_scores.csv` → `b.py` reads it"
    )


def test_a_chain_of_models_that_does_not_come_back_is_no_loop() -> None:
    files = {
        "b.py": trainer("a_scores.csv", "b_scores.csv"),
        "c.py": trainer("b_scores.csv", "c_scores.csv"),
    }
    example = Invalid(trainer("labels.csv", "a_scores.csv"), path="a.py", files=files)
    assert run_example(RULE, example).findings == ()


def test_a_test_module_is_no_training_module_of_the_loop() -> None:
    files = {"tests/test_b.py": trainer("a_scores.csv", "b_scores.csv")}
    example = Invalid(trainer("b_scores.csv", "a_scores.csv"), path="a.py", files=files)
    assert run_example(RULE, example).findings == ()


def test_copies_of_a_notebook_that_each_read_back_their_own_output_are_no_loop() -> None:
    notebook = (
        "import pandas as pd\n"
        'frame = pd.read_csv("train.csv")\n'
        'model = make_model().fit(frame[["a"]], frame["y"])\n'
        'pd.DataFrame({"y": model.predict(test[["a"]])}).to_csv("submission.csv")\n'
        'blended = pd.read_csv("submission.csv")\n'
        'model.fit(blended[["y"]], frame["y"])\n'
    )
    example = Invalid(notebook, path="copy_a.py", files={"copy_b.py": notebook})
    assert run_example(RULE, example).findings == ()
