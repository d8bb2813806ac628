"""MLD501 glue-code beyond its own examples: counting statements and calls, options."""

from __future__ import annotations

from mldebt.analysis import RuleSetup
from mldebt.registry import load_registry
from mldebt.rule import Valid
from mldebt.runner import check_sources

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD501")

GLUE = """
import numpy as np
import torch

def to_batch(frame):
    a = frame["a"].values
    b = frame["b"].values
    a = a.astype("float32")
    b = b.astype("float32")
    ta = torch.from_numpy(a)
    tb = torch.from_numpy(b)
    batch = torch.stack([ta, tb])
    return batch
"""


def findings(code: str, **options: object) -> list[tuple[int, str]]:
    setup = RuleSetup(RULE, RULE.Options(**options), RULE.SEVERITY)
    result = check_sources({"example.py": Valid(code).source}, [setup])
    return [(f.line, f.message) for f in result.findings if f.code == RULE.CODE]


def test_reports_at_the_def_with_the_numbers() -> None:
    [(line, message)] = findings(GLUE)
    assert line == 4
    assert "6 of its 7 calls (86%)" in message and "8 statements" in message


def test_min_statements_option() -> None:
    assert findings(GLUE, min_statements=9) == []


def test_min_share_option() -> None:
    assert findings(GLUE, min_share=0.9) == []
    assert len(findings(GLUE, min_share=0.5)) == 1


def test_min_conversions_option() -> None:
    assert findings(GLUE, min_conversions=7) == []


def test_a_docstring_is_not_a_statement() -> None:
    code = GLUE.replace('def to_batch(frame):\n', 'def to_batch(frame):\n    """Doc."""\n')
    assert len(findings(code)) == 1
    assert findings(code, min_statements=9) == []


def test_nested_function_calls_belong_to_the_nested_function() -> None:
    # The outer function's own calls are all conversions; the helper's many ordinary
    # calls do not dilute them, and the helper itself is too small to judge.
    code = GLUE.replace(
        "    batch = torch.stack([ta, tb])\n",
        "    def helper():\n        log(1)\n        log(2)\n        log(3)\n        log(4)\n        log(5)\n"
        "    batch = torch.stack([ta, tb])\n",
    )
    assert [line for line, _ in findings(code)] == [4]


def test_a_decorated_function_is_reported_at_its_def_line() -> None:
    code = GLUE.replace("def to_batch(frame):\n", "@torch.no_grad()\ndef to_batch(frame):\n")
    [(line, message)] = findings(code)
    assert line == 5
    assert "6 of its 7 calls" in message  # the decorator's call is not the function's


def test_test_files_are_not_checked() -> None:
    setup = RuleSetup(RULE, RULE.Options(), RULE.SEVERITY)
    result = check_sources({"tests/test_batch.py": Valid(GLUE).source}, [setup])
    assert [f for f in result.findings if f.code == RULE.CODE] == []
