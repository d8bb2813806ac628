"""`--format json`: every finding and notice as data, with a summary."""

from __future__ import annotations

import json
from typing import Any

from mldebt.findings import Finding
from mldebt.reporters.base import ReportContext, summary


def finding_dict(finding: Finding) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "paper_section": finding.paper_section,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "message": finding.message,
        "fingerprint": finding.fingerprint,
    }
    if finding.cell is not None:
        data["cell"] = finding.cell
    return data


def render_json(context: ReportContext) -> str:
    document = {
        "version": context.version,
        "findings": [finding_dict(finding) for finding in context.findings],
        "notices": [{"path": notice.path, "message": notice.message} for notice in context.notices],
        "errors": list(context.errors),
        "summary": summary(context),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
