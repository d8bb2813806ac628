"""`mldebt audit --format json`: the audit's numbers as data. docs/audit.md documents every key;
keys are only ever added, never renamed or removed."""

from __future__ import annotations

import json
from typing import Any

from mldebt.audit import SEVERITY_WEIGHTS, Audit, ModuleScore
from mldebt.knowledge import composition as table
from mldebt.reporters.json_format import finding_dict

AUDIT_FORMAT = 1


def audit_data(audit: Audit) -> dict[str, Any]:
    data = audit.data
    composition = audit.composition
    return {
        "audit_format": AUDIT_FORMAT,
        "version": audit.version,
        "project": audit.project,
        "files": audit.files,
        "findings": len(audit.findings),
        "suppressed": audit.suppressed,
        "by_severity": dict(audit.by_severity),
        "score": audit.score,
        "weights": {level.value: weight for level, weight in SEVERITY_WEIGHTS.items()},
        "sections": [
            {
                "number": section.number,
                "title": section.title,
                "label": section.label,
                "findings": section.findings,
                "score": section.score,
                "by_severity": dict(section.by_severity),
                "by_subsection": dict(section.by_subsection),
                "by_rule": dict(section.by_rule),
                "worst_modules": [_module(item) for item in section.worst],
            }
            for section in audit.sections
        ],
        "hotspots": [
            {
                "path": spot.path,
                "score": spot.score,
                "findings": spot.findings,
                "by_severity": dict(spot.by_severity),
                "sections": list(spot.sections),
                "code_lines": spot.code_lines,
                "ml_lines": spot.ml_lines,
            }
            for spot in audit.hotspots
        ],
        "data_dependencies": {
            "modules": data.modules,
            "artifacts": data.artifacts,
            "tables": data.tables,
            "reads": data.reads,
            "writes": data.writes,
            "inputs": list(data.inputs),
            "intermediates": list(data.intermediates),
            "outputs": list(data.outputs),
            "handoffs": data.handoffs,
            "longest_chain": list(data.longest_chain),
            "cycles": [list(cycle) for cycle in data.cycles],
        },
        "composition": {
            "categories": {category: table.LABELS[category] for category in table.CATEGORIES},
            "lines": dict(composition.lines),
            "code_lines": composition.code_lines,
            "test_lines": composition.test_lines,
            "ml_share": round(composition.ml_share, 4),
            "by_module": [{"path": path, "lines": dict(counts)} for path, counts in composition.by_module],
        },
        "rules": {
            code: {"name": info.name, "severity": info.severity, "paper_section": info.section,
                   "summary": info.summary, "url": info.url}
            for code, info in audit.rules.items()
        },  # fmt: skip
        "finding_list": [finding_dict(finding) for finding in audit.findings],
    }


def _module(item: ModuleScore) -> dict[str, Any]:
    return {"path": item.path, "score": item.score, "findings": item.findings, "by_severity": dict(item.by_severity)}


def render_audit_json(audit: Audit) -> str:
    return json.dumps(audit_data(audit), indent=2, ensure_ascii=False) + "\n"
