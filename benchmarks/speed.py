"""Speed of `mldebt check` on a directory: the libcst floor, cold, warm, touched and pre-commit runs.

Every run is a fresh process (interpreter start included), timed from outside:
wall seconds, CPU seconds of the process and its workers, and the peak memory of
the whole process tree (sampled from /proc: `RUSAGE_CHILDREN` reports only the
largest child). The directory is copied to a temporary folder first, so the
analysed repository is never written to; the cache lives in another temporary
folder. See README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

TOUCH_COMMENT = "\n# touched by the mldebt speed benchmark\n"
SAMPLE_SECONDS = 0.01


# --- measuring one process tree -----------------------------------------------------------


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                found.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


def _tree(pid: int) -> list[int]:
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        queue.extend(_children(current))
    return pids


def _memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes of one process, 0 when it is gone."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return rss, pss


class TreeSampler(threading.Thread):
    """Samples the summed RSS and PSS of a process and all its descendants until it ends."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_rss = 0
        self.peak_pss = 0
        self.peak_processes = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            pids = _tree(self.pid)
            sizes = [_memory(pid) for pid in pids]
            self.peak_rss = max(self.peak_rss, sum(rss for rss, _ in sizes))
            self.peak_pss = max(self.peak_pss, sum(pss for _, pss in sizes))
            self.peak_processes = max(self.peak_processes, len([s for s in sizes if s[0]]))
            self.stopped.wait(SAMPLE_SECONDS)


@dataclass
class Measured:
    label: str
    wall: float
    cpu: float
    peak_rss: int
    peak_pss: int
    processes: int
    returncode: int
    stdout: str
    stderr: str
    findings: list[dict] | None = None
    note: str = ""
    lines: int = 0
    extra: dict = field(default_factory=dict)


