"""No file takes a run down: a worker that dies or hangs costs its one file, in serial and parallel runs.

Exit codes, as DESIGN.md has them: a file whose worker died is an MLD001 finding (an error: exit 1);
a file that overran `file-timeout` is a notice (no effect on the exit code); an exception in the
engine is an internal error (exit 3). Every other file is checked all the same.
"""

from __future__ import annotations

import ast
import faulthandler
import sys
from pathlib import Path

import pytest

import mldebt.analysis as analysis
import mldebt.isolation as isolation
import mldebt.parallel as parallel
from mldebt.analysis import FileResult, analyse_source
from mldebt.cache import FileStat, ResultCache
from mldebt.guards import recursion_limit
from mldebt.parallel import FileJob

# A local rule that misbehaves where a file names the misdeed: the stand-in for a native crash, an
# out-of-memory kill, a hang.
MISBEHAVING_RULE = '''
from __future__ import annotations

import ctypes
import os
import signal
import time

import libcst as cst

from mldebt import Rule, Section, Severity, Valid


class Misbehaving(Rule):
    """Misbehaves on the names below."""

    CODE = "MLD595"
    NAME = "misbehaving"
    SEVERITY = Severity.WARNING
    SECTION = Section.PROTOTYPE_SMELL
    SUMMARY = "misbehaves"
    MESSAGE = "misbehaves"
    VALID = [Valid("x = 1")]

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == "SEGFAULT_HERE":
            ctypes.string_at(0)  # a real segfault, in the thread that analyses
        elif node.value == "EXIT_HERE":
            os._exit(7)
        elif node.value == "OOM_KILLED_HERE":
            os.kill(os.getpid(), signal.SIGKILL)
        elif node.value == "SPIN_HERE":
            while True:  # as libcst's parser does, for minutes, on some machine-made code
                pass
        elif node.value == "SLEEP_HERE":
            time.sleep(120)
'''

DEAD = "if False:\n    old()\n"
CONFIG = '[tool.mldebt]\nrule-paths = ["odd_rules"]\n'


