"""Warm runs: answered from the cache without loading the rules, and never different from a cold run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import mldebt.parallel as parallel
import mldebt.registry as registry_module
from mldebt import cli, warm
from mldebt.config import load_config
from mldebt.reporters import format_names
from mldebt.runner import run_check

from .conftest import Outcome

REPOSITORY = Path(__file__).resolve().parents[2]
EXAMPLES = REPOSITORY / "examples"
SERVE = "from pkg.model import _load_weights\n\nweights = _load_weights()\n"
MODEL = "def _load_weights():\n    return {}\n"


@pytest.fixture
def registry_loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times this test loaded the rules."""
    calls: list[int] = []
    real = registry_module.load_registry

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(registry_module, "load_registry", counting)
    return calls


def _example(tmp_path: Path, name: str = "debt") -> Path:
    target = tmp_path / name
    shutil.copytree(EXAMPLES / name, target, ignore=shutil.ignore_patterns(".mldebt_cache", "__pycache__"))
    return target


def _later(path: Path) -> None:
    """Give a file a new mtime even on coarse file-system clocks."""
    stamp = os.stat(path).st_mtime_ns + 2_000_000_000
    os.utime(path, ns=(stamp, stamp))


@pytest.mark.parametrize("output_format", format_names())
def test_a_warm_run_prints_what_a_cold_run_prints_without_loading_rules(
    tmp_path: Path, mldebt: Callable[..., Outcome], registry_loads: list[int], output_format: str
) -> None:
    project = _example(tmp_path)
    cache = str(tmp_path / "cache")
    common = ("check", "--format", output_format, "--exit-zero")
    cold = mldebt(*common, "--no-cache", cwd=project)
    filling = mldebt(*common, "--cache-dir", cache, cwd=project)
    registry_loads.clear()
    warm_run = mldebt(*common, "--cache-dir", cache, cwd=project)
    assert cold.exit_code == filling.exit_code == warm_run.exit_code == 0
    assert warm_run.stdout == filling.stdout == cold.stdout
    assert warm_run.stderr == cold.stderr
    # Only SARIF describes every rule, so only it loads them (on demand).
    assert len(registry_loads) == (1 if output_format == "sarif" else 0)
    assert "MLD" in cold.stdout or output_format == "junit"


def test_the_pre_commit_shape_reports_the_named_files_as_a_cold_run_does(
    tmp_path: Path, mldebt: Callable[..., Outcome], registry_loads: list[int]
) -> None:
    project = _example(tmp_path)
    cache = str(tmp_path / "cache")
    mldebt("check", "--cache-dir", cache, "--exit-zero", cwd=project)
    files = sorted(str(path.relative_to(project)) for path in project.rglob("*.py"))[:3]
    cold = mldebt("check", "--format", "json", "--no-cache", "--exit-zero", *files, cwd=project)
    registry_loads.clear()
    warm_run = mldebt("check", "--format", "json", "--cache-dir", cache, "--exit-zero", *files, cwd=project)
    assert registry_loads == []
    assert warm_run.stdout == cold.stdout
    assert {f["path"] for f in cold.json()["findings"]} <= set(files)


def test_findings_are_the_same_cold_warm_and_with_one_or_two_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "MIN_FILES_FOR_PROCESSES", 2)
    for name in ("debt", "paid"):
        project = _example(tmp_path, name)
        config = load_config(project)
        config.cache_dir = str(tmp_path / f"cache-{name}")
        registry = registry_module.load_registry(config)
        setups = registry_module.rule_setups(registry, config, registry_module.enabled_codes(registry, config))
        runs = {
            "jobs 1": run_check(config, setups, jobs=1),
            "jobs 2": run_check(config, setups, jobs=2),
            "cold, cached": run_check(config, setups, jobs=2, use_cache=True),
            "warm": run_check(config, setups, jobs=2, use_cache=True),
        }
        summaries = {label: [(f.code, f.path, f.line, f.column, f.message, f.fingerprint) for f in run.findings]
                     for label, run in runs.items()}
        reference = summaries["jobs 1"]
        assert reference or name == "paid"
        assert all(summary == reference for summary in summaries.values()), name


