"""Crash-free on real code: `mldebt check` over large real trees, reporting every internal error
and every MLD001 (syntax-error) on a file that CPython itself compiles.

    python benchmarks/crash_free.py stdlib                     # the running Python's standard library
                                                               # (not the site-packages folder inside it)
    python benchmarks/crash_free.py site-packages              # the running environment's site-packages
    python benchmarks/crash_free.py /path/to/repo [...]        # any folder
    python benchmarks/crash_free.py --default-trees            # stdlib, site-packages and the repositories below
    python benchmarks/crash_free.py stdlib --exclude /python3.11/test/   # leave out a folder (gitignore pattern)

Each tree is checked by a fresh `python -m mldebt check TREE --format json --no-cache --exit-zero`
with every rule enabled (off-by-default ones too), one tree at a time. `stdlib` and `site-packages`
(and any tree given with `--no-excludes`) are checked with no `exclude` patterns, through a temporary
project folder holding a symlink to the tree and an `mldebt.toml` (`exclude = []`), since the default
excludes would skip `site-packages`, `venv`, `build`...; nothing is written inside the tree.

Reported per tree: files, lines, internal errors (exit 3, `errors` in the JSON report, a traceback on
stderr), MLD001 findings split into justified (CPython's `compile()` rejects the file too: Python 2
code, test data) and unjustified (CPython compiles it: a bug in mldebt), and the notices (files
skipped as too big, too deeply nested, unreadable). A run that dies without a report (a worker
killed by a segfault, a timeout) is narrowed down folder by folder to the files that cause it.

The exit status is 1 when any internal error or unjustified MLD001 was found, else 0.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

REPOSITORIES = Path("/tmp/repos")
# Varied real ML code: libraries, research code, competition notebooks turned scripts, courses.
DEFAULT_REPOSITORIES = (
    "lead-karpathy+nanoGPT",
    "lead-pytorch+examples",
    "lead-huggingface+diffusers/examples",
    "lead-Lightning-AI+pytorch-lightning",
    "h5xx-mlfs",
    "h5xx-mmf",
    "h5xx-heart",
    "h5xx-learntools",
    "h5xx-commonlit",
    "h5xx-otto",
    "h5xx-reco",
    "h5xx-yolov5",
    "h5xx-praveen",
    "h201-chrishefele+kaggle-sample-code",
    "h201-ageron+handson-ml2",
    "h201-yasumorishima+kaggle-competitions",
)
NAMED_TREES = {
    "stdlib": lambda: Path(sysconfig.get_paths()["stdlib"]),
    "site-packages": lambda: Path(sysconfig.get_paths()["purelib"]),
}
# The interpreter's own site-packages sits inside its standard library folder: not the stdlib.
NAMED_EXCLUDES = {"stdlib": ["/*/site-packages/"]}


@dataclass
class TreeReport:
    """What one tree's checks found."""

    name: str
    files: int = 0
    lines: int = 0
    cpu: float = 0.0
    wall: float = 0.0
    runs: int = 0
    internal_errors: list[str] = field(default_factory=list)
    justified: list[str] = field(default_factory=list)  # MLD001 where CPython agrees
    unjustified: list[str] = field(default_factory=list)  # MLD001 on a file CPython compiles
    notices: list[str] = field(default_factory=list)
    died: list[str] = field(default_factory=list)  # files whose check alone kills or hangs the run


def every_rule() -> str:
    from mldebt.registry import load_registry

    return ",".join(rule.CODE for rule in load_registry().rules)


