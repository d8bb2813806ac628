"""MLD203 entangled-shared-state: one module changes another module's module-level container."""

from __future__ import annotations

from collections.abc import Iterator

from mldebt import Finding, Invalid, Project, ProjectRule, Section, Severity, Valid
from mldebt.facts import Container, Mutation
from mldebt.context import is_test_path
from mldebt.project import ModuleIndex

# DataFrame methods that look like list methods but return a new frame.
FRAME_COPYING_METHODS = frozenset({"append"})


class EntangledSharedState(ProjectRule):
    """
    ## What it does
    Finds a module-level mutable container (a list, dict, set or DataFrame made at the
    top of module A: `FEATURES = [...]`, `CONFIG = {}`, `frame = pd.DataFrame(...)`) that
    another first-party module changes: `A.FEATURES.append(...)`,
    `from A import FEATURES; FEATURES.remove(...)`, `A.CONFIG["k"] = v`,
    `del A.CONFIG["k"]`, `A.frame.drop(..., inplace=True)`, or rebinding `A.FEATURES = ...`.
    It is reported once per module and container, at the first change (the message counts
    the others): the fix is one decision, to stop sharing the container.

    Not flagged: a module changing its own containers; tests (a test that patches a
    module's state sets up a case, it does not ship); a function's own variable that
    happens to share an imported name; DataFrame methods that return a copy
    (`drop`/`rename`/`fillna`/... without `inplace=True`, `append`); a change made through
    an attribute or item of the container (`A.CONFIG.model.lr = x`); a name that module A
    only re-exports (a change is matched to the module that makes the container).

    ## Why is this bad?
    The paper's CACE principle, "changing anything changes everything" (§2,
    Entanglement): when one module edits a list of features or a dict of settings that
    another module defines, what the second module does depends on whether, when, and in
    which order the first one was imported or run. No file shows the real value any more,
    and a change to either can silently change the model.

    ## Example
    ```python
    # experiment.py
    import config

    config.FEATURES.append("clicks_7d")
    config.PARAMS["max_depth"] = 12
    ```

    Use instead: keep module-level values read-only, and pass what changes explicitly —
    build a new value where it is needed, or give the owner a function that returns one:
    ```python
    from config import FEATURES, PARAMS

    features = [*FEATURES, "clicks_7d"]
    params = {**PARAMS, "max_depth": 12}
    ```

    ## References
    - Sculley et al. (2015), §2 "Complex Models Erode Boundaries", Entanglement
    """

    CODE = "MLD203"
    NAME = "entangled-shared-state"
    SEVERITY = Severity.INFO
    SECTION = Section.ENTANGLEMENT
    SUMMARY = "A module-level list, dict, set or DataFrame of one module changed from another"
    MESSAGE = (
        "`{consumer}` changes `{name}`, a module-level {kind} of `{producer}`, {how}{more}: "
        "every module that reads it now depends on whether and when this one ran"
    )

    VALID = [
        # A module changing its own container.
        Valid('FEATURES = ["age"]\nFEATURES.append("income")\n', path="config.py"),
        # Reading, copying, and building a new value are fine.
        Valid(
            """
            from config import FEATURES, PARAMS
            features = [*FEATURES, "clicks_7d"]
            params = {**PARAMS, "max_depth": 12}
            n = len(FEATURES)
            """,
            path="train.py",
            files={"config.py": 'FEATURES = ["age"]\nPARAMS = {"max_depth": 6}\n'},
        ),
        # Tests set up their own state.
        Valid(
            'import config\nconfig.PARAMS["max_depth"] = 1\n',
            path="tests/test_train.py",
            files={"config.py": 'PARAMS = {"max_depth": 6}\n'},
        ),
        # A function's own parameter that shares the imported name.
        Valid(
            """
            from config import FEATURES
            def extend(FEATURES):
                FEATURES.append("clicks_7d")
                return FEATURES
            """,
            path="train.py",
            files={"config.py": 'FEATURES = ["age"]\n'},
        ),
        # `drop` without `inplace=True` returns a copy; `BATCH_SIZE` is not a container.
        Valid(
            """
            import data
            import config
            smaller = data.frame.drop(columns=["id"])
            config.BATCH_SIZE = 64
            """,
            path="train.py",
            files={
                "data.py": 'import pandas as pd\nframe = pd.DataFrame({"id": [1]})\n',
                "config.py": "BATCH_SIZE = 32\n",
            },
        ),
        # A local variable of the same spelling, not imported.
        Valid(
            'FEATURES = []\nFEATURES.append("age")\n',
            path="train.py",
            files={"config.py": 'FEATURES = ["age"]\n'},
        ),
    ]
    INVALID = [
        Invalid(
            """
            import config

            config.FEATURES.append("clicks_7d")
            """,
            path="experiment.py",
            line=3,
            column=1,
            message=(
                "`experiment.py` changes `FEATURES`, a module-level list of `config.py`, with `.append(...)`: "
                "every module that reads it now depends on whether and when this one ran"
            ),
            files={"config.py": 'FEATURES = ["age", "income"]\n'},
        ),
        # Item assignment through a from-import, inside a function.
        Invalid(
            """
            from pkg.settings import PARAMS

            def tune(depth):
                PARAMS["max_depth"] = depth
            """,
            path="pkg/tune.py",
            line=4,
            files={"pkg/__init__.py": "", "pkg/settings.py": 'PARAMS = {"max_depth": 6}\n'},
        ),
        # A relative import in a package, a set changed from a sibling.
        Invalid(
            "from .registry import SEEN\nSEEN.discard('x')\n",
            path="pkg/clean.py",
            files={"pkg/__init__.py": "", "pkg/registry.py": "SEEN = set()\n"},
        ),
        # A DataFrame changed in place.
        Invalid(
            'import data\ndata.frame.drop(columns=["id"], inplace=True)\n',
            path="train.py",
            files={"data.py": 'import pandas as pd\nframe = pd.DataFrame({"id": [1]})\n'},
        ),
        # Deleting a key, and rebinding the container for everyone.
        Invalid(
            'import config\ndel config.PARAMS["seed"]\n',
            path="train.py",
            files={"config.py": 'PARAMS = {"seed": 0}\n'},
        ),
        Invalid(
            'import config\nconfig.FEATURES = config.FEATURES + ["x"]\n',
            path="train.py",
            files={"config.py": 'FEATURES = ["age"]\n'},
        ),
        # A script folder importing its neighbour by its own folder.
        Invalid(
            "import settings\nsettings.COLUMNS.extend(['a', 'b'])\n",
            path="scripts/train.py",
            files={"scripts/settings.py": "COLUMNS = list()\n"},
        ),
    ]

    def check(self, project: Project) -> Iterator[Finding]:
        index = ModuleIndex(project.modules())
        for consumer in project.modules():
            if not consumer.mutations or is_test_path(consumer.path):
                continue
            changes: dict[tuple[str, str], list[tuple[Mutation, Container]]] = {}
            for mutation in sorted(consumer.mutations, key=lambda item: (item.line, item.column)):
                split = index.resolve_dotted(consumer, mutation.target)
                if split is None:
                    continue
                module, name = split
                producer = index.by_name[module]
                if "." in name or is_test_path(producer.path):
                    continue  # `A.CONFIG.model.lr = x` changes an attribute of something, not the container
                container = next((item for item in producer.containers if item.name == name), None)
                if container is None:
                    continue
                if container.kind == "DataFrame" and mutation.operation in FRAME_COPYING_METHODS:
                    continue
                changes.setdefault((producer.path, name), []).append((mutation, container))
            for (producer_path, name), found in changes.items():
                first, container = found[0]
                others = len(found) - 1
                more = f" (and {others} more time{'s' if others > 1 else ''} in this module)" if others else ""
                yield self.finding(
                    consumer.path,
                    first.line,
                    first.column,
                    consumer=consumer.path,
                    name=name,
                    kind=container.kind,
                    producer=producer_path,
                    how=_how(first.operation),
                    more=more,
                )


def _how(operation: str) -> str:
    if operation == "item assignment":
        return "by assigning an item"
    if operation == "deletion":
        return "by deleting from it"
    if operation == "assignment":
        return "by rebinding it"
    return f"with `.{operation}(...)`"
