"""The reduce step: every file's facts joined into one networkx graph.

Node ids are strings that say their kind (`module:pkg.train`,
`artifact:data/x.csv`, `table:events`), so node-link JSON round-trips. Edges
carry `kind` (`imports`, `reads`, `writes`) and `line`; a module writes an
artifact (module -> artifact) and an artifact is read by a module (artifact ->
module), so data flows along the edges. The graph is frozen before project
rules see it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
import posixpath
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any
from pathlib import Path, PurePosixPath

import networkx as nx

from mldebt.artifacts import PathResolver, resolved_accesses
from mldebt.dependencies import DependencyFile, is_dependency_file, is_lock_file, parse_dependency_file
from mldebt.facts import ArtifactAccess, FileFacts, ImportFact
from mldebt.knowledge.artifacts import PRETRAINED_READ_METHODS
from mldebt.knowledge.roles import NOT_SHIPPED_FOLDERS

MODULE = "module:"
ARTIFACT = "artifact:"
TABLE = "table:"


def module_node(name: str) -> str:
    return f"{MODULE}{name}"


@dataclass(frozen=True)
class Project:
    """What project rules read: the frozen graph, and the facts of every file by path."""

    root: Path
    graph: nx.MultiDiGraph
    facts: Mapping[str, FileFacts]
    dependency_files: tuple[DependencyFile, ...] = ()
    lock_files: tuple[str, ...] = ()
    documents: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def distribution_roots(self) -> tuple[str, ...]:
        """Folders holding a distributable project ("" for the root): package metadata there."""
        return tuple(sorted({posixpath.dirname(item.path) for item in self.dependency_files if item.distribution}))

    @cached_property
    def published_roots(self) -> tuple[str, ...]:
        """Distributable projects published for others (their metadata declares trove classifiers)."""
        return tuple(sorted({posixpath.dirname(item.path) for item in self.dependency_files if item.published}))

    def rule_data(self, code: str) -> dict[str, Any]:
        """What an F+P rule recorded in its file phase, by file path (files where it recorded nothing are absent)."""
        return {path: item.rule_data[code] for path, item in self.facts.items() if code in item.rule_data}

    def modules(self) -> list[FileFacts]:
        """Every module's facts, by path."""
        return list(self.facts.values())

    def data_graph(self) -> nx.MultiDiGraph:
        """Modules and artifacts joined by reads and writes only (no imports)."""
        edges = [(u, v, k) for u, v, k, kind in self.graph.edges(keys=True, data="kind") if kind in ("reads", "writes")]
        return self.graph.edge_subgraph(edges)

    def import_graph(self) -> nx.MultiDiGraph:
        """Modules joined by imports only."""
        edges = [(u, v, k) for u, v, k, kind in self.graph.edges(keys=True, data="kind") if kind == "imports"]
        nodes = [node for node, kind in self.graph.nodes(data="kind") if kind == "module"]
        view = nx.MultiDiGraph()
        view.add_nodes_from((node, self.graph.nodes[node]) for node in nodes)
        view.add_edges_from((u, v, k, self.graph.edges[u, v, k]) for u, v, k in edges)
        return nx.freeze(view)

    def writers(self, artifact: str) -> list[tuple[str, dict[str, Any]]]:
        """(module node, edge data) of every write of an artifact."""
        return [(u, data) for u, _, data in self.graph.in_edges(artifact, data=True) if data.get("kind") == "writes"]

    def readers(self, artifact: str) -> list[tuple[str, dict[str, Any]]]:
        """(module node, edge data) of every read of an artifact."""
        return [(v, data) for _, v, data in self.graph.out_edges(artifact, data=True) if data.get("kind") == "reads"]

    def facts_of(self, node: str) -> FileFacts:
        facts: FileFacts = self.graph.nodes[node]["facts"]
        return facts

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

    def resolve_dotted(self, importer: FileFacts, dotted: str) -> tuple[str, str] | None:
        """(first-party module, the rest) for a qualified name reached through an import
        (`pkg.a.CONFIG` -> (`pkg.a`, `CONFIG`)): the longest prefix that is a module, or None."""
        parts = dotted.split(".")
        for cut in range(len(parts), 0, -1):
            target = self.resolve(importer, ImportFact(".".join(parts[:cut]), "", "", 0))
            if target is not None:
                return target, ".".join(parts[cut:])
        return None


def build_project(root: Path, facts: Iterable[FileFacts], documents: Mapping[str, str] | None = None) -> Project:
    """Build and freeze the project graph from facts alone (nothing is parsed again); `documents`
    are the texts of the project's dependency and lock files, by path."""
    ordered = _distinct_modules(sorted(facts, key=lambda item: item.path))
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
    _add_artifacts(graph, ordered)
    documents = documents or {}
    names = {path: PurePosixPath(path).name for path in sorted(documents)}
    return Project(
        root=root,
        graph=nx.freeze(graph),
        facts={item.path: item for item in ordered},
        dependency_files=tuple(
            parse_dependency_file(path, documents[path]) for path, name in names.items() if is_dependency_file(name)
        ),
        lock_files=tuple(path for path, name in names.items() if is_lock_file(name)),
        documents=dict(documents),
    )


def _distinct_modules(ordered: list[FileFacts]) -> list[FileFacts]:
    """A notebook beside a module of the same name (`eda.ipynb` and its export `eda.py`) is
    named `eda.ipynb`: `import eda` loads the `.py` file, even with a notebook importer."""
    modules = {item.module for item in ordered if not item.path.endswith(".ipynb")}
    return [
        replace(item, module=f"{item.module}.ipynb") if item.path.endswith(".ipynb") and item.module in modules else item
        for item in ordered
    ]


def _add_artifacts(graph: nx.MultiDiGraph, ordered: list[FileFacts]) -> None:
    """Artifact and table nodes, with a `writes` edge from each writer and a `reads` edge to each reader."""
    resolver = PathResolver(ordered)
    accesses = [(item, access, node) for item in ordered for access, node in resolved_accesses(item, resolver)]
    written = {node for _, access, node in accesses if access.mode == "write"}
    for item, access, node in accesses:
        if access.mode == "read" and access.call.rsplit(".", 1)[-1] in PRETRAINED_READ_METHODS and node not in written:
            continue  # a hub id, not a file of this project
        if node not in graph:
            kind = "table" if node.startswith(TABLE) else "artifact"
            graph.add_node(node, kind=kind, path=node.split(":", 1)[1])
        source = module_node(item.module)
        edge = _edge(access)
        if access.mode == "write":
            graph.add_edge(source, node, **edge)
        else:
            graph.add_edge(node, source, **edge)


def _edge(access: ArtifactAccess) -> dict[str, object]:
    return {
        "kind": "writes" if access.mode == "write" else "reads",
        "line": access.line,
        "column": access.column,
        "call": access.call,
        "label": access.label,
        "scope": access.scope,
    }


def in_shipped_package(path: str, in_package: bool, roots: Iterable[str]) -> bool:
    """Whether a module ships in a distributable project's package: it sits in a package folder
    (with `__init__.py`) of a project in `roots`, outside its tests, examples, scripts and docs."""
    if not in_package:
        return False
    folders = path.split("/")[:-1]
    for root in roots:
        root_parts = root.split("/") if root else []
        if folders[: len(root_parts)] != root_parts:
            continue
        if not any(part.lower() in NOT_SHIPPED_FOLDERS for part in folders[len(root_parts) :]):
            return True
    return False