def _project(write, bad: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    files = {"pyproject.toml": CONFIG, "odd_rules/misbehaving.py": MISBEHAVING_RULE, **bad}
    files.update({f"ok_{index}.py": DEAD for index in range(4)})
    write(files)


@pytest.fixture(autouse=True)
def quiet_crashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers forked from pytest inherit its faulthandler, which would print each expected crash."""
    serve = isolation._serve

    def serve_quietly(*args):  # type: ignore[no-untyped-def]
        faulthandler.disable()
        serve(*args)

    monkeypatch.setattr(isolation, "_serve", serve_quietly)


@pytest.fixture(params=["serial", "parallel"])
def jobs(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """`--jobs` for a serial run (one worker) and a parallel one (two, however few the files)."""
    if request.param == "parallel":
        monkeypatch.setattr(parallel, "MIN_FILES_FOR_PROCESSES", 1)
        return "2"
    return "1"


def _every_other_file_checked(outcome) -> None:  # type: ignore[no-untyped-def]
    assert [(code, path) for code, path, _ in outcome.codes() if path.startswith("ok_")] == [
        ("MLD504", f"ok_{index}.py") for index in range(4)
    ]


@pytest.mark.parametrize(
    ("trigger", "how"),
    [("SEGFAULT_HERE", "SIGSEGV"), ("EXIT_HERE", "exited with status 7"), ("OOM_KILLED_HERE", "SIGKILL")],
)
def test_a_worker_that_dies_costs_its_file_only(write, mldebt, jobs: str, trigger: str, how: str) -> None:
    _project(write, {"bad.py": f"{trigger}\n", "also_bad.py": f"x = 1\n{trigger}\n"})
    outcome = mldebt("check", "--format", "json", "--allow-local-rules", "--jobs", jobs)
    assert outcome.exit_code == 1  # MLD001 is an error finding
    crashed = [f for f in outcome.json()["findings"] if f["code"] == "MLD001"]
    assert [(f["path"], f["line"], f["column"]) for f in crashed] == [("also_bad.py", 1, 1), ("bad.py", 1, 1)]
    assert all(how in f["message"] and "worker process crashed" in f["message"] for f in crashed)
    assert outcome.json()["errors"] == []
    _every_other_file_checked(outcome)


def test_a_file_that_overruns_the_time_limit_is_a_notice(write, mldebt, jobs: str) -> None:
    """The limit counts the worker's CPU time: ordinary files are not cut short on a busy machine."""
    _project(write, {"slow.py": "SPIN_HERE\n"})
    outcome = mldebt("check", "--format", "json", "--allow-local-rules", "--jobs", jobs, "--file-timeout", "1")
    assert outcome.exit_code == 1  # the MLD504 findings of the other files; the notice changes nothing
    assert [n for n in outcome.json()["notices"] if n["path"] == "slow.py"] == [
        {"path": "slow.py", "message": "skipped: analysing it took longer than the time limit of 1 s (file-timeout)"}
    ]
    assert not any(f["path"] == "slow.py" for f in outcome.json()["findings"])
    _every_other_file_checked(outcome)


def test_a_worker_that_waits_instead_of_computing_is_stopped_too(write, mldebt) -> None:
    _project(write, {"asleep.py": "SLEEP_HERE\n"})
    outcome = mldebt("check", "--format", "json", "--allow-local-rules", "--file-timeout", "0.3")
    assert [n["path"] for n in outcome.json()["notices"]] == ["asleep.py"]  # after 10 times the limit
    _every_other_file_checked(outcome)


def test_the_time_limit_comes_from_the_config(write, mldebt) -> None:
    _project(write, {"slow.py": "SPIN_HERE\n"})
    write({"pyproject.toml": CONFIG + "file-timeout = 1\n"})
    outcome = mldebt("check", "--format", "json", "--allow-local-rules", "--select", "MLD595")
    assert outcome.exit_code == 0  # a notice only
    assert [n["path"] for n in outcome.json()["notices"]] == ["slow.py"]


@pytest.mark.parametrize("value", ["0", "-1", '"10"', "true"])
def test_a_bad_time_limit_is_a_usage_error(write, mldebt, value: str) -> None:
    write({"pyproject.toml": f"[tool.mldebt]\nfile-timeout = {value}\n", "a.py": "x = 1\n"})
    outcome = mldebt("check")
    assert outcome.exit_code == 2
    assert "file-timeout" in outcome.stderr and "pyproject.toml" in outcome.stderr


def test_a_bad_time_limit_flag_is_a_usage_error(write, mldebt) -> None:
    write({"a.py": "x = 1\n"})
    outcome = mldebt("check", "--file-timeout", "0")
    assert outcome.exit_code == 2 and "--file-timeout" in outcome.stderr


def test_libcst_crashing_on_deep_brackets_is_contained(write, mldebt, monkeypatch: pytest.MonkeyPatch, jobs: str) -> None:
    """The real input: brackets nested 2,000 deep overflow the stack of libcst's native parser (on a
    process's main thread; the workers' deep-stack thread survives that depth). With both guards taken
    away (CPython's gate turns the file away first, see below), the worker dies and the run goes on."""
    monkeypatch.setattr(analysis, "cpython_parse", lambda text, path, **flags: ast.Module(body=[], type_ignores=[]))
    monkeypatch.setattr(isolation, "run_deep", lambda function: function())
    write({"brackets.py": "x = " + "(" * 2000 + "1" + ")" * 2000 + "\n", **{f"ok_{i}.py": DEAD for i in range(4)}})
    outcome = mldebt("check", "--format", "json", "--jobs", jobs)
    [crash] = [f for f in outcome.json()["findings"] if f["path"] == "brackets.py"]
    assert crash["code"] == "MLD001" and "SIGSEGV" in crash["message"]
    _every_other_file_checked(outcome)


def test_the_gate_turns_deep_brackets_away_with_cpythons_message(write, mldebt) -> None:
    write({"brackets.py": "x = " + "(" * 2000 + "1" + ")" * 2000 + "\n"})
    outcome = mldebt("check", "--format", "json")
    [finding] = outcome.json()["findings"]
    assert finding["code"] == "MLD001" and finding["message"] == "SyntaxError: too many nested parentheses"
    assert finding["line"] == 1


def test_a_crashed_file_keeps_its_noqa_and_configured_severity(write, mldebt) -> None:
    _project(write, {"bad.py": "# mldebt: noqa: MLD001\nSEGFAULT_HERE\n", "sev.py": "SEGFAULT_HERE\n"})
    write({"pyproject.toml": CONFIG + '[tool.mldebt.severity]\nMLD001 = "info"\n'})
    outcome = mldebt("check", "--format", "json", "--allow-local-rules", "--select", "MLD001,MLD595")
    assert [(f["path"], f["severity"]) for f in outcome.json()["findings"]] == [("sev.py", "info")]
    assert outcome.exit_code == 0  # info is below the default fail-on


def test_an_engine_exception_in_a_worker_exits_3_and_the_run_goes_on(write, mldebt, monkeypatch, jobs: str) -> None:
    real = isolation.analyse_bytes

    def failing(data, path, setups, package):  # type: ignore[no-untyped-def]
        if path == "bug.py":
            raise KeyError("engine bug")
        return real(data, path, setups, package)

    monkeypatch.setattr(isolation, "analyse_bytes", failing)
    write({"bug.py": "x = 1\n", **{f"ok_{i}.py": DEAD for i in range(4)}})
    outcome = mldebt("check", "--format", "json", "--jobs", jobs)
    assert outcome.exit_code == 3
    assert outcome.json()["errors"] == ["the engine failed on bug.py: KeyError: 'engine bug'"]
    _every_other_file_checked(outcome)


def test_lost_files_are_not_cached(tmp_path: Path) -> None:
    """A time-out or a crash may not happen again (a busy machine, a raised limit): try next time."""
    job = FileJob("a.py", b"x = 1\n", False)
    store = ResultCache(tmp_path, "key")
    for lost in (isolation.timed_out(job, 1.0), isolation.crashed(job, [], "it died of SIGSEGV")):
        store.store("a.py", FileStat(6, 0), "digest", False, lost)
    assert store.fresh == {}
    store.store("a.py", FileStat(6, 0), "digest", False, FileResult("a.py"))
    assert list(store.fresh) == ["a.py"]


def test_stdin_is_contained_too(write, mldebt) -> None:
    _project(write, {})
    outcome = mldebt("check", "--format", "json", "--allow-local-rules", "-", "--stdin-filename", "piped.py", stdin="SEGFAULT_HERE\n")
    assert outcome.exit_code == 1
    assert [(f["code"], f["path"]) for f in outcome.json()["findings"]] == [("MLD001", "piped.py")]


def test_without_processes_files_are_analysed_here(write, mldebt, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork(self):  # type: ignore[no-untyped-def]
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(isolation._Pool, "_start", no_fork)
    write({f"ok_{i}.py": DEAD for i in range(4)})
    _every_other_file_checked(mldebt("check", "--format", "json"))


def test_when_no_worker_can_replace_a_lost_one_the_rest_is_analysed_here(write, mldebt, monkeypatch) -> None:
    start = isolation._Pool._start
    started: list[int] = []

    def start_once(self):  # type: ignore[no-untyped-def]
        if started:
            raise OSError(11, "Resource temporarily unavailable")
        started.append(1)
        return start(self)

    monkeypatch.setattr(isolation._Pool, "_start", start_once)
    _project(write, {"a_exit.py": "EXIT_HERE\n"})
    outcome = mldebt("check", "--format", "json", "--allow-local-rules", "--jobs", "1")
    assert [(f["code"], f["path"]) for f in outcome.json()["findings"] if f["code"] == "MLD001"] == [("MLD001", "a_exit.py")]
    _every_other_file_checked(outcome)


def test_workers_end_with_the_run(write, mldebt) -> None:
    import multiprocessing

    write({f"ok_{i}.py": DEAD for i in range(3)})
    mldebt("check", "--jobs", "1")
    assert multiprocessing.active_children() == []


# --- Deep but legal code -----------------------------------------------------------------------


def _sum(terms: int) -> str:
    return "x = " + " + ".join(f"a{index}" for index in range(terms)) + "\n"


def test_deep_legal_code_is_checked_without_recursion_errors(write, mldebt, jobs: str) -> None:
    """CPython compiles a 5,000-term `and` and a 1,000-term sum; libcst nests them that deep, and the
    visitors recursed past the default limit (exit 3). A rule still reports in the same file."""
    write(
        {
            "chain.py": "x = " + " and ".join(f"a{index}" for index in range(5000)) + "\n" + DEAD,
            "total.py": _sum(1000) + DEAD,
            **{f"ok_{i}.py": DEAD for i in range(4)},
        }
    )
    outcome = mldebt("check", "--format", "json", "--jobs", jobs)
    assert outcome.json()["errors"] == []
    assert ("MLD504", "chain.py", 2) in outcome.codes() and ("MLD504", "total.py", 2) in outcome.codes()
    _every_other_file_checked(outcome)


def test_the_gate_is_cpythons_default_even_under_a_raised_limit() -> None:
    """Workers raise the recursion limit; the gate must still turn away what a stock CPython does
    (a 20,000-term sum, which libcst would spend minutes on), not hand it to libcst."""
    with recursion_limit(max(sys.getrecursionlimit(), 50_000)):
        result = analyse_source(_sum(20_000), "long.py", [])
    [finding] = result.findings
    assert (finding.code, finding.message) == ("MLD001", "the file is nested too deeply to parse")
