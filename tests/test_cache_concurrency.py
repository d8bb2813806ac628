"""The cache under concurrent runs, killed runs, damaged packs and files changed in the same clock tick:
whatever happens to it, a later run gives the findings a run without the cache gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import mldebt
import mldebt.isolation as isolation
import mldebt.parallel as parallel
from mldebt import cache as caching
from mldebt.config import Config
from mldebt.registry import enabled_codes, load_registry, rule_setups
from mldebt.runner import RunResult, run_check

SOURCE_ROOT = str(Path(mldebt.__file__).resolve().parents[1])
DEAD = "if False:\n    old()\n"
MODEL = (
    "from sklearn.ensemble import RandomForestClassifier\n\n\n"
    "def fit(x, y):\n    return RandomForestClassifier(n_estimators={trees}).fit(x, y)\n"
)
CLEAN = "def add(a, b):\n    return a + b\n"

Summary = list[tuple[str, str, int, str]]


def _project(root: Path, files: int = 40) -> Path:
    root.mkdir(exist_ok=True)
    for index in range(files):
        text = (DEAD, MODEL.format(trees=100 + index), CLEAN)[index % 3]
        (root / f"module_{index:02}.py").write_text(text, encoding="utf-8")
    (root / "requirements.txt").write_text("torch\nscikit-learn\n", encoding="utf-8")
    return root


def _check(root: Path, use_cache: bool = True) -> RunResult:
    registry = load_registry()
    config = Config(root=root)
    return run_check(config, rule_setups(registry, config, enabled_codes(registry, config)), jobs=1, use_cache=use_cache)


def _summary(result: RunResult) -> Summary:
    return [(f.code, f.path, f.line, f.fingerprint) for f in result.findings]


def _json_summary(stdout: str) -> Summary:
    return [(f["code"], f["path"], f["line"], f["fingerprint"]) for f in json.loads(stdout)["findings"]]


def _environment() -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("MLDEBT_", "PYTHON"))}
    environment["PYTHONPATH"] = SOURCE_ROOT
    return environment


def _cache_folder(root: Path) -> Path:
    return root / ".mldebt_cache"


def _pack(root: Path) -> Path:
    (pack,) = _cache_folder(root).glob(f"{caching.PACK_PREFIX}*.json")
    return pack


def _temporary_files(root: Path) -> list[Path]:
    return sorted(_cache_folder(root).glob(f"{caching.TEMPORARY_PREFIX}*"))


@pytest.fixture
def analysed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths this process parses."""
    seen: list[str] = []
    real = isolation.analyse_bytes

    def counting(data, path, setups, package):  # type: ignore[no-untyped-def]
        seen.append(path)
        return real(data, path, setups, package)

    monkeypatch.setattr(parallel, "fork_context", lambda: None)  # analysed in this process, where it is seen
    monkeypatch.setattr(isolation, "analyse_bytes", counting)
    return seen


