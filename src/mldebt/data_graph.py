"""Paths and cycles in the data half of the project graph, for the rules that read it.

MLD503 (pipeline jungles) follows scripts chained through intermediate files;
MLD401/MLD402 (feedback loops) and MLD201 (correction cascades) follow a model's
predictions from the module that trains it, through its model file and the module
that predicts with it, to the module that trains on them. Both are read here from
the frozen project graph once per rule run: plain dicts and networkx algorithms,
nothing parsed again.

A *handoff* is one module writing an artifact (file or table) that another module
reads. Test modules take no part: they read fixtures and write scratch files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import networkx as nx

from mldebt.context import is_test_path
from mldebt.facts import FileFacts
from mldebt.findings import Finding
from mldebt.project import TABLE, Project
from mldebt.rule import RuleMetadata

# URIs that name a model registry or a web resource: the registry is a declared interface, and
# the web is not an intermediate file of the project.
_NOT_INTERMEDIATE_SCHEMES = ("models:", "runs:", "http://", "https://", "ftp://", "hf://", "wandb:")


@dataclass(frozen=True)
class Access:
    """One read or write edge of the data graph, from the module's side."""

    module: str  # module node
    artifact: str  # artifact or table node
    line: int
    column: int
    label: str  # of a write: "model" | "predictions" | "data"
    scope: str


@dataclass(frozen=True)
class Handoff:
    """`write.module` writes `write.artifact`, which `read.module` reads."""

    write: Access
    read: Access


@dataclass(frozen=True)
class PredictionPath:
    """How one model's predictions reach a module that trains on them: the model's trainer
    writes a model file that a predicting module reads (`via_model`, None when the trainer
    writes its predictions itself), and the predictions artifact that the trainee reads."""

    trainer: str  # module node of the model whose predictions flow ("" when unknown)
    via_model: Handoff | None
    predictions: Handoff

    @property
    def hops(self) -> list[Handoff]:
        return [self.via_model, self.predictions] if self.via_model is not None else [self.predictions]


class DataGraph:
    """The handoffs of a project and what they carry."""

    def __init__(self, project: Project) -> None:
        self.project = project
        graph = project.graph
        self.facts: dict[str, FileFacts] = {}
        for node, kind in graph.nodes(data="kind"):
            if kind == "module" and not is_test_path(graph.nodes[node]["path"]):
                self.facts[node] = graph.nodes[node]["facts"]
        self.writes: dict[str, list[Access]] = {}  # artifact -> writes
        self.reads: dict[str, list[Access]] = {}  # artifact -> reads
        for source, target, data in graph.edges(data=True):
            kind = data.get("kind")
            if kind == "writes" and source in self.facts:
                self.writes.setdefault(target, []).append(_access(source, target, data))
            elif kind == "reads" and target in self.facts:
                self.reads.setdefault(source, []).append(_access(target, source, data))
        for accesses in (*self.writes.values(), *self.reads.values()):
            accesses.sort(key=lambda access: (self.path(access.module), access.line, access.column))
        self._model_writers: dict[str, list[Handoff]] = {}

    def path(self, module: str) -> str:
        return self.facts[module].path

    def handoffs(self, artifact: str) -> list[Handoff]:
        """Every (write, read) of `artifact` by two different modules, in path and line order.
        A read that follows the reading module's own write of the artifact reads back its own
        output (a notebook re-reading the submission it just wrote), not another module's."""
        writes = self.writes.get(artifact, ())
        first_write: dict[str, int] = {}
        for write in writes:
            first_write[write.module] = min(write.line, first_write.get(write.module, write.line))
        return [
            Handoff(write, read)
            for write in writes
            for read in self.reads.get(artifact, ())
            if write.module != read.module and first_write.get(read.module, read.line + 1) > read.line
        ]

    def module_handoffs(self, keep: Callable[[Handoff], bool] | None = None) -> dict[tuple[str, str], list[Handoff]]:
        """(writer, reader) -> the handoffs between them through intermediate artifacts (those
        that `keep` accepts, when given)."""
        result: dict[tuple[str, str], list[Handoff]] = {}
        for artifact in sorted(self.writes):
            if not is_intermediate(artifact):
                continue
            for handoff in self.handoffs(artifact):
                if keep is None or keep(handoff):
                    result.setdefault((handoff.write.module, handoff.read.module), []).append(handoff)
        return result

    # --- Predictions -------------------------------------------------------------------------

    def trains(self, module: str) -> bool:
        return self.facts[module].trains

    def trains_on(self, read: Access) -> bool:
        """The reading module trains where it reads: a training call in the same function (or
        both at module level)."""
        facts = self.facts[read.module]
        return facts.trains and read.scope in facts.training_scopes

    def model_writers(self, module: str) -> list[Handoff]:
        """The model files this module reads that training modules write."""
        cached = self._model_writers.get(module)
        if cached is not None:
            return cached
        found: list[Handoff] = []
        self._model_writers[module] = found
        for artifact in self._artifacts_read_by.get(module, ()):
            for handoff in self.handoffs(artifact):
                if handoff.read.module == module and handoff.write.label == "model" and self.trains(handoff.write.module):
                    found.append(handoff)
        return found

    @cached_property
    def _artifacts_read_by(self) -> dict[str, list[str]]:
        result: dict[str, list[str]] = {}
        for artifact, reads in sorted(self.reads.items()):
            for read in reads:
                if artifact not in result.setdefault(read.module, []):
                    result[read.module].append(artifact)
        return result

    def prediction_paths(self) -> list[PredictionPath]:
        """Every way a model's predictions reach a module that trains on them, where the
        predictions are written to an artifact by another module than the one that trains on
        them: from the predicting module's own training (`trainer` is the writer), or from the
        model files it reads (`trainer` is the module that wrote them), or from nowhere the
        graph shows (`trainer` "")."""
        paths: list[PredictionPath] = []
        for artifact in sorted(self.writes):
            for handoff in self.handoffs(artifact):
                if handoff.write.label != "predictions" or not self.trains_on(handoff.read):
                    continue
                writer = handoff.write.module
                sources = self.model_writers(writer)
                if self.trains(writer):
                    paths.append(PredictionPath(writer, None, handoff))
                for model in sources:
                    paths.append(PredictionPath(model.write.module, model, handoff))
                if not sources and not self.trains(writer):
                    paths.append(PredictionPath("", None, handoff))
        return paths


