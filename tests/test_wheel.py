"""The acceptance test of packaging: what `pip install mldebt` gives a user works on its own.

The source distribution is built from the checkout and the wheel from that sdist (as
`python -m build` and pip do), the wheel is installed into a fresh virtualenv without
the system site-packages (so nothing of the checkout or the development environment can
hide a file the wheel forgot), and the installed `mldebt` must list every rule of the
checkout's `rules/` folder and find debt in a small project. The usual way a wheel goes
wrong here is by leaving out `rules/`, which the engine loads by file path from
`mldebt/_rules` (hatchling's `force-include`), not as an import package.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
# Variables that could point the fresh virtualenv's Python back at the checkout or the development venv.
LEAKY_VARIABLES = frozenset(
    {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONSAFEPATH", "VIRTUAL_ENV", "__PYVENV_LAUNCHER__"}
)
RULE_CODE = re.compile(r"""^\s*CODE\s*(?::[^=]+)?=\s*["'](MLD\d{3})["']""", re.MULTILINE)
BUILD_TIMEOUT = 120  # seconds
INSTALL_TIMEOUT = 300  # pip may fetch the runtime dependencies from the package index

DEBT = """\
USE_NEW_FEATURES = False

if USE_NEW_FEATURES:
    frame = add_embeddings(frame)
"""


@dataclass(frozen=True)
class Installed:
    """A fresh virtualenv with the built wheel installed in it."""

    wheel: Path
    sdist: Path
    python: Path
    scripts: Path
    workdir: Path  # an empty folder outside the checkout, to run commands in
    env: dict[str, str]

    def run(self, args: Sequence[str | Path], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(arg) for arg in args],
            cwd=cwd or self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )


def _rule_modules() -> list[Path]:
    """The rule modules the registry loads from `rules/` (it skips `_private` files and folders)."""
    folder = ROOT / "rules"
    return [
        path
        for path in sorted(folder.rglob("*.py"))
        if not any(part.startswith(("_", ".")) for part in path.relative_to(folder).parts)
    ]


def _checkout_rule_codes() -> set[str]:
    codes: set[str] = set()
    for path in _rule_modules():
        codes.update(RULE_CODE.findall(path.read_text(encoding="utf-8")))
    return codes


def _project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        version: str = tomllib.load(handle)["project"]["version"]
    return version


def _clean_env(scripts: Path | None = None) -> dict[str, str]:
    """The caller's environment, less whatever could point Python back at the checkout."""
    env = {key: value for key, value in os.environ.items() if key not in LEAKY_VARIABLES}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["NO_COLOR"] = "1"
    if scripts is not None:
        env["PATH"] = os.pathsep.join([str(scripts), env.get("PATH", "")])
        env["VIRTUAL_ENV"] = str(scripts.parent)
    return env


def _pip_can_target_another_python() -> bool:
    """Whether the running interpreter has a pip with `--python` (pip >= 22.3)."""
    probe = subprocess.run(
        [sys.executable, "-m", "pip", "--version"], env=_clean_env(), capture_output=True, text=True, timeout=60
    )
    found = re.match(r"pip (\d+)\.(\d+)", probe.stdout)
    return probe.returncode == 0 and found is not None and (int(found[1]), int(found[2])) >= (22, 3)