def test_two_processes_at_once_give_the_full_findings_and_a_cache_that_agrees(
    tmp_path: Path, analysed: list[str]
) -> None:
    root = _project(tmp_path / "project")
    expected = _summary(_check(root, use_cache=False))
    assert len(expected) >= 30
    command = [sys.executable, "-m", "mldebt", "check", "--format", "json", "--jobs", "2"]
    runs = [subprocess.Popen(command, cwd=root, env=_environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]  # fmt: skip
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (stdout, stderr) in zip(runs, outputs):
        assert run.returncode == 1, stderr
        assert _json_summary(stdout) == expected
        assert "cache" not in stderr
    assert _temporary_files(root) == []
    json.loads(_pack(root).read_text(encoding="utf-8"))  # whole: one run's pack, not a mix
    analysed.clear()
    assert _summary(_check(root)) == expected
    assert analysed == []  # every file's result came from the cache the two runs left


KILLER = """
import os, signal, sys
from mldebt.cli import main

point = sys.argv.pop(1)
real_fdopen, real_replace = os.fdopen, os.replace


class DiesWhileWriting:
    def __init__(self, stream):
        self.stream = stream

    def __enter__(self):
        return self

    def __exit__(self, *details):
        return False

    def write(self, text):
        self.stream.write(text[: len(text) // 2])
        self.stream.flush()
        os.kill(os.getpid(), signal.SIGKILL)


def fdopen(handle, *args, **kwargs):
    stream = real_fdopen(handle, *args, **kwargs)
    return DiesWhileWriting(stream) if point == "while-writing" else stream


def replace(source, target):
    if point == "before-rename":
        os.kill(os.getpid(), signal.SIGKILL)
    real_replace(source, target)


os.fdopen, os.replace = fdopen, replace
sys.exit(main())
"""


@pytest.mark.parametrize("point", ["while-writing", "before-rename"])
def test_a_run_killed_while_writing_the_cache_never_leads_to_wrong_results(
    tmp_path: Path, analysed: list[str], point: str
) -> None:
    root = _project(tmp_path / "project")
    _check(root)  # a good cache of the first state
    old_pack = _pack(root).read_bytes()
    (root / "module_00.py").write_text(CLEAN, encoding="utf-8")  # fixed: the next pack must differ
    (root / "module_02.py").write_text(DEAD, encoding="utf-8")  # and new debt
    killer = tmp_path / "killer.py"
    killer.write_text(KILLER, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(killer), point, "check", "--format", "json"],
        cwd=root, env=_environment(), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == -9, done.stderr  # SIGKILL, in the middle of saving the cache
    assert _pack(root).read_bytes() == old_pack  # the old pack is whole
    (stray,) = _temporary_files(root)
    if point == "while-writing":
        with pytest.raises(ValueError):
            json.loads(stray.read_text(encoding="utf-8"))  # cut short, as a kill leaves it
    expected = _summary(_check(root, use_cache=False))
    assert ("MLD504", "module_02.py", 1) in {finding[:3] for finding in expected}
    assert "module_00.py" not in {finding[1] for finding in expected}
    analysed.clear()
    assert _summary(_check(root)) == expected
    assert sorted(analysed) == ["module_00.py", "module_02.py"]  # the edited files, from the old pack
    assert _temporary_files(root) == [stray]  # young: it may be another run's write in progress
    past = time.time() - caching.STALE_TEMPORARY_SECONDS - 60
    os.utime(stray, (past, past))
    analysed.clear()
    assert _summary(_check(root)) == expected and analysed == []
    assert _temporary_files(root) == []  # old: a dead run's, removed


@pytest.mark.parametrize(
    "damage",
    ["cut-in-half", "empty", "garbage-bytes", "another-key", "entries-of-the-wrong-shape"],
)
def test_a_damaged_pack_is_ignored_and_rebuilt(tmp_path: Path, analysed: list[str], damage: str) -> None:
    root = _project(tmp_path / "project", files=9)
    expected = _summary(_check(root))
    pack = _pack(root)
    data = pack.read_bytes()
    document = json.loads(data)
    if damage == "cut-in-half":
        pack.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        pack.write_bytes(b"")
    elif damage == "garbage-bytes":
        pack.write_bytes(b"\x00\xff" * 100)
    elif damage == "another-key":
        pack.write_text(json.dumps({**document, "key": "0" * 24}), encoding="utf-8")
    else:
        document["files"] = {path: {**entry, "result": {"findings": [{"code": 7}]}} for path, entry in document["files"].items()}
        pack.write_text(json.dumps(document), encoding="utf-8")
    analysed.clear()
    assert _summary(_check(root)) == expected
    assert len(analysed) == 9
    rebuilt = json.loads(pack.read_text(encoding="utf-8"))
    assert len(rebuilt["files"]) == 9
    analysed.clear()
    assert _summary(_check(root)) == expected and analysed == []


def test_a_marker_file_cut_short_is_written_again(tmp_path: Path) -> None:
    root = _project(tmp_path / "project", files=3)
    _check(root)
    gitignore = _cache_folder(root) / ".gitignore"
    gitignore.write_text(caching.GITIGNORE[:10], encoding="utf-8")  # a run killed while writing it
    (_cache_folder(root) / "CACHEDIR.TAG").unlink()
    _check(root)
    assert gitignore.read_text(encoding="utf-8") == caching.GITIGNORE
    assert (_cache_folder(root) / "CACHEDIR.TAG").read_text(encoding="utf-8") == caching.CACHEDIR_TAG


def test_a_file_changed_twice_in_one_clock_tick_is_not_taken_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, analysed: list[str]
) -> None:
    root = _project(tmp_path / "project", files=3)
    (root / "module_03.py").write_text("def f():\n    return 111\n", encoding="utf-8")
    _check(root)
    target = root / "module_03.py"
    stamp = target.stat()
    # Written again just after the run read it, in the same tick: same size, same mtime.
    target.write_text("if False:\n    old()\n#23\n", encoding="utf-8")
    assert target.stat().st_size == stamp.st_size
    os.utime(target, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    analysed.clear()
    assert ("MLD504", "module_03.py", 1) in {finding[:3] for finding in _summary(_check(root))}
    assert analysed == ["module_03.py"]


def test_a_file_unchanged_since_well_before_the_run_is_not_even_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path / "project", files=3)
    hour_ago = time.time() - 3600
    for path in root.iterdir():
        os.utime(path, (hour_ago, hour_ago))
    _check(root)
    read: list[str] = []
    real = Path.read_bytes

    def reading(path: Path) -> bytes:
        read.append(path.name)
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", reading)
    _check(root)
    assert [name for name in read if name.endswith(".py")] == []  # (requirements.txt is read for the project key)
