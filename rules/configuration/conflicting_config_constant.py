"""MLD602 conflicting-config-constant: one setting name assigned literal values in several modules."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

import networkx as nx

from mldebt import Constant, FileFacts, Finding, Invalid, Project, ProjectRule, Section, Severity, Valid
from mldebt.context import is_config_path, is_test_path
from mldebt.knowledge.settings import is_setting_name, is_upper_case
from mldebt.project import module_node


@dataclass(frozen=True)
class _Assignment:
    facts: FileFacts
    constant: Constant
    config: bool

    @property
    def node(self) -> str:
        return module_node(self.facts.module)

    @property
    def folder(self) -> str:
        return str(PurePosixPath(self.facts.path).parent)

    @property
    def shown(self) -> str:
        return f"`{self.facts.path}:{self.constant.line}`"


class ConflictingConfigConstant(ProjectRule):
    """
    ## What it does
    Finds one setting assigned a literal value in two or more related modules:
    an UPPER_CASE module constant whose name is ML vocabulary (`LEARNING_RATE`,
    `LR`, `BATCH_SIZE`, `EPOCHS`, `SEED`, `THRESHOLD`, `DROPOUT`, `WEIGHT_DECAY`,
    `MOMENTUM`, `HIDDEN_SIZE`, `EMBEDDING_DIM`, `MAX_LEN`, `IMG_SIZE`,
    `N_FEATURES`, `NUM_CLASSES`, `N_FOLDS`, `N_ESTIMATORS`, `TEST_SIZE`,
    `TARGET`, `DATA_DIR`, `MODEL_PATH`, and names ending with these), or any
    UPPER_CASE name when one of the modules is a config module (`config*`,
    `settings*`, `params*`, `hparams*`, `conf/`). Different values are a
    warning (the copies have drifted); the same value is info (they will).
    Each assignment is reported, naming the others with their values.

    Modules are related when one imports the other (directly or through
    other modules), when both import the same config module, when one writes
    an artifact the other reads, or when they share a folder and one of them
    is a config module, or one trains and the other predicts without training
    (the two halves of one model). Two training scripts of different models
    may well want different learning rates; sibling scripts that share
    nothing are often alternatives (a homework and its solution, `v1` and
    `v2`); two scripts in unrelated folders are different programs. Not
    flagged: tests; config modules side by side in one folder that do not
    import each other (`configs/resnet.py` and `configs/vit.py` are
    alternatives, not copies); a name a module assigns more than once at its
    top level or rebinds through `global` (its value is not one literal);
    generic constants (`MAX_RETRIES`, `DEFAULT_TIMEOUT`) outside config
    modules.

    ## Why is this bad?
    The paper (§6, Configuration Debt) warns that configuration in a mature
    system outgrows the code, and that it should be hard to make manual errors
    in it and easy to see the difference between two configurations. A setting
    copied into several modules is changed in one place and forgotten in
    another: training with `IMG_SIZE = 224` and serving with `IMG_SIZE = 256`,
    or a `SEED` that the notebook and the pipeline no longer agree on.

    ## Example
    ```python
    # config.py
    LEARNING_RATE = 0.01

    # train.py
    import config
    LEARNING_RATE = 0.001  # shadows config.LEARNING_RATE
    ```

    Use instead: one definition, imported wherever it is needed:
    ```python
    # train.py
    from config import LEARNING_RATE
    ```

    ## Options
    - `extra-words` (default `[]`): more setting names, as the UPPER_CASE words a
      name ends with (`"GAMMA"`, `"NUM_NEIGHBORS"`).

    ## References
    - Sculley et al. (2015), §6 "Configuration Debt"
    """

    CODE = "MLD602"
    NAME = "conflicting-config-constant"
    SEVERITY = Severity.WARNING
    SECTION = Section.CONFIGURATION_DEBT
    SUMMARY = "One setting assigned literal values in several modules"
    MESSAGE = ""

    @dataclass(frozen=True)
    class Options:
        extra_words: tuple[str, ...] = ()

    VALID = [
        # One definition, imported: no copy.
        Valid(
            """
            from config import LEARNING_RATE
            print(LEARNING_RATE)
            """,
            path="train.py",
            files={"config.py": "LEARNING_RATE = 0.01\n"},
        ),
        # Generic constants outside config modules are not settings.
        Valid(
            """
            import client
            MAX_RETRIES = 3
            """,
            path="server.py",
            files={"client.py": "MAX_RETRIES = 5\n"},
        ),
        # Two training scripts of different models choose their own learning rates.
        Valid(
            """
            import xgboost as xgb
            LEARNING_RATE = 0.05
            model = xgb.XGBRegressor(learning_rate=LEARNING_RATE)
            model.fit(X, y)
            """,
            path="models/train_xgb.py",
            files={
                "models/train_mlp.py": """
                    import torch
                    LEARNING_RATE = 1e-3
                    optimizer = torch.optim.Adam(net.parameters(), lr=LEARNING_RATE)
                    loss.backward()
                    optimizer.step()
                    """,
            },
        ),
        # Config variants side by side are alternatives, not copies.
        Valid(
            "BATCH_SIZE = 64\nLR = 0.1\n",
            path="configs/resnet.py",
            files={"configs/vit.py": "BATCH_SIZE = 256\nLR = 0.001\n"},
        ),
        # Unrelated programs in different folders; and tests.
        Valid(
            "SEED = 1\n",
            path="mnist/main.py",
            files={"vae/main.py": "SEED = 2\n", "tests/test_main.py": "import mnist.main\nSEED = 3\n"},
        ),
        # A name bound twice in a module has no one value.
        Valid(
            """
            import config
            THRESHOLD = 0.5
            THRESHOLD = config.THRESHOLD if config.STRICT else THRESHOLD
            """,
            path="predict.py",
            files={"config.py": "THRESHOLD = 0.7\nSTRICT = True\n"},
        ),
    ]
    INVALID = [
        # A module shadows the config it imports with another value: a warning at each copy.
        Invalid(
            """
            import config
            LEARNING_RATE = 0.001
            """,
            line=2,
            path="train.py",
            files={"config.py": "LEARNING_RATE = 0.01\n"},
            message=(
                "`LEARNING_RATE` is `0.001` here but `0.01` in `config.py:1`: "
                "copies of one setting have drifted apart"
            ),
        ),
        # ... and the config module's own assignment is reported too, naming the copy.
        Invalid(
            """
            LEARNING_RATE = 0.01
            """,
            line=1,
            path="config.py",
            files={"train.py": "import config\nLEARNING_RATE = 0.001\n"},
        ),
        # Training and serving in one folder disagree on the input size.
        Invalid(
            """
            IMG_SIZE = 256
            def predict(model, image):
                return model.predict(image.resize((IMG_SIZE, IMG_SIZE)))
            """,
            line=1,
            path="app/serve.py",
            files={
                "app/train.py": """
                    IMG_SIZE = 224
                    model.fit(load_images(IMG_SIZE), labels)
                    """,
            },
        ),
        # The same value twice: duplication (info), for any UPPER_CASE name of a config module.
        Invalid(
            """
            from settings import DB_SCHEMA
            SEED = 42
            CACHE_NAME = "features"
            """,
            line=3,
            path="pipeline/features.py",
            files={"pipeline/settings.py": "SEED = 42\nCACHE_NAME = \"features\"\nDB_SCHEMA = \"ml\"\n"},
            message=(
                "`CACHE_NAME = 'features'` is also assigned in `pipeline/settings.py:2`: "
                "one setting kept in 2 places must be changed in all of them"
            ),
        ),
        # A writer and a reader of one artifact are one pipeline: their paths must agree.
        Invalid(
            """
            import pandas as pd
            DATA_DIR = "data"
            TARGET = "churned"
            frame = pd.read_csv("data/features.csv")
            """,
            line=3,
            path="pipeline/train.py",
            files={
                "pipeline/features.py": """
                    import pandas as pd
                    TARGET = "is_churned"
                    pd.DataFrame().to_csv("data/features.csv")
                    """,
            },
        ),
    ]

    def check(self, project: Project) -> Iterator[Finding]:
        extra = frozenset(tuple(word.upper().split("_")) for word in self.options.extra_words)
        groups: dict[str, list[_Assignment]] = {}
        for facts in project.modules():
            if is_test_path(facts.path):
                continue
            config = is_config_path(facts.path)
            for constant in facts.constants:
                if constant.assignments != 1 or constant.rebound or not is_upper_case(constant.name):
                    continue
                groups.setdefault(constant.name, []).append(_Assignment(facts, constant, config))
        relations = _Relations(project)
        for name in sorted(groups):
            members = groups[name]
            if len(members) < 2:
                continue
            vocabulary = is_setting_name(name, extra)
            if not vocabulary and not any(member.config for member in members):
                continue
            for member in members:
                others = [
                    other
                    for other in members
                    if other is not member
                    and (vocabulary or member.config or other.config)
                    and relations.related(member, other)
                ]
                if others:
                    yield self._finding(member, others)

    def _finding(self, member: _Assignment, others: list[_Assignment]) -> Finding:
        name, value = member.constant.name, member.constant.value
        different = [other for other in others if not _same(other.constant.value, value)]
        if different:
            where = ", ".join(f"`{other.constant.value!r}` in {other.shown}" for other in others)
            message = f"`{name}` is `{value!r}` here but {where}: copies of one setting have drifted apart"
            return self.finding(member.facts.path, member.constant.line, message=message)
        where = ", ".join(other.shown for other in others)
        message = (
            f"`{name} = {value!r}` is also assigned in {where}: "
            f"one setting kept in {len(others) + 1} places must be changed in all of them"
        )
        return self.finding(member.facts.path, member.constant.line, message=message).with_severity(Severity.INFO)


class _Relations:
    """Which modules belong to one program: one reaches the other through imports, both reach the
    same config module, one writes an artifact the other reads, or a trainer and a predictor share a
    folder."""

    def __init__(self, project: Project) -> None:
        self.graph = project.import_graph()
        self._reach: dict[str, set[str]] = {}
        self.feeds: dict[str, set[str]] = {}
        for node, kind in project.graph.nodes(data="kind"):
            if kind not in ("artifact", "table"):
                continue
            writers = {writer for writer, _ in project.writers(node)}
            readers = {reader for reader, _ in project.readers(node)}
            for writer in writers:
                self.feeds.setdefault(writer, set()).update(readers - {writer})

    def reach(self, node: str) -> set[str]:
        """The modules `node` imports, directly or through others."""
        found = self._reach.get(node)
        if found is None:
            found = self._reach[node] = set(nx.descendants(self.graph, node)) if node in self.graph else set()
        return found

    def configs(self, node: str) -> set[str]:
        return {target for target in self.reach(node) if is_config_path(self.graph.nodes[target].get("path", ""))}

    def related(self, first: _Assignment, second: _Assignment) -> bool:
        a, b = first.node, second.node
        imported = b in self.reach(a) or a in self.reach(b)
        if first.config and second.config and first.folder == second.folder:
            return imported  # side-by-side config files are alternatives unless one builds on the other
        if imported or self.configs(a) & self.configs(b):
            return True
        if b in self.feeds.get(a, ()) or a in self.feeds.get(b, ()):
            return True
        if first.folder != second.folder:
            return False
        if first.config or second.config:
            return True  # a config module and a module beside it that keeps its own copy
        # One folder: a training script and the script that serves its model are two halves of one model.
        return (first.facts.trains and second.facts.predicts and not second.facts.trains) or (
            second.facts.trains and first.facts.predicts and not first.facts.trains
        )


def _same(first: object, second: object) -> bool:
    """Equal values: `1e-3` is `0.001`, `1` is `1.0`, `"data/"` is `"data"`, but `True` is not `1`."""
    if isinstance(first, bool) or isinstance(second, bool):
        return first is second
    if isinstance(first, str) and isinstance(second, str):
        return _path(first) == _path(second)
    return first == second


def _path(text: str) -> str:
    if "/" not in text:
        return text
    return posixpath.normpath(text)
