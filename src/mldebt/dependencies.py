"""The project's dependency files: which packages it declares, and how tightly.

Read as text in the project phase (never executed: `setup.py` is read with
`ast`). Parsing is filled in with MLD802.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

# Files that declare dependencies, by file name.
DEPENDENCY_FILE_PATTERNS = (
    "requirements*.txt",
    "requirements*.in",
    "pyproject.toml",
    "setup.cfg",
    "setup.py",
    "environment.yml",
    "environment.yaml",
    "conda.yml",
    "conda.yaml",
)
# Files that pin the whole environment.
LOCK_FILE_PATTERNS = (
    "*.lock",
    "requirements*.lock",
    "poetry.lock",
    "uv.lock",
    "Pipfile.lock",
    "pdm.lock",
    "conda-lock.yml",
    "conda-lock.yaml",
    "*.conda-lock.yml",
)


def is_dependency_file(name: str) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in DEPENDENCY_FILE_PATTERNS)


def is_lock_file(name: str) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in LOCK_FILE_PATTERNS)


@dataclass(frozen=True)
class Requirement:
    """One declared package: its normalised name, its version specifier, and where it is."""

    name: str
    specifier: str
    line: int
    bounded: bool


@dataclass(frozen=True)
class DependencyFile:
    """A dependency file of the project and the packages it declares."""

    path: str
    requirements: tuple[Requirement, ...] = ()


def parse_dependency_file(path: str, text: str) -> DependencyFile:
    """The packages a dependency file declares (nothing when it cannot be read as one)."""
    return DependencyFile(path)
