"""MLD507 import-time-pipeline: a module meant to be imported that loads data or trains when imported."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Any

import libcst as cst

from mldebt import FileContext, Finding, Invalid, Project, Rule, Section, Severity, Valid, literal_value, module_node
from mldebt.facts import has_data_argument
from mldebt.knowledge.models import name_words
from mldebt.knowledge.pipelines import (
    BACKWARD_METHODS,
    DATA_LOADER_PREFIXES,
    DATA_LOADERS,
    ENTRY_MODULE_FILES,
    FIT_AND_TRANSFORM_METHODS,
    FIT_METHODS,
    NOTEBOOK_CELL_MARKERS,
    NOTEBOOK_SOURCE_FIRST_LINES,
    OPTIMIZER_STEP_METHODS,
    PACKAGE_RESOURCE_PREFIXES,
    SPARK_READ_ATTRIBUTE,
    SPARK_READ_METHODS,
    TRAIN_METHODS,
    TRAINER_WORDS,
    TRAINING_FUNCTIONS,
    TYPE_CHECKING_NAMES,
)
from mldebt.names import dotted_name
from mldebt.walker import walk

_CODE = cst.Module([])
_MAX_CALL = 40
_MAX_IMPORTERS = 3  # importers named in a message before "and N more"
PKG = {"pkg/__init__.py": ""}


@dataclass(frozen=True)
class _Work:
    """What one module-level statement does that belongs to a pipeline."""

    loads: str | None = None  # the first data-loading call, spelled as written
    fits: str | None = None  # the first fit/train call
    backward: str | None = None  # the first `.backward()` call
    step: str | None = None  # the first `.step()` call


class ImportTimePipeline(Rule):
    """
    ## What it does
    Finds a module meant to be imported — it sits in a package (its folder has an
    `__init__.py`; the `__init__.py` itself counts), or, across the project, another
    first-party module imports it — that, at module level (outside every function and
    class, and outside `if __name__ == "__main__":`), loads data, fits or trains a model,
    or runs a training loop. Reports the first such statement, once per file; for a
    module outside a package, the message names the modules that import it.

    - *Loads data*: DataFrame readers (`pd.read_csv`, `pl.read_parquet`, `dd.read_*`),
      `np.load`/`np.loadtxt`/`np.genfromtxt`, dataset loaders (`datasets.load_dataset`,
      `load_from_disk`, `tfds.load`, `sklearn.datasets.load_*`/`fetch_*`, torchvision,
      torchaudio, torchtext and Keras datasets), and `spark.read.*`.
    - *Fits or trains*: `.fit(...)`, `.partial_fit(...)`, `.fit_transform(...)` and the like,
      `trainer.fit(model, loader)`, `.train(data)` or `trainer.train()` (not PyTorch's
      `model.train()` mode switch), `xgb.train`/`lgb.train`.
    - *Runs a training loop*: a module-level `for`/`while` whose body calls `.backward()` and
      `.step()`, or straight-line `loss.backward()` followed by `optimizer.step()`.

    Not flagged: stand-alone scripts that are not in a package and that no first-party
    module imports (that is what scripts are),
    a package's `__main__.py` (what `python -m pkg` runs), notebooks (also notebooks saved as
    `.py`: a Databricks notebook's source, a percent script with `# %%` cells), tests and
    `conftest.py`, code under `if TYPE_CHECKING:`, and reading
    configuration or package resources at import time (`json.load`, `yaml.safe_load`,
    `importlib.resources`): a package that reads its settings or label names when imported is
    common and harmless. Loading a *trained model* at import time (`joblib.load`,
    `torch.load`, `from_pretrained`) is not flagged either: a serving module that loads its
    model once, when imported, is a deliberate pattern.

    ## Why is this bad?
    The paper names abstraction debt among the ML-system anti-patterns (§5): ML code lacks
    the boundaries that make other software composable. A module that runs its pipeline at
    import time is the extreme case: importing it, to reuse one function, to test it, or
    just to let a documentation tool or a type checker read it, reads the data and trains
    the model. Nothing in it can be reused without running all of it, so its pieces get
    copied instead, and the copies drift.

    ## Example
    ```python
    # churn/train.py
    import pandas as pd
    from sklearn.linear_model import LogisticRegression

    frame = pd.read_csv("data/churn.csv")
    model = LogisticRegression().fit(frame[FEATURES], frame["churned"])
    ```

    Use instead: put the steps in functions and run them from a guarded entry point:
    ```python
    def train(path: str) -> LogisticRegression:
        frame = pd.read_csv(path)
        return LogisticRegression().fit(frame[FEATURES], frame["churned"])

    if __name__ == "__main__":
        train("data/churn.csv")
    ```

    ## References
    - Sculley et al. (2015), §5 "ML-System Anti-Patterns", Abstraction Debt
    """

    CODE = "MLD507"
    NAME = "import-time-pipeline"
    SEVERITY = Severity.WARNING
    SECTION = Section.ABSTRACTION_DEBT
    SUMMARY = "A module meant to be imported that loads data or trains a model when it is imported"
    MESSAGE = "`{module}` {what} at module level: importing it runs the pipeline"

    VALID = [
        Valid(
            """
            import pandas as pd
            frame = pd.read_csv("data/churn.csv")
            model.fit(frame[FEATURES], frame["churned"])
            """,
            path="train.py",
        ),
        Valid(
            """
            import pandas as pd

            def train(path):
                frame = pd.read_csv(path)
                return model.fit(frame[FEATURES], frame["churned"])

            if __name__ == "__main__":
                train("data/churn.csv")
            """,
            path="pkg/train.py",
            files=PKG,
        ),
        Valid(
            """
            import json
            from importlib import resources
            import pandas as pd
            LABELS = json.load(open("labels.json"))
            CODES = pd.read_csv(resources.files("pkg") / "codes.csv")
            """,
            path="pkg/labels.py",
            files=PKG,
        ),
        Valid(
            """
            import joblib
            MODEL = joblib.load("model.pkl")
            def predict(rows):
                return MODEL.predict(rows)
            """,
            path="pkg/serve.py",
            files=PKG,
        ),
        Valid(
            """
            from typing import TYPE_CHECKING
            if TYPE_CHECKING:
                import pandas as pd
                FRAME = pd.read_csv("x.csv")
            """,
            path="pkg/types.py",
            files=PKG,
        ),
        Valid(
            """
            import torch
            model = Net()
            model.train()
            model.train(False)
            criterion = torch.nn.CrossEntropyLoss()
            scheduler.step()
            """,
            path="pkg/setup.py",
            files=PKG,
        ),
        Valid(
            """
            import pandas as pd
            train = lambda: model.fit(pd.read_csv("x.csv"))
            class Job:
                frame = None
                def run(self):
                    self.frame = pd.read_csv("x.csv")
            """,
            path="pkg/jobs.py",
            files=PKG,
        ),
        Valid(
            """
            import pandas as pd
            frame = pd.read_csv("fixtures/churn.csv")
            model.fit(frame)
            """,
            path="tests/test_train.py",
            files={"tests/__init__.py": ""},
        ),
        Valid(
            """
            import pandas as pd
            frame = pd.read_csv("fixtures/churn.csv")
            """,
            path="pkg/conftest.py",
            files=PKG,
        ),
        Valid(
            """
            for epoch in range(3):
                env.step(policy(state))
            """,
            path="pkg/rollout.py",
            files=PKG,
        ),
        Valid(
            """
            import pandas as pd
            frame = pd.read_csv("data/churn.csv")
            model.fit(frame[FEATURES], frame["churned"])
            """,
            path="pkg/__main__.py",
            files=PKG,
        ),
        Valid(
            """
            # Databricks notebook source
            frame = spark.read.table("events")
            """,
            path="pkg/notebooks/explore.py",
            files={"pkg/__init__.py": "", "pkg/notebooks/__init__.py": ""},
        ),
        Valid(
            """
            # %%
            import pandas as pd
            frame = pd.read_csv("data/churn.csv")
            """,
            path="pkg/explore.py",
            files=PKG,
        ),
        # Scripts outside a package: nothing imports this one (the others import `features`) ...
        Valid(
            """
            import pandas as pd
            from features import add_features
            frame = add_features(pd.read_csv("data/churn.csv"))
            model.fit(frame[FEATURES], frame["churned"])
            """,
            path="train.py",
            files={"features.py": "def add_features(frame):\n    return frame\n", "evaluate.py": "import features\n"},
        ),
        # ... this one keeps its pipeline behind the main guard, so importing it is harmless ...
        Valid(
            """
            import pandas as pd
            def load():
                return pd.read_csv("data/churn.csv")
            if __name__ == "__main__":
                model.fit(load())
            """,
            path="train.py",
            files={"predict.py": "from train import load\nrows = load()\n"},
        ),
        # ... and a notebook saved as a percent script is a notebook, imported or not.
        Valid(
            """
            # %%
            import pandas as pd
            frame = pd.read_csv("data/churn.csv")
            """,
            path="explore.py",
            files={"report.py": "from explore import frame\n"},
        ),
        # A notebook runs top to bottom by design, even in a package folder and imported
        # through `import_ipynb`.
        Valid(
            """
            # %%
            import pandas as pd
            from sklearn.linear_model import LogisticRegression
            # %%
            frame = pd.read_csv("data/churn.csv")
            model = LogisticRegression().fit(frame[FEATURES], frame["churned"])
            """,
            path="pkg/explore.ipynb",
            files={**PKG, "report.py": "import import_ipynb\nfrom pkg.explore import model\n"},
        ),
    ]
    INVALID = [
        Invalid(
            """
            import pandas as pd
            from sklearn.linear_model import LogisticRegression

            frame = pd.read_csv("data/churn.csv")
            model = LogisticRegression().fit(frame[FEATURES], frame["churned"])
            """,
            line=4,
            path="churn/train.py",
            files={"churn/__init__.py": ""},
            message="`churn.train` loads data with `pd.read_csv(...)` at module level: importing it runs the pipeline",
        ),
        Invalid(
            """
            from sklearn.datasets import load_iris
            X, y = load_iris(return_X_y=True)
            """,
            path="pkg/__init__.py",
        ),
        Invalid(
            """
            import xgboost as xgb
            params = {"max_depth": 3}
            booster = xgb.train(params, dtrain)
            """,
            path="pkg/boost.py",
            files=PKG,
        ),
        Invalid(
            """
            import torch
            model = Net()
            optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
            for epoch in range(10):
                for x, y in loader:
                    loss = criterion(model(x), y)
                    loss.backward()
                    optimizer.step()
            """,
            line=4,
            path="pkg/loop.py",
            files=PKG,
        ),
        Invalid(
            """
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
            """,
            line=2,
            path="pkg/step.py",
            files=PKG,
        ),
        Invalid(
            """
            import lightning as L
            trainer = L.Trainer(max_epochs=3)
            if USE_GPU:
                trainer.fit(model, train_loader)
            """,
            path="pkg/fit.py",
            files=PKG,
        ),
        Invalid(
            """
            from transformers import Trainer
            trainer = Trainer(model=model, args=args, train_dataset=train_set)
            trainer.train()
            """,
            path="pkg/finetune.py",
            files=PKG,
        ),
        Invalid(
            """
            from datasets import load_dataset
            try:
                dataset = load_dataset("csv", data_files="data/train.csv")
            except FileNotFoundError:
                dataset = None
            """,
            line=3,
            path="pkg/data.py",
            files=PKG,
        ),
        Invalid(
            """
            frame = spark.read.format("delta").load("/mnt/events")
            """,
            path="pkg/etl.py",
            files=PKG,
        ),
        # A script outside a package that another first-party module imports.
        Invalid(
            """
            import pandas as pd
            from sklearn.linear_model import LogisticRegression

            frame = pd.read_csv("data/churn.csv")
            model = LogisticRegression().fit(frame[FEATURES], frame["churned"])
            """,
            line=4,
            path="train.py",
            files={"predict.py": "import joblib\nfrom train import model\njoblib.dump(model, 'model.pkl')\n"},
            message=(
                "`train` loads data with `pd.read_csv(...)` at module level, and `predict.py` (line 2) "
                "imports it: importing it runs the pipeline"
            ),
        ),
        Invalid(
            """
            import torch
            for epoch in range(10):
                for x, y in loader:
                    loss = criterion(model(x), y)
                    loss.backward()
                    optimizer.step()
            """,
            line=2,
            path="scripts/train.py",
            files={
                "scripts/evaluate.py": "def main():\n    import train\n    return train.model\n",
                "scripts/export.py": "from train import model\n",
            },
        ),
    ]

    @classmethod
    def applies_to(cls, context: FileContext) -> bool:
        return not context.is_test  # silent in tests, and records nothing there

    def visit_Module(self, node: cst.Module) -> None:
        context = self.context
        if context.is_test or context.is_notebook or self._is_script_by_design():
            return
        statements = list(self._module_level(node.body))
        works = [(statement, self._work(statement)) for statement in statements]
        for position, (statement, work) in enumerate(works):
            what = None
            if work.loads is not None:
                what = f"loads data with `{work.loads}`"
            elif work.fits is not None:
                what = f"fits a model with `{work.fits}`"
            elif work.backward is not None:
                step = work.step or next((later.step for _, later in works[position + 1 :] if later.step), None)
                if step is not None:
                    loop = isinstance(statement, cst.For | cst.While)
                    what = (
                        f"runs a training loop (`{work.backward}`, `{step}`)"
                        if loop
                        else f"takes a training step (`{work.backward}`, then `{step}`)"
                    )
            if what is not None:
                if not context.in_package:
                    # A script outside a package: the project phase keeps this only if
                    # another first-party module imports it.
                    self.record("script", {"line": context.recorded_line(statement), "what": what})
                self.report(statement, module=context.module, what=what)
                return

    @classmethod
    def review(cls, proposed: list[Finding], project: Project, options: Any) -> Iterator[Finding]:
        """Package modules stand as found; a script outside a package is reported only when
        another first-party module imports it, and the message names who does."""
        scripts = {path: data["script"] for path, data in project.rule_data(cls.CODE).items() if "script" in data}
        for finding in proposed:
            script = scripts.get(finding.path)
            if script is None or script["line"] != finding.line:
                yield finding
                continue
            facts = project.facts[finding.path]
            importers = _importers(project, facts.module)
            if not importers:
                continue  # a stand-alone script: that is what scripts are
            named = ", ".join(f"`{path}` (line {line})" for path, line in importers[:_MAX_IMPORTERS])
            if len(importers) > _MAX_IMPORTERS:
                named += f" and {len(importers) - _MAX_IMPORTERS} more"
            verb = "imports" if len(importers) == 1 else "import"
            message = (
                f"`{facts.module}` {script['what']} at module level, and {named} {verb} it: "
                "importing it runs the pipeline"
            )
            yield replace(finding, message=message)

    def _is_script_by_design(self) -> bool:
        """`__main__.py` (what `python -m pkg` runs), and notebooks saved as `.py` files (a
        Databricks notebook's source, a percent script with `# %%` cells)."""
        context = self.context
        if PurePosixPath(context.path).name in ENTRY_MODULE_FILES:
            return True
        lines = context.lines
        if lines and lines[0].strip().startswith(NOTEBOOK_SOURCE_FIRST_LINES):
            return True
        return any(line.startswith(NOTEBOOK_CELL_MARKERS) for line in lines)

    # Module-level statements --------------------------------------------------------------
    def _module_level(self, body: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
        """The statements that run on import, looking inside `if`/`try`/`with` (not loops: a
        loop is one statement, judged whole), and skipping definitions, the main guard and
        `if TYPE_CHECKING:`."""
        result: list[cst.BaseStatement] = []
        for statement in body:
            if isinstance(statement, cst.FunctionDef | cst.ClassDef):
                continue
            if isinstance(statement, cst.If):
                result.extend(self._if_branches(statement))
            elif isinstance(statement, cst.Try | cst.TryStar):
                result.extend(self._module_level(statement.body.body))  # type: ignore[arg-type]
                for handler in statement.handlers:
                    result.extend(self._module_level(handler.body.body))  # type: ignore[arg-type]
                if statement.orelse is not None:
                    result.extend(self._module_level(statement.orelse.body.body))  # type: ignore[arg-type]
                if statement.finalbody is not None:
                    result.extend(self._module_level(statement.finalbody.body.body))  # type: ignore[arg-type]
            elif isinstance(statement, cst.With):
                result.extend(self._module_level(statement.body.body))  # type: ignore[arg-type]
            else:
                result.append(statement)
        return result

    def _if_branches(self, statement: cst.If) -> list[cst.BaseStatement]:
        result: list[cst.BaseStatement] = []
        if not self._never_on_import(statement.test):
            result.extend(self._module_level(statement.body.body))  # type: ignore[arg-type]
        orelse = statement.orelse
        if isinstance(orelse, cst.If):
            result.extend(self._if_branches(orelse))
        elif orelse is not None:
            # The `else` of a main guard or of `if TYPE_CHECKING:` is what runs on import.
            result.extend(self._module_level(orelse.body.body))  # type: ignore[arg-type]
        return result

    def _never_on_import(self, test: cst.BaseExpression) -> bool:
        """`if __name__ == "__main__":` and `if TYPE_CHECKING:` bodies do not run on import."""
        if _is_main_guard(test):
            return True
        return self.qualified_name(test) in TYPE_CHECKING_NAMES or dotted_name(test) in TYPE_CHECKING_NAMES

    # What a statement does ------------------------------------------------------------------
    def _work(self, statement: cst.BaseStatement) -> _Work:
        finder = _CallFinder()
        walk(statement, finder)
        loads = fits = backward = step = None
        for call in finder.calls:
            func = call.func
            method = func.attr.value if isinstance(func, cst.Attribute) else None
            if loads is None and self._loads_data(call):
                loads = _spelling(call)
            elif fits is None and self._fits(call, method):
                fits = _spelling(call)
            elif method in BACKWARD_METHODS and backward is None and not call.args:
                backward = _spelling(call)
            elif method in OPTIMIZER_STEP_METHODS and step is None:
                step = _spelling(call)
        in_loop = isinstance(statement, cst.For | cst.While)
        if in_loop and not (backward and step):
            backward = step = None  # a loop trains only if it takes gradient steps
        return _Work(loads, fits, backward, step)

    def _loads_data(self, call: cst.Call) -> bool:
        qualified = self.qualified_name(call.func)
        if qualified is not None and (qualified in DATA_LOADERS or qualified.startswith(DATA_LOADER_PREFIXES)):
            return not self._reads_package_resource(call)
        return _is_spark_read(call.func)

    def _reads_package_resource(self, call: cst.Call) -> bool:
        finder = _CallFinder()
        for arg in call.args:
            walk(arg.value, finder)
        return any(
            (self.qualified_name(inner.func) or "").startswith(PACKAGE_RESOURCE_PREFIXES) for inner in finder.calls
        )

    def _fits(self, call: cst.Call, method: str | None) -> bool:
        if self.qualified_name(call.func) in TRAINING_FUNCTIONS:
            return True
        if method in FIT_METHODS or method in FIT_AND_TRANSFORM_METHODS:
            return True
        if method in TRAIN_METHODS and isinstance(call.func, cst.Attribute):
            receiver = dotted_name(call.func.value) or ""
            if any(word in TRAINER_WORDS for word in name_words(receiver.rsplit(".", 1)[-1])):
                return True
            return has_data_argument(call)
        return False


class _CallFinder(cst.CSTVisitor):
    """The calls a statement makes when it runs: not those inside functions, classes or lambdas."""

    def __init__(self) -> None:
        self.calls: list[cst.Call] = []

    # `on_visit`/`on_leave` themselves: libcst's look up a `visit_<Node>` method by name for
    # every node, and every module-level statement of every file is searched.
    def on_visit(self, node: cst.CSTNode) -> bool:
        kind = type(node)
        if kind is cst.Call:
            self.calls.append(node)  # type: ignore[arg-type]
            return True
        return kind not in _OWN_SCOPES

    def on_leave(self, original_node: cst.CSTNode) -> None:
        return None


_OWN_SCOPES = frozenset({cst.FunctionDef, cst.ClassDef, cst.Lambda})  # their bodies do not run now


def _importers(project: Project, module: str) -> list[tuple[str, int]]:
    """(path, line) of the first import of `module` in each other first-party module, by path."""
    node = module_node(module)
    found: dict[str, int] = {}
    for importer, _, data in project.graph.in_edges(node, data=True):
        if data.get("kind") != "imports" or importer == node:
            continue
        path = project.graph.nodes[importer]["path"]
        line = data.get("line", 0)
        found[path] = min(line, found.get(path, line))
    return sorted(found.items())


def _is_spark_read(func: cst.BaseExpression) -> bool:
    """`spark.read.csv(...)`, `spark.read.format("x").option(...).load(...)`."""
    if not isinstance(func, cst.Attribute) or func.attr.value not in SPARK_READ_METHODS:
        return False
    node: cst.BaseExpression = func.value
    while True:
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            node = node.func.value
        elif isinstance(node, cst.Attribute):
            if node.attr.value == SPARK_READ_ATTRIBUTE:
                return True
            node = node.value
        else:
            return False


def _is_main_guard(test: cst.BaseExpression) -> bool:
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    if not isinstance(test.comparisons[0].operator, cst.Equal):
        return False
    sides = (test.left, test.comparisons[0].comparator)
    names = {side.value for side in sides if isinstance(side, cst.Name)}
    strings = {literal_value(side)[1] for side in sides if isinstance(side, cst.SimpleString)}
    return names == {"__name__"} and strings == {"__main__"}


def _spelling(call: cst.Call) -> str:
    """`pd.read_csv(...)`: the callee as written, shortened when long."""
    text = " ".join(_CODE.code_for_node(call.func).split())
    if len(text) > _MAX_CALL:
        text = "…." + call.func.attr.value if isinstance(call.func, cst.Attribute) else text[: _MAX_CALL - 1] + "…"
    return f"{text}(...)"
