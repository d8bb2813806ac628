"""MLD805 duplicated-training-logic: the same training or evaluation code copy-pasted across modules."""

from __future__ import annotations

from collections.abc import Iterator

from mldebt import Finding, Invalid, Project, ProjectRule, Section, Severity, Valid
from mldebt.context import is_test_path
from mldebt.context import is_foreign_code_path

_TRAIN_A = """
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
import pandas as pd

def run(path):
    frame = pd.read_csv(path)
    frame = frame.dropna()
    features = frame.drop(columns=["label"])
    target = frame["label"]
    model = RandomForestClassifier(n_estimators=100)
    model.fit(features, target)
    predictions = model.predict(features)
    score = accuracy_score(target, predictions)
    print(score)
    return model
"""

_PREDICT = "def predict(m, x):\n    return m.predict(x)\n"

# The same pipeline with other names, another model and other literals: one shape.
_TRAIN_B = """
from xgboost import XGBClassifier
from sklearn.metrics import f1_score
import pandas as pd

def train_churn(csv_file):
    df = pd.read_csv(csv_file)
    df = df.dropna()
    X = df.drop(columns=["churned"])
    y = df["churned"]
    clf = XGBClassifier(n_estimators=300)
    clf.fit(X, y)
    y_hat = clf.predict(X)
    f1 = f1_score(y, y_hat)
    print(f1)
    return clf
"""


