"""`python -m mldebt` drops the current directory from `sys.path`; nothing else does."""

from __future__ import annotations

import os
import sys

import pytest

from mldebt import safe_path


@pytest.mark.parametrize(
    ("argv", "orig_argv", "dropped"),
    [
        (["-m"], ["python", "-m", "mldebt", "check"], True),
        (["-m"], ["python", "-X", "importtime", "-m", "mldebt", "check", "-m", "x"], True),
        (["-m"], ["python", "-mmldebt"], True),
        (["-m"], ["python", "-m", "mldebt.__main__"], True),
        (["-m"], ["python", "-m", "pytest", "-m", "mldebt"], False),  # another module importing mldebt
        (["train.py"], ["python", "train.py", "-m", "mldebt"], False),  # a program importing mldebt
        (["-c"], ["python", "-c", "import mldebt", "-m", "mldebt"], False),
    ],
)
def test_only_python_dash_m_mldebt_forgets_the_working_directory(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], orig_argv: list[str], dropped: bool
) -> None:
    rest = [entry for entry in sys.path if entry not in ("", os.getcwd())]
    for first in ("", os.getcwd()):
        monkeypatch.setattr(sys, "argv", argv)
        monkeypatch.setattr(sys, "orig_argv", orig_argv, raising=False)
        monkeypatch.setattr(sys, "path", [first, *rest])
        safe_path.forget_working_directory()
        assert sys.path == (rest if dropped else [first, *rest])


def test_another_first_entry_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["-m"])
    monkeypatch.setattr(sys, "orig_argv", ["python", "-m", "mldebt"], raising=False)
    monkeypatch.setattr(sys, "path", ["/opt/somewhere", "/usr/lib/python3"])
    safe_path.forget_working_directory()
    assert sys.path == ["/opt/somewhere", "/usr/lib/python3"]