def cpython_compiles(path: Path) -> tuple[bool, str]:
    """(does CPython compile the file, why not). Bytes, so the coding cookie is honoured."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return False, f"unreadable: {error}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(data, str(path), "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as error:
            return False, f"{type(error).__name__}: {error}"
        except (RecursionError, MemoryError) as error:
            return False, type(error).__name__
    return True, ""


def run_mldebt(target: Path, cwd: Path, select: str, jobs: int, timeout: float) -> tuple[dict | None, str, int, float, float]:
    """(the JSON report or None, stderr, exit code, wall, CPU) of one check in a fresh process."""
    command = [sys.executable, "-m", "mldebt", "check", str(target), "--format", "json", "--no-cache",
               "--exit-zero", "--select", select, "--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    # A session of its own, so a timeout ends the check's worker processes too.
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               errors="replace", start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return None, f"timed out after {timeout:.0f} s", -1, time.perf_counter() - start, 0.0
    completed = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    try:
        report = json.loads(completed.stdout)
    except json.JSONDecodeError:
        report = None
    return report, completed.stderr, completed.returncode, wall, cpu


def project_root(target: Path) -> Path:
    """The root mldebt picks for a check of `target`: report paths are relative to it."""
    from mldebt.config import load_config

    return load_config(target).root


def check_tree(report: TreeReport, target: Path, cwd: Path, select: str, jobs: int, timeout: float) -> None:
    """Check `target`; when the run dies without a report, check its parts one by one."""
    result, stderr, code, wall, cpu = run_mldebt(target, cwd, select, jobs, timeout)
    report.runs += 1
    report.wall += wall
    report.cpu += cpu
    if result is None:
        if target.is_dir():
            parts = sorted(p for p in target.iterdir() if (p.is_dir() and not p.is_symlink()) or p.suffix == ".py")
            print(f"  {target}: no report (exit {code}); narrowing down over {len(parts)} parts", flush=True)
            for part in parts:
                check_tree(report, part, cwd, select, jobs, timeout)
        else:
            tail = stderr.strip().splitlines()[-1:] or [f"exit {code}"]
            report.died.append(f"{target}: {tail[0]}")
            print(f"  DIED {target}: {tail[0]}", flush=True)
        return
    summary = result.get("summary", {})
    report.files += summary.get("files", 0)
    report.lines += summary.get("lines", 0)
    for error in result.get("errors", []):
        report.internal_errors.append(error)
    if "Traceback (most recent call last)" in stderr:
        report.internal_errors.append(f"traceback on stderr while checking {target}:\n{stderr[-3000:]}")
    elif code == 3 and not result.get("errors"):
        report.internal_errors.append(f"exit 3 while checking {target}:\n{stderr[-3000:]}")
    root = project_root(target)
    for notice in result.get("notices", []):
        report.notices.append(f"{notice['path']}: {notice['message']}")
    for finding in result.get("findings", []):
        if finding["code"] != "MLD001":
            continue
        path = root / finding["path"]
        where = f"{finding['path']}:{finding['line']}: {finding['message']}"
        if path.suffix != ".py":
            report.justified.append(f"{where} (not a .py file: not judged)")
            continue
        compiles, why = cpython_compiles(path)
        if compiles:
            report.unjustified.append(where)
        else:
            report.justified.append(f"{where} (CPython: {why})")


def check(
    name: str, tree: Path, isolated: bool, select: str, jobs: int, timeout: float, exclude: list[str]
) -> TreeReport:
    report = TreeReport(name)
    if not isolated:
        check_tree(report, tree.resolve(), tree.resolve(), select, jobs, timeout)
        return report
    with tempfile.TemporaryDirectory(prefix="mldebt-crash-free-") as folder:
        project = Path(folder)
        (project / "mldebt.toml").write_text(f"exclude = {json.dumps(exclude)}\n", encoding="utf-8")
        link = project / (tree.name or "tree")
        link.symlink_to(tree.resolve(), target_is_directory=True)
        check_tree(report, link, project, select, jobs, timeout)
    return report


def print_report(report: TreeReport, verbose: bool) -> None:
    print(f"{report.name}: {report.files:,} files, {report.lines:,} lines, "
          f"{len(report.internal_errors)} internal errors, MLD001 {len(report.justified)} justified / "
          f"{len(report.unjustified)} unjustified, {len(report.died)} files that kill the run, "
          f"{len(report.notices)} notices ({report.runs} runs, {report.cpu:.0f} s CPU, {report.wall:.0f} s wall)",
          flush=True)
    for error in report.internal_errors:
        print(f"  INTERNAL ERROR {error}")
    for item in report.unjustified:
        print(f"  UNJUSTIFIED MLD001 {item}")
    for item in report.died:
        print(f"  KILLS THE RUN {item}")
    if verbose:
        for item in report.justified:
            print(f"  justified MLD001 {item}")
        for item in report.notices:
            print(f"  notice {item}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trees", nargs="*", help="`stdlib`, `site-packages`, or folders")
    parser.add_argument("--default-trees", action="store_true",
                        help=f"stdlib, site-packages and {len(DEFAULT_REPOSITORIES)} repositories under {REPOSITORIES}")
    parser.add_argument("--no-excludes", action="store_true", help="check given folders with no exclude patterns too")
    parser.add_argument("--exclude", action="append", default=[],
                        help="with stdlib, site-packages or --no-excludes: leave out folders matching this pattern")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes per check [default: 2]")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per check before narrowing down")
    parser.add_argument("--select", default=None, help="rules to run [default: every rule]")
    parser.add_argument("--verbose", "-v", action="store_true", help="list justified MLD001s and notices too")
    args = parser.parse_args()

    trees: list[tuple[str, Path, bool, list[str]]] = []
    names = list(args.trees)
    if args.default_trees:
        names += ["stdlib", "site-packages"]
        names += [str(REPOSITORIES / repo) for repo in DEFAULT_REPOSITORIES if (REPOSITORIES / repo).is_dir()]
    if not names:
        parser.error("name a tree, or --default-trees")
    for name in names:
        if name in NAMED_TREES:
            trees.append((name, NAMED_TREES[name](), True, NAMED_EXCLUDES.get(name, [])))
        else:
            trees.append((name, Path(name), args.no_excludes, []))
    select = args.select or every_rule()

    reports = []
    for name, tree, isolated, excludes in trees:
        print(f"checking {name} ({tree})", flush=True)
        report = check(name, tree, isolated, select, args.jobs, args.timeout, [*excludes, *args.exclude])
        print_report(report, args.verbose)
        reports.append(report)
    if len(reports) > 1:
        print(
            f"TOTAL: {len(reports)} trees, {sum(r.files for r in reports):,} files, "
            f"{sum(r.lines for r in reports):,} lines, {sum(len(r.internal_errors) for r in reports)} internal errors, "
            f"MLD001 {sum(len(r.justified) for r in reports)} justified / "
            f"{sum(len(r.unjustified) for r in reports)} unjustified, "
            f"{sum(len(r.died) for r in reports)} files that kill the run"
        )
    failed = any(r.internal_errors or r.unjustified or r.died for r in reports)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
