"""mldebt never executes the code it analyses and writes only its cache and the files it is told to.

A project full of traps -- modules, a conftest, a setup.py, an `__init__.py`, a `.pth` file, a
notebook and local rules that would write a file, exit or raise if imported or executed, and
modules named like mldebt's own dependencies -- is checked by real `mldebt` processes started
in its root, as pre-commit and CI start them. Before and after, every path under the project is
listed with its type, mode, size, mtime and content hash: the listings must be equal except for
`.mldebt_cache/` and the files named on the command line. With `--no-cache` nothing at all changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import mldebt
from mldebt import cache as caching
from mldebt.cli import main

CACHE = ".mldebt_cache"
SOURCE_ROOT = str(Path(mldebt.__file__).resolve().parents[1])  # the mldebt under test, for the subprocesses


def _trap(name: str) -> str:
    """Code that leaves evidence next to itself and in the current directory, then stops the process."""
    return textwrap.dedent(
        f"""\
        import os, sys
        here = os.path.dirname(os.path.abspath(__file__))
        open(os.path.join(here, "PWNED-{name}"), "w").write("executed")
        open("PWNED-{name}-cwd", "w").write("executed")
        """
    )


def _notebook() -> str:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Analysis"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 1,
         "source": ["!touch PWNED-shell\n", "%run train.py\n", "open('PWNED-notebook', 'w').write('x')\n"]},
    ]  # fmt: skip
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells})


TRAPS: dict[str, str] = {
    "train.py": _trap("train")
    + textwrap.dedent(
        """\
        import numpy as np
        from sklearn.ensemble import RandomForestClassifier

        if False:
            print("dead experiment")
        model = RandomForestClassifier(n_estimators=100)
        model.fit(np.random.rand(10, 2), np.random.rand(10))
        sys.exit(3)
        raise RuntimeError("imported")
        """
    ),
    "conftest.py": _trap("conftest") + "raise SystemExit('conftest imported')\n",
    "setup.py": _trap("setup") + "from setuptools import setup\nsetup(name='trap', version='0')\n",
    "pkg/__init__.py": _trap("package-init") + "raise ImportError('package imported')\n",
    "pkg/model.py": _trap("package-module") + "def fit(x):\n    return x\n",
    "trap.pth": "import os; open('PWNED-pth', 'w').write('executed')\n",
    "sitecustomize.py": _trap("sitecustomize"),
    "usercustomize.py": _trap("usercustomize"),
    "analysis.ipynb": _notebook(),
    # modules named like mldebt's dependencies and the standard library it imports lazily
    **{f"{name}.py": _trap(f"shadow-{name}") + "raise ImportError('shadowed')\n"
       for name in ("libcst", "click", "rich", "networkx", "pathspec", "csv", "email", "zipfile", "tomllib")},  # fmt: skip
    # the project's own rules: never loaded without --allow-local-rules
    "local_rules/trap_rule.py": _trap("local-rule"),
    "pyproject.toml": '[project]\nname = "trap"\n\n[tool.mldebt]\nrule-paths = ["local_rules"]\n',
    "requirements.txt": "torch\n-e .\n",
    # enough modules for worker processes to analyse them
    **{f"steps/step_{index:02}.py": _trap(f"step-{index:02}") + f"VALUE = {index}\n" for index in range(26)},
}

Listing = dict[str, tuple[object, ...]]


def _listing(root: Path, include_cache: bool) -> Listing:
    """Every path under `root` (not following symlinks): type and mode, size, mtime, content hash."""
    found: Listing = {}
    for folder, folders, files in os.walk(root):
        relative_folder = Path(folder).relative_to(root).as_posix()
        if not include_cache and (relative_folder == CACHE or relative_folder.startswith(CACHE + "/")):
            continue
        for name in folders + files:
            path = Path(folder, name)
            relative = path.relative_to(root).as_posix()
            if not include_cache and relative == CACHE:
                continue
            status = path.lstat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if stat.S_ISREG(status.st_mode) else ""
            # A folder's mtime changes when an entry is added: the root's does when the cache appears.
            mtime = status.st_mtime_ns if include_cache or stat.S_ISREG(status.st_mode) else None
            found[relative] = (status.st_mode, status.st_size if digest else None, mtime, digest)
    status = root.lstat()
    found["."] = (status.st_mode, None, status.st_mtime_ns if include_cache else None, "")
    return found


@pytest.fixture
def trap_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for name, content in TRAPS.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def launcher(tmp_path: Path) -> Path:
    """What the installed `mldebt` command does, from a folder outside the project."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "mldebt_command.py"
    script.write_text("import sys\nfrom mldebt.cli import main\nsys.exit(main())\n", encoding="utf-8")
    return script


def _environment() -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("MLDEBT_", "PYTHON"))}
    environment["PYTHONPATH"] = SOURCE_ROOT
    return environment


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=_environment(), capture_output=True, text=True, timeout=300)


def _assert_nothing_executed(root: Path) -> None:
    evidence = sorted(path.name for path in root.parent.rglob("PWNED*"))
    assert evidence == [], f"analysed code ran: {evidence}"