def test_a_warm_run_with_nothing_changed_imports_neither_libcst_nor_rules_nor_networkx(tmp_path: Path) -> None:
    project = _example(tmp_path)
    cache = tmp_path / "cache"
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPOSITORY / "src"), *sys.path])}
    command = [sys.executable, "-X", "importtime", "-m", "mldebt", "check", "--format", "json", "--exit-zero",
               "--cache-dir", str(cache)]

    def run(*paths: str, cwd: Path) -> tuple[set[str], list[dict]]:
        done = subprocess.run([*command, *paths], cwd=cwd, env=environment, capture_output=True, text=True, check=True)
        imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
        return imported, json.loads(done.stdout)["findings"]

    old = 1_600_000_000_000_000_000  # checked out long ago: the file listing is kept, and reused
    for folder, _, files in os.walk(project):
        for name in files:
            os.utime(os.path.join(folder, name), ns=(old, old))
        os.utime(folder, ns=(old, old))
    # Filled from another folder (`python -m` puts the working directory on sys.path).
    imported, cold = run(str(project), cwd=tmp_path)
    assert "libcst" in imported  # the cold run parses
    heavy = ("libcst", "networkx", "rich", "mldebt._rules", "mldebt.rule", "mldebt.facts", "mldebt.analysis",
             "mldebt.project", "mldebt.registry", "pathspec")
    imported, warm_findings = run(cwd=project)
    assert {name for name in imported if name.startswith(heavy)} == set()
    assert warm_findings == cold
    files = sorted({finding["path"] for finding in cold})[:2]
    imported, named = run(*files, cwd=project)
    assert {name for name in imported if name.startswith(heavy)} == set()
    assert named == [finding for finding in cold if finding["path"] in files]


def test_a_changed_file_reruns_the_project_phase(
    tmp_path: Path, mldebt: Callable[..., Outcome], write: Callable[..., Path]
) -> None:
    write({"app/serve.py": SERVE, "pkg/__init__.py": "", "pkg/model.py": MODEL, "mldebt.toml": ""})
    cache = str(tmp_path / ".cache-here")
    before = mldebt("check", "--format", "json", "--cache-dir", cache, "--exit-zero")
    assert ("MLD202", "app/serve.py", 1) in before.codes()
    (tmp_path / "pkg" / "model.py").unlink()  # serve.py is unchanged, but what it imports is gone
    after = mldebt("check", "--format", "json", "--cache-dir", cache, "--exit-zero")
    cold = mldebt("check", "--format", "json", "--no-cache", "--exit-zero")
    assert after.stdout == cold.stdout
    assert ("MLD202", "app/serve.py", 1) not in after.codes()


def test_an_edited_or_touched_file_is_seen(tmp_path: Path, mldebt: Callable[..., Outcome], write: Callable[..., Path]) -> None:
    write({"a.py": "if False:\n    old()\n", "mldebt.toml": ""})
    cache = str(tmp_path / ".cache-here")
    assert [c for c, _, _ in mldebt("check", "--format", "json", "--cache-dir", cache, "--exit-zero").codes()] == ["MLD504"]
    _later(tmp_path / "a.py")
    assert [c for c, _, _ in mldebt("check", "--format", "json", "--cache-dir", cache, "--exit-zero").codes()] == ["MLD504"]
    (tmp_path / "a.py").write_text("def f(x):\n    return x\n")
    _later(tmp_path / "a.py")
    assert mldebt("check", "--format", "json", "--cache-dir", cache, "--exit-zero").codes() == []


def test_the_config_and_the_selection_are_part_of_the_key(
    tmp_path: Path, mldebt: Callable[..., Outcome], write: Callable[..., Path]
) -> None:
    write({"a.py": "if False:\n    old()\n", "mldebt.toml": ""})
    cache = str(tmp_path / ".cache-here")
    check = ("check", "--format", "json", "--cache-dir", cache, "--exit-zero")
    assert [c for c, _, _ in mldebt(*check).codes()] == ["MLD504"]
    assert mldebt(*check, "--ignore", "MLD504").codes() == []
    assert [c for c, _, _ in mldebt(*check).codes()] == ["MLD504"]
    (tmp_path / "mldebt.toml").write_text('ignore = ["MLD504"]\n')
    assert mldebt(*check).codes() == []
    (tmp_path / "mldebt.toml").write_text('[severity]\ndead-experimental-codepath = "error"\n')
    assert [f["severity"] for f in mldebt(*check).json()["findings"]] == ["error"]
    (tmp_path / "mldebt.toml").write_text('[rules.glue-code]\nmin-statements = 20\n')
    outcome = mldebt(*check)
    cold = mldebt("check", "--format", "json", "--no-cache", "--exit-zero")
    assert outcome.stdout == cold.stdout


def test_a_stale_index_entry_is_caught_when_the_rules_load(
    tmp_path: Path, mldebt: Callable[..., Outcome], write: Callable[..., Path]
) -> None:
    write({"a.py": "if False:\n    old()\n", "mldebt.toml": ""})
    cache = tmp_path / ".cache-here"
    check = ("check", "--format", "json", "--cache-dir", str(cache), "--exit-zero")
    mldebt(*check)
    index = json.loads((cache / warm.INDEX_FILE).read_text())
    for entry in index["entries"].values():
        entry["enabled"] = {"MLD504": "dead-experimental-codepath"}  # as if the index were wrong
        entry["run_key"] = "0" * 24
    (cache / warm.INDEX_FILE).write_text(json.dumps(index))
    (tmp_path / "a.py").write_text("if False:\n    older()\n")  # something to analyse: the rules load
    _later(tmp_path / "a.py")
    outcome = mldebt(*check)
    assert outcome.stdout == mldebt("check", "--format", "json", "--no-cache", "--exit-zero").stdout
    assert "older()" in outcome.stdout or outcome.json()["findings"]


