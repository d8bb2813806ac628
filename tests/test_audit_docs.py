"""docs/audit.md stays true: every `mldebt audit` flag, every line category, the weights."""

from __future__ import annotations

from pathlib import Path

import click

from mldebt import cli
from mldebt.audit import SEVERITY_WEIGHTS
from mldebt.knowledge import composition as table

PAGE = Path(__file__).resolve().parents[1] / "docs" / "audit.md"


def test_every_audit_flag_is_documented() -> None:
    page = PAGE.read_text(encoding="utf-8")
    flags = [max(p.opts, key=len) for p in cli.audit_command.params if isinstance(p, click.Option) and p.name != "help"]
    missing = [flag for flag in flags if f"`{flag}" not in page]
    assert not missing, f"docs/audit.md does not document {missing}"


def test_every_category_is_in_the_table_in_precedence_order() -> None:
    page = PAGE.read_text(encoding="utf-8")
    rows = [line for line in page.splitlines() if line.startswith("| ") and "| `" in line]
    keys = [row.split("|")[2].strip().strip("`") for row in rows if row.split("|")[2].strip().strip("`") in table.CATEGORIES]
    assert keys == list(table.CATEGORIES)
    for category in table.CATEGORIES:
        assert f"| {table.LABELS[category]} | `{category}` |" in page
    order = ", ".join(table.LABELS[category] for category in table.PRECEDENCE)
    assert order.lower().replace("data collection & verification", "data").replace("feature extraction", "features") in page.lower().replace("**", "")


def test_the_weights_are_documented() -> None:
    page = PAGE.read_text(encoding="utf-8")
    for severity, weight in SEVERITY_WEIGHTS.items():
        assert f"| `{severity.value}` | {weight} |" in page
