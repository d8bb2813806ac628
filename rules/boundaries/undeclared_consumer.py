"""MLD202 undeclared-consumer: a module that depends on what another module never offered."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, cast

from mldebt import FileFacts, Finding, Invalid, Project, ProjectRule, Section, Severity, Valid
from mldebt.context import is_test_path
from mldebt.project import ModuleIndex

# Writes whose label makes the file a model's output (see RULES.md, Artifacts).
MODEL_OUTPUT_LABELS = frozenset({"model", "predictions"})
# Build and documentation tooling that reads a package's version or helpers while packaging or
# documenting it, not as part of the system: `setup.py`, `noxfile.py`, Sphinx's `docs/conf.py`.
TOOLING_FILES = frozenset({"setup.py", "noxfile.py"})
DOCS_FOLDERS = frozenset({"doc", "docs"})


@dataclass(frozen=True)
class _Reach:
    """One place where a module reaches a name another module did not offer."""

    consumer: FileFacts
    producer: FileFacts
    kind: str  # "private name" | "private module" | "not exported"
    name: str  # what the consumer names (`_helper`, `build_raw`, `pkg.model._state`)
    key: str  # the reached name, qualified up to its private part (`pkg.a._helper`, `pkg._internal`)
    owner: str  # the package the name is private to (dotted; "" for the project root)
    line: int
    column: int
    verb: str = "imports"  # "reads" for an attribute reached through an imported module


class UndeclaredConsumer(ProjectRule):
    """
    ## What it does
    Finds first-party modules that depend on another module through a door it never
    opened:
    - a private name of another module, imported (`from pkg.model import _load_weights`,
      `from pkg._internal import helper`) or reached through an imported module
      (`pkg.model._state`);
    - a name left out of a module's `__all__`, when the module declares one made of
      literal strings (`from pkg.features import build_raw` where
      `__all__ = ["build_features"]`);
    - a model file or a predictions file (see the project graph's artifacts) that another
      module writes, loaded by a module that neither imports the writer nor is declared
      alongside it.

    A reader is *declared alongside* a writer when
    1. both belong to one part of the repository: the same top-level folder
       (`model_churn/train/` and `model_churn/predict/`, `src/pkg/training/` and
       `src/pkg/serving/`), or both sit at the root. A repository's top-level folders are
       its declared parts (a service, a training job, one project of a course or a
       monorepo); inside one, the hand-over of a model from its training step to its
       scoring step is that part's own design;
    2. one imports the other, directly or through other first-party modules;
    3. one first-party module imports both (a pipeline that runs the writer, then the
       reader); or
    4. both name the file by the same module-level constant (`config.MODEL_PATH`), which
       declares the artifact in one place.

    So what is reported is a module in one part of the repository (`reports/`, `app/`)
    that loads a model or predictions another part (`jobs/`, `training/`) writes, with
    nothing in the code that says so.

    Not flagged:
    - tests, as consumers and as producers; build and documentation tooling (`setup.py`,
      `noxfile.py`, Sphinx's `docs/conf.py`) reading a version or a helper;
    - a package reading its own private names. A private name belongs to the package
      (folder) of the module that defines it; a private module or sub-package
      (`pkg/_internal/`) belongs to the package above it (`pkg`). Insiders are the modules
      of that package, of its sub-packages, and of the packages above it (a package
      answers for its sub-packages); names of the project root (`_utils.py` beside the
      scripts, a top-level `_impl/` package) belong to the whole project, and a top-level
      package whose own name is private (`_impl`) is the project's implementation, an
      insider everywhere. Sibling and cousin packages are outsiders;
    - a private name that 3 or more modules of its own top-level package import (by then
      it is that package's internal API by convention; `internal-api-importers`). Across
      top-level packages every reach-in counts — except that the packages side by side
      under `src/` ship as one distribution (`src/pkg`, `src/pkg_cli`) and count as one;
    - names a module lists in its `__all__` (even private ones), dunder names
      (`__version__`), submodules (`from pkg import sub`), and modules whose `__all__` is
      built by code (`__all__ += other.__all__`, `.extend(...)`). Names outside `__all__`
      have the same exemptions as private names;
    - a private attribute reached through a public one (`Model._meta`): it belongs to a
      class, not to the module;
    - a model or predictions file read by the module that writes it, or by a module
      declared alongside its writer (above); files that only tests write.

    Each place is reported once: the import, each attribute access, each read.

    ## Why is this bad?
    The paper's undeclared consumers (§2, Undeclared Consumers): a module that silently
    consumes another's internals, or the model and predictions it writes, ties itself to
    every detail of them. The producer cannot change without breaking a consumer it does
    not know about, and when the consumer is fed by a model, the two form hidden
    couplings (and sometimes feedback loops) that are expensive to find later.

    ## Example
    ```python
    # app/serve.py
    import joblib
    from pkg.model import _load_weights

    model = joblib.load("models/model.pkl")  # written by training/train.py
    ```

    Use instead: make the interface public and declared — export the function (drop the
    underscore, or list it in `__all__`), and name the model file in one place that both
    sides import (or load it through a function of the module that writes it):
    ```python
    from pkg.model import load_weights
    from pkg.registry import load_model

    model = load_model("churn")
    ```

    ## Options
    - `internal-api-importers` (default `3`): how many modules of a top-level package must
      import one of its private names before it counts as that package's internal API.

    ## References
    - Sculley et al. (2015), §2 "Complex Models Erode Boundaries", Undeclared Consumers
    """

    CODE = "MLD202"
    NAME = "undeclared-consumer"
    SEVERITY = Severity.WARNING
    SECTION = Section.UNDECLARED_CONSUMERS
    SUMMARY = "A module that reads another module's private names, unexported names, or model files, undeclared"
    MESSAGE = "{what}"

    @dataclass(frozen=True)
    class Options:
        internal_api_importers: int = 3

    VALID = [
        # A package reading its own private names.
        Valid(
            "from .model import _load_weights\n",
            path="pkg/serve.py",
            files={"pkg/__init__.py": "", "pkg/model.py": "def _load_weights():\n    pass\n"},
        ),
        # A sub-package reading a private module of the package above it.
        Valid(
            "from pkg._utils import seed_everything\n",
            path="pkg/training/loop.py",
            files={
                "pkg/__init__.py": "",
                "pkg/_utils.py": "def seed_everything():\n    pass\n",
                "pkg/training/__init__.py": "",
            },
        ),
        # Tests reach into internals on purpose.
        Valid(
            "from pkg.model import _load_weights\n",
            path="tests/test_model.py",
            files={"pkg/__init__.py": "", "pkg/model.py": "def _load_weights():\n    pass\n"},
        ),
        # Three modules of `pkg` import `_helper`: the package's internal API by convention.
        Valid(
            "from pkg.core.util import _helper\n",
            path="pkg/serving/api.py",
            files={
                "pkg/__init__.py": "",
                "pkg/core/__init__.py": "",
                "pkg/core/util.py": "def _helper():\n    pass\n",
                "pkg/serving/__init__.py": "",
                "pkg/training/__init__.py": "",
                "pkg/training/loop.py": "from pkg.core.util import _helper\n",
                "pkg/evaluation.py": "from pkg.core.util import _helper\n",
            },
        ),
        # `__all__` lists the name (even a private one), or is built by code, or the name is a submodule.
        Valid(
            "from pkg.features import build_features, _scale\nfrom pkg import features\n",
            path="app/main.py",
            files={
                "pkg/__init__.py": '__all__ = ["train"]\n',
                "pkg/features.py": '__all__ = ["build_features", "_scale"]\n',
            },
        ),
        Valid(
            "from pkg.features import build_raw\n",
            path="app/main.py",
            files={
                "pkg/__init__.py": "",
                "pkg/features.py": 'from pkg import base\n__all__ = ["build_features"] + base.__all__\n',
                "pkg/base.py": "",
            },
        ),
        # `Model._meta` is a class attribute, and `model` here is the function's own parameter.
        Valid(
            """
            from pkg import model
            from pkg.model import Model
            fields = Model._meta
            def describe(model):
                return model._modules
            """,
            path="app/main.py",
            files={"pkg/__init__.py": "", "pkg/model.py": "class Model:\n    _meta = {}\n"},
        ),
        # The scoring step of one project loads what its training step writes: one part of the
        # repository (`churn/`), however its folders are split.
        Valid(
            'import joblib\nmodel = joblib.load("../models/model.pkl")\n',
            path="churn/predict/score.py",
            files={
                "churn/train/train.py": (
                    "import joblib\nfrom sklearn.linear_model import LogisticRegression\n"
                    'model = LogisticRegression().fit(X, y)\njoblib.dump(model, "../models/model.pkl")\n'
                )
            },
        ),
        # Two scripts side by side at the root.
        Valid(
            'import joblib\nmodel = joblib.load("model.pkl")\n',
            path="serve.py",
            files={
                "train.py": (
                    "import joblib\nfrom sklearn.linear_model import LogisticRegression\n"
                    'model = LogisticRegression().fit(X, y)\njoblib.dump(model, "model.pkl")\n'
                )
            },
        ),
        # A pipeline module imports both the writer and the reader.
        Valid(
            'import joblib\ndef serve():\n    return joblib.load("models/model.pkl")\n',
            path="app/serve.py",
            files={
                "training/train.py": (
                    "import joblib\nfrom sklearn.linear_model import LogisticRegression\n"
                    "def train(X, y):\n    model = LogisticRegression().fit(X, y)\n"
                    '    joblib.dump(model, "models/model.pkl")\n'
                ),
                "pipeline.py": "from training.train import train\nfrom app.serve import serve\n",
                "training/__init__.py": "",
                "app/__init__.py": "",
            },
        ),
        # Both sides name the file through one declared constant.
        Valid(
            "import joblib\nfrom config import MODEL_PATH\nmodel = joblib.load(MODEL_PATH)\n",
            path="app/serve.py",
            files={
                "config.py": 'MODEL_PATH = "models/model.pkl"\n',
                "training/__init__.py": "",
                "app/__init__.py": "",
                "training/train.py": (
                    "import joblib\nfrom sklearn.linear_model import LogisticRegression\n"
                    "from config import MODEL_PATH\n"
                    "model = LogisticRegression().fit(X, y)\njoblib.dump(model, MODEL_PATH)\n"
                ),
            },
        ),
        # Plain data handed between folders is a pipeline's business (MLD503), not a model's output.
        Valid(
            'import pandas as pd\nframe = pd.read_csv("data/clean.csv")\n',
            path="training/train.py",
            files={
                "prep/__init__.py": "",
                "prep/clean.py": 'import pandas as pd\npd.read_csv("raw.csv").dropna().to_csv("data/clean.csv")\n',
                "training/__init__.py": "",
            },
        ),
    ]
    INVALID = [
        Invalid(
            "from pkg.model import _load_weights\n",
            path="app/serve.py",
            line=1,
            column=1,
            message=(
                "`app/serve.py` imports `_load_weights`, a private name of `pkg/model.py`: "
                "an undeclared consumer of that module's internals"
            ),
            files={"pkg/__init__.py": "", "pkg/model.py": "def _load_weights():\n    pass\n"},
        ),
        # Through an imported module.
        Invalid(
            "import pkg.model\n\nstate = pkg.model._state\n",
            path="reports/report.py",
            files={"pkg/__init__.py": "", "pkg/model.py": "_state = {}\n"},
        ),
        # A private module of another package.
        Invalid(
            "from pkg._internal import helper\n",
            path="app/main.py",
            files={"pkg/__init__.py": "", "pkg/_internal.py": "def helper():\n    pass\n"},
        ),
        # One sub-package reaching into another's private name, with no other importer.
        Invalid(
            "from pkg.training.loop import _step\n",
            path="pkg/serving/api.py",
            files={
                "pkg/__init__.py": "",
                "pkg/serving/__init__.py": "",
                "pkg/training/__init__.py": "",
                "pkg/training/loop.py": "def _step():\n    pass\n",
            },
        ),
        # Three importers inside `pkg` make `_helper` its internal API, but not for other packages.
        Invalid(
            "from pkg.core.util import _helper\n",
            path="scripts/run.py",
            files={
                "pkg/__init__.py": "",
                "pkg/core/__init__.py": "",
                "pkg/core/util.py": "def _helper():\n    pass\n",
                "pkg/a.py": "from pkg.core.util import _helper\n",
                "pkg/b.py": "from pkg.core.util import _helper\n",
                "pkg/c.py": "from pkg.core.util import _helper\n",
            },
        ),
        # A name outside the producer's `__all__`.
        Invalid(
            "from pkg.features import build_raw\n",
            path="app/main.py",
            message=(
                "`app/main.py` imports `build_raw` from `pkg/features.py`, which leaves it out of its "
                "`__all__`: an undeclared consumer of that module's internals"
            ),
            files={
                "pkg/__init__.py": "",
                "pkg/features.py": '__all__ = ["build_features"]\ndef build_raw():\n    pass\n',
            },
        ),
        # A model file loaded in another package, by a module that never imports the trainer (both
        # run from the project root, so `models/model.pkl` is one file).
        Invalid(
            """
            import joblib

            def load():
                return joblib.load("models/model.pkl")
            """,
            path="app/serve.py",
            line=4,
            column=12,
            message=(
                "`app/serve.py` loads the model `models/model.pkl` that `training/train.py` writes, "
                "but neither imports the other nor is declared alongside it"
            ),
            files={
                "app/__init__.py": "",
                "training/__init__.py": "",
                "training/train.py": (
                    "import joblib\nfrom sklearn.linear_model import LogisticRegression\n"
                    'model = LogisticRegression().fit(X, y)\njoblib.dump(model, "models/model.pkl")\n'
                ),
            },
        ),
        # Predictions written by one script and read by a dashboard script in another folder (each
        # runs from its own folder: `../out/` is one folder for both).
        Invalid(
            'import pandas as pd\nscores = pd.read_csv("../out/predictions.csv")\n',
            path="reports/dashboard.py",
            files={
                "jobs/predict.py": (
                    "import joblib\nimport pandas as pd\n"
                    'model = joblib.load("model.pkl")\n'
                    'pd.DataFrame({"score": model.predict(X)}).to_csv("../out/predictions.csv")\n'
                )
            },
        ),
    ]

    def check(self, project: Project) -> Iterator[Finding]:
        options = cast(UndeclaredConsumer.Options, self.options)
        index = ModuleIndex(project.modules())
        folders = {name.rsplit(".", cut)[0] for name in index.by_name for cut in range(1, name.count(".") + 1)}
        reaches = [
            reach for facts in project.modules() if not _exempt(facts.path) for reach in _reaches(facts, index, folders)
        ]
        importers: dict[str, set[str]] = defaultdict(set)
        for reach in reaches:
            if _unit(reach.consumer) == _unit(reach.producer):
                importers[reach.key].add(reach.consumer.module)
        seen: set[tuple[str, int, int, str]] = set()
        for reach in reaches:
            if _inside(_package(reach.consumer), reach.owner):
                continue
            same_unit = _unit(reach.consumer) == _unit(reach.producer)
            if same_unit and len(importers[reach.key]) >= options.internal_api_importers:
                continue
            place = (reach.consumer.path, reach.line, reach.column, reach.key)
            if place in seen:
                continue
            seen.add(place)
            yield self.finding(reach.consumer.path, reach.line, reach.column, what=_describe(reach))
        yield from self._model_outputs(project)

    def _model_outputs(self, project: Project) -> Iterator[Finding]:
        """Reads of a model or predictions file, written elsewhere, by a module not declared with the writer."""
        relations = _Relations(project)
        for node, kind in project.graph.nodes(data="kind"):
            if kind != "artifact":
                continue
            writes = project.writers(node)
            produced = [
                (writer, data)
                for writer, data in writes
                if data.get("label") in MODEL_OUTPUT_LABELS and not is_test_path(project.facts_of(writer).path)
            ]
            if not produced:
                continue
            writers = {writer for writer, _ in writes}
            for reader, read in project.readers(node):
                consumer = project.facts_of(reader)
                if reader in writers or is_test_path(consumer.path):
                    continue
                if any(relations.declared(reader, read, writer, write) for writer, write in produced):
                    continue
                names = sorted({project.facts_of(writer).path for writer, _ in produced})
                label = "model" if any(data.get("label") == "model" for _, data in produced) else "predictions"
                yield self.finding(
                    consumer.path,
                    int(read["line"]),
                    int(read.get("column", 1)),
                    what=(
                        f"`{consumer.path}` loads the {label} `{project.graph.nodes[node]['path']}` that "
                        f"{_join(names)} {'writes' if len(names) == 1 else 'write'}, but neither imports "
                        "the other nor is declared alongside it"
                    ),
                )


def _exempt(path: str) -> bool:
    """Tests, and build or documentation tooling, are not consumers of the system's internals."""
    pure = PurePosixPath(path)
    if is_test_path(path) or pure.name in TOOLING_FILES:
        return True
    return pure.name == "conf.py" and any(part in DOCS_FOLDERS for part in pure.parts[:-1])


def _reaches(consumer: FileFacts, index: ModuleIndex, folders: set[str]) -> Iterator[_Reach]:
    """Every private name, private module and unexported name that `consumer` reaches. `folders`
    are the dotted folders that hold modules (a folder without `__init__.py` is one too)."""
    for fact in consumer.imports:
        if fact.name == "*":
            continue
        target = index.resolve(consumer, fact)
        if target is None:
            continue
        producer = index.by_name[target]
        submodule = bool(fact.name) and (
            target == fact.qualified or target.endswith("." + fact.qualified) or f"{target}.{fact.name}" in folders
        )
        parts = target.split(".")
        if fact.name and not submodule:
            parts.append(fact.name)
        private = _first_private(parts)
        if private is not None:
            if private == len(parts) - 1 and fact.name and not submodule and fact.name in (producer.exports or ()):
                continue  # listed in `__all__`: exported on purpose
            name = parts[private] if private == len(parts) - 1 and fact.name and not submodule else fact.name or target
            yield _reach(consumer, producer, parts, private, name, fact.line, fact.column)
        elif fact.name and not submodule and not fact.name.startswith("__") and _leaves_out(producer, fact.name):
            key = ".".join(parts)
            yield _Reach(consumer, producer, "not exported", fact.name, key, _package(producer), fact.line, fact.column)
    for reference in consumer.private_references:
        split = index.resolve_dotted(consumer, reference.qualified)
        if split is None:
            continue
        target, rest = split
        producer = index.by_name[target]
        parts = target.split(".") + (rest.split(".")[:1] if rest else [])
        private = _first_private(parts)
        if private is None:
            continue  # `Model._meta`: a class's attribute, not the module's name
        if private == len(parts) - 1 and rest and parts[-1] in (producer.exports or ()):
            continue
        name = ".".join(parts[: private + 1])
        yield _reach(consumer, producer, parts, private, name, reference.line, reference.column, "reads")


def _reach(
    consumer: FileFacts,
    producer: FileFacts,
    parts: list[str],
    private: int,
    name: str,
    line: int,
    column: int,
    verb: str = "imports",
) -> _Reach:
    key = ".".join(parts[: private + 1])
    module_depth = len(producer.module.split(".")) if producer.module else 0
    if private >= module_depth:
        # A name defined in the producer: private to the producer's package (its folder).
        return _Reach(consumer, producer, "private name", name, key, _package(producer), line, column, verb)
    # A private module or package on the way: private to the package above it.
    return _Reach(consumer, producer, "private module", name, key, ".".join(parts[:private]), line, column, verb)


def _first_private(parts: list[str]) -> int | None:
    for position, part in enumerate(parts):
        if part.startswith("_") and not part.startswith("__"):
            return position
    return None


def _leaves_out(producer: FileFacts, name: str) -> bool:
    """Whether the producer declares an `__all__` we can read whole, and `name` is not in it."""
    exports = producer.exports
    return bool(exports) and not producer.exports_dynamic and name not in exports  # type: ignore[operator]


def _package(facts: FileFacts) -> str:
    """The dotted folder a module sits in (a package's `__init__` is its own package)."""
    if PurePosixPath(facts.path).stem == "__init__":
        return facts.module
    return facts.module.rpartition(".")[0]


def _inside(package: str, owner: str) -> bool:
    """Whether a module of `package` reads names private to `owner` from the inside: the same folder,
    one of its sub-packages, or a package above it (a package answers for its sub-packages). Names
    private to the project root (`_utils.py` beside the scripts, a top-level `_impl/` package) are
    the whole project's, and a top-level package named `_impl` is the project's own implementation."""
    if owner == "" or package == owner or package.startswith("_"):
        return True
    return package.startswith(owner + ".") or (package != "" and owner.startswith(package + "."))


def _unit(facts: FileFacts) -> str:
    """The top-level package a module belongs to. The packages side by side under `src/` ship as one
    distribution (`src/pkg`, `src/pkg_cli`), so they count as one."""
    return "src/" if facts.path.startswith("src/") else facts.module.split(".", 1)[0]


def _describe(reach: _Reach) -> str:
    consumer, producer = reach.consumer.path, reach.producer.path
    tail = "an undeclared consumer of that module's internals"
    if reach.kind == "private name":
        return f"`{consumer}` {reach.verb} `{reach.name}`, a private name of `{producer}`: {tail}"
    if reach.kind == "private module":
        owner = f"`{reach.owner.replace('.', '/')}`" if reach.owner else "the project root"
        source = "" if reach.verb == "reads" else f" from `{producer}`"
        if reach.key == reach.producer.module:
            where = f"a private module of {owner}"
        else:
            where = f"inside `{reach.key.replace('.', '/')}`, which is private to {owner}"
        return (
            f"`{consumer}` {reach.verb} `{reach.name}`{source}, {where}: "
            "an undeclared consumer of that package's internals"
        )
    return f"`{consumer}` imports `{reach.name}` from `{producer}`, which leaves it out of its `__all__`: {tail}"


def _join(paths: list[str]) -> str:
    quoted = [f"`{path}`" for path in paths]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


class _Relations:
    """What declares a reader alongside a writer: a folder, an import path, a common importer, a constant."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.imports: dict[str, set[str]] = defaultdict(set)
        self.importers: dict[str, set[str]] = defaultdict(set)
        for source, target, kind in project.graph.edges(data="kind"):
            if kind == "imports":
                self.imports[source].add(target)
                self.importers[target].add(source)
        self._reachable: dict[str, set[str]] = {}

    def reachable(self, node: str) -> set[str]:
        """Every first-party module `node` imports, directly or not."""
        known = self._reachable.get(node)
        if known is None:
            known = set()
            stack = [node]
            while stack:
                for target in self.imports.get(stack.pop(), ()):
                    if target not in known:
                        known.add(target)
                        stack.append(target)
            self._reachable[node] = known
        return known

    def declared(self, reader: str, read: dict[str, Any], writer: str, write: dict[str, Any]) -> bool:
        facts = self.project.facts_of
        if _part(facts(reader).path) == _part(facts(writer).path):
            return True
        if writer in self.reachable(reader) or reader in self.reachable(writer):
            return True
        if self.importers.get(reader, set()) & self.importers.get(writer, set()):
            return True
        constant = _constant(facts(reader), read, "read")
        return constant is not None and constant == _constant(facts(writer), write, "write")


def _part(path: str) -> str:
    """The part of the repository a file belongs to: its top-level folder ("" at the root)."""
    return path.split("/", 1)[0] if "/" in path else ""


def _constant(facts: FileFacts, edge: dict[str, Any], mode: str) -> str | None:
    """The constant an access names its whole path by (`@config.MODEL_PATH`), if it does."""
    for access in facts.artifacts:
        if access.mode == mode and access.line == edge.get("line") and access.column == edge.get("column"):
            if len(access.path) == 1 and len(access.path[0]) == 1 and access.path[0][0].startswith("@"):
                return access.path[0][0]
            return None
    return None