def measure(label: str, command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Measured:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    if env is None:
        # Timed as installed: with bytecode caches (a development shell often turns them off).
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    sampler = TreeSampler(process.pid)
    sampler.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - start
    sampler.stopped.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(label, wall, cpu, sampler.peak_rss, sampler.peak_pss, sampler.peak_processes,
                    process.returncode, stdout, stderr)


# --- the floor: libcst's own parse, in as many processes as mldebt uses ----------------------


def _parse_chunk(paths: list[str]) -> int:
    import libcst as cst

    parsed = 0
    for path in paths:
        try:
            data = Path(path).read_bytes()
            cst.parse_module(data.decode("utf-8"))
            parsed += 1
        except Exception:  # the floor only counts what parses
            continue
    return parsed


def floor_worker(list_file: Path, jobs: int) -> None:
    """Parse every file named in `list_file` with libcst, in `jobs` forked processes."""
    import multiprocessing

    import libcst  # noqa: F401  (imported before forking, as mldebt does)

    paths = list_file.read_text(encoding="utf-8").splitlines()
    if jobs <= 1:
        print(_parse_chunk(paths))
        return
    chunk = max(1, len(paths) // (jobs * 8))
    chunks = [paths[i : i + chunk] for i in range(0, len(paths), chunk)]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        print(sum(pool.map(_parse_chunk, chunks, chunksize=1)))


# --- the runs ---------------------------------------------------------------------------------


def python_files(root: Path) -> list[Path]:
    """The `.py` files mldebt discovers under root (its own discovery, so the counts agree)."""
    from mldebt.config import load_config
    from mldebt.discovery import discover

    config = load_config(root)
    return list(discover(config.root, config.exclude_patterns, start=root.resolve()))


def count_lines(files: list[Path]) -> int:
    lines = 0
    for path in files:
        try:
            with path.open("rb") as handle:
                lines += sum(1 for _ in handle)
        except OSError:
            pass
    return lines


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def pick(files: list[Path], count: int) -> list[Path]:
    """`count` files spread evenly over the sorted list (deterministic)."""
    ordered = sorted(files)
    if len(ordered) <= count:
        return ordered
    step = len(ordered) / count
    return [ordered[int(index * step)] for index in range(count)]


def findings_of(measured: Measured) -> list[dict] | None:
    if measured.returncode not in (0, 1):
        return None
    try:
        return json.loads(measured.stdout)["findings"]
    except (ValueError, KeyError):
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path, nargs="?", help="the directory to check (it is copied, never written to)")
    parser.add_argument("--mldebt", default=None, help="the mldebt command [default: PYTHON -m mldebt]")
    parser.add_argument("--touch", type=int, default=5, help="files to touch and to pass as pre-commit does [5]")
    parser.add_argument("--no-jobs-check", action="store_true",
                        help="skip the extra cold runs with --jobs 1 and --jobs 2 (slow on large repositories)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    parser.add_argument("--floor-worker", nargs=2, metavar=("LIST", "JOBS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor_worker:
        floor_worker(Path(args.floor_worker[0]), int(args.floor_worker[1]))
        return
    if args.path is None:
        parser.error("PATH is required")

    source = args.path.resolve()
    mldebt = args.mldebt.split() if args.mldebt else [sys.executable, "-m", "mldebt"]
    work = Path(tempfile.mkdtemp(prefix="mldebt-speed-"))
    copy = work / source.name
    cache = work / "cache"
    shutil.copytree(source, copy, symlinks=True, ignore=shutil.ignore_patterns(".git", ".mldebt_cache"))
    try:
        run(args, source, copy, cache, work, mldebt)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, source: Path, copy: Path, cache: Path, work: Path, mldebt: list[str]) -> None:
    files = python_files(copy)
    lines = count_lines(files)
    jobs = default_jobs()
    with open("/proc/loadavg", encoding="ascii") as handle:
        load = " ".join(handle.read().split()[:3])
    print(f"{source}: {len(files)} files, {lines:,} lines of Python; {os.cpu_count()} cores, "
          f"mldebt's default --jobs {jobs}; load average {load} at start")
    check = [*mldebt, "check", "--format", "json", "--exit-zero", "--cache-dir", str(cache)]
    results: list[Measured] = []

    listing = work / "files.txt"
    listing.write_text("\n".join(str(path) for path in files), encoding="utf-8")
    floor = measure("floor: libcst parse", [sys.executable, __file__, "--floor-worker", str(listing), str(jobs)])
    floor.lines = lines
    floor.note = f"{floor.stdout.strip() or '?'} files parsed, {jobs} processes"
    results.append(floor)

    cold = measure("cold (empty cache)", [*check, str(copy)])
    cold.lines = lines
    results.append(cold)
    warm = measure("warm, nothing changed", [*check, str(copy)])
    warm.lines = lines
    results.append(warm)

    chosen = pick(files, args.touch)
    relative = {path.relative_to(copy).as_posix() for path in chosen}
    precommit = measure(f"pre-commit: {len(chosen)} files, warm", [*check, *map(str, chosen)], cwd=copy)
    precommit.lines = count_lines(chosen)
    results.append(precommit)

    for path in chosen:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(TOUCH_COMMENT)
    touched = measure(f"warm, {len(chosen)} files edited", [*check, str(copy)])
    touched.lines = lines
    touched.note = "a comment line appended to each"
    results.append(touched)
    again = measure("warm again after the edit", [*check, str(copy)])
    again.lines = lines
    results.append(again)

    extra: list[Measured] = []
    if not args.no_jobs_check:
        for count in (1, 2):
            runs = measure(f"cold --no-cache --jobs {count}", [*check, "--no-cache", "--jobs", str(count), str(copy)])
            runs.lines = lines
            extra.append(runs)
    results.extend(extra)

    print()
    print(f"{'run':<32} {'wall s':>8} {'cpu s':>8} {'lines/s wall':>13} {'lines/s cpu':>12} "
          f"{'peak RSS MB':>12} {'peak PSS MB':>12} {'procs':>5} {'findings':>9}")
    for measured in results:
        found = findings_of(measured) if measured is not floor else None
        count = str(len(found)) if found is not None else ("-" if measured is floor else f"exit {measured.returncode}")
        print(f"{measured.label:<32} {measured.wall:>8.2f} {measured.cpu:>8.2f} "
              f"{measured.lines / measured.wall:>13,.0f} {measured.lines / max(measured.cpu, 1e-9):>12,.0f} "
              f"{measured.peak_rss / 2**20:>12.0f} {measured.peak_pss / 2**20:>12.0f} {measured.processes:>5} {count:>9}"
              + (f"  ({measured.note})" if measured.note else ""))
    print()
    print(f"cold/floor: wall {cold.wall / floor.wall:.2f}x, cpu {cold.cpu / floor.cpu:.2f}x "
          f"(throughput {floor.wall / cold.wall:.2f}x the floor by wall, {floor.cpu / cold.cpu:.2f}x by cpu)")
    print(f"warm/cold:  wall {warm.wall / cold.wall:.3f}x, cpu {warm.cpu / cold.cpu:.3f}x")

    reference = findings_of(cold)
    checks = [("warm", findings_of(warm), None), ("pre-commit", findings_of(precommit), relative),
              ("warm, files edited", findings_of(touched), None), ("warm again after the edit", findings_of(again), None)]
    checks += [(m.label, findings_of(m), None) for m in extra]
    print()
    for label, found, only in checks:
        # The appended comment changes no finding, so every run must agree with the cold one.
        expected = None if reference is None else [f for f in reference if only is None or f["path"] in only]
        if found is None or expected is None:
            verdict = "FAILED to run"
        else:
            verdict = "identical" if found == expected else f"DIFFERENT ({len(found)} vs {len(expected)})"
        print(f"findings {label:<28} vs cold: {verdict}")
    for measured in results:
        if measured.returncode not in (0, 1) or (measured is not floor and findings_of(measured) is None):
            print(f"\n{measured.label} exited {measured.returncode}:\n{measured.stderr[-3000:]}")
    with open("/proc/loadavg", encoding="ascii") as handle:
        print(f"\nload average at the end: {' '.join(handle.read().split()[:3])}")


if __name__ == "__main__":
    main()
