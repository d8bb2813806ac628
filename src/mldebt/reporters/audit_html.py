"""`mldebt audit --html FILE`: the audit as ONE self-contained HTML page.

No network: styles, the data-graph drawing and the charts are inline (SVG drawn here, laid out
by `mldebt.layout`), and the one small script only adds filtering and highlighting and marks the
page as rendered (`<body data-rendered="yes">`). Every string that comes from the analysed
project (paths, messages, artifact names, source) goes through `html.escape` with quotes, and
sits only in element text or double-quoted attributes, never in the script or the styles.
Each finding links to its rule's explanation, embedded in the page, which links in turn to the
rule's documentation online as a plain link.
"""

from __future__ import annotations

import html
from collections.abc import Hashable, Sequence

from mldebt.audit import SEVERITY_WEIGHTS, Audit, DataEdge, DataNode, SectionDebt
from mldebt.findings import Finding, Severity
from mldebt.knowledge import composition as table
from mldebt.layout import layered_layout, treemap

SEVERITY_COLOURS = {"error": "#c0392b", "warning": "#d68910", "info": "#2e86c1"}
CATEGORY_COLOURS = {
    table.ML: "#8e44ad",
    table.SERVING: "#16a085",
    table.MONITORING: "#2874a6",
    table.DATA: "#ca6f1e",
    table.FEATURES: "#d4ac0d",
    table.CONFIGURATION: "#566573",
    table.GLUE: "#aab7b8",
    table.TESTS: "#d5dbdb",
}
CHAR_WIDTH = 6.6  # px per character of the 11.5px labels, for box widths
MAX_LABEL = 34  # characters shown in a graph box (the full name is its tooltip)
SHOWN_MODULES = 25  # modules in the composition table


def e(value: object) -> str:
    """Escaped for element text and double-quoted attributes alike."""
    return html.escape(str(value), quote=True)


def render_audit_html(audit: Audit) -> str:
    body = "\n".join(
        [
            _header(audit),
            _overview(audit),
            _sections(audit),
            _hotspots(audit),
            _data(audit),
            _composition(audit),
            _findings(audit),
            _rules(audit),
            _footer(audit),
        ]
    )
    page = (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Technical debt audit: {e(audit.project)}</title>\n"
        f"<style>{STYLE}</style>\n</head>\n"
        f'<body data-rendered="no">\n<main>\n{body}\n</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n'
    )
    # Undecodable bytes in file names arrive as lone surrogates, which no UTF-8 page can carry.
    return page.encode("utf-8", "backslashreplace").decode("utf-8")


# --- Parts -------------------------------------------------------------------------------------


def _header(audit: Audit) -> str:
    version = f"mldebt {e(audit.version)} · " if audit.version else ""
    return (
        '<header class="top">'
        f"<h1>Technical debt audit: <span class=\"project\">{e(audit.project)}</span></h1>"
        f'<p class="sub">{version}{audit.files} files · {audit.composition.code_lines} lines of code'
        f"{f' and {audit.composition.test_lines} of tests' if audit.composition.test_lines else ''}"
        " · debt as described in Sculley et al., <cite>Hidden Technical Debt in Machine Learning Systems</cite>"
        " (NeurIPS 2015)</p>"
        '<nav><a href="#sections">By paper section</a><a href="#hotspots">Hotspots</a>'
        '<a href="#data">Data dependencies</a><a href="#composition">ML code share</a>'
        '<a href="#findings">Findings</a><a href="#rules">Rules</a></nav>'
        "</header>"
    )


