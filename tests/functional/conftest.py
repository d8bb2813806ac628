from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mldebt.cli import main


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    def codes(self) -> list[tuple[str, str, int]]:
        return [(f["code"], f["path"], f["line"]) for f in self.json()["findings"]]


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write files into a fresh project folder: write({"a.py": "..."})."""

    def _write(files: dict[str, str | bytes], root: Path | None = None) -> Path:
        base = root or tmp_path
        for name, content in files.items():
            path = base / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        return base

    return _write


@pytest.fixture
def mldebt(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., Outcome]:
    """Run the CLI in-process, in `cwd` (default: the project folder)."""

    def _run(*args: str, cwd: Path | None = None, stdin: str | None = None) -> Outcome:
        monkeypatch.chdir(cwd or tmp_path)
        result = CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)
        return Outcome(result.exit_code, result.stdout, result.stderr)

    return _run
