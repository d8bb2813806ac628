"""The result cache: reuse unchanged files, notice changes, survive corruption, never grow without bound."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import mldebt.isolation as isolation
import mldebt.parallel as parallel
from mldebt import cache as caching
from mldebt.config import Config
from mldebt.registry import enabled_codes, load_registry, rule_setups
from mldebt.runner import run_check

DEAD = "if False:\n    old()\n"
SEEDLESS = "import numpy as np\n\nif __name__ == '__main__':\n    print(np.random.rand(3))\n"


@pytest.fixture
def analysed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the engine actually analyses (parses) in this test."""
    seen: list[str] = []
    real = isolation.analyse_bytes

    def counting(data, path, setups, package):  # type: ignore[no-untyped-def]
        seen.append(path)
        return real(data, path, setups, package)

    monkeypatch.setattr(parallel, "fork_context", lambda: None)  # analysed in this process, where it is seen
    monkeypatch.setattr(isolation, "analyse_bytes", counting)
    return seen


def _project(tmp_path: Path) -> Path:
    (tmp_path / "dead.py").write_text(DEAD)
    (tmp_path / "seedless.py").write_text(SEEDLESS)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    return tmp_path


def _check(root: Path, **options):  # type: ignore[no-untyped-def]
    registry = load_registry()
    config = Config(root=root)
    setups = rule_setups(registry, config, enabled_codes(registry, config))
    return run_check(config, setups, use_cache=True, **options)


def _summary(result) -> list[tuple[str, str, int, str]]:  # type: ignore[no-untyped-def]
    return [(f.code, f.path, f.line, f.fingerprint) for f in result.findings]


def test_a_warm_run_analyses_nothing_and_reports_the_same(tmp_path: Path, analysed: list[str]) -> None:
    root = _project(tmp_path)
    cold = _check(root)
    assert sorted(analysed) == ["dead.py", "pkg/__init__.py", "seedless.py"]
    analysed.clear()
    warm = _check(root)
    assert analysed == []
    assert _summary(warm) == _summary(cold) and _summary(cold)
    assert warm.project is not None and set(warm.project.facts) == set(cold.project.facts)


def test_a_touched_file_is_hashed_not_parsed_and_an_edited_one_is_parsed(tmp_path: Path, analysed: list[str]) -> None:
    root = _project(tmp_path)
    _check(root)
    analysed.clear()
    stamp = os.stat(root / "dead.py").st_mtime_ns + 5_000_000_000
    os.utime(root / "dead.py", ns=(stamp, stamp))
    _check(root)
    assert analysed == []
    (root / "dead.py").write_text("def f(x):\n    return x\n")
    result = _check(root)
    assert analysed == ["dead.py"]
    assert "dead.py" not in {f.path for f in result.findings}


