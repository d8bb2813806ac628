"""`mldebt audit`: the audit in the terminal, with rich."""

from __future__ import annotations

import io

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from mldebt.audit import SEVERITY_WEIGHTS, Audit
from mldebt.knowledge import composition as table

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
CATEGORY_STYLE = {
    table.ML: "magenta",
    table.SERVING: "green",
    table.MONITORING: "blue",
    table.DATA: "dark_orange",
    table.FEATURES: "yellow",
    table.CONFIGURATION: "grey62",
    table.GLUE: "grey42",
    table.TESTS: "grey35",
}
BAR = 40  # characters of the composition bar


def render_audit_text(audit: Audit, color: bool = False, width: int | None = None) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        color_system="auto" if color else None,
        width=width or 120,
        highlight=False,
    )
    _print(console, audit)
    return buffer.getvalue()


def _print(console: Console, audit: Audit) -> None:
    counts = "  ".join(f"{count} {level}" for level, count in audit.by_severity.items())
    head = Text(f"Technical debt audit: {audit.project}", style="bold")
    head.append(
        f"\n{audit.files} files, {audit.composition.code_lines} lines of code"
        f"{f' (+{audit.composition.test_lines} of tests)' if audit.composition.test_lines else ''}; "
        f"{len(audit.findings)} findings ({counts}); debt score {audit.score}",
        style="",
    )
    console.print(Panel(head, expand=False))

    sections = Table(title="Debt by paper section", title_justify="left", expand=False)
    sections.add_column("section")
    for level in ("error", "warning", "info"):
        sections.add_column(level, justify="right", style=SEVERITY_STYLE[level])
    sections.add_column("total", justify="right", style="bold")
    sections.add_column("worst modules (score)")
    for section in audit.sections:
        worst = ", ".join(f"{item.path} ({item.score})" for item in section.worst) or "—"
        sections.add_row(
            Text(section.label),
            *(str(section.by_severity[level]) for level in ("error", "warning", "info")),
            str(section.findings),
            Text(worst),
        )
    console.print(sections)

    weights = ", ".join(f"{level.value} ×{weight}" for level, weight in SEVERITY_WEIGHTS.items())
    hotspots = Table(title=f"Hotspots (findings weighted {weights})", title_justify="left", expand=False)
    for column, justify in (("#", "right"), ("file", "left"), ("score", "right"), ("findings", "right"),
                            ("sections", "left"), ("ML / code lines", "right")):  # fmt: skip
        hotspots.add_column(column, justify=justify)  # type: ignore[arg-type]
    for rank, spot in enumerate(audit.hotspots, start=1):
        hotspots.add_row(
            str(rank),
            Text(spot.path),
            str(spot.score),
            str(spot.findings),
            " ".join(f"§{number}" if number else "mldebt" for number in spot.sections),
            f"{spot.ml_lines} / {spot.code_lines}" if spot.code_lines else "—",
        )
    if audit.hotspots:
        console.print(hotspots)
    else:
        console.print(Text("No findings: no hotspots.", style="green"))

    data = audit.data
    lines = [
        Text(
            f"{data.modules} modules read and write {data.artifacts} files and {data.tables} tables "
            f"({data.reads} reads, {data.writes} writes); {data.handoffs} module pairs hand data over through files."
        ),
        Text(
            f"Inputs {len(data.inputs)}, intermediates {len(data.intermediates)}, outputs {len(data.outputs)}."
        ),
    ]
    if data.longest_chain:
        lines.append(Text("Longest chain: ", style="bold") + Text(" → ".join(data.longest_chain)))
    for cycle in data.cycles:
        lines.append(Text("Loop: ", style="bold red") + Text(" → ".join(cycle)))
    console.print(Panel(Group(*lines), title="Data dependencies (§3)", title_align="left", expand=False))

    composition = audit.composition
    share = Text(f"ML code: {composition.ml_share * 100:.1f}% of {composition.code_lines} lines of code", style="bold")
    rows = Table(show_header=False, box=None, expand=False)
    rows.add_column("category")
    rows.add_column("lines", justify="right")
    rows.add_column("share", justify="right")
    rows.add_column("bar")
    for category in table.CATEGORIES:
        count = composition.lines[category]
        if category == table.TESTS:
            if count:
                rows.add_row(Text(table.LABELS[category], style=CATEGORY_STYLE[category]), str(count), "", "")
            continue
        fraction = count / composition.code_lines if composition.code_lines else 0.0
        rows.add_row(
            Text(table.LABELS[category], style=CATEGORY_STYLE[category]),
            str(count),
            f"{fraction * 100:.1f}%",
            Text("█" * round(fraction * BAR), style=CATEGORY_STYLE[category]),
        )
    console.print(
        Panel(Group(share, rows), title="What the code is (the paper's Figure 1, measured)", title_align="left",
              expand=False)
    )  # fmt: skip
