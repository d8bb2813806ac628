"""MLD510 prototype-import: production code that imports from a prototype area."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from mldebt import FileFacts, Finding, Invalid, Project, ProjectRule, Section, Severity, Valid
from mldebt.context import is_test_path
from mldebt.knowledge.prototypes import (
    LIBRARY_PACKAGE_WORDS,
    NOTEBOOK_IMPORT_PACKAGES,
    NOTEBOOK_MODULE_PREFIXES,
    NOTEBOOK_SUFFIXES,
    PRODUCT_PACKAGE_WORDS,
    PROTOTYPE_AREAS,
    PROTOTYPE_FILE_STEMS,
)
from mldebt.project import ModuleIndex


class PrototypeImport(ProjectRule):
    """
    ## What it does
    Finds a module outside prototype areas that imports a module inside one. A module is
    inside a prototype area when a folder on its path is named `scratch`, `sandbox`,
    `playground`, `prototype`, `prototypes`, `experiments`, `notebooks` or `tmp` (any
    case), when its file is named `scratch.py`, `sandbox.py`, `playground.py`,
    `prototype(s).py` or `tmp.py`, or when it is a notebook: a module imported through
    `ipynb.fs.full.<name>`/`ipynb.fs.defs.<name>`, or a notebook of the project imported
    after `import import_ipynb`/`nbimporter`. Reported at the import.

    Not flagged: modules inside a prototype area importing each other or production code;
    tests (a test of a prototype does not ship it); folders that only contain one of the
    words (`experiment_tracking/`, `my_experiments/`); an `experiments` or `notebooks`
    folder that is a sub-package of a package (`src/triage/experiments/` is the library's
    experiment runner, not an experiment), and modules named `experiments.py` or
    `notebooks.py` (an experiment-tracking API is not an experiment); a `sandbox` or
    `playground` folder that is a package with sub-packages of its own (a code-execution
    sandbox service, a playground app: engineered code that only shares the name).

    ## Why is this bad?
    The paper's prototype smell (§5, Common Smells): scratch areas are where ideas are
    tried at small scale, without tests, reviews or stable interfaces. Production code that
    imports from them turns a prototype into a hidden part of the system, which the next
    clean-up of the scratch folder — or the next experiment in it — breaks.

    ## Example
    ```python
    # src/train.py
    from experiments.new_features import add_embeddings
    ```

    Use instead: promote the code that production needs into the package, with tests,
    and let the experiment import it from there:
    ```python
    # src/train.py
    from pkg.features import add_embeddings
    ```

    ## References
    - Sculley et al. (2015), §5 "ML-System Anti-Patterns", Prototype Smell
    """

    CODE = "MLD510"
    NAME = "prototype-import"
    SEVERITY = Severity.WARNING
    SECTION = Section.PROTOTYPE_SMELL
    SUMMARY = "Production code that imports a module from a scratch, experiments or notebook area"
    MESSAGE = "`{importer}` imports `{module}` from {area}: production code depends on a prototype"

    VALID = [
        # Experiments importing each other, and importing production code.
        Valid(
            "from experiments.features import add_embeddings\nfrom pkg.train import fit\n",
            path="experiments/run_2024_03.py",
            files={
                "experiments/features.py": "def add_embeddings(frame):\n    return frame\n",
                "pkg/__init__.py": "",
                "pkg/train.py": "def fit():\n    pass\n",
            },
        ),
        # Tests of a prototype.
        Valid(
            "from scratch.model import Net\n",
            path="tests/test_scratch_model.py",
            files={"scratch/model.py": "class Net:\n    pass\n"},
        ),
        # Folders and modules whose names only contain the words, and an experiment-tracking API.
        Valid(
            """
            from experiment_tracking.runs import log_run
            from pkg.experiments import create_experiment
            from my_experiments import baseline
            """,
            path="pkg/train.py",
            files={
                "experiment_tracking/runs.py": "def log_run():\n    pass\n",
                "pkg/__init__.py": "",
                "pkg/experiments.py": "def create_experiment():\n    pass\n",
                "my_experiments.py": "baseline = 1\n",
            },
        ),
        # A library's own `experiments` sub-package.
        Valid(
            "from triage.experiments import MultiCoreExperiment\n",
            path="src/triage/cli.py",
            files={
                "src/triage/__init__.py": "",
                "src/triage/experiments/__init__.py": "from .multicore import MultiCoreExperiment\n",
                "src/triage/experiments/multicore.py": "class MultiCoreExperiment:\n    pass\n",
            },
        ),
        # A third-party package whose name is a prototype word is not a first-party prototype.
        Valid("import tmp\nfrom sandbox import run\n", path="pkg/train.py"),
        # A notebook that runs a scratch script (`%run`) is a prototype itself ...
        Valid(
            """
            # %%
            %run scratch/cleaning.py
            frame = clean(raw)
            """,
            path="explore.ipynb",
            files={"scratch/cleaning.py": "def clean(frame):\n    return frame\n"},
        ),
        # ... and without a notebook importer, `import analysis` loads no notebook.
        Valid(
            "from analysis import summarize\n",
            path="pipeline.py",
            files={"analysis.ipynb": "# %%\ndef summarize(frame):\n    return frame.describe()\n"},
        ),
    ]
    INVALID = [
        Invalid(
            "from experiments.new_features import add_embeddings\n",
            path="src/pkg/train.py",
            line=1,
            column=1,
            message=(
                "`src/pkg/train.py` imports `experiments.new_features` from the prototype area `experiments/`: "
                "production code depends on a prototype"
            ),
            files={"experiments/new_features.py": "def add_embeddings(frame):\n    return frame\n"},
        ),
        Invalid(
            "import pandas as pd\nimport scratch.cleaning\n",
            path="pipeline.py",
            files={"scratch/cleaning.py": "def clean(frame):\n    return frame\n"},
        ),
        # A relative import into a sandbox inside the package.
        Invalid(
            "def build():\n    from .sandbox.model import Net\n    return Net()\n",
            path="pkg/train.py",
            line=2,
            files={
                "pkg/__init__.py": "",
                "pkg/sandbox/__init__.py": "",
                "pkg/sandbox/model.py": "class Net:\n    pass\n",
            },
        ),
        # A scratch file beside the script.
        Invalid(
            "from tmp import quick_fix\n",
            path="scripts/train.py",
            files={"scripts/tmp.py": "def quick_fix(frame):\n    return frame\n"},
        ),
        # Helpers kept beside the notebooks.
        Invalid(
            "from Notebooks.helpers import plot_roc\n",
            path="src/evaluate.py",
            files={"Notebooks/helpers.py": "def plot_roc():\n    pass\n"},
        ),
        # A notebook imported as a module.
        Invalid(
            "from ipynb.fs.defs.feature_engineering import build_features\n",
            path="pkg/features.py",
            message=(
                "`pkg/features.py` imports `feature_engineering` from the notebook `feature_engineering.ipynb`: "
                "production code depends on a prototype"
            ),
        ),
        # A notebook of the project imported through `import_ipynb`.
        Invalid(
            "import import_ipynb\nfrom analysis import summarize\n",
            path="pipeline.py",
            message=(
                "`pipeline.py` imports `analysis` from the notebook `analysis.ipynb`: production code depends on a "
                "prototype"
            ),
            files={"analysis.ipynb": "# %%\ndef summarize(frame):\n    return frame.describe()\n"},
        ),
    ]

    def check(self, project: Project) -> Iterator[Finding]:
        index = ModuleIndex(project.modules())
        packages = {
            str(PurePosixPath(facts.path).parent)
            for facts in project.modules()
            if PurePosixPath(facts.path).stem == "__init__"
        }
        for importer in project.modules():
            if is_test_path(importer.path) or prototype_area(importer.path, packages) is not None:
                continue
            loads_notebooks = any(fact.module.split(".", 1)[0] in NOTEBOOK_IMPORT_PACKAGES for fact in importer.imports)
            seen: set[tuple[int, int, str]] = set()
            for fact in importer.imports:
                notebook = _notebook_module(fact.module)
                area: str | None
                if notebook is not None:
                    target, area = notebook, f"the notebook `{notebook.replace('.', '/')}.ipynb`"
                else:
                    resolved = index.resolve(importer, fact)
                    if resolved is None:
                        continue
                    target = resolved
                    area = _area_of(index.by_name[resolved], loads_notebooks, packages)
                    if area is None:
                        continue
                place = (fact.line, fact.column, target)
                if place in seen:
                    continue
                seen.add(place)
                yield self.finding(
                    importer.path, fact.line, fact.column, importer=importer.path, module=target, area=area
                )
        # A notebook is a prototype area (`prototype_area`): a `.py` module that imports one through
        # `import_ipynb`/`nbimporter` is reported above. A notebook's own `%run other.py` is an
        # import fact of the notebook, and not a finding here: the importer is itself a prototype.


def prototype_area(path: str, packages: frozenset[str] | set[str] = frozenset()) -> str | None:
    """The prototype area a file lies in (`experiments/`, `pkg/scratch.py`, `eda.ipynb`), or None.
    `packages` are the project's package folders (those with an `__init__.py`)."""
    pure = PurePosixPath(path)
    if pure.name.endswith(NOTEBOOK_SUFFIXES):
        return pure.as_posix()
    for depth, part in enumerate(pure.parts[:-1]):
        word = part.lower()
        if word not in PROTOTYPE_AREAS:
            continue
        if word in LIBRARY_PACKAGE_WORDS and "/".join(pure.parts[:depth]) in packages:
            continue  # `src/triage/experiments/`: a library's own sub-package
        folder = "/".join(pure.parts[: depth + 1])
        if word in PRODUCT_PACKAGE_WORDS and any(package.startswith(folder + "/") for package in packages):
            continue  # `sandbox/runtime/`, `sandbox/server/`: an engineered package named so
        return folder + "/"
    if pure.stem.lower() in PROTOTYPE_FILE_STEMS:
        return pure.as_posix()
    return None


def _area_of(target: FileFacts, loads_notebooks: bool, packages: set[str]) -> str | None:
    area = prototype_area(target.path, packages)
    if area is None:
        return None
    if target.path.endswith(NOTEBOOK_SUFFIXES):
        # Without a notebook importer, `import analysis` cannot load `analysis.ipynb` at run time.
        return f"the notebook `{area}`" if loads_notebooks else None
    return f"the prototype area `{area}`" if area.endswith("/") else f"the scratch file `{area}`"


def _notebook_module(module: str) -> str | None:
    """`ipynb.fs.full.analysis` -> `analysis`: a module that the `ipynb` package loads from a notebook."""
    for prefix in NOTEBOOK_MODULE_PREFIXES:
        if module.startswith(prefix) and len(module) > len(prefix):
            return module[len(prefix) :]
    return None