def _assert_cache_is_whole(root: Path) -> None:
    folder = root / CACHE
    names = sorted(path.name for path in folder.iterdir())
    assert not [name for name in names if name.startswith(caching.TEMPORARY_PREFIX)], names
    assert (folder / ".gitignore").read_text(encoding="utf-8") == caching.GITIGNORE
    assert (folder / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith("Signature: 8a477f597d28d172789f06886806bc55")
    for pack in folder.glob("*.json"):
        json.loads(pack.read_text(encoding="utf-8"))


COMMANDS: list[tuple[list[str], list[str], tuple[int, ...]]] = [
    # (arguments, the files they name for writing, the exit codes they may give), run in this order
    (["check"], [], (1,)),  # cold: worker processes analyse the files
    (["check", "--format", "json", "--output", "out/report.json"], ["out/report.json"], (1,)),  # warm
    (["check", "--write-baseline", "mldebt-baseline.json"], ["mldebt-baseline.json"], (1,)),
    (["check", "train.py", "pkg/model.py", "requirements.txt"], [], (1,)),  # as pre-commit runs it
    (["graph"], [], (0,)),
    (["graph", "--format", "json", "-o", "graph.json"], ["graph.json"], (0,)),
    (["audit"], [], (0,)),
    (["audit", "--html", "out/audit.html"], ["out/audit.html"], (0,)),
]


def test_runs_execute_nothing_and_write_only_their_cache_and_named_files(trap_project: Path, launcher: Path) -> None:
    (trap_project / "out").mkdir()
    before = _listing(trap_project, include_cache=False)
    for arguments, named, exit_codes in COMMANDS:
        done = _run([sys.executable, str(launcher), *arguments], trap_project)
        assert done.returncode in exit_codes, (arguments, done.stderr)
        _assert_nothing_executed(trap_project)
        after = _listing(trap_project, include_cache=False)
        assert {path: after[path] for path in after if path not in named} == before, arguments
        assert all(path in after and after[path][3] for path in named), arguments
        for path in named:
            (trap_project / path).unlink()
        if arguments[0] == "check":
            assert "local rules in `local_rules` were not loaded" in done.stderr + done.stdout
        _assert_cache_is_whole(trap_project)


def test_python_dash_m_does_not_import_the_projects_modules(trap_project: Path) -> None:
    before = _listing(trap_project, include_cache=False)
    done = _run([sys.executable, "-m", "mldebt", "check", "--format", "json"], trap_project)
    assert done.returncode == 1, done.stderr
    assert {(f["code"], f["path"]) for f in json.loads(done.stdout)["findings"]} >= {("MLD504", "train.py")}
    _assert_nothing_executed(trap_project)
    assert _listing(trap_project, include_cache=False) == before


@pytest.mark.parametrize("command", ["check", "graph"])
def test_an_output_file_that_cannot_be_written_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    (tmp_path / "train.py").write_text("if False:\n    old()\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, [command, "--output", "no/such/folder/out.txt"], catch_exceptions=False)
    assert result.exit_code == 2
    assert "mldebt: error: cannot write no/such/folder/out.txt: No such file or directory" in result.stderr


def test_no_cache_writes_nothing_at_all(trap_project: Path, launcher: Path) -> None:
    before = _listing(trap_project, include_cache=True)
    for arguments in (["check", "--no-cache"], ["check", "--no-cache", "--format", "json", "train.py"]):
        done = _run([sys.executable, str(launcher), *arguments], trap_project)
        assert done.returncode == 1, done.stderr
        _assert_nothing_executed(trap_project)
        assert _listing(trap_project, include_cache=True) == before
    assert not (trap_project / CACHE).exists()


# --- A repository where the cache cannot be written ---------------------------------------------

Injector = Callable[[pytest.MonkeyPatch], None]


def _refuse(*args: object, **kwargs: object) -> None:
    raise PermissionError(13, "Permission denied")


def _refuse_cache_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    real = Path.mkdir

    def mkdir(self: Path, *args: object, **kwargs: object) -> None:
        if self.name == CACHE:
            _refuse()
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", mkdir)


INJECTIONS: dict[str, Injector] = {
    "folder": _refuse_cache_folder,
    "temporary-file": lambda patch: patch.setattr(tempfile, "mkstemp", _refuse),  # the cache imports it when it writes
    "rename": lambda patch: patch.setattr(caching.os, "replace", _refuse),
    "read-only-file-system": lambda patch: patch.setattr(
        caching.os, "fdopen", lambda *a, **k: _refuse()  # the temporary file exists, its write fails
    ),
}


@pytest.mark.parametrize("where", sorted(INJECTIONS))
def test_a_read_only_repository_is_checked_with_the_cache_off_and_one_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (root / "train.py").write_text(TRAPS["train.py"], encoding="utf-8")
    (root / "requirements.txt").write_text("torch\n", encoding="utf-8")
    monkeypatch.chdir(root)
    runner = CliRunner()
    expected = runner.invoke(main, ["check", "--no-cache", "--format", "json"], catch_exceptions=False)
    assert expected.exit_code == 1 and json.loads(expected.stdout)["findings"]
    INJECTIONS[where](monkeypatch)
    for _ in range(2):  # nothing cached the first time, so the second run is no different
        result = runner.invoke(main, ["check", "--format", "json"], catch_exceptions=False)
        assert result.exit_code == expected.exit_code
        report = json.loads(result.stdout)
        assert report["findings"] == json.loads(expected.stdout)["findings"]
        cache_notices = [notice for notice in report["notices"] if "cache" in notice["message"]]
        assert len(cache_notices) == 1 and "Permission denied" in cache_notices[0]["message"]
        assert "--no-cache" in cache_notices[0]["message"]
        assert len([line for line in result.stderr.splitlines() if "cache" in line]) == 1
    leftovers = [path.name for path in (root / CACHE).glob(f"{caching.TEMPORARY_PREFIX}*")] if (root / CACHE).exists() else []
    assert leftovers == []
    _assert_nothing_executed(root)
