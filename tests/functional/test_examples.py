"""The bundled example projects: the debt one shows every rule, the paid one none."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from mldebt.cli import main
from mldebt.registry import load_registry

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
RULES = [rule for rule in load_registry().rules if rule.CODE != "MLD001"]
EVERY_RULE = ",".join(rule.CODE for rule in RULES)


@lru_cache(maxsize=None)
def _check(project: str) -> tuple[int, tuple[tuple[str, str, int], ...]]:
    result = CliRunner().invoke(
        main, ["check", str(EXAMPLES / project), "--select", EVERY_RULE, "--format", "json", "--no-cache"], catch_exceptions=False
    )
    findings = json.loads(result.stdout)["findings"]
    return result.exit_code, tuple((f["code"], f["path"], f["line"]) for f in findings)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.CODE)
def test_the_debt_project_shows_the_rule(rule: type) -> None:
    _, findings = _check("debt")
    assert any(code == rule.CODE for code, _, _ in findings), f"examples/debt has no {rule.CODE} {rule.NAME}"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.CODE)
def test_the_paid_project_does_not(rule: type) -> None:
    _, findings = _check("paid")
    assert [f for f in findings if f[0] == rule.CODE] == []


def test_exit_codes_of_the_examples() -> None:
    assert _check("debt")[0] == 1
    assert _check("paid")[0] == 0


def test_the_examples_have_the_same_modules() -> None:
    def modules(project: str) -> set[str]:
        return {p.relative_to(EXAMPLES / project).as_posix() for p in (EXAMPLES / project).rglob("*.py")}

    assert modules("debt") == modules("paid")
