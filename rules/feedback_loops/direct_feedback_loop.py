"""MLD401 direct-feedback-loop: a model trained on its own predictions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mldebt import Finding, Invalid, Project, Section, Severity, Valid
from mldebt.data_graph import DataGraph, describe_prediction_paths, project_finding
from mldebt.dataflow import DataFlowRule, Prediction, TrainingCall, same_model


_TRAIN = """
import joblib
import pandas as pd
from sklearn.linear_model import LogisticRegression
frame = pd.read_csv("data/scored.csv")
model = LogisticRegression().fit(frame[["a", "b"]], frame["label"])
joblib.dump(model, "models/model.pkl")
"""
_PREDICT = """
import joblib
import pandas as pd
model = joblib.load("models/model.pkl")
frame = pd.read_csv("data/new.csv")
frame["label"] = model.predict(frame[["a", "b"]])
frame.to_csv("data/scored.csv")
"""


class DirectFeedbackLoop(DataFlowRule):
    """
    ## What it does
    Follows, within one function (or the module's top level), the output of a model's
    `predict`/`predict_proba`/`decision_function`/forward call, and reports a
    `fit`/`partial_fit`/`train` of the *same* model that it reaches: as its labels
    (`df["label"] = model.predict(X)` then `model.fit(X, df["label"])`, or its predictions
    appended to the true labels) or among its features (its earlier output written into the
    frame it is trained on).

    The model is the same when the same value made it: the receiver's name, followed through
    aliases (`clf = model`). A name rebound to a new model is another model.

    Not flagged: targets that combine the model's output with other data element by element,
    as bootstrapped Q-learning targets do (`reward + gamma * model.predict(next_state)`);
    another model's predictions (MLD201 correction-cascade); predictions used for evaluation
    or written elsewhere; flows through the project's own functions, which are not followed.

    Across files, it follows the project's data graph around the loop: a module trains and
    writes its model file, another module loads that file, predicts, and writes the
    predictions to a file or table, and the first module reads them back where it trains (a
    training call in the same function as the read, or both at module level). That read is
    reported, and the message prints the loop file by file. Not flagged across files:
    predictions read where the module does not train (a report, an evaluation); predictions
    of another module's model (MLD201 correction-cascade); cluster assignments, transforms and
    encoder outputs, which are features rather than predictions; a module that reads back a
    file it has just written itself; test modules; paths the analyzer cannot resolve.

    ## Why is this bad?
    A model whose predictions become its own training data sits in a direct feedback loop
    (§4, Direct Feedback Loops): its errors are fed back as truth and reinforced, its
    behaviour next time depends on its behaviour this time, and offline metrics computed on
    such data overstate its quality. The effect of a change cannot be analysed before it
    ships.

    ## Example
    ```python
    frame["label"] = model.predict(frame[FEATURES])
    model.fit(frame[FEATURES], frame["label"])
    ```

    Use instead: train on labels that come from the world (logged outcomes, human labels),
    keep the model's own predictions out of its training set, and when pseudo-labelling is
    intended, mark those rows and weight or hold them out explicitly:
    ```python
    model.fit(frame[FEATURES], frame["observed_label"])
    ```

    ## References
    - Sculley et al. (2015), §4 "Feedback Loops", Direct Feedback Loops
    """

    CODE = "MLD401"
    NAME = "direct-feedback-loop"
    SEVERITY = Severity.WARNING
    SECTION = Section.DIRECT_FEEDBACK_LOOPS
    SUMMARY = "A model trained on its own predictions"
    MESSAGE = "`{fit}(...)` trains `{model}` on its own predictions: the output of `{prediction}` (line {line}) {how}"

    VALID = [
        # Fit, then predict: the usual order.
        Valid(
            """
            from sklearn.ensemble import RandomForestClassifier
            model = RandomForestClassifier().fit(X_train, y_train)
            frame["label"] = model.predict(frame[FEATURES])
            frame.to_csv("scored.csv")
            """
        ),
        # Predictions used to evaluate, then a refit on the true labels.
        Valid(
            """
            from sklearn.metrics import accuracy_score
            def retrain(model, X, y, X_test, y_test):
                score = accuracy_score(y_test, model.predict(X_test))
                model.fit(X, y)
            """
        ),
        # Q-learning: the target combines the reward with the model's estimate (bootstrapping).
        Valid(
            """
            import numpy as np
            def replay(self, state, action, reward, next_state, done):
                target = reward
                if not done:
                    target = reward + self.gamma * np.amax(self.model.predict(next_state)[0])
                target_f = self.model.predict(state)
                target_f[0][action] = target
                self.model.fit(state, target_f, epochs=1, verbose=0)
            """
        ),
        # A different model learns from the predictions: MLD201's business.
        Valid(
            """
            from sklearn.ensemble import RandomForestClassifier
            teacher = RandomForestClassifier().fit(X, y)
            student = RandomForestClassifier(max_depth=3)
            student.fit(X_unlabeled, teacher.predict(X_unlabeled))
            """
        ),
        # A name rebound to a fresh model: another model.
        Valid(
            """
            from sklearn.ensemble import RandomForestClassifier
            model = RandomForestClassifier().fit(X, y)
            pseudo = model.predict(X_unlabeled)
            model = RandomForestClassifier()
            model.fit(X_unlabeled, pseudo)
            """
        ),
        # The prediction column is dropped before the refit, and the labels are the true ones.
        Valid(
            """
            def refresh(model, frame):
                frame["score"] = model.predict_proba(frame[["a", "b"]])[:, 1]
                model.fit(frame.drop(columns=["score", "label"]), frame["label"])
            """
        ),
        # Predictions made in another function are not followed.
        Valid(
            """
            def score(model, frame):
                frame["label"] = model.predict(frame)
                return frame
            def train(model, frame):
                model.fit(frame, frame["label"])
            """
        ),
        # `model.train()` only switches a PyTorch module to training mode.
        Valid(
            """
            def epoch(model, loader):
                outputs = model.predict(batch)
                model.train()
            """
        ),
    ]
    VALID += [
        # Across files: the scores are read back only for a report, not where the module trains.
        Valid(
            """
            import joblib
            import pandas as pd
            from sklearn.linear_model import LogisticRegression
            def train():
                frame = pd.read_csv("data/labelled.csv")
                model = LogisticRegression().fit(frame[["a", "b"]], frame["label"])
                joblib.dump(model, "models/model.pkl")
            def report():
                print(pd.read_csv("data/scored.csv").describe())
            """,
            path="train.py",
            files={"predict.py": _PREDICT},
        ),
        # The predictions come back to a module that does not train: an evaluation.
        Valid(
            'import pandas as pd\nscored = pd.read_csv("data/scored.csv")\nprint((scored.label == scored.truth).mean())\n',
            path="evaluate.py",
            files={"predict.py": _PREDICT, "train.py": _TRAIN.replace("data/scored.csv", "data/labelled.csv")},
        ),
        # Another module's model scores the data: a correction cascade (MLD201), not this loop.
        Valid(
            _TRAIN.replace("models/model.pkl", "models/ranker.pkl"),
            path="train.py",
            files={"predict.py": _PREDICT, "train_other.py": _TRAIN.replace("data/scored.csv", "data/labelled.csv")},
        ),
        # Cluster assignments written back are features, not predictions.
        Valid(
            _TRAIN,
            path="train.py",
            files={"predict.py": _PREDICT.replace("model = joblib", "kmeans = joblib").replace("model.predict", "kmeans.predict")},
        ),
    ]
    INVALID = [
        Invalid(
            """
            def relabel(model, frame):
                frame["label"] = model.predict(frame[["a", "b"]])
                model.fit(frame[["a", "b"]], frame["label"])
            """,
            line=3,
            message=(
                "`model.fit(...)` trains `model` on its own predictions: the output of `model.predict` "
                "(line 2) becomes its target"
            ),
        ),
        # Self-training: its predictions appended to the true labels.
        Invalid(
            """
            import numpy as np
            from sklearn.linear_model import LogisticRegression
            clf = LogisticRegression().fit(X, y)
            pseudo_labels = clf.predict(X_unlabeled)
            clf.fit(np.vstack([X, X_unlabeled]), np.concatenate([y, pseudo_labels]))
            """,
            line=5,
        ),
        # Its earlier output written into the frame it is retrained on.
        Invalid(
            """
            import pandas as pd
            from lightgbm import LGBMRegressor
            def train(history: pd.DataFrame):
                model = LGBMRegressor()
                model.fit(history[["lag_1", "lag_7"]], history["sales"])
                history["forecast"] = model.predict(history[["lag_1", "lag_7"]])
                model.fit(history.drop(columns=["sales"]), history["sales"])
            """,
            line=7,
        ),
        # Through an alias, and `partial_fit` in an online learner.
        Invalid(
            """
            from sklearn.linear_model import SGDClassifier
            model = SGDClassifier()
            learner = model
            learner.partial_fit(X_batch, y_batch, classes=[0, 1])
            guessed = model.predict(X_next)
            learner.partial_fit(X_next, guessed)
            """,
            line=6,
        ),
        # Out-of-fold predictions of the model among its own features.
        Invalid(
            """
            import numpy as np
            from sklearn.model_selection import cross_val_predict
            from sklearn.ensemble import GradientBoostingRegressor
            model = GradientBoostingRegressor()
            oof = cross_val_predict(model, X, y, cv=5)
            model.fit(np.column_stack([X, oof]), y)
            """,
            line=6,
        ),
        # Across files: train.py writes its model, predict.py scores new rows with it, and
        # train.py trains on those scores.
        Invalid(
            _TRAIN,
            path="train.py",
            line=4,
            column=9,
            message=(
                "`train.py` trains on its own model's predictions: `train.py` writes `models/model.pkl` → "
                "`predict.py` reads it, writes `data/scored.csv` → `train.py` reads it"
            ),
            files={"predict.py": _PREDICT},
        ),
        # Through a database table, the read inside the training function.
        Invalid(
            """
            import joblib
            import pandas as pd
            def retrain(con):
                history = pd.read_sql("SELECT f.*, s.score AS label FROM features f JOIN scores s ON f.id = s.id", con)
                model = make_model().fit(history.drop(columns=["label"]), history["label"])
                joblib.dump(model, "artifacts/model.joblib")
            """,
            path="jobs/retrain.py",
            line=4,
            files={
                "jobs/score.py": (
                    "import joblib\nimport pandas as pd\n"
                    'model = joblib.load("artifacts/model.joblib")\n'
                    'frame = pd.read_sql("SELECT * FROM features", con)\n'
                    'frame.assign(score=model.predict(frame)).to_sql("scores", con, if_exists="append")\n'
                )
            },
        ),
        # The model's scores written to a column, then the whole frame fed back.
        Invalid(
            """
            def loop(frame, ranker):
                frame = frame.assign(relevance=ranker.predict(frame[["q", "d"]]))
                ranker.fit(frame[["q", "d"]], frame.relevance)
            """,
            line=3,
        ),
    ]

    def training_call(self, call: TrainingCall) -> None:
        trained = call.model
        for prediction in call.features.predictions():
            if same_model(prediction.model, trained) is True:
                self._report(call, prediction, "is among its features")
                return
        if call.target.any_mixed():
            return  # its output combined with other data (a bootstrapped target), not used as labels
        for prediction in call.target.predictions():
            if same_model(prediction.model, trained) is True:
                self._report(call, prediction, "becomes its target")
                return

    def _report(self, call: TrainingCall, prediction: Prediction, how: str) -> None:
        self.report(
            call.call,
            fit=call.spelling,
            model=call.model.name,
            prediction=prediction.spelling,
            line=self.context.line_of(prediction.call),
            how=how,
        )

    @classmethod
    def review(cls, proposed: list[Finding], project: Project, options: Any) -> Iterator[Finding]:
        """Keep the file findings, and add the loops that run through files."""
        yield from proposed
        data = DataGraph(project)
        seen: set[tuple[str, int, int]] = set()
        for path in data.prediction_paths():
            read = path.predictions.read
            if path.via_model is None or path.trainer != read.module:
                continue
            where = (read.module, read.line, read.column)
            if where in seen:
                continue
            seen.add(where)
            trainee = data.path(read.module)
            message = f"`{trainee}` trains on its own model's predictions: {describe_prediction_paths(data, [path])}"
            yield project_finding(cls, trainee, read, message)
