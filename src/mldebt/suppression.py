"""`# noqa` comments: which findings the author has chosen to accept.

Only our own codes count: `# noqa: E501` is another linter's business and
suppresses nothing of ours, while a bare `# noqa` suppresses everything on its
line, as flake8 and ruff users expect.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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
class NoqaComment:
    """One suppression comment: where it is, what it names (`*` for a bare `# noqa`), and its reach."""

    line: int
    column: int
    selectors: frozenset[str]
    whole_file: bool = False


@dataclass(frozen=True)
class Suppressions:
    """The noqa comments of one file."""

    comments: tuple[NoqaComment, ...] = ()

    @property
    def whole_file(self) -> frozenset[str]:
        return frozenset().union(*(c.selectors for c in self.comments if c.whole_file))

    def on_line(self, line: int) -> frozenset[str]:
        return frozenset().union(*(c.selectors for c in self.comments if c.line == line and not c.whole_file))

    def suppresses(self, finding: Finding) -> bool:
        return any(self.covers(comment, finding) for comment in self.comments)

    @staticmethod
    def covers(comment: NoqaComment, finding: Finding) -> bool:
        if not comment.whole_file and comment.line != finding.line:
            return False
        return _matches(comment.selectors, finding)


def selector_matches(selector: str, finding: Finding) -> bool:
    return _matches((selector,), finding)


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
    comments: list[NoqaComment] = []
    for number, line in enumerate(lines, start=1):
        if "noqa" not in line.lower():
            continue
        file_level = _FILE_NOQA.match(line)
        if file_level:
            column = line.index("#") + 1
            comments.append(NoqaComment(number, column, _codes(file_level.group("codes")), whole_file=True))
            continue
        match = _LINE_NOQA.search(line)
        if match is not None:
            codes = _codes(match.group("codes")) if match.group("sep") else frozenset({ALL})
            comments.append(NoqaComment(number, match.start() + 1, codes))
    return Suppressions(tuple(comments))
