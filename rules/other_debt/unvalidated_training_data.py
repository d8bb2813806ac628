"""MLD804 unvalidated-training-data: data loaded from outside and trained on unchecked."""

from __future__ import annotations

from mldebt import Invalid, Section, Severity, Valid
from mldebt.dataflow import DataFlowRule, Load, TrainingCall


class UnvalidatedTrainingData(DataFlowRule):
    """
    ## What it does
    Follows, within one function (or the module's top level), data loaded from outside —
    files, URLs and databases: `pd.read_*`, `np.load*`, `open(...)`, `joblib.load`,
    `requests.get(...)`, `load_dataset`, `spark.read.*`, SQL cursors — and reports the first
    training call it reaches (`fit`, `partial_fit`, `train`, `xgb.train`, `cross_val_score`,
    a Hugging Face `Trainer(train_dataset=...)`'s `train()`) when nothing validated it in
    between: one finding at the first training call each load reaches (a call that several
    unchecked loads reach is reported once, naming the first).

    Validation is: an `assert` that mentions the data (or anything derived from it); an
    `if <check>: raise ...` (or `sys.exit`) whose check mentions it; a call into
    `pandera`, `great_expectations`, `pydantic` and similar libraries, a `.validate(...)`,
    `.model_validate(...)` or `expect_*(...)` call, or a function of the project's own whose
    name starts with `validate`, `check`, `verify`, `assert` or `ensure`
    (`check_array(X)`, `validate_frame(df)`) given the data; a `pandera`/`pydantic`
    decorator on the function.

    Not flagged: data built in code or shipped with a library (`load_iris()`,
    `keras.datasets`); data that passes through the project's own functions before the fit
    (they may validate it); scalers and encoders (`StandardScaler().fit(...)`), which are not
    the model; test modules.

    ## Why is this bad?
    The paper's data testing debt (§8): "if data replaces code in ML systems, and code
    should be tested, then it seems clear that some amount of testing of the input data is
    critical to a well-functioning system". A file or table that changes under the code —
    a column renamed, a unit changed, nulls where there were none — trains a different model
    silently; the failure surfaces, if at all, far downstream.

    ## Example
    ```python
    frame = pd.read_parquet("data/train.parquet")
    model.fit(frame[FEATURES], frame["churned"])
    ```

    Use instead: check the data where it enters, with a schema or explicit checks that
    raise:
    ```python
    frame = TRAINING_SCHEMA.validate(pd.read_parquet("data/train.parquet"))
    model.fit(frame[FEATURES], frame["churned"])
    ```

    ## References
    - Sculley et al. (2015), §8 "Other Areas of ML-related Debt", Data Testing Debt
    """

    CODE = "MLD804"
    NAME = "unvalidated-training-data"
    SEVERITY = Severity.INFO
    SECTION = Section.DATA_TESTING_DEBT
    SUMMARY = "Data loaded from outside reaches training with no validation in between"
    MESSAGE = "`{fit}(...)` trains on data loaded by `{loader}(...)` on line {line}, with no validation in between"

    VALID = [
        # A schema validates the frame where it enters.
        Valid(
            """
            import pandas as pd
            import pandera as pa
            schema = pa.DataFrameSchema({"age": pa.Column(int)})
            frame = schema.validate(pd.read_csv("train.csv"))
            model.fit(frame[["age"]], frame["label"])
            """
        ),
        # Explicit checks that raise.
        Valid(
            """
            import pandas as pd
            def train(model):
                frame = pd.read_csv("train.csv")
                if frame.isnull().any().any():
                    raise ValueError("nulls in training data")
                model.fit(frame[["age"]], frame["label"])
            """
        ),
        # An assert on anything derived from the load.
        Valid(
            """
            import numpy as np
            data = np.load("features.npz")
            X, y = data["X"], data["y"]
            assert X.shape[0] == y.shape[0]
            model.fit(X, y)
            """
        ),
        # The project's own check.
        Valid(
            """
            import pandas as pd
            def train(model):
                frame = pd.read_parquet("train.parquet")
                validate_frame(frame)
                model.fit(frame.drop(columns=["y"]), frame["y"])
            """
        ),
        # A dataset shipped with the library.
        Valid(
            """
            from sklearn.datasets import load_iris
            from sklearn.linear_model import LogisticRegression
            X, y = load_iris(return_X_y=True)
            LogisticRegression().fit(X, y)
            """
        ),
        # The data goes through a function of the project, which may validate it.
        Valid(
            """
            import pandas as pd
            frame = prepare(pd.read_csv("train.csv"))
            model.fit(frame[["a"]], frame["y"])
            """
        ),
        # Loaded in one function, trained on in another: not followed.
        Valid(
            """
            import pandas as pd
            def load():
                return pd.read_csv("train.csv")
            def train(model, frame):
                model.fit(frame[["a"]], frame["y"])
            """
        ),
        # Written, not read; and a config file whose values are not training data.
        Valid(
            """
            import json
            with open("params.json") as handle:
                params = json.load(handle)
            with open("log.txt", "w") as log:
                model.fit(X, y, epochs=params["epochs"])
            """
        ),
        # A scaler is not the model.
        Valid(
            """
            import pandas as pd
            from sklearn.preprocessing import StandardScaler
            frame = pd.read_csv("train.csv")
            scaler = StandardScaler().fit(frame)
            """
        ),
        # A pandera decorator validates the function's data.
        Valid(
            """
            import pandas as pd
            import pandera as pa
            @pa.check_types
            def train(model):
                frame = pd.read_csv("train.csv")
                model.fit(frame[["a"]], frame["y"])
            """
        ),
        # A test loads a fixture and fits: the test is the check.
        Valid(
            """
            import pandas as pd
            def test_fit(model):
                frame = pd.read_csv("fixture.csv")
                model.fit(frame[["a"]], frame["y"])
            """,
            path="tests/test_model.py",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import pandas as pd
            from sklearn.ensemble import RandomForestClassifier
            def train():
                frame = pd.read_csv("data/train.csv")
                X = frame.drop(columns=["churned"])
                model = RandomForestClassifier(random_state=0)
                model.fit(X, frame["churned"])
            """,
            line=7,
            message=(
                "`model.fit(...)` trains on data loaded by `pd.read_csv(...)` on line 4, with no validation in between"
            ),
        ),
        # A check after the fit does not count.
        Invalid(
            """
            import numpy as np
            X = np.load("X.npy")
            y = np.load("y.npy")
            model.fit(X, y)
            assert X.shape[0] == y.shape[0]
            """,
            line=4,
        ),
        # Through a split, a scaler and a native boosting API.
        Invalid(
            """
            import pandas as pd
            import lightgbm as lgb
            from sklearn.model_selection import train_test_split
            from sklearn.preprocessing import StandardScaler
            frame = pd.read_parquet("s3://bucket/train.parquet")
            X_train, X_test, y_train, y_test = train_test_split(frame.drop(columns="y"), frame.y)
            X_train = StandardScaler().fit_transform(X_train)
            booster = lgb.train({"objective": "binary"}, lgb.Dataset(X_train, label=y_train))
            """,
            line=8,
        ),
        # A file read by hand, parsed as JSON.
        Invalid(
            """
            import json
            with open("records.json") as handle:
                records = json.load(handle)
            vectorizer_input = [r["text"] for r in records]
            model.fit(vectorizer_input, [r["label"] for r in records])
            """,
            line=5,
        ),
        # A SQL query.
        Invalid(
            """
            import pandas as pd
            def train(model, connection):
                frame = pd.read_sql("SELECT age, label FROM customers", connection)
                model.fit(frame[["age"]], frame["label"])
            """,
            line=4,
        ),
        # A Hugging Face trainer built with the loaded dataset.
        Invalid(
            """
            from datasets import load_dataset
            from transformers import Trainer
            def main(model, args):
                dataset = load_dataset("csv", data_files="reviews.csv")
                tokenized = dataset.map(tokenize, batched=True)
                trainer = Trainer(model=model, args=args, train_dataset=tokenized["train"])
                trainer.train()
            """,
            line=7,
        ),
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._reported: set[Load] = set()

    def training_call(self, call: TrainingCall) -> None:
        if self.context.is_test or call.model.prepares_features:
            return
        fresh = [load for load in call.unvalidated if load not in self._reported]
        if not fresh:
            return
        self._reported.update(fresh)
        first = fresh[0]
        self.report(call.call, fit=call.spelling, loader=first.loader, line=self.context.line_of(first.call))
