"""The hooks of `.pre-commit-hooks.yaml`, run the way pre-commit runs them.

pre-commit runs a hook at the repository root as `shlex.split(entry) + args + file
names` (the staged files that pass the hook's `types` filter; none with
`pass_filenames: false`). These tests do the same with the `mldebt` of the running
environment, in a throw-away git repository with one file of debt and one clean file.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

import mldebt

ROOT = Path(__file__).resolve().parents[1]
HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"
# `path:line:col CODE name [severity] message`, the start of every finding line of the text format.
# A notebook's finding says its cell: `path:cell N:line:col`.
FINDING_LINE = re.compile(
    r"^(?P<path>\S+?):(?:cell \d+:)?(?P<line>\d+):(?P<column>\d+) (?P<code>MLD\d{3}) ", re.MULTILINE
)

DEBT = """\
USE_NEW_FEATURES = False

if USE_NEW_FEATURES:
    frame = add_embeddings(frame)
"""
CLEAN = """\
def scale(values, factor):
    return [value * factor for value in values]
"""


def _hooks() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, list), ".pre-commit-hooks.yaml must be a list of hooks"
    return {hook["id"]: hook for hook in data}


def _mldebt_command() -> list[str]:
    """The `mldebt` console script of the running environment (pre-commit installs it in its own)."""
    found = shutil.which("mldebt", path=sysconfig.get_path("scripts"))
    return [found] if found else [sys.executable, "-m", "mldebt"]


def _selected_by_types(hook: dict[str, Any], staged: list[str]) -> list[str]:
    # pre-commit's `types_or: [python, jupyter]` selects Python files and notebooks (by extension,
    # for the files used here).
    assert hook.get("types_or") == ["python", "jupyter"], "update this filter with the hook's types"
    return [name for name in staged if name.endswith((".py", ".pyi", ".ipynb"))]


@dataclass(frozen=True)
class HookRun:
    returncode: int
    output: str

    @property
    def reported(self) -> set[tuple[str, str]]:
        """(path, code) of every finding printed."""
        return {(match["path"], match["code"]) for match in FINDING_LINE.finditer(self.output)}


def run_hook(hook_id: str, repo: Path, staged: list[str]) -> HookRun:
    hook = _hooks()[hook_id]
    command = shlex.split(hook["entry"])
    assert command[0] == "mldebt", "the hook's entry runs the mldebt console script"
    command = _mldebt_command() + command[1:] + list(hook.get("args", []))
    if hook.get("pass_filenames", True):
        command += _selected_by_types(hook, staged)
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH",)}
    env["PYTHONPATH"] = str(Path(mldebt.__file__).resolve().parents[1])  # the mldebt under test
    env["NO_COLOR"] = "1"
    result = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=120)
    return HookRun(result.returncode, result.stdout + result.stderr)


def _git_repo(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir()
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(folder)], check=True, capture_output=True)
    else:  # the project root is found from `.git`; pre-commit itself needs git, the test does not
        (folder / ".git").mkdir()
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with debt in `train.py` and `evaluate.py`, a clean file, and an excluded folder."""
    return _git_repo(
        tmp_path / "repo",
        {
            "pyproject.toml": '[project]\nname = "demo"\n\n[tool.mldebt]\nextend-exclude = ["legacy"]\n',
            "train.py": DEBT,
            "evaluate.py": DEBT,
            "clean.py": CLEAN,
            "legacy/old_train.py": DEBT,
            "README.md": "# demo\n",
        },
    )


def test_the_hooks_are_declared_as_pre_commit_needs_them() -> None:
    hooks = _hooks()
    assert set(hooks) == {"mldebt", "mldebt-project"}
    for hook in hooks.values():
        assert hook["language"] == "python"  # pre-commit installs this repository into the hook's venv
        assert shlex.split(hook["entry"])[:2] == ["mldebt", "check"]
        assert hook["require_serial"] is True  # one process reads the project once, with every file in view
        assert hook["types_or"] == ["python", "jupyter"] and "types" not in hook
        assert hook["name"] and hook["description"]
    assert hooks["mldebt"].get("pass_filenames", True) is True
    assert hooks["mldebt-project"]["pass_filenames"] is False


def test_the_file_hook_reports_the_staged_files_only(repo: Path) -> None:
    run = run_hook("mldebt", repo, ["train.py", "clean.py", "README.md"])
    assert run.returncode == 1, run.output
    assert run.reported == {("train.py", "MLD504")}, run.output  # evaluate.py has debt too, but is not staged


def test_the_file_hook_passes_when_only_clean_files_are_staged(repo: Path) -> None:
    run = run_hook("mldebt", repo, ["clean.py", "README.md"])
    assert run.returncode == 0, run.output
    assert run.reported == set(), run.output


def test_the_file_hook_honours_the_project_excludes_for_staged_files(repo: Path) -> None:
    run = run_hook("mldebt", repo, ["legacy/old_train.py", "clean.py"])
    assert run.returncode == 0, run.output
    assert run.reported == set(), run.output


def test_the_file_hook_works_without_a_config_file(tmp_path: Path) -> None:
    # No `[tool.mldebt]` anywhere: the git repository is the project root.
    repo = _git_repo(tmp_path / "bare", {"train.py": DEBT, "clean.py": CLEAN})
    assert run_hook("mldebt", repo, ["train.py", "clean.py"]).reported == {("train.py", "MLD504")}
    assert run_hook("mldebt", repo, ["clean.py"]).returncode == 0


def test_the_project_hook_reports_the_whole_project(repo: Path) -> None:
    run = run_hook("mldebt-project", repo, ["clean.py"])
    assert run.returncode == 1, run.output
    assert run.reported == {("train.py", "MLD504"), ("evaluate.py", "MLD504")}, run.output


def test_the_project_hook_passes_on_a_clean_project(tmp_path: Path) -> None:
    repo = _git_repo(tmp_path / "clean", {"clean.py": CLEAN, "legacy/old_train.py": DEBT,
                                          "mldebt.toml": 'extend-exclude = ["legacy"]\n'})
    run = run_hook("mldebt-project", repo, ["clean.py"])
    assert run.returncode == 0, run.output
    assert run.reported == set(), run.output


def test_the_file_hook_checks_staged_notebooks(repo: Path) -> None:
    cells = [{"cell_type": "markdown", "source": "# EDA"}, {"cell_type": "code", "source": DEBT}]
    (repo / "eda.ipynb").write_text(json.dumps({"nbformat": 4, "cells": cells}), encoding="utf-8")
    run = run_hook("mldebt", repo, ["eda.ipynb", "clean.py"])
    assert run.returncode == 1, run.output
    assert run.reported == {("eda.ipynb", "MLD504")}, run.output
    assert "eda.ipynb:cell 2:3:1 MLD504" in run.output
