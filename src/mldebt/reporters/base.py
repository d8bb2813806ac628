"""What every reporter is given, and the summaries they share."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mldebt.findings import Finding, Notice, Severity

if TYPE_CHECKING:
    from mldebt.rule import RuleMetadata


def _version() -> str:
    from mldebt import __version__

    return __version__


@dataclass
class ReportContext:
    """A finished run, as reporters see it."""

    findings: list[Finding]
    notices: list[Notice] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rules: Mapping[str, type[RuleMetadata]] = field(default_factory=dict)  # every known rule, by code
    files: int = 0
    lines: int = 0
    suppressed: int = 0
    version: str = field(default_factory=_version)
    show_source: bool = True
    statistics: bool = False
    quiet: bool = False
    color: bool | None = None


def summary(context: ReportContext) -> dict[str, Any]:
    """Counts by severity, by paper section and by rule."""
    by_severity = Counter(finding.severity.value for finding in context.findings)
    by_section = Counter(finding.paper_section.split(" › ")[0] for finding in context.findings)
    by_rule = Counter(finding.code for finding in context.findings)
    return {
        "files": context.files,
        "lines": context.lines,
        "findings": len(context.findings),
        "suppressed": context.suppressed,
        "by_severity": {level.value: by_severity.get(level.value, 0) for level in Severity},
        "by_section": dict(sorted(by_section.items(), key=_section_order)),
        "by_rule": dict(sorted(by_rule.items())),
    }


def _section_order(item: tuple[str, int]) -> tuple[int, str]:
    label = item[0]
    digits = "".join(ch for ch in label.split(" ")[0] if ch.isdigit())
    return (int(digits) if digits else 0, label)


def help_uri(code: str, name: str) -> str:
    """Where a rule's explanation lives online (base URL from `[project.urls]`)."""
    from mldebt.metadata import docs_url

    return f"{docs_url().rstrip('/')}/rules.md#{code.lower()}-{name}"
