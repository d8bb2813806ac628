"""The reduce step: every file's facts joined into one networkx graph.

Node ids are strings that say their kind (`module:pkg.train`; later
`artifact:data/x.csv`, `table:events`), so node-link JSON round-trips. Edges
carry `kind` (`imports`, `reads`, `writes`) and `line`. The graph is frozen
before project rules see it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import networkx as nx

from mldebt.facts import FileFacts, ImportFact

MODULE = "module:"


def module_node(name: str) -> str:
    return f"{MODULE}{name}"


@dataclass(frozen=True)
class Project:
    """What project rules read: the frozen graph, and the facts of every file by path."""

    root: Path
    graph: nx.MultiDiGraph
    facts: Mapping[str, FileFacts]

    def module(self, name: str) -> FileFacts | None:
        node = module_node(name)
        if node in self.graph:
            facts: FileFacts = self.graph.nodes[node]["facts"]
            return facts
        return None


class ModuleIndex:
    """Resolves an import to a first-party module the way DESIGN.md says: relative to the
    root, to `src/`, or to the importing file's own folder (flat script folders)."""

    def __init__(self, facts: Iterable[FileFacts]) -> None:
        self.by_name: dict[str, FileFacts] = {}
        for item in facts:
            self.by_name.setdefault(item.module, item)

    def resolve(self, importer: FileFacts, fact: ImportFact) -> str | None:
        candidates = []
        if fact.name and fact.name != "*":
            candidates.append(fact.qualified)
        candidates.append(fact.module)
        folder = PurePosixPath(importer.path).parent
        if fact.level == 0 and str(folder) not in ("", "."):
            prefix = ".".join(part for part in folder.parts if part != "src" or folder.parts[0] != "src")
            local = [f"{prefix}.{candidate}" for candidate in candidates if candidate]
            candidates = candidates + local
        for candidate in candidates:
            if candidate and candidate in self.by_name and candidate != importer.module:
                return candidate
        return None


def build_project(root: Path, facts: Iterable[FileFacts]) -> Project:
    """Build and freeze the project graph from facts alone (nothing is parsed again)."""
    ordered = sorted(facts, key=lambda item: item.path)
    graph = nx.MultiDiGraph()
    for item in ordered:
        graph.add_node(module_node(item.module), kind="module", path=item.path, facts=item)
    index = ModuleIndex(ordered)
    for item in ordered:
        for fact in item.imports:
            target = index.resolve(item, fact)
            if target is not None:
                graph.add_edge(
                    module_node(item.module), module_node(target), kind="imports", line=fact.line, name=fact.name
                )
    return Project(root=root, graph=nx.freeze(graph), facts={item.path: item for item in ordered})
