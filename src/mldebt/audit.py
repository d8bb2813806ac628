"""`mldebt audit`: the numbers of a whole project's debt, from one `check` run.

Everything here is computed from the run's findings, the project graph and the facts (the
per-file line composition included): nothing is parsed again. The renderers
(`mldebt.reporters.audit_text`, `audit_json`, `audit_html`) only present an `Audit`.

- **Sections**: findings by paper section (§2–§8, and mldebt's own codes when any), counted by
  severity and subsection, with the modules that carry most of each section's weighted debt.
- **Hotspots**: files ranked by severity-weighted findings (SEVERITY_WEIGHTS).
- **Data dependencies**: the data half of the project graph — artifacts read and written, the
  modules handing data to each other, the longest chain of handoffs, and the cycles (data that
  comes back to where it started: feedback loops).
- **Composition**: code lines by category (`mldebt.composition`), and the share that is ML code.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx

from mldebt.context import is_test_path
from mldebt.data_graph import DataGraph, Handoff
from mldebt.findings import Finding, Severity
from mldebt.knowledge import composition as table
from mldebt.paper import Section
from mldebt.project import ARTIFACT, MODULE, TABLE, Project
from mldebt.rule import RuleMetadata

# A finding's weight in the hotspot score: an error is almost surely a defect, a warning is debt,
# an info a signal worth a look. Ten infos weigh as much as one error.
SEVERITY_WEIGHTS: dict[Severity, int] = {Severity.ERROR: 10, Severity.WARNING: 3, Severity.INFO: 1}
HOTSPOTS = 10  # modules in the hotspot ranking
WORST_PER_SECTION = 3  # modules named under each section
SHOWN_CYCLES = 20

_SECTION_NUMBER = re.compile(r"§(\d+)")


@dataclass(frozen=True)
class ModuleScore:
    path: str
    score: int
    findings: int
    by_severity: dict[str, int]


@dataclass(frozen=True)
class SectionDebt:
    number: int
    title: str
    findings: int
    score: int
    by_severity: dict[str, int]
    by_subsection: dict[str, int]
    by_rule: dict[str, int]
    worst: tuple[ModuleScore, ...]

    @property
    def label(self) -> str:
        return f"§{self.number} {self.title}" if self.number else self.title


@dataclass(frozen=True)
class Hotspot:
    path: str
    score: int
    findings: int
    by_severity: dict[str, int]
    sections: tuple[int, ...]
    code_lines: int
    ml_lines: int


@dataclass(frozen=True)
class DataNode:
    """A node of the drawn data graph: a module, a file or a table."""

    id: str
    kind: str  # "module" | "artifact" | "table"
    label: str
    roles: tuple[str, ...] = ()
    findings: int = 0


@dataclass(frozen=True)
class DataEdge:
    source: str
    target: str
    kind: str  # "reads" | "writes"
    label: str = "data"


@dataclass(frozen=True)
class DataSummary:
    modules: int  # modules that read or write artifacts
    artifacts: int  # files and URIs
    tables: int
    reads: int
    writes: int
    inputs: tuple[str, ...]  # read, never written by the project
    intermediates: tuple[str, ...]  # written by one module, read by another
    outputs: tuple[str, ...]  # written, never read
    handoffs: int  # (writer, reader) module pairs joined by an intermediate artifact
    longest_chain: tuple[str, ...]  # module path, artifact, module path, artifact, ...
    cycles: tuple[tuple[str, ...], ...]  # each: module, artifact, module, ..., back to the first
    nodes: tuple[DataNode, ...] = ()
    edges: tuple[DataEdge, ...] = ()
    groups: tuple[tuple[str, ...], ...] = ()  # node ids of each strongly connected group (a loop)


@dataclass(frozen=True)
class Composition:
    lines: dict[str, int]  # category -> code lines, every category present
    code_lines: int  # every category but tests
    test_lines: int
    ml_share: float  # ML code lines / code_lines (0 when there is no code)
    by_module: tuple[tuple[str, dict[str, int]], ...]  # (path, category -> lines), by path


@dataclass(frozen=True)
class RuleInfo:
    code: str
    name: str
    severity: str
    section: str
    summary: str
    what: str
    why: str
    instead: str
    url: str


@dataclass(frozen=True)
class Audit:
    project: str
    version: str
    files: int
    findings: tuple[Finding, ...]
    suppressed: int
    by_severity: dict[str, int]
    score: int
    sections: tuple[SectionDebt, ...]
    hotspots: tuple[Hotspot, ...]
    data: DataSummary
    composition: Composition
    rules: dict[str, RuleInfo] = field(default_factory=dict)  # every rule a finding cites


def build_audit(
    project: Project,
    findings: Sequence[Finding],
    rules: Mapping[str, type[RuleMetadata]],
    files: int,
    suppressed: int = 0,
    version: str = "",
) -> Audit:
    """The audit of a checked project."""
    ordered = tuple(sorted(findings, key=lambda f: (*f.sort_key, f.cell or 0)))
    composition = _composition(project)
    return Audit(
        project=project.root.name or str(project.root),
        version=version,
        files=files,
        findings=ordered,
        suppressed=suppressed,
        by_severity=_by_severity(ordered),
        score=sum(weight(f) for f in ordered),
        sections=_sections(ordered, rules),
        hotspots=_hotspots(ordered, project),
        data=_data(project, ordered),
        composition=composition,
        rules=_rules(ordered, rules),
    )


def weight(finding: Finding) -> int:
    return SEVERITY_WEIGHTS[finding.severity]


def _by_severity(findings: Sequence[Finding]) -> dict[str, int]:
    counts = Counter(f.severity.value for f in findings)
    return {level.value: counts.get(level.value, 0) for level in Severity}


def section_number(finding: Finding, rules: Mapping[str, type[RuleMetadata]]) -> int:
    rule = rules.get(finding.code)
    if rule is not None:
        return rule.SECTION.number
    match = _SECTION_NUMBER.match(finding.paper_section)
    return int(match.group(1)) if match else 0


def _section_titles() -> dict[int, str]:
    titles: dict[int, str] = {}
    for section in Section:
        titles.setdefault(section.number, section.value.title)
    return titles


def _module_scores(findings: Sequence[Finding]) -> list[ModuleScore]:
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    scores = [
        ModuleScore(path, sum(weight(f) for f in group), len(group), _by_severity(group))
        for path, group in by_path.items()
    ]
    scores.sort(key=lambda item: (-item.score, -item.findings, item.path))
    return scores


def _sections(findings: Sequence[Finding], rules: Mapping[str, type[RuleMetadata]]) -> tuple[SectionDebt, ...]:
    titles = _section_titles()
    grouped: dict[int, list[Finding]] = {number: [] for number in titles if number}
    for finding in findings:
        grouped.setdefault(section_number(finding, rules), []).append(finding)
    result = []
    for number in sorted(grouped, key=lambda n: (n == 0, n)):
        group = grouped[number]
        if number == 0 and not group:
            continue
        subsections = Counter(f.paper_section.split(" › ", 1)[1] if " › " in f.paper_section else "" for f in group)
        result.append(
            SectionDebt(
                number=number,
                title=titles.get(number, f"Section {number}"),
                findings=len(group),
                score=sum(weight(f) for f in group),
                by_severity=_by_severity(group),
                by_subsection={name: count for name, count in sorted(subsections.items()) if name},
                by_rule=dict(sorted(Counter(f.code for f in group).items())),
                worst=tuple(_module_scores(group)[:WORST_PER_SECTION]),
            )
        )
    return tuple(result)


def _hotspots(findings: Sequence[Finding], project: Project) -> tuple[Hotspot, ...]:
    sections_by_path: dict[str, set[int]] = {}
    for finding in findings:
        match = _SECTION_NUMBER.match(finding.paper_section)
        sections_by_path.setdefault(finding.path, set()).add(int(match.group(1)) if match else 0)
    hotspots = []
    for item in _module_scores(findings)[:HOTSPOTS]:
        facts = project.facts.get(item.path)
        lines = facts.composition if facts is not None else {}
        hotspots.append(
            Hotspot(
                path=item.path,
                score=item.score,
                findings=item.findings,
                by_severity=item.by_severity,
                sections=tuple(sorted(sections_by_path.get(item.path, ()))),
                code_lines=sum(count for category, count in lines.items() if category != table.TESTS),
                ml_lines=lines.get(table.ML, 0),
            )
        )
    return tuple(hotspots)


def _composition(project: Project) -> Composition:
    totals: Counter[str] = Counter()
    by_module = []
    for path in sorted(project.facts):
        counts = project.facts[path].composition
        totals.update(counts)
        if counts:
            by_module.append((path, {category: counts.get(category, 0) for category in table.CATEGORIES}))
    lines = {category: totals.get(category, 0) for category in table.CATEGORIES}
    code_lines = sum(count for category, count in lines.items() if category != table.TESTS)
    return Composition(
        lines=lines,
        code_lines=code_lines,
        test_lines=lines[table.TESTS],
        ml_share=lines[table.ML] / code_lines if code_lines else 0.0,
        by_module=tuple(by_module),
    )


# --- Data dependencies ----------------------------------------------------------------------


def node_label(project: Project, node: str) -> str:
    data = project.graph.nodes[node]
    if data.get("kind") == "module":
        return str(data.get("path", node))
    return str(data.get("path", node.split(":", 1)[-1]))


def _data(project: Project, findings: Sequence[Finding]) -> DataSummary:
    graph = project.graph
    found_in = Counter(f.path for f in findings)
    nodes: dict[str, DataNode] = {}
    edges: dict[tuple[str, str, str], DataEdge] = {}
    writers: dict[str, set[str]] = {}
    readers: dict[str, set[str]] = {}
    reads = writes = 0
    for source, target, data in graph.edges(data=True):
        kind = data.get("kind")
        if kind not in ("reads", "writes"):
            continue
        module, artifact = (source, target) if kind == "writes" else (target, source)
        path = graph.nodes[module].get("path", "")
        if is_test_path(path):
            continue  # tests read fixtures and write scratch files: not the system's data flow
        if kind == "writes":
            writes += 1
            writers.setdefault(artifact, set()).add(module)
        else:
            reads += 1
            readers.setdefault(artifact, set()).add(module)
        for node in (module, artifact):
            if node not in nodes:
                facts = graph.nodes[node].get("facts")
                nodes[node] = DataNode(
                    id=node,
                    kind=str(graph.nodes[node].get("kind", "artifact")),
                    label=node_label(project, node),
                    roles=tuple(facts.roles) if facts is not None else (),
                    findings=found_in.get(path, 0) if node == module else 0,
                )
        label = str(data.get("label", "data")) if kind == "writes" else "data"
        edges.setdefault((source, target, kind), DataEdge(source, target, kind, label))
    artifact_nodes = [node for node in nodes if not node.startswith(MODULE)]
    inputs = sorted(node_label(project, n) for n in artifact_nodes if n not in writers)
    outputs = sorted(node_label(project, n) for n in artifact_nodes if n not in readers)
    intermediates = sorted(
        node_label(project, n) for n in artifact_nodes if n in writers and n in readers and writers[n] != readers[n]
    )
    flow = DataGraph(project)
    handoffs = flow.module_handoffs()
    modules = nx.DiGraph()
    for (writer, reader), between in sorted(handoffs.items()):
        modules.add_edge(writer, reader, handoff=between[0])
    drawn = nx.DiGraph()
    drawn.add_nodes_from(nodes)
    drawn.add_edges_from((edge.source, edge.target) for edge in edges.values())
    groups = tuple(
        tuple(sorted(component))
        for component in sorted(nx.strongly_connected_components(drawn), key=lambda c: sorted(c))
        if len(component) > 1
    )
    return DataSummary(
        modules=sum(1 for node in nodes if node.startswith(MODULE)),
        artifacts=sum(1 for node in artifact_nodes if node.startswith(ARTIFACT)),
        tables=sum(1 for node in artifact_nodes if node.startswith(TABLE)),
        reads=reads,
        writes=writes,
        inputs=tuple(inputs),
        intermediates=tuple(intermediates),
        outputs=tuple(outputs),
        handoffs=modules.number_of_edges(),
        longest_chain=_longest_chain(project, modules),
        cycles=_cycles(project, modules),
        nodes=tuple(sorted(nodes.values(), key=lambda node: node.id)),
        edges=tuple(edges[key] for key in sorted(edges)),
        groups=groups,
    )


def _spelled(project: Project, modules: nx.DiGraph, path: Sequence[str]) -> tuple[str, ...]:
    """module, artifact, module, ... for a path of modules joined by handoffs."""
    spelled: list[str] = []
    for index, module in enumerate(path):
        spelled.append(node_label(project, module))
        if index + 1 < len(path):
            handoff: Handoff = modules.edges[module, path[index + 1]]["handoff"]
            spelled.append(node_label(project, handoff.write.artifact))
    return tuple(spelled)


def _longest_chain(project: Project, modules: nx.DiGraph) -> tuple[str, ...]:
    """The longest path of handoffs: the longest path of the condensation, crossing each strongly
    connected group (a loop) by its longest simple path when the group is small, else a shortest one."""
    if modules.number_of_edges() == 0:
        return ()
    condensed = nx.condensation(modules)
    for u, v in condensed.edges:
        condensed.edges[u, v]["weight"] = len(condensed.nodes[v]["members"])
    groups = nx.dag_longest_path(condensed, weight="weight", default_weight=1)
    path: list[str] = []
    for index, group in enumerate(groups):
        inside = sorted(condensed.nodes[group]["members"])
        entry = path[-1] if path else None
        start = next((v for v in inside if entry is not None and modules.has_edge(entry, v)), inside[0])
        sub = modules.subgraph(inside)
        if index + 1 < len(groups):
            following = condensed.nodes[groups[index + 1]]["members"]
            ends = [u for u in inside if any(modules.has_edge(u, v) for v in following)]
        else:
            ends = inside
        path.extend(_through(sub, start, ends))
    return _spelled(project, modules, path)


_SMALL_GROUP = 8  # modules: a loop this small is crossed by its longest simple path


def _through(group: nx.DiGraph, start: str, ends: Sequence[str]) -> list[str]:
    """A path inside a strongly connected group from `start` to one of `ends`: the longest simple
    one when the group is small, else the shortest to the first end."""
    if len(group) == 1:
        return [start]
    if len(group) <= _SMALL_GROUP:
        best = [start] if start in ends else []
        for end in ends:
            if end == start:
                continue
            for candidate in nx.all_simple_paths(group, start, end):
                if len(candidate) > len(best):
                    best = candidate
        if best:
            return list(best)
    return list(nx.shortest_path(group, start, ends[0]))


def _cycles(project: Project, modules: nx.DiGraph) -> tuple[tuple[str, ...], ...]:
    """One cycle per strongly connected group of modules (the shortest through its first module)."""
    cycles = []
    for component in sorted(nx.strongly_connected_components(modules), key=lambda c: sorted(c)):
        if len(component) < 2:
            continue
        first = min(component)
        inside = modules.subgraph(component)
        best: list[str] | None = None
        for successor in sorted(inside.successors(first)):
            back = nx.shortest_path(inside, successor, first)
            candidate = [first, *back]
            if best is None or len(candidate) < len(best):
                best = candidate
        if best is not None:
            cycles.append(_spelled(project, modules, best))
        if len(cycles) >= SHOWN_CYCLES:
            break
    return tuple(cycles)


# --- Rules ---------------------------------------------------------------------------------


def _rules(findings: Sequence[Finding], rules: Mapping[str, type[RuleMetadata]]) -> dict[str, RuleInfo]:
    from mldebt.reporters.base import help_uri

    result: dict[str, RuleInfo] = {}
    for finding in findings:
        if finding.code in result:
            continue
        rule = rules.get(finding.code)
        explanation = rule.explanation() if rule is not None else ""
        result[finding.code] = RuleInfo(
            code=finding.code,
            name=finding.name,
            severity=(rule.SEVERITY.value if rule is not None else finding.severity.value),
            section=rule.SECTION.label if rule is not None else finding.paper_section,
            summary=(rule.SUMMARY if rule is not None else "") or finding.name,
            what=_paragraph(explanation, "What it does", first_only=True),
            why=_paragraph(explanation, "Why is this bad?"),
            instead=_instead(explanation),
            url=help_uri(finding.code, finding.name),
        )
    return dict(sorted(result.items()))


def _paragraph(explanation: str, heading: str, first_only: bool = False) -> str:
    """The text under a `## heading` of a rule's docstring, as one paragraph of plain Markdown
    (only its first paragraph with `first_only`)."""
    match = re.search(
        rf"^##\s*{re.escape(heading)}\s*\n(.*?)(?=^##\s|^Use instead:|\Z)", explanation, re.MULTILINE | re.DOTALL
    )
    if not match:
        return ""
    text = match.group(1).strip()
    if first_only:
        text = re.split(r"\n\s*\n", text, maxsplit=1)[0]
    return " ".join(text.split())


def _instead(explanation: str) -> str:
    """The prose of "Use instead:" (its code block left to the full documentation)."""
    match = re.search(r"^Use instead:?(.*?)(?=^##\s|\Z)", explanation, re.MULTILINE | re.DOTALL)
    if not match:
        return ""
    prose = re.sub(r"```.*?```", "", match.group(1), flags=re.DOTALL)
    return " ".join(prose.split())
