"""The README stays true: its rule table and its test command."""

from __future__ import annotations

from pathlib import Path

from mldebt.docs import with_readme_table
from mldebt.registry import load_registry

TEST_COMMAND = 'python -m pip install -e ".[test]" && python -m pytest -q'


def test_readme_rule_table_is_current(repo_root: Path) -> None:
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    assert readme == with_readme_table(readme, load_registry().rules), (
        "README.md's rule table is stale: run `python -m mldebt.docs`"
    )


def test_readme_lists_every_rule(repo_root: Path) -> None:
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    for rule in load_registry().rules:
        assert f"| {rule.NAME} | {rule.SEVERITY.value} |" in readme, f"README lacks {rule.CODE}"


def test_ci_runs_the_readme_test_command(repo_root: Path) -> None:
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    ci = (repo_root / ".ci" / "run").read_text(encoding="utf-8")
    assert TEST_COMMAND in readme
    assert any(line.strip() == TEST_COMMAND for line in ci.splitlines())