class DuplicatedTrainingLogic(ProjectRule):
    """
    ## What it does
    Finds functions in different modules that train or evaluate a model and
    have the same normalised shape: at least 8 statements, identical once
    names and literals are folded. Training or evaluating means calling
    `fit`/`partial_fit`/`train`, `predict`/`predict_proba`/`decision_function`,
    `evaluate`, `score(X, y)`, `eval()`, a native training function
    (`xgb.train`, `cross_val_score`), a metric (`sklearn.metrics`,
    `torchmetrics`, `evaluate`), or `backward()` with an optimizer `step()`.

    The shape keeps the kind of every syntax node in order, operators,
    attribute and method names (`.fit`, `.predict`, `.iloc`) and keyword
    argument names (`n_estimators=`); it renames variables, parameters and
    called functions consistently in order of first appearance, and folds
    literals to their kind (string, number, constant). A copy that renamed
    its variables, swapped `RandomForestClassifier` for `XGBClassifier`, or
    changed a path or a hyperparameter has the same shape; code that does
    something else in any statement does not. Docstrings, annotations,
    decorators and the bodies of nested functions are left out.

    The first copy by path is the original; every copy in another module is
    reported at its `def`, naming the original. Copies inside one module,
    tests, and code that is not the project's own — vendored or installed
    packages (`vendor/`, `third_party/`, `site-packages/`) and hidden
    folders (`.ipynb_checkpoints/`, `.cache/`) — are not reported.

    ## Why is this bad?
    The paper (§8, Process Management Debt) describes systems that run many
    similar models, each with its own copy of the pipeline, updated by hand:
    a fix or an improvement made to one copy silently misses the others, and
    the copies drift apart until nobody knows which behaviour is intended.

    ## Example
    ```python
    # churn/train.py
    def run(path):
        frame = pd.read_csv(path).dropna()
        model = RandomForestClassifier(n_estimators=100)
        model.fit(frame[FEATURES], frame["label"])
        ...

    # upsell/train.py: the same function, other names and another model
    def train_upsell(csv_file):
        df = pd.read_csv(csv_file).dropna()
        clf = XGBClassifier(n_estimators=300)
        clf.fit(df[FEATURES], df["label"])
        ...
    ```

    Use instead: one parameterised training function (or pipeline step)
    that every model calls with its own configuration:
    ```python
    # training.py
    def train(path, estimator, features, target): ...

    # churn/train.py
    model = train(CHURN_DATA, RandomForestClassifier(**CHURN_PARAMS), FEATURES, "label")
    ```

    ## References
    - Sculley et al. (2015), §8 "Other Areas of ML-related Debt", Process Management Debt
    """

    CODE = "MLD805"
    NAME = "duplicated-training-logic"
    SEVERITY = Severity.INFO
    SECTION = Section.PROCESS_MANAGEMENT_DEBT
    SUMMARY = "Functions in different modules that train or evaluate with the same copy-pasted code"
    MESSAGE = (
        "`{function}` repeats `{original}` of `{original_path}` (line {original_line}): the same "
        "{statements} statements that train, evaluate or apply a model, up to names and literals{copies}"
    )

    VALID = [
        # One copy only: the pipeline lives once.
        Valid(_TRAIN_A, path="churn/train.py", files={"churn/predict.py": _PREDICT}),
        # Two copies in one module: not across modules.
        Valid(_TRAIN_A + _TRAIN_B.replace("def train_churn", "def train_again"), path="churn/train.py"),
        # Same shape, but neither trains nor evaluates a model.
        Valid(
            """
            import pandas as pd
            def clean(path):
                frame = pd.read_csv(path)
                frame = frame.dropna()
                frame = frame.drop_duplicates()
                frame["a"] = frame["a"].fillna(0)
                frame["b"] = frame["b"].fillna(0)
                frame["c"] = frame["c"].fillna(0)
                frame["d"] = frame["d"].fillna(0)
                frame.to_csv("out.csv")
                return frame
            """,
            path="a/clean.py",
            files={
                "b/clean.py": """
                import pandas as pd
                def tidy(source):
                    df = pd.read_csv(source)
                    df = df.dropna()
                    df = df.drop_duplicates()
                    df["x"] = df["x"].fillna(1)
                    df["y"] = df["y"].fillna(1)
                    df["z"] = df["z"].fillna(1)
                    df["w"] = df["w"].fillna(1)
                    df.to_csv("tidy.csv")
                    return df
                """
            },
        ),
        # A statement more in one copy: another shape.
        Valid(
            _TRAIN_A,
            path="churn/train.py",
            files={"upsell/train.py": _TRAIN_B.replace("    print(f1)\n", "    print(f1)\n    clf.save_model('m')\n")},
        ),
        # Fewer than 8 statements: too small to be a pipeline.
        Valid(
            """
            def fit(model, X, y):
                model.fit(X, y)
                pred = model.predict(X)
                return pred
            """,
            path="a/fit.py",
            files={"b/fit.py": "def fit2(m, a, b):\n    m.fit(a, b)\n    p = m.predict(a)\n    return p\n"},
        ),
        # Tests repeat their set-up on purpose.
        Valid(_TRAIN_A, path="tests/test_a.py", files={"tests/test_b.py": _TRAIN_B}),
        # A notebook checkpoint or a vendored package is not the project's own copy.
        Valid(
            _TRAIN_A,
            path="churn/train.py",
            files={".ipynb_checkpoints/train-checkpoint.py": _TRAIN_A, "third_party/lib/train.py": _TRAIN_B},
        ),
    ]
    INVALID = [
        Invalid(
            _TRAIN_B,
            line=5,
            path="upsell/train.py",
            files={"churn/train.py": _TRAIN_A},
            message=(
                "`train_churn` repeats `run` of `churn/train.py` (line 5): the same 10 statements "
                "that train, evaluate or apply a model, up to names and literals"
            ),
        ),
        # A PyTorch training loop copied into a second experiment, a method in one of them.
        Invalid(
            """
            class Experiment:
                def train_epoch(self, model, loader, optimizer, criterion):
                    model.train()
                    total = 0.0
                    for inputs, targets in loader:
                        optimizer.zero_grad()
                        outputs = model(inputs)
                        loss = criterion(outputs, targets)
                        loss.backward()
                        optimizer.step()
                        total += loss.item()
                    return total / len(loader)
            """,
            line=2,
            path="experiments/b.py",
            files={
                "experiments/a.py": """
                def train_one_epoch(net, batches, opt, loss_fn):
                    net.train()
                    running = 0.0
                    for x, y in batches:
                        opt.zero_grad()
                        out = net(x)
                        loss = loss_fn(out, y)
                        loss.backward()
                        opt.step()
                        running += loss.item()
                    return running / len(batches)
                """
            },
        ),
        # Three copies: each copy after the first is reported.
        Invalid(
            _TRAIN_B.replace("def train_churn", "def train_fraud"),
            line=5,
            path="fraud/train.py",
            files={"churn/train.py": _TRAIN_A, "upsell/train.py": _TRAIN_B},
        ),
    ]

    def check(self, project: Project) -> Iterator[Finding]:
        copies: dict[str, list[tuple[str, int, str, int]]] = {}
        for path in sorted(project.facts):
            if is_test_path(path) or is_foreign_code_path(path):
                continue
            for shape in project.facts[path].shapes:
                name = f"{shape.scope}.{shape.name}" if shape.scope else shape.name
                copies.setdefault(shape.digest, []).append((path, shape.line, name, shape.statements))
        for found in copies.values():
            found.sort()
            original_path, original_line, original, _ = found[0]
            others = [copy for copy in found if copy[0] != original_path]
            if not others:
                continue
            count = len({copy[0] for copy in found})
            suffix = f"; {count} modules hold a copy" if count > 2 else ""
            for path, line, name, statements in others:
                yield self.finding(
                    path,
                    line,
                    function=name,
                    original=original,
                    original_path=original_path,
                    original_line=original_line,
                    statements=statements,
                    copies=suffix,
                )
