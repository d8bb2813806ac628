"""`mldebt graph`: the project graph as Mermaid, Graphviz DOT, or node-link JSON.

The JSON is networkx node-link data (`networkx.node_link_graph(data, edges="edges")`
loads it back); Mermaid renders on GitHub and GitLab as it is; DOT goes to
Graphviz. Modules are boxes, files are cylinders, tables are cylinders named
`table:…`; imports are dashed, reads and writes solid, in the direction data
flows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import networkx as nx

from mldebt.project import Project

SHOW_ALL = "all"
SHOW_DATA = "data"
SHOW_IMPORTS = "imports"
SHOWS = (SHOW_ALL, SHOW_DATA, SHOW_IMPORTS)


def export_graph(project: Project, show: str = SHOW_ALL) -> nx.MultiDiGraph:
    """A plain copy of the project graph (no facts objects), restricted to what `show` asks for."""
    if show == SHOW_DATA:
        source = project.data_graph()
    elif show == SHOW_IMPORTS:
        source = project.import_graph()
    else:
        source = project.graph
    graph = nx.MultiDiGraph()
    for node, data in sorted(source.nodes(data=True)):
        attributes = {"kind": data.get("kind", ""), "path": data.get("path", "")}
        facts = data.get("facts")
        if facts is not None:
            attributes["roles"] = list(facts.roles)
        graph.add_node(node, **attributes)
    for u, v, key, data in sorted(source.edges(keys=True, data=True), key=lambda edge: (edge[0], edge[1], edge[2])):
        graph.add_edge(u, v, key=key, **{name: value for name, value in data.items() if value not in (None, "")})
    return graph


def to_json(graph: nx.MultiDiGraph) -> str:
    return json.dumps(nx.node_link_data(graph, edges="edges"), indent=2, sort_keys=True) + "\n"


def _label(graph: nx.MultiDiGraph, node: str) -> str:
    data = graph.nodes[node]
    if data.get("kind") == "module":
        roles = data.get("roles") or []
        suffix = f" ({', '.join(roles)})" if roles else ""
        return f"{data.get('path') or node}{suffix}"
    if data.get("kind") == "table":
        return f"table {data.get('path', node)}"
    return str(data.get("path", node))


def _edge_label(data: dict[str, Any]) -> str:
    if data.get("kind") == "writes":
        label = data.get("label", "data")
        return f"writes {label}" if label != "data" else "writes"
    return "reads" if data.get("kind") == "reads" else ""


def _drawn_edges(graph: nx.MultiDiGraph) -> list[tuple[str, str, dict[str, Any]]]:
    """Edges to draw: one arrow per imported module (not per imported name), every read and write."""
    seen: set[tuple[str, str]] = set()
    edges = []
    for u, v, data in graph.edges(data=True):
        if data.get("kind") == "imports":
            if (u, v) in seen:
                continue
            seen.add((u, v))
        edges.append((u, v, data))
    return edges


def to_mermaid(graph: nx.MultiDiGraph) -> str:
    ids = {node: f"n{index}" for index, node in enumerate(graph.nodes)}
    lines = ["flowchart LR"]
    for node, data in graph.nodes(data=True):
        text = _mermaid_text(_label(graph, node))
        if data.get("kind") == "module":
            lines.append(f'    {ids[node]}["{text}"]')
        else:
            lines.append(f'    {ids[node]}[("{text}")]')
    for u, v, data in _drawn_edges(graph):
        if data.get("kind") == "imports":
            lines.append(f"    {ids[u]} -.-> {ids[v]}")
        else:
            lines.append(f"    {ids[u]} -->|{_mermaid_text(_edge_label(data))}| {ids[v]}")
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    """Mermaid labels are quoted; quotes and angle brackets become entity codes."""
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;").replace("|", "#124;")


def to_dot(graph: nx.MultiDiGraph) -> str:
    lines = ["digraph mldebt {", "    rankdir=LR;", '    node [fontname="Helvetica"];']
    for node, data in graph.nodes(data=True):
        shape = "box" if data.get("kind") == "module" else "cylinder"
        lines.append(f"    {_dot_id(node)} [label={_dot_id(_label(graph, node))}, shape={shape}];")
    for u, v, data in _drawn_edges(graph):
        if data.get("kind") == "imports":
            lines.append(f"    {_dot_id(u)} -> {_dot_id(v)} [style=dashed];")
        else:
            lines.append(f"    {_dot_id(u)} -> {_dot_id(v)} [label={_dot_id(_edge_label(data))}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_id(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


RENDERERS: dict[str, Callable[[nx.MultiDiGraph], str]] = {"mermaid": to_mermaid, "dot": to_dot, "json": to_json}