def _access(module: str, artifact: str, data: dict[str, Any]) -> Access:
    return Access(module, artifact, data["line"], data.get("column", 1), data.get("label", "data"), data.get("scope", ""))


def is_intermediate(artifact: str) -> bool:
    """An artifact that can carry data from one step of a pipeline to the next."""
    name = artifact.split(":", 1)[1] if not artifact.startswith(TABLE) else ""
    return not name.startswith(_NOT_INTERMEDIATE_SCHEMES)


# --- Messages ---------------------------------------------------------------------------------


def shown_artifact(artifact: str) -> str:
    """`data/x.csv` or table `events`, as a message shows it."""
    kind, _, name = artifact.partition(":")
    return f"table `{name}`" if kind == "table" else f"`{name}`"


def describe_chain(data: DataGraph, hops: Sequence[Sequence[Handoff]]) -> str:
    """`a.py` writes `x.csv` → `b.py` reads it, writes `y.csv` → `c.py` reads it.

    Each hop is the handoffs between two consecutive modules (one or more artifacts)."""
    if not hops:
        return ""
    parts = []
    first = hops[0][0].write.module
    parts.append(f"`{data.path(first)}` writes {_artifacts(hops[0])}")
    for index, hop in enumerate(hops):
        reader = hop[0].read.module
        pronoun = "them" if len(_unique_artifacts(hop)) > 1 else "it"
        text = f"`{data.path(reader)}` reads {pronoun}"
        if index + 1 < len(hops):
            text += f", writes {_artifacts(hops[index + 1])}"
        parts.append(text)
    return " → ".join(parts)


def _unique_artifacts(hop: Iterable[Handoff]) -> list[str]:
    return list(dict.fromkeys(handoff.write.artifact for handoff in hop))


def _artifacts(hop: Iterable[Handoff]) -> str:
    names = [shown_artifact(artifact) for artifact in _unique_artifacts(hop)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def describe_prediction_paths(data: DataGraph, paths: Sequence[PredictionPath]) -> str:
    """The chain of handoffs along consecutive prediction paths (a cycle when the last one
    ends where the first begins)."""
    return describe_chain(data, [[hop] for path in paths for hop in path.hops])


def project_finding(rule: type[RuleMetadata], path: str, access: Access, message: str) -> Finding:
    """A project-phase finding of an F+P rule at an access (its `review` yields these)."""
    return Finding(
        code=rule.CODE,
        name=rule.NAME,
        severity=rule.SEVERITY,
        paper_section=rule.SECTION.label,
        path=path,
        line=access.line,
        column=access.column,
        end_line=access.line,
        end_column=access.column,
        message=message,
        scope=access.scope,
    )