def _must(result: subprocess.CompletedProcess[str], what: str) -> None:
    assert result.returncode == 0, (
        f"{what} failed (exit {result.returncode})\n--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    # No build isolation: the running interpreter already has `build` and `hatchling` (the test
    # extra), and an isolated build would need the package index just to fetch hatchling again.
    built = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        cwd=base,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    _must(built, "python -m build")
    wheels = sorted(dist.glob("mldebt-*.whl"))
    sdists = sorted(dist.glob("mldebt-*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, f"expected one wheel and one sdist in {sorted(dist.iterdir())}"

    venv = base / "venv"
    # Never --system-site-packages: the development environment would hide a missing file.
    # The running pip installs into the new venv (`pip --python`), which saves seeding the venv
    # with its own pip; an older pip falls back to that.
    own_pip = not _pip_can_target_another_python()
    created = subprocess.run(
        [sys.executable, "-m", "venv", *([] if own_pip else ["--without-pip"]), str(venv)],
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    _must(created, "python -m venv")
    scripts = venv / ("Scripts" if os.name == "nt" else "bin")
    python = scripts / ("python.exe" if os.name == "nt" else "python")
    env = _clean_env(scripts)

    # pip fetches the runtime dependencies from the package index (its cache makes this quick).
    # --no-compile: each module is compiled when first imported instead, most of them never.
    pip = [str(python), "-m", "pip"] if own_pip else [sys.executable, "-m", "pip", "--python", str(python)]
    installing = subprocess.run(
        [*pip, "install", "--quiet", "--no-compile", str(wheels[0])],
        cwd=base,
        env=env,
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT,
    )
    _must(installing, f"pip install {wheels[0].name} (does this machine reach the package index?)")

    workdir = base / "work"
    workdir.mkdir()
    yield Installed(wheels[0], sdists[0], python, scripts, workdir, env)


def test_the_checkout_has_rules_to_look_for() -> None:
    # Guards the tests below against passing vacuously if the grep stops matching.
    assert "MLD504" in _checkout_rule_codes()


def test_the_wheel_carries_every_rule_module_and_no_bytecode(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
    expected = {"mldebt/_rules/" + path.relative_to(ROOT / "rules").as_posix() for path in _rule_modules()}
    missing = sorted(expected - names)
    assert not missing, f"the wheel lacks rule modules: {missing}"
    stray = sorted(name for name in names if name.endswith((".pyc", ".pyo")) or "__pycache__" in name)
    assert not stray, f"the wheel carries compiled files: {stray}"
    assert not any(name.startswith(("tests/", "rules/", "src/")) for name in names), "the wheel ships checkout folders"


def test_the_sdist_carries_what_a_source_build_and_its_readers_need(installed: Installed) -> None:
    with tarfile.open(installed.sdist) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    wanted = {"pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml", "docs/rules.md"}
    wanted |= {path.relative_to(ROOT).as_posix() for path in _rule_modules()}
    assert not sorted(wanted - names), f"the sdist lacks {sorted(wanted - names)}"


def test_the_installed_package_is_the_wheel_not_the_checkout(installed: Installed) -> None:
    probe = installed.run(
        [
            installed.python,
            "-c",
            "import mldebt, mldebt.registry as r; print(mldebt.__file__); print(r.bundled_rules_dir())",
        ]
    )
    _must(probe, "import mldebt in the fresh virtualenv")
    module_file, rules_dir = (Path(line) for line in probe.stdout.splitlines())
    venv = installed.scripts.parent.resolve()
    assert venv in module_file.resolve().parents, f"mldebt was imported from {module_file}, not from the wheel"
    assert venv in rules_dir.resolve().parents and rules_dir.name == "_rules", (
        f"the installed engine looks for its rules in {rules_dir}, not in the wheel's mldebt/_rules"
    )


def test_the_installed_mldebt_lists_every_rule_of_the_checkout(installed: Installed) -> None:
    listed = installed.run([installed.scripts / "mldebt", "rules", "--format", "json"])
    _must(listed, "mldebt rules --format json")
    codes = {rule["code"] for rule in json.loads(listed.stdout)}
    missing = sorted(_checkout_rule_codes() - codes)
    assert not missing, f"the installed mldebt does not list {missing}: the wheel lost (part of) rules/"
    assert "MLD001" in codes  # the engine's own finding


def test_the_installed_module_reports_its_version(installed: Installed) -> None:
    shown = installed.run([installed.python, "-m", "mldebt", "--version"])
    _must(shown, "python -m mldebt --version")
    assert shown.stdout.strip() == f"mldebt, version {_project_version()}"


def test_the_installed_mldebt_finds_debt_in_a_project(installed: Installed, tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "mldebt.toml").write_text("", encoding="utf-8")
    (project / "train.py").write_text(DEBT, encoding="utf-8")
    (project / "clean.py").write_text("def add(a, b):\n    return a + b\n", encoding="utf-8")

    checked = installed.run([installed.scripts / "mldebt", "check", "--format", "json", "--no-cache"], cwd=project)
    assert checked.returncode == 1, f"exit {checked.returncode}\n{checked.stdout}\n{checked.stderr}"
    findings = json.loads(checked.stdout)["findings"]
    assert ("MLD504", "train.py", 3) in [(f["code"], f["path"], f["line"]) for f in findings], findings
    assert {f["path"] for f in findings} == {"train.py"}

    text = installed.run([installed.scripts / "mldebt", "check", "--no-cache", "clean.py"], cwd=project)
    assert text.returncode == 0, f"exit {text.returncode}\n{text.stdout}\n{text.stderr}"