def test_a_corrupt_index_or_missing_facts_fall_back_to_the_full_path(
    tmp_path: Path, mldebt: Callable[..., Outcome]
) -> None:
    project = _example(tmp_path)
    cache = tmp_path / "cache"
    check = ("check", "--format", "json", "--cache-dir", str(cache), "--exit-zero")
    expected = mldebt(*check, cwd=project).stdout
    (cache / warm.INDEX_FILE).write_text("{broken")
    assert mldebt(*check, cwd=project).stdout == expected
    for facts in cache.glob("facts-*.json"):
        facts.unlink()
    some = sorted(project.rglob("*.py"))[0]
    some.write_text(some.read_text() + "\n# edited\n")  # the project phase must run: every file's facts
    _later(some)
    outcome = mldebt(*check, cwd=project)
    cold = mldebt("check", "--format", "json", "--no-cache", "--exit-zero", cwd=project)
    assert outcome.stdout == cold.stdout


def test_a_changed_local_rule_is_loaded_again(tmp_path: Path) -> None:
    rule = '''
from __future__ import annotations

import libcst as cst

from mldebt import Invalid, Rule, Section, Severity, Valid


class PrintCall(Rule):
    """Flags print()."""

    CODE = "MLD590"
    NAME = "print-call"
    SEVERITY = Severity.WARNING
    SECTION = Section.PROTOTYPE_SMELL
    SUMMARY = "print() in library code"
    MESSAGE = "`print` is called"
    VALID = [Valid("log()")]
    INVALID = [Invalid("print()")]

    def visit_Call(self, node: cst.Call) -> None:
        if self.qualified_name(node.func) == "builtins.print":
            self.report(node)
'''
    (tmp_path / "lint_rules").mkdir()
    (tmp_path / "lint_rules" / "print_call.py").write_text(rule)
    (tmp_path / "pyproject.toml").write_text('[tool.mldebt]\nrule-paths = ["lint_rules"]\n')
    (tmp_path / "a.py").write_text("print(1)\n")
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPOSITORY / "src"), *sys.path])}
    command = [sys.executable, "-m", "mldebt", "check", "--format", "json", "--exit-zero", "--allow-local-rules"]

    def messages() -> list[str]:
        done = subprocess.run(command, cwd=tmp_path, env=environment, capture_output=True, text=True, check=True)
        return [f["message"] for f in json.loads(done.stdout)["findings"] if f["code"] == "MLD590"]

    assert messages() == ["`print` is called"]
    assert messages() == ["`print` is called"]
    (tmp_path / "lint_rules" / "print_call.py").write_text(rule.replace("`print` is called", "`print` is used"))
    _later(tmp_path / "lint_rules" / "print_call.py")
    assert messages() == ["`print` is used"]


def test_the_cli_names_the_formats_the_reporters_have() -> None:
    from mldebt.graph_export import RENDERERS, SHOWS

    assert cli.FORMATS == tuple(format_names())
    assert cli.GRAPH_FORMATS == tuple(sorted(RENDERERS))
    assert cli.GRAPH_SHOWS == SHOWS
    assert warm.bundled_rules_dir() == registry_module.bundled_rules_dir()


def test_the_index_keeps_a_bounded_number_of_entries(tmp_path: Path, mldebt: Callable[..., Outcome], write: Callable[..., Path]) -> None:
    write({"a.py": "x = 1\n", "mldebt.toml": ""})
    cache = tmp_path / ".cache-here"
    codes = ["MLD504", "MLD505", "MLD506", "MLD507", "MLD508", "MLD511", "MLD601", "MLD602", "MLD603", "MLD702",
             "MLD703", "MLD801", "MLD803", "MLD804", "MLD805", "MLD201", "MLD202", "MLD203"]
    for code in codes:
        mldebt("check", "--cache-dir", str(cache), "--exit-zero", "--select", code)
    entries = json.loads((cache / warm.INDEX_FILE).read_text())["entries"]
    assert len(entries) == warm.KEEP_ENTRIES
    time.sleep(0)


def test_an_edited_dependency_file_reruns_the_project_phase(
    tmp_path: Path, mldebt: Callable[..., Outcome], write: Callable[..., Path]
) -> None:
    write({"train.py": "import numpy as np\n\nprint(np.zeros(3))\n", "requirements.txt": "numpy\n", "mldebt.toml": ""})
    cache = str(tmp_path / ".cache-here")
    check = ("check", "--format", "json", "--cache-dir", cache, "--exit-zero")
    before = mldebt(*check)
    assert ("MLD802", "requirements.txt", 1) in before.codes()
    (tmp_path / "requirements.txt").write_text("numpy>=1.24,<2\n")
    after = mldebt(*check)
    assert after.stdout == mldebt("check", "--format", "json", "--no-cache", "--exit-zero").stdout
    assert ("MLD802", "requirements.txt", 1) not in after.codes()
