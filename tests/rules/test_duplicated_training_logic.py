"""MLD805 duplicated-training-logic beyond its own examples: which copy is the original, and
copies that share a module."""

from __future__ import annotations

from mldebt.analysis import RuleSetup
from mldebt.findings import Finding
from mldebt.registry import load_registry
from mldebt.runner import check_sources

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD805")
EVALUATE = """
def evaluate(model, loader, criterion):
    model.eval()
    total = 0.0
    correct = 0
    for inputs, targets in loader:
        outputs = model(inputs)
        total += criterion(outputs, targets).item()
        correct += (outputs.argmax(1) == targets).sum().item()
    print(total / len(loader))
    print(correct / len(loader.dataset))
    return correct
"""


def findings(files: dict[str, str]) -> list[Finding]:
    setup = RuleSetup(RULE, RULE.Options(), RULE.SEVERITY)
    return [f for f in check_sources(files, [setup]).findings if f.code == "MLD805"]


def test_the_first_copy_by_path_is_the_original() -> None:
    validate = EVALUATE.replace("def evaluate", "def validate")
    files = {"z/eval.py": EVALUATE, "a/eval.py": validate, "m/eval.py": EVALUATE}
    found = sorted((f.path, f.line) for f in findings(files))
    assert found == [("m/eval.py", 2), ("z/eval.py", 2)]
    assert all("`validate` of `a/eval.py` (line 2)" in f.message for f in findings(files))
    assert all(f.message.endswith("; 3 modules hold a copy") for f in findings(files))


def test_copies_beside_the_original_are_not_reported_but_copies_elsewhere_are() -> None:
    twice = EVALUATE + EVALUATE.replace("def evaluate", "def evaluate_again")
    assert findings({"a/eval.py": twice}) == []
    found = sorted((f.path, f.line) for f in findings({"a/eval.py": twice, "b/eval.py": twice}))
    assert found == [("b/eval.py", 2), ("b/eval.py", 14)]
