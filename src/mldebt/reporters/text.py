"""`--format text`: findings grouped by file, the source line under each, then a summary."""

from __future__ import annotations

import io
from collections.abc import Callable
from itertools import groupby
from typing import Any

from mldebt.findings import Severity
from mldebt.reporters.base import ReportContext, summary

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
WIDTH = 10_000  # never wrap: editors parse `path:line:col` off the start of each line
# What rich's Text drops (bell, backspace, vertical tab, form feed, carriage return).
_CONTROL = dict.fromkeys((7, 8, 11, 12, 13))


# A control character in a file name (a newline, say) would split or garble the `path:line:col` line.
_CONTROL_ESCAPES = {code: f"\\x{code:02x}" for code in (*range(32), 127)} | {9: "\\t", 10: "\\n", 13: "\\r"}


def location(path: str, line: int, column: int, cell: int | None) -> str:
    path = path.translate(_CONTROL_ESCAPES)
    if cell is not None:
        return f"{path}:cell {cell}:{line}:{column}"
    return f"{path}:{line}:{column}"


def render_text(context: ReportContext) -> str:
    """Colours and styles need rich; plain text (a pipe, a file, pre-commit) is written directly,
    exactly as rich would write it, unless a line holds what only rich measures (tabs, very long
    lines), and rich, costly to import, is not loaded."""
    if not context.color:
        plain = _PlainConsole()
        _render(context, plain, _PlainText)
        if plain.exact:
            return plain.buffer.getvalue()
    return _render_rich(context)


def _render_rich(context: ReportContext) -> str:
    from rich.console import Console
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=bool(context.color),
        color_system="auto" if context.color else None,
        width=WIDTH,
        highlight=False,
        soft_wrap=True,
    )
    _render(context, console, Text)
    return buffer.getvalue()


class _PlainText:
    """The part of rich's Text that the report uses, without styles."""

    def __init__(self, text: str = "", style: str = "") -> None:
        self.plain = text.translate(_CONTROL)

    def append(self, text: str, style: str = "") -> None:
        self.plain += text.translate(_CONTROL)


class _PlainConsole:
    """Writes _PlainText lines as rich's Console writes Text with no colour, no wrap and no
    highlighting; `exact` turns False when a line holds something rich would change."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.exact = True

    def print(self, text: _PlainText | None = None) -> None:
        plain = "" if text is None else text.plain
        if "\t" in plain or any(len(line) * 2 > WIDTH for line in plain.split("\n")):
            self.exact = False  # tabs expand by cell width, long lines lose trailing blanks: rich knows
        self.buffer.write(plain + "\n")


def _render(context: ReportContext, console: Any, Text: Callable[..., Any]) -> None:  # noqa: N803
    for path, group in groupby(context.findings, key=lambda f: f.path):
        for finding in group:
            line = Text()
            line.append(location(path, finding.line, finding.column, finding.cell), style="bold")
            line.append(" ")
            line.append(finding.code, style=STYLE[finding.severity])
            line.append(f" {finding.name} ")
            line.append(f"[{finding.severity.value}]", style=STYLE[finding.severity])
            line.append(f" {finding.message}")
            console.print(line)
            if context.show_source and finding.source:
                first = finding.source.split("\n")[0].expandtabs(4)
                console.print(Text(f"    {first.strip()}", style="dim"))
        if not context.quiet:
            console.print()
    if context.quiet:
        return
    for notice in context.notices:
        console.print(Text(f"notice: {notice}", style="dim"))
    for error in context.errors:
        console.print(Text(f"internal error: {error}", style="bold red"))
    _summary(console, context, Text)


def _summary(console: Any, context: ReportContext, Text: Callable[..., Any]) -> None:  # noqa: N803
    data = summary(context)
    if not context.findings:
        console.print(Text(f"No debt found in {context.files} file(s).", style="green"))
        if context.suppressed:
            console.print(Text(f"({context.suppressed} finding(s) suppressed)", style="dim"))
        return
    counts = ", ".join(
        f"{count} {level}" for level, count in data["by_severity"].items() if count
    )
    head = Text(f"Found {data['findings']} finding(s) in {context.files} file(s): ", style="bold")
    head.append(counts)
    if context.suppressed:
        head.append(f" ({context.suppressed} suppressed)", style="dim")
    console.print(head)
    for section, count in data["by_section"].items():
        console.print(Text(f"  {count:>4}  {section}"))
    if context.statistics:
        console.print()
        console.print(Text("By rule:", style="bold"))
        names = {f.code: f.name for f in context.findings}
        for code, count in data["by_rule"].items():
            console.print(Text(f"  {count:>4}  {code} {names[code]}"))