def test_the_cache_folder_ignores_itself_and_nothing_else_is_written(tmp_path: Path) -> None:
    root = _project(tmp_path)
    before = {p for p in root.rglob("*")}
    _check(root)
    written = {p.relative_to(root).as_posix() for p in root.rglob("*") if p not in before}
    assert {name for name in written if not name.startswith(".mldebt_cache")} == set()
    assert (root / ".mldebt_cache" / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (root / ".mldebt_cache" / "CACHEDIR.TAG").exists()
    assert len(list((root / ".mldebt_cache").glob("results-*.json"))) == 1


def test_a_corrupt_or_foreign_pack_is_ignored(tmp_path: Path, analysed: list[str]) -> None:
    root = _project(tmp_path)
    cold = _check(root)
    (pack,) = (root / ".mldebt_cache").glob("results-*.json")
    pack.write_text("{not json")
    analysed.clear()
    assert _summary(_check(root)) == _summary(cold)
    assert len(analysed) == 3
    data = json.loads(pack.read_text())
    data["files"]["dead.py"]["result"] = {"findings": "nonsense"}
    pack.write_text(json.dumps(data))
    analysed.clear()
    assert _summary(_check(root)) == _summary(cold)
    assert analysed == ["dead.py"]


def test_other_options_make_another_key(tmp_path: Path) -> None:
    registry = load_registry()
    config = Config(root=tmp_path)
    setups = rule_setups(registry, config, enabled_codes(registry, config))
    other = rule_setups(registry, Config(root=tmp_path, rule_options={"glue-code": {"min-statements": 20}}), enabled_codes(registry, config))
    assert caching.run_key(setups) != caching.run_key(other)
    assert caching.run_key(setups) == caching.run_key(list(reversed(setups)))
    assert caching.run_key(setups) != caching.run_key(setups[1:])


def test_old_packs_are_pruned(tmp_path: Path) -> None:
    root = _project(tmp_path)
    folder = root / ".mldebt_cache"
    folder.mkdir()
    for index in range(6):
        stale = folder / f"results-old{index}.json"
        stale.write_text("{}")
        os.utime(stale, (1_000_000 + index, 1_000_000 + index))
    _check(root)
    packs = sorted(p.name for p in folder.glob("results-*.json"))
    assert len(packs) == caching.KEEP_PACKS
    assert "results-old5.json" in packs and "results-old0.json" not in packs


def test_an_unwritable_cache_is_a_notice_and_the_run_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path)

    def refuse(path: Path, text: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(caching, "_write_atomically", refuse)
    result = _check(root)
    assert [f.path for f in result.findings if f.code == "MLD504"] == ["dead.py"]
    assert any("the cache was not written (Permission denied)" in notice.message for notice in result.notices)


def test_no_cache_reads_and_writes_nothing(tmp_path: Path) -> None:
    root = _project(tmp_path)
    registry = load_registry()
    config = Config(root=root)
    run_check(config, rule_setups(registry, config, enabled_codes(registry, config)), use_cache=False)
    assert not (root / ".mldebt_cache").exists()


def test_processes_give_the_same_findings_as_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for index in range(30):
        (tmp_path / f"script_{index:02}.py").write_text(DEAD if index % 2 else SEEDLESS)
    monkeypatch.setattr(parallel, "MIN_FILES_FOR_PROCESSES", 4)
    registry = load_registry()
    config = Config(root=tmp_path)
    setups = rule_setups(registry, config, enabled_codes(registry, config))
    serial = run_check(config, setups, jobs=1)
    pooled = run_check(config, setups, jobs=2)
    assert _summary(pooled) == _summary(serial)
    assert len([f for f in serial.findings if f.code == "MLD504"]) == 15


def test_notebook_results_round_trip_through_the_cache_data(tmp_path: Path) -> None:
    from mldebt.analysis import FileResult
    from mldebt.findings import Finding, Severity
    from mldebt.notebooks import CellMap

    finding = Finding(
        "MLD801", "unseeded-randomness", Severity.WARNING, "§8", "eda.ipynb", 3, 1, 3, 9, "draws",
        source="np.random.shuffle(rows)", cell=4, fingerprint="f" * 32, joined_line=7,
    )  # fmt: skip
    result = FileResult("eda.ipynb", findings=(finding,), notebook=CellMap(((2, 1, 4), (4, 5, 3)), ((4, 18),)))
    data = json.loads(json.dumps(caching.result_to_data(result)))
    back = caching.result_from_data(data)
    assert back.findings == (finding,) and back.notebook == result.notebook
    assert back.notebook is not None and back.notebook.locate(7) == (4, 3, 7)


def test_a_warm_run_maps_notebook_findings_to_the_same_cells(tmp_path: Path, analysed: list[str]) -> None:
    cells = [
        {"cell_type": "markdown", "source": "# EDA"},
        {"cell_type": "code", "source": "import numpy as np\n%matplotlib inline"},
        {"cell_type": "code", "source": "if False:\n    print(np.random.rand(3))"},
    ]
    (tmp_path / "eda.ipynb").write_text(json.dumps({"nbformat": 4, "cells": cells}))
    cold = _check(tmp_path)
    assert analysed == ["eda.ipynb"]
    analysed.clear()
    warm = _check(tmp_path)
    assert analysed == []
    assert warm.findings == cold.findings
    assert [(f.code, f.cell, f.line, f.joined_line) for f in warm.findings if f.code == "MLD504"] == [("MLD504", 3, 1, 3)]


def test_processes_map_notebooks_to_the_same_cells_as_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for index in range(12):
        cells = [{"cell_type": "markdown", "source": "x"}, {"cell_type": "code", "source": "%time f()\n" + DEAD}]
        (tmp_path / f"eda_{index:02}.ipynb").write_text(json.dumps({"nbformat": 4, "cells": cells}))
        (tmp_path / f"script_{index:02}.py").write_text(SEEDLESS)
    monkeypatch.setattr(parallel, "MIN_FILES_FOR_PROCESSES", 4)
    registry = load_registry()
    config = Config(root=tmp_path)
    setups = rule_setups(registry, config, enabled_codes(registry, config))
    serial = run_check(config, setups, jobs=1)
    pooled = run_check(config, setups, jobs=2)
    assert pooled.findings == serial.findings
    assert {(f.cell, f.line, f.joined_line) for f in serial.findings if f.code == "MLD504"} == {(2, 2, 2)}