def _overview(audit: Audit) -> str:
    severities = "".join(
        f'<span class="pill {level}">{count} {level}</span>' for level, count in audit.by_severity.items()
    )
    share = audit.composition.ml_share * 100
    chain = len(audit.data.longest_chain) // 2 + 1 if audit.data.longest_chain else 0
    cards = [
        ("Findings", f"{len(audit.findings)}", severities),
        ("Debt score", f"{audit.score}", _weights_note()),
        ("ML code", f"{share:.1f}%", f"of {audit.composition.code_lines} lines of code call model, training or tensor APIs"),
        (
            "Data dependencies",
            f"{audit.data.artifacts + audit.data.tables}",
            f"files and tables; longest chain {chain} modules; {len(audit.data.cycles)} loop(s)",
        ),
    ]
    items = "".join(
        f'<div class="card"><div class="card-title">{title}</div><div class="big">{value}</div>'
        f'<div class="card-note">{note}</div></div>'
        for title, value, note in cards
    )
    return f'<section id="overview" class="cards">{items}</section>'


def _weights_note() -> str:
    weights = ", ".join(f"{level.value} {weight}" for level, weight in SEVERITY_WEIGHTS.items())
    return f"findings weighted by severity ({weights})"


def _sections(audit: Audit) -> str:
    chart = _section_chart(audit.sections)
    cards = "".join(_section_card(section) for section in audit.sections)
    return (
        '<section id="sections"><h2>Debt by paper section</h2>'
        "<p class=\"lead\">Each bar counts the findings that cite one section of the paper, by severity.</p>"
        f"{chart}<div class=\"section-cards\">{cards}</div></section>"
    )


def _section_chart(sections: Sequence[SectionDebt]) -> str:
    row, label_width, bar_width = 28, 360, 440
    most = max((section.findings for section in sections), default=0) or 1
    parts = []
    for index, section in enumerate(sections):
        y = index * row + 6
        parts.append(
            f'<text class="axis" x="{label_width - 8}" y="{y + 15}" text-anchor="end">{e(section.label)}</text>'
        )
        x = float(label_width)
        for level in ("error", "warning", "info"):
            count = section.by_severity.get(level, 0)
            if not count:
                continue
            width = bar_width * count / most
            parts.append(
                f'<rect class="bar {level}" x="{x:.1f}" y="{y}" width="{width:.1f}" height="20" '
                f'fill="{SEVERITY_COLOURS[level]}"><title>{e(section.label)}: {count} {level}</title></rect>'
            )
            x += width
        parts.append(f'<text class="value" x="{x + 6:.1f}" y="{y + 15}">{section.findings}</text>')
    height = len(sections) * row + 12
    width = label_width + bar_width + 50
    return (
        f'<svg class="chart section-chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="Findings by paper section">{"".join(parts)}</svg>'
    )


def _section_card(section: SectionDebt) -> str:
    rules = "".join(
        f'<li><a href="#rule-{e(code)}">{e(code)}</a> × {count}</li>' for code, count in section.by_rule.items()
    )
    subsections = "".join(f"<li>{e(name)}: {count}</li>" for name, count in section.by_subsection.items())
    worst = _worst_chart(section) if section.worst else '<p class="none">No findings.</p>'
    severities = " ".join(
        f'<span class="pill {level}">{count} {level}</span>' for level, count in section.by_severity.items() if count
    )
    subsection_list = f'<ul class="subsections">{subsections}</ul>' if subsections else ""
    rule_list = f'<ul class="rule-list">{rules}</ul>' if rules else ""
    return (
        f'<article class="section-card" data-section="{section.number}">'
        f"<h3>{e(section.label)}</h3><p>{section.findings} finding(s) {severities}</p>"
        f"{subsection_list}{worst}{rule_list}</article>"
    )


def _worst_chart(section: SectionDebt) -> str:
    row, label_width, bar_width = 22, 190, 150
    most = max(item.score for item in section.worst) or 1
    parts = []
    for index, item in enumerate(section.worst):
        y = index * row + 4
        parts.append(f'<text class="axis" x="{label_width - 6}" y="{y + 13}" text-anchor="end">{e(_short(item.path, 30))}'
                     f"<title>{e(item.path)}</title></text>")
        width = max(bar_width * item.score / most, 2)
        parts.append(
            f'<rect class="bar" x="{label_width}" y="{y}" width="{width:.1f}" height="16" fill="#5d6d7e">'
            f"<title>{e(item.path)}: score {item.score}, {item.findings} finding(s)</title></rect>"
        )
        parts.append(f'<text class="value" x="{label_width + width + 5:.1f}" y="{y + 13}">{item.score}</text>')
    height = len(section.worst) * row + 8
    width = label_width + bar_width + 40
    return (
        f'<svg class="chart worst-chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="Worst modules of {e(section.label)}">{"".join(parts)}</svg>'
    )


