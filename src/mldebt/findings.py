"""What a check produces: findings (debt in the code) and notices (things about the run)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from enum import Enum

from mldebt.fingerprint import identifying_text, normalised_source


class Severity(str, Enum):
    """How sure and how serious: `error` is almost surely a defect, `info` a signal worth a look."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls(text.strip().lower())


@dataclass(frozen=True)
class Finding:
    """One place in one file where a rule sees debt. Plain data: picklable and cacheable."""

    code: str
    name: str
    severity: Severity
    paper_section: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    scope: str = ""  # enclosing `Class.function`, "" at module level
    source: str = ""  # the finding's source line(s), as written
    cell: int | None = None  # notebooks: the cell, counted from 1 (then `line` counts inside it)
    fingerprint: str = ""
    joined_line: int | None = None  # notebooks: the line in the joined code cells (SARIF's line)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        """In file order; in a notebook, in cell order."""
        return (self.path, self.joined_line or self.line, self.column, self.code)

    def with_severity(self, severity: Severity) -> Finding:
        return replace(self, severity=severity)


@dataclass(frozen=True)
class Notice:
    """Something the user should know about the run that is not debt (a skipped file, say)."""

    message: str
    path: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def assign_fingerprints(findings: list[Finding]) -> list[Finding]:
    """Give each finding a fingerprint that survives code moving up or down.

    The fingerprint hashes the code, the path, the enclosing scope and the source
    of the reported node with its layout normalised away (`fingerprint`), plus an
    occurrence index, counted down the file, among findings that agree on all of
    those, so two identical findings in one file stay distinct. No line number, no
    column and no notebook cell enter it (docs/baseline.md).
    """
    seen: dict[tuple[str, str, str, str], int] = {}
    result = []
    for finding in sorted(findings, key=lambda f: f.sort_key):
        node = identifying_text(finding.source, finding.line, finding.column, finding.end_line, finding.end_column)
        text = normalised_source(node)
        key = (finding.code, finding.path, finding.scope, text)
        index = seen.get(key, 0)
        seen[key] = index + 1
        digest = hashlib.sha256("\x1f".join((*key, str(index))).encode("utf-8", "surrogateescape")).hexdigest()
        result.append(replace(finding, fingerprint=digest[:32]))
    return result
