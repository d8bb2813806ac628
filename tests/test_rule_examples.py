"""Every rule's own VALID and INVALID examples, run through the whole pipeline."""

from __future__ import annotations

import pytest

from mldebt.builtin import BUILTIN_RULES
from mldebt.registry import load_registry
from mldebt.rule import Invalid, RuleMetadata, Valid
from mldebt.testing import run_example

REGISTRY = load_registry()


def _cases() -> list[object]:
    cases = []
    for rule in REGISTRY.rules:
        for kind, examples in (("valid", rule.VALID), ("invalid", rule.INVALID)):
            for index, example in enumerate(examples):
                cases.append(pytest.param(rule, example, id=f"{rule.CODE}-{rule.NAME}-{kind}-{index}"))
    return cases


@pytest.mark.parametrize(("rule", "example"), _cases())
def test_rule_example(rule: type[RuleMetadata], example: Valid | Invalid) -> None:
    outcome = run_example(rule, example)
    assert outcome.problem is None, f"{rule.CODE}: {outcome.problem}\n--- example ---\n{example.source}"


@pytest.mark.parametrize("rule", REGISTRY.rules, ids=lambda r: r.CODE)
def test_every_rule_has_examples_of_both_kinds(rule: type[RuleMetadata]) -> None:
    assert len(rule.INVALID) >= 1 and len(rule.VALID) >= 1
    if rule not in BUILTIN_RULES:
        assert len(rule.INVALID) >= 2 and len(rule.VALID) >= 2, "a rule needs several examples of each kind"


@pytest.mark.parametrize("rule", [r for r in REGISTRY.rules if r not in BUILTIN_RULES], ids=lambda r: r.CODE)
def test_rule_docstring_has_the_documented_sections(rule: type[RuleMetadata]) -> None:
    doc = rule.explanation()
    for heading in ("## What it does", "## Why is this bad?", "## Example", "Use instead:", "## References"):
        assert heading in doc, f"{rule.CODE} docstring lacks {heading!r}"
    assert f"§{rule.SECTION.number}" in doc, "the 'why' cites the paper section by number"


@pytest.mark.parametrize("rule", [r for r in REGISTRY.rules if r not in BUILTIN_RULES], ids=lambda r: r.CODE)
def test_rule_code_matches_its_paper_section(rule: type[RuleMetadata]) -> None:
    assert rule.CODE[3] == str(rule.SECTION.number)
