"""MLD502 unwrapped-ml-package: a black-box model package called directly from many modules."""

from __future__ import annotations

from collections.abc import Iterator
import posixpath
from dataclasses import dataclass
from typing import cast
from pathlib import PurePosixPath

import networkx as nx

from mldebt import FileFacts, Finding, ImportFact, Invalid, Project, ProjectRule, Section, Severity, Valid
from mldebt.context import is_foreign_code_path, is_test_path
from mldebt.knowledge.roles import BLACK_BOX_HELPER_MODULES, BLACK_BOX_MODEL_SUBMODULES, EXAMPLE_FOLDERS
from mldebt.project import in_shipped_package

_MODEL = """
from sklearn.ensemble import RandomForestClassifier

def train(X, y):
    return RandomForestClassifier().fit(X, y)
"""
_SCRIPTS = ("b.py", "c.py", "d.py")
_ANNOTATION_ONLY = "import sklearn.ensemble as ens\ndef f(m: ens.RandomForestClassifier): ...\n"
_LINEAR = """
from sklearn.linear_model import LogisticRegression

def train(X, y):
    return LogisticRegression().fit(X, y)
"""


class UnwrappedMlPackage(ProjectRule):
    """
    ## What it does
    Finds black-box model packages — scikit-learn, xgboost, lightgbm,
    catboost, statsmodels, prophet, imbalanced-learn, and the like; not
    tensor frameworks such as torch, tensorflow, jax or numpy — whose models
    are called directly from 4 or more first-party modules (configurable),
    instead of from one wrapper that the rest of the system goes through.

    A module counts when it calls into the package and uses an import of it
    that holds models (`sklearn.ensemble`, `xgboost`, `lightgbm`; after a
    bare `import sklearn`, when it names a model family such as `ensemble`
    or `linear_model`): a module that uses only the package's helpers —
    metrics, data sets, splitting, preprocessing, plotting, statistical
    tests (`sklearn.metrics`, `sklearn.model_selection`, `statsmodels.stats`)
    — is not frozen to its models. These do not count either:
    - tests, which call the package to check the wrapper;
    - notebooks, and stand-alone example, tutorial and prototype folders
      (`examples/`, `tutorials/`, `notebooks/`, `docs/`, `demos/`,
      `guides/`, `scratch/`, `sandbox/`, ...), whose files show the package
      on their own by design;
    - code set aside (`trash/`, `old/`, `archive/`, `backup/`);
    - code that is not the project's own (`vendor/`, `site-packages/`,
      hidden folders such as `.ipynb_checkpoints/`).

    Modules count together when they make one system: one depends on the
    other, or a third module depends on both — depending meaning importing
    it, or reading an artifact that only it writes, directly or through
    other modules. Programs that merely share a helper module or an input
    file — a book's chapters, a course's lessons — do not add up. Scripts
    that share only a folder are weaker evidence of one system (a project's
    scripts, but also a few variants of a tutorial or a handful of study
    notes), so they add up from 5 modules on.

    The package's own code (imbalanced-learn's `imblearn/` calling
    `imblearn`) does not count, nor do the shipped modules of a library
    published for others (its metadata declares trove classifiers): a
    library built on the package is itself the wrapper its users go
    through.

    One finding per package and system, at the package's import in the
    first module by path, listing every module that calls it.

    ## Why is this bad?
    The paper (§5, Glue Code) warns that calling general-purpose packages
    directly throughout a system freezes it to the peculiarities of one
    package: trying another library, or even another major version, means
    touching every module that builds, fits or reads one of its models. The
    paper's fix is to wrap black-box packages behind common APIs, so the
    rest of the system depends on the wrapper alone.

    ## Example
    ```python
    # churn/train.py, upsell/train.py, fraud/train.py, scoring/batch.py
    from sklearn.ensemble import RandomForestClassifier
    model = RandomForestClassifier(n_estimators=300).fit(X, y)
    ```

    Use instead: one module owns the package, and the others call it:
    ```python
    # models.py
    from sklearn.ensemble import RandomForestClassifier

    def make_classifier(params):
        return RandomForestClassifier(**params)

    # churn/train.py
    model = models.make_classifier(CHURN_PARAMS).fit(X, y)
    ```

    ## Options
    - `min-modules` (default `4`): how many modules of one system (joined
      by imports or artifacts) must call a package directly before it is
      reported.
    - `min-folder-modules` (default `5`): the same, for scripts that share
      only a folder.

    ## References
    - Sculley et al. (2015), §5 "ML-System Anti-Patterns", Glue Code
    """

    CODE = "MLD502"
    NAME = "unwrapped-ml-package"
    SEVERITY = Severity.INFO
    SECTION = Section.GLUE_CODE
    SUMMARY = "A black-box model package called directly from many modules instead of through one wrapper"
    MESSAGE = "`{package}` models are used directly from {count} modules, with no wrapper between: {modules}"

    @dataclass(frozen=True)
    class Options:
        min_modules: int = 4
        min_folder_modules: int = 5

    VALID = [
        # Three modules: under the default threshold.
        Valid(_MODEL, path="a.py", files={"b.py": _MODEL, "c.py": _LINEAR, "main.py": "import a, b, c\n"}),
        # One wrapper owns the package; the other modules go through it.
        Valid(
            _MODEL,
            path="models.py",
            files={
                "a.py": "from models import train\ntrain(1, 2)\n",
                "b.py": "from models import train\ntrain(1, 2)\n",
                "c.py": "from models import train\ntrain(1, 2)\n",
                "d.py": "from models import train\ntrain(1, 2)\n",
            },
        ),
        # Metrics and splitting helpers are not the package's models.
        Valid(
            """
            from sklearn.metrics import accuracy_score
            score = accuracy_score([1], [1])
            """,
            path="a.py",
            files={
                "b.py": "from sklearn.metrics import f1_score\nf1_score([1], [1])\n",
                "c.py": "from sklearn.model_selection import train_test_split\ntrain_test_split([1, 2])\n",
                "d.py": "from sklearn import metrics\nmetrics.roc_auc_score([1], [1])\n",
            },
        ),
        # Tests and examples call the package on purpose.
        Valid(
            _MODEL,
            path="pkg/models.py",
            files={
                "tests/test_a.py": _MODEL,
                "tests/test_b.py": _LINEAR,
                "examples/quickstart.py": _MODEL,
                "notebooks/explore.py": _LINEAR,
            },
        ),
        # Independent programs: a course's lessons, each in its own folder, share no code.
        Valid(
            _MODEL,
            path="lesson_1/train.py",
            files={"lesson_2/train.py": _MODEL, "lesson_3/train.py": _LINEAR, "lesson_4/model/fit.py": _MODEL},
        ),
        # Tensor frameworks are not black boxes.
        Valid(
            "import torch\nx = torch.zeros(3)\n",
            path="a.py",
            files={f"{name}.py": "import torch\nx = torch.ones(3)\n" for name in "bcd"},
        ),
        # Imported but never called (only a type in an annotation).
        Valid(
            "from sklearn.base import BaseEstimator\ndef f(m: BaseEstimator) -> None: ...\n",
            path="a.py",
            files={name: _ANNOTATION_ONLY for name in _SCRIPTS},
        ),
    ]
    INVALID = [
        Invalid(
            _MODEL,
            line=1,
            path="churn/train.py",
            files={
                "fraud/train.py": _LINEAR,
                "upsell/train.py": _MODEL,
                "scoring/batch.py": _LINEAR,
                "run.py": "import churn.train\nimport fraud.train\nimport upsell.train\nimport scoring.batch\n",
            },
            message=(
                "`sklearn` models are used directly from 4 modules, with no wrapper between: "
                "`churn/train.py`, `fraud/train.py`, `scoring/batch.py`, `upsell/train.py`"
            ),
        ),
        # Aliases and the native API count; a metrics-only module and a test do not.
        Invalid(
            """
            import numpy as np
            import xgboost as xgb

            def train(params, X, y):
                return xgb.train(params, xgb.DMatrix(X, label=y))
            """,
            line=2,
            path="models/boost.py",
            files={
                "models/__init__.py": "",
                "models/tune.py": "from xgboost import XGBRegressor\nXGBRegressor()\n",
                "models/score.py": "import xgboost\nxgboost.Booster()\n",
                "serve/app.py": (
                    "import models.boost, models.tune, models.score\n"
                    "from xgboost.sklearn import XGBClassifier as Clf\nClf()\n"
                ),
                "tests/test_boost.py": "import xgboost\nxgboost.Booster()\n",
            },
        ),
        # Reported at the import that brings in a model, not at a helper import before it.
        Invalid(
            """
            from sklearn.metrics import r2_score
            from sklearn.linear_model import Ridge

            model = Ridge().fit([[1]], [1])
            print(r2_score([1], model.predict([[1]])))
            """,
            line=2,
            path="a.py",
            files={**{f"{name}.py": _LINEAR for name in "bcd"}, "main.py": "import a, b, c, d\n"},
        ),
    ]

    def check(self, project: Project) -> Iterator[Finding]:
        options = cast(UnwrappedMlPackage.Options, self.options)
        own = _own_top_level_names(project)
        published = project.published_roots
        uses: list[tuple[str, str, ImportFact]] = []
        for path in sorted(project.facts):
            facts = project.facts[path]
            if not facts.packages or is_test_path(path) or _example_code(path):
                continue
            if in_shipped_package(path, facts.in_package, published):
                continue  # a published library built on the package is the wrapper its users see
            for use in facts.packages:
                if use.package in own:
                    continue  # the package's own code
                model_import = _model_import(facts, use.package)
                if model_import is not None:
                    uses.append((path, use.package, model_import))
        users = sorted({path for path, _, _ in uses})
        programs, folders = _programs(project, users), _folders(users)
        by_package: dict[str, dict[str, ImportFact]] = {}
        for path, package, model_import in uses:
            by_package.setdefault(package, {})[path] = model_import
        for package in sorted(by_package):
            imports = by_package[package]
            big = [group & imports.keys() for group in programs]
            big = [group for group in big if len(group) >= options.min_modules]
            shared_folder = [group & imports.keys() for group in folders]
            big += [group for group in shared_folder if len(group) >= options.min_folder_modules]
            for group in sorted(_merged(big), key=min):
                modules = sorted((path, imports[path]) for path in group)
                yield self._report(package, modules)

    def _report(self, package: str, modules: list[tuple[str, ImportFact]]) -> Finding:
        first_path, first_import = modules[0]
        return self.finding(
            first_path,
            first_import.line,
            first_import.column,
            package=package,
            count=len(modules),
            modules=", ".join(f"`{path}`" for path, _ in modules),
        )


