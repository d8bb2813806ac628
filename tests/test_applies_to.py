"""`Rule.applies_to`: a rule left out of a file's traversal must be one that would have said nothing there."""

from __future__ import annotations

from typing import Any

import libcst as cst
import pytest

from mldebt import FileContext, Invalid, Rule, Section, Valid
from mldebt.analysis import RuleSetup, analyse_source
from mldebt.registry import load_registry
from mldebt.rule import Rule as FileRule

REGISTRY = load_registry()
# Paths a rule may decline: test modules, config modules, a prototype folder.
DECLINABLE_PATHS = ("tests/test_example.py", "conftest.py", "config.py", "sandbox/example.py")


def _declining_rules() -> list[object]:
    cases = []
    for rule in REGISTRY.rules:
        if not issubclass(rule, FileRule) or rule.applies_to.__func__ is FileRule.applies_to.__func__:  # type: ignore[attr-defined]
            continue
        for path in DECLINABLE_PATHS:
            context = FileContext(path=path, module=path[:-3].replace("/", "."))
            if not rule.applies_to(context):
                for index, example in enumerate((*rule.INVALID, *rule.VALID)):
                    if (example.path or "").endswith(".ipynb"):
                        continue  # a notebook example is notebook text, not a module to place at a .py path
                    cases.append(pytest.param(rule, path, example, id=f"{rule.CODE}-{path}-{index}"))
    return cases


@pytest.mark.parametrize(("rule", "path", "example"), _declining_rules())
def test_a_declined_file_is_one_the_rule_is_silent_on(
    rule: type[Rule], path: str, example: Valid | Invalid, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run anyway where the rule declines, on its own examples: no finding, nothing recorded."""
    monkeypatch.setattr(rule, "applies_to", classmethod(lambda cls, context: True))
    result = analyse_source(example.source, path, [RuleSetup(rule, rule.Options(), rule.SEVERITY)])
    assert not result.errors
    assert [finding for finding in result.findings if finding.code == rule.CODE] == []
    assert result.facts is not None and rule.CODE not in result.facts.rule_data


class _EverywhereButTests(Rule):
    CODE = "MLD999"
    NAME = "everywhere-but-tests"
    SECTION = Section.TOOL
    MESSAGE = "seen"

    @classmethod
    def applies_to(cls, context: FileContext) -> bool:
        return not context.is_test

    def visit_Module(self, node: cst.Module) -> None:
        self.report(node)


def test_the_engine_leaves_a_declining_rule_out_of_the_traversal() -> None:
    setups: list[Any] = [RuleSetup(_EverywhereButTests, _EverywhereButTests.Options(), _EverywhereButTests.SEVERITY)]
    assert [f.code for f in analyse_source("x = 1\n", "train.py", setups).findings] == ["MLD999"]
    assert analyse_source("x = 1\n", "tests/test_train.py", setups).findings == ()
