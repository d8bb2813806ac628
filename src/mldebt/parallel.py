"""Analysing many files at once: a process pool when the work pays for the processes.

Workers are forked from the running process, so they share its loaded rules
(rules loaded from a folder by path are not importable by name in a fresh
interpreter) and receive only each file's bytes and path; results come back
as plain data (findings and facts, never syntax trees). Results are keyed by
path, so output never depends on scheduling.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from mldebt.analysis import FileResult, RuleSetup, analyse_bytes

# Below this many files to analyse, starting processes costs more than it saves.
MIN_FILES_FOR_PROCESSES = 24
# Files are sent in chunks: fewer round trips, still balanced between workers.
CHUNKS_PER_WORKER = 8


@dataclass(frozen=True)
class FileJob:
    """One file to analyse: its path relative to the root, its bytes, and its package context."""

    path: str
    data: bytes
    in_package: bool


_worker_setups: Sequence[RuleSetup] = ()


def _analyse(job: FileJob) -> FileResult:
    return analyse_bytes(job.data, job.path, _worker_setups, job.in_package)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def analyse_all(
    jobs: Sequence[FileJob],
    setups: Sequence[RuleSetup],
    processes: int,
    done: Callable[[], None] | None = None,
) -> Iterator[FileResult]:
    """Analyse every job, in processes when there are enough files and cores; yields as results arrive."""
    global _worker_setups
    context = _fork_context()
    if processes <= 1 or len(jobs) < MIN_FILES_FOR_PROCESSES or context is None:
        for job in jobs:
            yield analyse_bytes(job.data, job.path, setups, job.in_package)
            if done is not None:
                done()
        return
    _worker_setups = setups  # inherited by the forked workers
    workers = min(processes, len(jobs))
    chunk = max(1, len(jobs) // (workers * CHUNKS_PER_WORKER))
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for result in pool.map(_analyse, jobs, chunksize=chunk):
                yield result
                if done is not None:
                    done()
    finally:
        _worker_setups = ()


def _fork_context() -> multiprocessing.context.BaseContext | None:
    """Fork where the platform has it; elsewhere the files are analysed in this process."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")