def _programs(project: Project, users: list[str]) -> list[set[str]]:
    """The package-using modules each program reaches: a program (a module nothing else depends
    on) with everything it depends on — imports, and artifacts it reads with the module that
    alone writes them — directly or through other modules. Sharing a helper module or an input
    file does not join two programs: a book's chapters and a course's lessons stay apart."""
    module_paths = {node: path for node, path in project.graph.nodes(data="path") if path in project.facts}
    counted = {path for path in module_paths.values() if not is_test_path(path) and not _example_code(path)}
    dependencies = nx.DiGraph()  # dependent -> dependency
    dependencies.add_nodes_from(counted)
    for source, target, kind in project.graph.edges(data="kind"):
        if kind == "imports" and module_paths.get(source) in counted and module_paths.get(target) in counted:
            dependencies.add_edge(module_paths[source], module_paths[target])
    for artifact, kind in project.graph.nodes(data="kind"):
        if kind not in ("artifact", "table"):
            continue
        writers = {module_paths.get(node) for node, _ in project.writers(artifact)}
        if len(writers) != 1 or not writers <= counted:
            continue  # written by several modules (`submission.csv`): whose it is cannot be told
        [writer] = writers
        readers = {module_paths.get(node) for node, _ in project.readers(artifact)} & counted
        dependencies.add_edges_from((reader, writer) for reader in readers if reader != writer)
    condensed = nx.condensation(dependencies)
    component_of = condensed.graph["mapping"]
    programs: dict[int, set[str]] = {}  # a program nothing else depends on -> the users it reaches
    for user in users:
        component = component_of[user]
        for above in nx.ancestors(condensed, component) | {component}:
            if condensed.in_degree(above) == 0:
                programs.setdefault(above, set()).add(user)
    return list(programs.values())


