"""Throughput of `mldebt check` on a directory: lines/s, wall and CPU, per rule selection."""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path


def python_lines(root: Path) -> tuple[int, int]:
    """(files, lines) of the `.py` files mldebt would discover under root."""
    from mldebt.config import load_config
    from mldebt.discovery import discover

    config = load_config(root)
    files = list(discover(config.root, config.exclude_patterns, start=root.resolve()))
    lines = 0
    for path in files:
        try:
            with path.open("rb") as handle:
                lines += sum(1 for _ in handle)
        except OSError:
            pass
    return len(files), lines


def every_rule() -> str:
    from mldebt.registry import load_registry

    return ",".join(rule.CODE for rule in load_registry().rules)


def run_once(root: Path, select: str | None, jobs: int | None = None) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, findings) of one cold run in a fresh process.

    CPU time is the run's and its worker processes' (all are waited-for children)."""
    command = [sys.executable, "-m", "mldebt", "check", str(root), "--no-cache", "--exit-zero", "--format", "json"]
    if select:
        command += ["--select", select]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if completed.returncode not in (0, 3):
        sys.exit(f"mldebt failed ({completed.returncode}): {completed.stderr[-2000:]}")
    findings = len(json.loads(completed.stdout)["findings"])
    return wall, cpu, findings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--select", action="append", help="a rule selection (repeatable); ALL = every rule")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--jobs", type=int, help="passed to mldebt (worker processes; 1 = none) [default: mldebt's]")
    args = parser.parse_args()
    files, lines = python_lines(args.path)
    jobs = f", --jobs {args.jobs}" if args.jobs is not None else ""
    print(f"{args.path}: {files} files, {lines:,} lines of Python, {os.cpu_count()} cores{jobs}")
    print(f"{'selection':<40} {'wall s':>8} {'cpu s':>8} {'lines/s wall':>13} {'lines/s cpu':>12} {'findings':>9}")
    for selection in args.select or [None]:
        chosen = every_rule() if selection == "ALL" else selection
        runs = [run_once(args.path, chosen, args.jobs) for _ in range(max(args.repeat, 1))]
        wall = min(run[0] for run in runs)
        cpu = min(run[1] for run in runs)
        label = selection or "(defaults)"
        print(f"{label:<40} {wall:>8.2f} {cpu:>8.2f} {lines / wall:>13,.0f} {lines / cpu:>12,.0f} {runs[0][2]:>9}")


if __name__ == "__main__":
    main()
