"""Plain text output is written without rich, byte for byte as rich writes it."""

from __future__ import annotations

import itertools
import random

import pytest

from mldebt.findings import Finding, Notice, Severity
from mldebt.reporters.base import ReportContext
from mldebt.reporters.text import _render_rich, render_text

TRICKY = [
    "plain words",
    "`model.fit` → `predict` writes `data/out.csv` §5",
    "wide 日本語 and emoji 🚀 text",
    "markup-like [bold]not markup[/bold] and [link=x]",
    "control \x07 bell \x08 back \x0b vt \x0c ff \r cr",
    "two\nlines",
    "trailing blanks   ",
    "  leading blanks",
    "surrogate-free ünïcödé",
    "",
]


def _finding(index: int, message: str, source: str, severity: Severity) -> Finding:
    return Finding(
        code=f"MLD50{index % 9 + 1}", name="some-rule", severity=severity, paper_section="§5 Anti-Patterns › X",
        path=f"pkg/mod{index % 3}.py", line=index + 1, column=1, end_line=index + 1, end_column=5,
        message=message, source=source, cell=(index if index % 4 == 0 else None),
    )


def _context(texts: list[str], **options: object) -> ReportContext:
    severities = itertools.cycle(Severity)
    findings = [_finding(i, text, texts[-1 - i], next(severities)) for i, text in enumerate(texts)]
    findings.sort(key=lambda f: f.sort_key)
    return ReportContext(
        findings=findings, notices=[Notice(texts[0], "a.py"), Notice("skipped \r here")],
        errors=["rule MLD501 failed: boom\x07"], files=3, lines=100, **options,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("options", [{}, {"statistics": True}, {"quiet": True}, {"suppressed": 2},
                                     {"show_source": False}])
def test_plain_text_is_what_rich_writes(options: dict[str, object]) -> None:
    context = _context(TRICKY, **options)
    assert render_text(context) == _render_rich(context)
    empty = ReportContext(findings=[], files=2, **options)  # type: ignore[arg-type]
    assert render_text(empty) == _render_rich(empty)


def test_random_text_is_what_rich_writes() -> None:
    generator = random.Random(5)
    alphabet = "ab `→§日🚀\x07\r\n [] \\/:é" + "".join(chr(c) for c in range(32, 127))
    for _ in range(30):
        texts = ["".join(generator.choice(alphabet) for _ in range(generator.randint(0, 60))) for _ in range(8)]
        context = _context(texts, statistics=True)
        assert render_text(context) == _render_rich(context)


def test_what_only_rich_measures_goes_through_rich() -> None:
    for text in ("a\ttab", "x" * 6000 + "   "):
        context = _context([text, "other"])
        assert render_text(context) == _render_rich(context)