def _hotspots(audit: Audit) -> str:
    if not audit.hotspots:
        return '<section id="hotspots"><h2>Hotspots</h2><p class="none">No findings: no hotspots.</p></section>'
    most = audit.hotspots[0].score or 1
    rows = []
    for rank, spot in enumerate(audit.hotspots, start=1):
        width = 100 * spot.score / most
        sections = " ".join(f'<span class="chip">§{number}</span>' if number else '<span class="chip">mldebt</span>'
                            for number in spot.sections)
        share = f"{spot.ml_lines} / {spot.code_lines}" if spot.code_lines else "—"
        rows.append(
            f"<tr><td>{rank}</td><td class=\"path\">{e(spot.path)}</td>"
            f'<td class="score"><span class="meter"><span style="width:{width:.0f}%"></span></span> {spot.score}</td>'
            f"<td>{spot.by_severity['error']}</td><td>{spot.by_severity['warning']}</td><td>{spot.by_severity['info']}</td>"
            f"<td>{sections}</td><td>{share}</td></tr>"
        )
    return (
        '<section id="hotspots"><h2>Hotspots</h2>'
        f'<p class="lead">Files ranked by their debt score: {_weights_note()}.</p>'
        '<table class="hotspots"><thead><tr><th>#</th><th>File</th><th>Score</th><th>errors</th><th>warnings</th>'
        "<th>infos</th><th>Paper sections</th><th>ML lines / code lines</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def _data(audit: Audit) -> str:
    data = audit.data
    stats = (
        f"<p class=\"lead\">{data.modules} module(s) read and write {data.artifacts} file(s) and {data.tables} table(s) "
        f"({data.reads} reads, {data.writes} writes); {data.handoffs} pair(s) of modules hand data to each other "
        "through files. Static analysis of data dependencies (§3).</p>"
    )
    chain = (
        f'<h3>Longest chain</h3><p class="chain">{_chain(data.longest_chain)}</p>' if data.longest_chain else ""
    )
    cycles = "".join(f'<li class="chain">{_chain(cycle)}</li>' for cycle in data.cycles)
    loops = (
        f"<h3>Loops (data that comes back where it started, §4)</h3><ul class=\"cycles\">{cycles}</ul>"
        if cycles
        else ""
    )
    lists = "".join(
        f"<details><summary>{title} ({len(items)})</summary><ul>{''.join(f'<li>{e(item)}</li>' for item in items)}</ul></details>"
        for title, items in (
            ("Inputs: read, never written here", data.inputs),
            ("Intermediates: written by one module, read by another", data.intermediates),
            ("Outputs: written, never read here", data.outputs),
        )
    )
    graph = _graph_svg(data.nodes, data.edges) if data.nodes else '<p class="none">No reads or writes were found.</p>'
    legend = (
        '<p class="legend"><span class="key module"></span> module <span class="key artifact"></span> file '
        '<span class="key table"></span> table <span class="key loop"></span> loop · arrows: '
        '<span class="line reads"></span> reads <span class="line writes"></span> writes '
        '<span class="line model"></span> writes a model <span class="line predictions"></span> writes predictions'
        " · click a node to highlight its edges</p>"
    )
    return (
        f'<section id="data"><h2>Data dependencies</h2>{stats}{chain}{loops}{lists}'
        f'<div class="graph-box">{graph}</div>{legend}</section>'
    )


def _chain(items: Sequence[str]) -> str:
    parts = []
    for index, item in enumerate(items):
        kind = "module" if index % 2 == 0 else "artifact"
        parts.append(f'<span class="chip {kind}">{e(item)}</span>')
    return ' <span class="arrow">→</span> '.join(parts)


def _graph_svg(nodes: Sequence[DataNode], edges: Sequence[DataEdge]) -> str:
    import networkx as nx

    ids = {node.id: f"n{index}" for index, node in enumerate(nodes)}
    by_id = {node.id: node for node in nodes}
    graph = nx.DiGraph()
    graph.add_nodes_from(by_id)
    graph.add_edges_from((edge.source, edge.target) for edge in edges)
    widths: dict[Hashable, float] = {node.id: min(len(_label(node)), MAX_LABEL) * CHAR_WIDTH + 22 for node in nodes}
    layout = layered_layout(graph, widths)
    parts = [
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#566573"/></marker></defs>'
    ]
    for frame in layout.frames:
        parts.append(
            f'<rect class="loop" x="{frame.x:.1f}" y="{frame.y:.1f}" width="{frame.width:.1f}" height="{frame.height:.1f}" '
            f'rx="10"><title>A loop: data flows around these {len(frame.members)} nodes</title></rect>'
        )
    for edge in edges:
        source, target = layout.nodes[edge.source], layout.nodes[edge.target]
        sx, sy = source.x + source.width, source.y + source.height / 2
        if target.layer > source.layer:
            points = [(sx, sy), *layout.routes.get((edge.source, edge.target), ()), (target.x, target.y + target.height / 2)]
            d = f"M{sx:.1f},{sy:.1f}" + "".join(_smooth(a, b) for a, b in zip(points, points[1:]))
        else:  # inside a loop's layer, or back to an earlier layer: around the right side
            tx, ty = target.x + target.width, target.y + target.height / 2
            reach = 36 + abs(ty - sy) / 6
            d = f"M{sx:.1f},{sy:.1f} C{max(sx, tx) + reach:.1f},{sy:.1f} {max(sx, tx) + reach:.1f},{ty:.1f} {tx:.1f},{ty:.1f}"
        kind = edge.kind if edge.kind == "reads" else f"writes {e(edge.label)}"
        parts.append(
            f'<path class="edge {kind}" d="{d}" data-source="{ids[edge.source]}" data-target="{ids[edge.target]}" '
            f'marker-end="url(#arrow)"><title>{e(_label(by_id[edge.source]))} {e(edge.kind)}'
            f"{' ' + e(edge.label) if edge.kind == 'writes' and edge.label != 'data' else ''} "
            f"{e(_label(by_id[edge.target]))}</title></path>"
        )
    for node in nodes:
        box = layout.nodes[node.id]
        label = _label(node)
        shown = _short(label, MAX_LABEL)
        roles = f" ({', '.join(node.roles)})" if node.roles else ""
        debt = f", {node.findings} finding(s)" if node.findings else ""
        rx = 4 if node.kind == "module" else 14
        badge = (
            f'<circle class="badge" cx="{box.width - 2:.1f}" cy="2" r="8"/>'
            f'<text class="badge-text" x="{box.width - 2:.1f}" y="5.5" text-anchor="middle">{node.findings}</text>'
            if node.findings
            else ""
        )
        parts.append(
            f'<g class="node {e(node.kind)}" data-node="{ids[node.id]}" transform="translate({box.x:.1f},{box.y:.1f})">'
            f"<title>{e(label)}{e(roles)}{e(debt)}</title>"
            f'<rect width="{box.width:.1f}" height="{box.height:.1f}" rx="{rx}"/>'
            f'<text x="{box.width / 2:.1f}" y="{box.height / 2 + 4:.1f}" text-anchor="middle">{e(shown)}</text>'
            f"{badge}</g>"
        )
    width, height = layout.width + 60, layout.height
    return (
        f'<svg class="graph" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'role="img" aria-label="Data-dependency graph">{"".join(parts)}</svg>'
    )


def _smooth(start: tuple[float, float], end: tuple[float, float]) -> str:
    """A cubic segment leaving and reaching horizontally (a path command, without the move)."""
    bend = max((end[0] - start[0]) / 2, 12)
    return f" C{start[0] + bend:.1f},{start[1]:.1f} {end[0] - bend:.1f},{end[1]:.1f} {end[0]:.1f},{end[1]:.1f}"


def _label(node: DataNode) -> str:
    return f"table {node.label}" if node.kind == "table" else node.label


def _composition(audit: Audit) -> str:
    composition = audit.composition
    total = composition.code_lines
    if not total:
        return '<section id="composition"><h2>How much of the code is ML code</h2><p class="none">No code.</p></section>'
    parts = [(category, composition.lines[category]) for category in table.CATEGORIES if category != table.TESTS]
    chart = _figure(parts, total) + _stacked_bar(parts, total, "chart composition-chart", "Code lines by category")
    rows = "".join(
        f'<tr><td><span class="key" style="background:{CATEGORY_COLOURS[category]}"></span>{e(table.LABELS[category])}</td>'
        f"<td>{composition.lines[category]}</td>"
        f"<td>{(100 * composition.lines[category] / total if category != table.TESTS else 0):.1f}%</td></tr>"
        for category in table.CATEGORIES
        if category != table.TESTS or composition.test_lines
    )
    largest = sorted(
        composition.by_module, key=lambda item: (-sum(v for k, v in item[1].items() if k != table.TESTS), item[0])
    )[:SHOWN_MODULES]
    module_rows = "".join(
        f'<tr><td class="path">{e(path)}</td><td>{sum(counts.values())}</td><td>'
        + _stacked_bar(list(counts.items()), sum(counts.values()), "mini", f"Code lines of {path}", width=240, height=12)
        + "</td></tr>"
        for path, counts in largest
    )
    return (
        '<section id="composition"><h2>How much of the code is ML code</h2>'
        '<p class="lead">The paper\'s Figure 1 shows the ML code as a small box in the middle of a large system '
        "(data collection and verification, feature extraction, configuration, serving, monitoring). Measured here: "
        f"<strong>{composition.ml_share * 100:.1f}%</strong> of the {total} lines of code (tests excluded) call model, "
        "training or tensor APIs: below, each box's area is its share of the lines. How lines are classified: "
        "<code>docs/audit.md</code>.</p>"
        f'{chart}<table class="composition"><thead><tr><th>Category</th><th>Lines</th><th>Share</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        f"<details><summary>By module (largest {len(largest)})</summary><table class=\"modules\"><thead><tr><th>File</th>"
        f"<th>Lines</th><th>Composition</th></tr></thead><tbody>{module_rows}</tbody></table></details></section>"
    )


def _figure(parts: Sequence[tuple[str, int]], total: int, width: int = 780, height: int = 300) -> str:
    """The paper's Figure 1, measured: one box per category, its area the category's share of the
    code lines (a squarified treemap); the ML-code box is outlined."""
    boxes = []
    for key, x, y, w, h in treemap([(category, float(count)) for category, count in parts], 0, 0, width, height):
        category = str(key)
        count = dict(parts)[category]
        label = table.LABELS.get(category, category)
        ml = category == table.ML
        boxes.append(
            f'<g class="box {e(category)}"><rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
            f'fill="{CATEGORY_COLOURS.get(category, "#999")}" stroke="{"#1c2833" if ml else "#fff"}" '
            f'stroke-width="{3 if ml else 2}"><title>{e(label)}: {count} lines ({100 * count / total:.1f}%)</title></rect>'
        )
        if w > 60 and h > 28:
            boxes.append(
                f'<text class="inbox" x="{x + 8:.1f}" y="{y + 18:.1f}">{e(label if w > 7.5 * len(label) + 16 else label.split(" ")[0])}</text>'
                f'<text class="inbox share" x="{x + 8:.1f}" y="{y + 34:.1f}">{100 * count / total:.1f}%</text>'
            )
        boxes.append("</g>")
    return (
        f'<svg class="chart figure" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="Code lines by category, as areas">{"".join(boxes)}</svg>'
    )


def _stacked_bar(
    parts: Sequence[tuple[str, int]], total: int, css: str, label: str, width: int = 780, height: int = 34
) -> str:
    x = 0.0
    rects = []
    for category, count in parts:
        if not count:
            continue
        share = count / total if total else 0
        w = width * share
        rects.append(
            f'<rect class="bar {e(category)}" x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" '
            f'fill="{CATEGORY_COLOURS.get(category, "#999")}"><title>{e(table.LABELS.get(category, category))}: '
            f"{count} lines ({share * 100:.1f}%)</title></rect>"
        )
        if w > 70 and height > 20:
            rects.append(
                f'<text class="inbar" x="{x + w / 2:.1f}" y="{height / 2 + 4}" text-anchor="middle">'
                f"{e(table.LABELS.get(category, category).split(' ')[0])} {share * 100:.0f}%</text>"
            )
        x += w
    return (
        f'<svg class="{css}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{e(label)}">{"".join(rects)}</svg>'
    )


def _findings(audit: Audit) -> str:
    if not audit.findings:
        return '<section id="findings"><h2>Findings</h2><p class="none">No debt found.</p></section>'
    buttons = "".join(
        f'<button type="button" data-filter="{level.value}" class="pill {level.value}">{level.value}</button>'
        for level in Severity
    )
    rows = "".join(_finding_row(finding) for finding in audit.findings)
    return (
        '<section id="findings"><h2>Findings</h2>'
        f'<p class="filters">Show: <button type="button" data-filter="all" class="pill all">all</button>{buttons}</p>'
        '<table class="findings"><thead><tr><th>Where</th><th>Rule</th><th>Severity</th><th>Paper</th><th>What</th>'
        f"</tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _finding_row(finding: Finding) -> str:
    where = f"{finding.path}:cell {finding.cell}:{finding.line}" if finding.cell is not None else f"{finding.path}:{finding.line}"
    source = finding.source.split("\n")[0].strip()
    code = f'<pre class="source">{e(source)}</pre>' if source else ""
    section = finding.paper_section.split(" ", 1)[0]
    return (
        f'<tr class="finding" data-severity="{e(finding.severity.value)}">'
        f'<td class="path">{e(where)}</td>'
        f'<td><a href="#rule-{e(finding.code)}" title="{e(finding.name)}">{e(finding.code)}</a> '
        f"<span class=\"name\">{e(finding.name)}</span></td>"
        f'<td><span class="pill {e(finding.severity.value)}">{e(finding.severity.value)}</span></td>'
        f'<td title="{e(finding.paper_section)}">{e(section)}</td>'
        f"<td>{_code_spans(finding.message)}{code}</td></tr>"
    )


def _code_spans(message: str) -> str:
    """A message with its `backticked` parts as <code>, everything escaped."""
    pieces = message.split("`")
    if len(pieces) % 2 == 0:
        return e(message)  # unbalanced backticks: show as written
    return "".join(f"<code>{e(piece)}</code>" if index % 2 else e(piece) for index, piece in enumerate(pieces))


def _rules(audit: Audit) -> str:
    if not audit.rules:
        return ""
    articles = []
    for info in audit.rules.values():
        sections = [
            f'<p class="summary">{_code_spans(info.summary)}.</p>',
            f"<p><strong>Why is this bad?</strong> {_code_spans(info.why)}</p>" if info.why else "",
            f"<p><strong>Use instead:</strong> {_code_spans(info.instead)}</p>" if info.instead else "",
            f"<details><summary>What it checks</summary><p>{_code_spans(info.what)}</p></details>" if info.what else "",
            f'<p class="doc-link">Full documentation, with examples: <a href="{e(info.url)}">{e(info.url)}</a> '
            f"(or <code>mldebt explain {e(info.code)}</code>)</p>",
        ]
        articles.append(
            f'<article class="rule" id="rule-{e(info.code)}"><h3>{e(info.code)} {e(info.name)} '
            f'<span class="pill {e(info.severity)}">{e(info.severity)}</span></h3>'
            f'<p class="paper">{e(info.section)}</p>{"".join(sections)}</article>'
        )
    return f'<section id="rules"><h2>The rules behind these findings</h2>{"".join(articles)}</section>'


def _footer(audit: Audit) -> str:
    suppressed = f" {audit.suppressed} finding(s) suppressed by noqa comments or configuration." if audit.suppressed else ""
    return (
        f'<footer><p>Generated by mldebt{" " + e(audit.version) if audit.version else ""}, a static linter for '
        f"the technical debt of ML code: nothing was imported or run.{suppressed} This page is self-contained and "
        "works offline.</p></footer>"
    )


def _short(text: str, limit: int) -> str:
    """`text`, or its end with an ellipsis in front when longer than `limit` characters."""
    return text if len(text) <= limit else "…" + text[-(limit - 1) :]


STYLE = """
:root{--ink:#1c2833;--muted:#5d6d7e;--line:#d5d8dc;--bg:#fbfcfc;--card:#fff;--accent:#8e44ad}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:24px 28px 60px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:36px 0 8px;border-bottom:2px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:14px 0 6px}
.sub,.lead,.card-note,.none,footer{color:var(--muted)}
nav{margin-top:10px}nav a{margin-right:14px;color:var(--accent);text-decoration:none;font-weight:600}
a{color:var(--accent)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(230px,1fr));gap:14px;margin-top:20px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px}
.card-title{font-weight:600;color:var(--muted);text-transform:uppercase;font-size:12px;letter-spacing:.04em}
.big{font-size:32px;font-weight:700;margin:2px 0}
.pill{display:inline-block;border-radius:999px;padding:0 8px;font-size:12px;font-weight:600;color:#fff;margin-right:4px;border:0}
.pill.error{background:#c0392b}.pill.warning{background:#d68910}.pill.info{background:#2e86c1}.pill.all{background:#566573}
button.pill{cursor:pointer;padding:2px 10px}button.pill.off{opacity:.35}
.chip{display:inline-block;background:#eaecee;border-radius:6px;padding:0 6px;margin:1px 2px;font-size:12px}
.chip.module{background:#e8daef}.chip.artifact{background:#fae5d3}
.arrow{color:var(--muted)}
.chart text,.graph text{font-size:11.5px;fill:var(--ink)}
svg.chart,svg.mini{max-width:100%;height:auto}
.chart .value{fill:var(--muted)}.chart .inbar{fill:#fff;font-weight:600}
.figure .inbox{fill:#fff;font-size:13px;font-weight:600}.figure .inbox.share{font-weight:400}
.figure .features .inbox,.figure .glue .inbox,.figure .tests .inbox{fill:#1c2833}
svg.figure{display:block;margin:10px 0}
.section-cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:14px;margin-top:14px}
.section-card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:8px 14px}
.section-card ul{margin:4px 0;padding-left:18px}.rule-list{display:flex;flex-wrap:wrap;gap:4px 14px;list-style:none;padding:0!important}
table{border-collapse:collapse;width:100%;background:var(--card);margin:8px 0}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{font-size:12px;color:var(--muted);text-transform:uppercase}
td.path{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;word-break:break-all}
.meter{display:inline-block;width:120px;height:10px;background:#eaecee;border-radius:5px;vertical-align:middle}
.meter span{display:block;height:100%;background:#5d6d7e;border-radius:5px}
.graph-box{overflow:auto;border:1px solid var(--line);border-radius:10px;background:#fff;margin-top:10px;max-height:760px}
.graph .node rect{stroke-width:1.4}.graph .node{cursor:pointer}
.graph .module rect{fill:#f4ecf7;stroke:#8e44ad}.graph .artifact rect{fill:#fdf2e9;stroke:#ca6f1e}
.graph .table rect{fill:#eaf2f8;stroke:#2874a6}
.graph .badge{fill:#c0392b}.graph .badge-text{fill:#fff;font-size:10px;font-weight:700}
.graph .edge{fill:none;stroke:#a6acaf;stroke-width:1.3}.graph .edge.writes{stroke:#566573}
.graph .edge.model{stroke:#8e44ad;stroke-width:1.8}.graph .edge.predictions{stroke:#ca6f1e;stroke-width:1.8}
.graph .loop{fill:#fdedec;stroke:#c0392b;stroke-dasharray:5 4}
.graph.focus .edge,.graph.focus .node{opacity:.18}.graph.focus .lit{opacity:1}
.legend{color:var(--muted);font-size:12.5px}
.key{display:inline-block;width:12px;height:12px;border-radius:3px;vertical-align:middle;margin-right:4px;border:1px solid #aaa}
.key.module{background:#f4ecf7}.key.artifact{background:#fdf2e9}.key.table{background:#eaf2f8}.key.loop{background:#fdedec}
.line{display:inline-block;width:22px;height:0;border-top:2px solid #a6acaf;vertical-align:middle}
.line.writes{border-color:#566573}.line.model{border-color:#8e44ad}.line.predictions{border-color:#ca6f1e}
table.findings td:last-child{max-width:560px}
pre.source{margin:4px 0 0;padding:4px 8px;background:#f4f6f6;border-radius:6px;font-size:12px;white-space:pre-wrap;word-break:break-all}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;background:#f4f6f6;padding:0 3px;border-radius:3px}
tr.hidden{display:none}
.rule{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:6px 16px;margin:12px 0}
.rule:target{border-color:var(--accent);box-shadow:0 0 0 3px #e8daef}
.rule .paper{color:var(--muted);margin-top:-4px}
footer{margin-top:40px;font-size:12.5px}
@media print{nav,.filters{display:none}.graph-box{max-height:none}}
"""

# Static: it reads only the page's own structure, never data from the analysed project.
SCRIPT = """
(function () {
  var graph = document.querySelector("svg.graph");
  if (graph) {
    graph.addEventListener("click", function (event) {
      var node = event.target.closest ? event.target.closest("g.node") : null;
      var lit = graph.querySelectorAll(".lit");
      for (var i = 0; i < lit.length; i++) { lit[i].classList.remove("lit"); }
      if (!node || graph.getAttribute("data-focus") === node.getAttribute("data-node")) {
        graph.classList.remove("focus"); graph.removeAttribute("data-focus"); return;
      }
      var id = node.getAttribute("data-node");
      graph.classList.add("focus"); graph.setAttribute("data-focus", id); node.classList.add("lit");
      var edges = graph.querySelectorAll("path.edge");
      for (var j = 0; j < edges.length; j++) {
        var edge = edges[j], source = edge.getAttribute("data-source"), target = edge.getAttribute("data-target");
        if (source === id || target === id) {
          edge.classList.add("lit");
          var other = graph.querySelector('g.node[data-node="' + (source === id ? target : source) + '"]');
          if (other) { other.classList.add("lit"); }
        }
      }
    });
  }
  var buttons = document.querySelectorAll("button[data-filter]");
  for (var b = 0; b < buttons.length; b++) {
    buttons[b].addEventListener("click", function () {
      var level = this.getAttribute("data-filter");
      var rows = document.querySelectorAll("tr.finding");
      for (var r = 0; r < rows.length; r++) {
        rows[r].classList.toggle("hidden", level !== "all" && rows[r].getAttribute("data-severity") !== level);
      }
      for (var k = 0; k < buttons.length; k++) { buttons[k].classList.toggle("off", buttons[k] !== this && level !== "all"); }
    });
  }
  var body = document.body;
  body.setAttribute("data-graph-nodes", String(document.querySelectorAll("svg.graph g.node").length));
  body.setAttribute("data-graph-edges", String(document.querySelectorAll("svg.graph path.edge").length));
  body.setAttribute("data-chart-bars", String(document.querySelectorAll("svg.chart .bar").length));
  body.setAttribute("data-rendered", "yes");
})();
"""
