"""Analysing many files at once: several worker processes when the work pays for them, else one.

Workers are forked from the running process, so they share its loaded rules
(rules loaded from a folder by path are not importable by name in a fresh
interpreter) and receive only each file's bytes and path; results come back
as plain data (findings and facts, never syntax trees). Results are keyed by
path, so output never depends on scheduling.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from mldebt.results import FileResult, RuleSetup
from mldebt.config import DEFAULT_FILE_TIMEOUT
from mldebt.isolation import analyse_contained, fork_context

# Below this many files to analyse, starting processes costs more than it saves.
MIN_FILES_FOR_PROCESSES = 24


@dataclass(frozen=True)
class FileJob:
    """One file to analyse: its path relative to the root, its bytes (or, read from stdin, its text),
    and its package context."""

    path: str
    data: bytes | str
    in_package: bool


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
    timeout: float | None = DEFAULT_FILE_TIMEOUT,
) -> Iterator[FileResult]:
    """Analyse every job in worker processes that one file cannot take down (`mldebt.isolation`):
    several when there are enough files and cores, else one. Yields results as they arrive."""
    workers = processes if len(jobs) >= MIN_FILES_FOR_PROCESSES else 1
    yield from analyse_contained(jobs, setups, workers, timeout, done, fork_context())
