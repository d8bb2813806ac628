"""`# noqa` comments: which findings the author has chosen to accept.

Only our own codes count: `# noqa: E501` is another linter's business and
suppresses nothing of ours, while a bare `# noqa` suppresses everything on its
line, as flake8 and ruff users expect.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from mldebt.findings import Finding

# `# noqa`, `# noqa: MLD801, unseeded-randomness`, `# NOQA:MLD5`.
_LINE_NOQA = re.compile(r"#\s*(?:mldebt\s*:\s*)?noqa(?P<sep>\s*:\s*(?P<codes>[A-Za-z0-9_-]+(?:[\s,]+[A-Za-z0-9_-]+)*))?", re.I)
# `# mldebt: noqa` or `# mldebt: noqa: MLD5, glue-code`, on a line of its own.
_FILE_NOQA = re.compile(
    r"^\s*#\s*mldebt\s*:\s*noqa(?:\s*:\s*(?P<codes>[A-Za-z0-9_-]+(?:[\s,]+[A-Za-z0-9_-]+)*))?\s*$", re.I
)
_OUR_CODE = re.compile(r"^MLD\d{0,3}$", re.I)
ALL = "*"


@dataclass(frozen=True)
class Suppressions:
    """The noqa comments of one file: codes (or names, or `*`) per line, and for the whole file."""

    by_line: dict[int, frozenset[str]] = field(default_factory=dict)
    whole_file: frozenset[str] = frozenset()

    def suppresses(self, finding: Finding) -> bool:
        if _matches(self.whole_file, finding):
            return True
        return _matches(self.by_line.get(finding.line, frozenset()), finding)


def _matches(selectors: Iterable[str], finding: Finding) -> bool:
    for selector in selectors:
        if selector == ALL or selector == finding.name:
            return True
        if finding.code.startswith(selector.upper()) and _OUR_CODE.match(selector):
            return True
    return False


def _codes(text: str | None) -> frozenset[str]:
    if not text:
        return frozenset({ALL})
    items = [item for item in re.split(r"[\s,]+", text) if item]
    ours = {item.upper() if _OUR_CODE.match(item) else item.lower() for item in items if _is_ours(item)}
    return frozenset(ours)


def _is_ours(item: str) -> bool:
    # Codes of other tools look like E501 or RUF100; our names are kebab-case words.
    return bool(_OUR_CODE.match(item)) or ("-" in item and not re.match(r"^[A-Z]+\d+$", item))


def parse_suppressions(lines: Sequence[str]) -> Suppressions:
    """Find every noqa comment. A cheap substring test keeps this off the hot path."""
    by_line: dict[int, frozenset[str]] = {}
    whole: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if "noqa" not in line and "NOQA" not in line and "Noqa" not in line:
            continue
        file_level = _FILE_NOQA.match(line)
        if file_level:
            whole |= _codes(file_level.group("codes"))
            continue
        for match in _LINE_NOQA.finditer(line):
            codes = _codes(match.group("codes")) if match.group("sep") else frozenset({ALL})
            by_line[number] = by_line.get(number, frozenset()) | codes
            break
    return Suppressions(by_line, frozenset(whole))