def _folders(users: list[str]) -> list[set[str]]:
    """The package-using modules of each folder (a project's scripts, joined by nothing else)."""
    folders: dict[str, set[str]] = {}
    for user in users:
        folders.setdefault(posixpath.dirname(user), set()).add(user)
    return list(folders.values())


def _merged(groups: list[set[str]]) -> list[set[str]]:
    """Groups that share a module, merged."""
    merged = nx.utils.UnionFind()
    for group in groups:
        members = sorted(group)
        for member in members:
            merged.union(members[0], member)
    return [set(group) for group in merged.to_sets()]


def _own_top_level_names(project: Project) -> set[str]:
    """Top-level import names the project defines itself (`imblearn` in imbalanced-learn's repo)."""
    return {facts.module.split(".", 1)[0] for facts in project.facts.values() if facts.module}


def _example_code(path: str) -> bool:
    """Notebooks, example, tutorial or prototype code, code set aside, or code that is not the
    project's own."""
    if path.endswith(".ipynb") or is_foreign_code_path(path):
        return True
    return any(part.lower() in EXAMPLE_FOLDERS for part in PurePosixPath(path).parts[:-1])


def _model_import(facts: FileFacts, package: str) -> ImportFact | None:
    """The file's first import of `package` that can bring in a model (not only its helpers), and
    whose name the file uses."""
    for fact in facts.imports:
        if fact.level or fact.module.split(".", 1)[0] != package:
            continue
        qualified = fact.qualified if fact.name != "*" else fact.module
        if any(qualified == helper or qualified.startswith(f"{helper}.") for helper in BLACK_BOX_HELPER_MODULES):
            continue
        if qualified == package and package in BLACK_BOX_MODEL_SUBMODULES:
            if not any(word in facts.words for word in BLACK_BOX_MODEL_SUBMODULES[package]):
                continue  # `import sklearn` for `sklearn.metrics.f1_score(...)` only
        if _used(fact, facts.words):
            return fact
    return None


def _used(fact: ImportFact, words: dict[str, int]) -> bool:
    """Whether the name an import binds is mentioned beyond the import itself (a copied import
    header often brings `ensemble` along unused)."""
    imported = (fact.name or fact.module).rsplit(".", 1)[-1]
    return words.get(fact.alias, 0) - (1 if imported == fact.alias else 0) > 0
