"""`--format gitlab`: a GitLab Code Quality report (a JSON list of Code Climate issues).

Each finding becomes one issue with the keys GitLab requires:

- `description`: `CODE name: message` (for a notebook, `CODE name: cell N, line L: message`);
- `check_name`: the rule code;
- `fingerprint`: the finding's fingerprint, which survives code moving up or
  down, so GitLab can tell new debt from old between two pipelines. Should two
  findings share one (or one have none), later ones get a derived hash, so every
  fingerprint in a report is unique, as GitLab needs;
- `severity`: error -> `critical`, warning -> `major`, info -> `minor`
  (GitLab's scale is info, minor, major, critical, blocker: `blocker` is left
  for things that must stop a merge whatever the project's policy, and
  `info` for what is not a problem at all);
- `location.path` and `location.lines.begin` (and `end`). A notebook finding
  points at line 1 of the `.ipynb` file, whose lines are JSON, not the cell's
  code; the description says where in the notebook.

Notices and internal errors about the run have no place in the format; the
command line prints them to standard error.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from mldebt.findings import Finding, Severity
from mldebt.reporters.base import ReportContext

SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "minor"}


def render_gitlab(context: ReportContext) -> str:
    seen: set[str] = set()
    issues = []
    for finding in sorted(context.findings, key=_order):
        fingerprint = _unique_fingerprint(finding, seen)
        seen.add(fingerprint)
        issues.append(_issue(finding, fingerprint))
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def _order(finding: Finding) -> tuple[str, int, int, str, int, int, int, str, str]:
    return (*finding.sort_key, finding.cell or 0, finding.end_line, finding.end_column, finding.message,
            finding.fingerprint)


def _issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    where = f"cell {finding.cell}, line {finding.line}: " if finding.cell is not None else ""
    if finding.cell is None:
        begin = max(finding.line, 1)
        lines = {"begin": begin, "end": max(finding.end_line, begin)}
    else:
        lines = {"begin": 1}
    return {
        "type": "issue",
        "check_name": finding.code,
        "description": _valid(f"{finding.code} {finding.name}: {where}{finding.message}"),
        "severity": SEVERITY[finding.severity],
        "fingerprint": fingerprint,
        "location": {"path": _valid(finding.path), "lines": lines},
    }


def _unique_fingerprint(finding: Finding, seen: set[str]) -> str:
    base = finding.fingerprint or _digest(
        finding.code, finding.path, str(finding.cell), str(finding.line), str(finding.column), finding.message
    )
    candidate, counter = base, 0
    while candidate in seen:
        counter += 1
        candidate = _digest(base, str(counter))
    return candidate


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _valid(text: str) -> str:
    # Undecodable bytes in a file name arrive as lone surrogates, which no UTF-8 file can carry.
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
