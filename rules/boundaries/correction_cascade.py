"""MLD201 correction-cascade: one model trained on top of another model's predictions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mldebt import Finding, Invalid, Project, Section, Severity, Valid
from mldebt.data_graph import DataGraph, PredictionPath, describe_prediction_paths, project_finding
from mldebt.dataflow import DataFlowRule, Model, Prediction, TrainingCall, model_name_words, same_model
from mldebt.knowledge.training import FEATURE_EXTRACTOR_WORDS

# A model named like a target network (`target_model`, `target_net`) is a lagged copy of the
# model being trained (reinforcement learning): learning from it is bootstrapping, not a cascade.
TARGET_NETWORK_WORD = "target"


_LEVEL_ONE = """
import pandas as pd
from lightgbm import LGBMClassifier
from sklearn.model_selection import cross_val_predict
train = pd.read_csv("data/train.csv")
model = LGBMClassifier()
oof = pd.DataFrame({"lgb": cross_val_predict(model, train[FEATURES], train.target, method="predict_proba")[:, 1]})
oof.to_csv("oof/lgb.csv", index=False)
"""


class CorrectionCascade(DataFlowRule):
    """
    ## What it does
    Follows, within one function (or the module's top level), the output of a model's
    `predict`/`predict_proba`/`decision_function`/forward call, and reports the
    `fit`/`partial_fit`/`train` of a *different* model that it reaches: through assignments,
    residuals (`y - pred`), stacking (`np.column_stack`, `np.c_[...]`, `np.hstack`,
    `pd.concat`, `torch.cat`), DataFrame columns (`df["pred"] = m.predict(X)`,
    `.assign(pred=...)`), and conversions (`.values`, `.to_numpy()`).

    It reports when the first model's output is among the second model's features, or
    adjusts its target (a residual, a target corrected by the first model's output). Models
    are told apart by the value that made them: a name bound to another constructor is
    another model, and one name reused for models of unknown or equal classes is left alone.

    Not flagged: knowledge distillation, where the other model's predictions are the whole
    target and nothing is added to them; the same model fit again (that is
    MLD401 direct-feedback-loop); scikit-learn's own `StackingClassifier`/`StackingRegressor`
    and `Pipeline` (no prediction flows between fits in user code), and stacking written as
    an estimator of its own (inside a class deriving from `BaseEstimator` or a scikit-learn
    mixin, the ensemble is fit and evaluated as one model); transformers, clusterers
    and outlier detectors (`KMeans().predict` as a feature); feature extraction, where the
    first model's output among the features is a representation rather than a prediction (an
    encoder or backbone by name, a model trained without a target such as an autoencoder's
    `fit(X, X)`, a network not seen trained on a target in the function); target networks of
    reinforcement learning (`target_model`, a copy of the trained model); flows through the
    project's own functions, which are not followed.

    Across files, it follows the project's data graph: one module writes a model's
    predictions to a file or table (it predicts with a model it trains, or with a model file
    that a training module writes), and another module reads them where it trains (a training
    call in the same function as the read, or both at module level) — out-of-fold predictions
    stacked by a second script, scores a downstream model learns from. That read is reported,
    and the message names the model and prints the path file by file. Not flagged across
    files: predictions read where the module does not train; the module's own model's
    predictions coming back (MLD401 direct-feedback-loop); cluster assignments, transforms
    and encoder outputs (features, not predictions); a module that reads back a file it has
    just written itself; test modules; paths the analyzer cannot resolve. Whether the predictions become the whole target (distillation) cannot be told
    across files: such a read is reported, and a `# noqa` with a reason documents the intent.

    ## Why is this bad?
    A model that learns a correction on top of another creates a correction cascade (§2,
    Correction Cascades): the second model's behaviour now depends on every detail of the
    first, so improving the first model changes the second's inputs and can make the system
    worse — an improvement deadlock. The two can no longer be evaluated, retrained or
    replaced separately.

    ## Example
    ```python
    base = RandomForestRegressor().fit(X, y)
    residual = y - base.predict(X)
    corrector = GradientBoostingRegressor().fit(X_region, residual)
    ```

    Use instead: learn the correction inside the first model, by adding the features that
    distinguish the new problem, or train one model for both; where stacking is really
    wanted, use scikit-learn's `StackingRegressor`, which fits and evaluates the ensemble as
    one model:
    ```python
    model = GradientBoostingRegressor().fit(np.column_stack([X, region_features]), y)
    ```

    ## References
    - Sculley et al. (2015), §2 "Complex Models Erode Boundaries", Correction Cascades
    """

    CODE = "MLD201"
    NAME = "correction-cascade"
    SEVERITY = Severity.WARNING
    SECTION = Section.CORRECTION_CASCADES
    SUMMARY = "A model trained on top of another model's predictions"
    MESSAGE = "`{fit}(...)` trains `{model}` on top of `{source}`: the output of `{prediction}` (line {line}) {how}"

    VALID = [
        # Knowledge distillation: the teacher's predictions are the student's whole target.
        Valid(
            """
            from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
            teacher = RandomForestRegressor().fit(X, y)
            student = GradientBoostingRegressor()
            student.fit(X, teacher.predict(X))
            """
        ),
        # Hard labels from the teacher's probabilities are still only the teacher's output.
        Valid(
            """
            from sklearn.linear_model import LogisticRegression
            from sklearn.tree import DecisionTreeClassifier
            teacher = LogisticRegression().fit(X, y)
            labels = (teacher.predict_proba(X_unlabeled)[:, 1] > 0.5).astype(int)
            DecisionTreeClassifier().fit(X_unlabeled, labels)
            """
        ),
        # The same model fit again on its own predictions: MLD401's business, not a cascade.
        Valid(
            """
            from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
            import numpy as np
            def refit(X, X_new):
                model = RandomForestRegressor()
                model.fit(X, y)
                model.fit(np.c_[X_new, model.predict(X_new)], y_new)
            """
        ),
        # scikit-learn's own stacking: no prediction flows between fits in user code.
        Valid(
            """
            from sklearn.ensemble import StackingRegressor, RandomForestRegressor
            from sklearn.linear_model import RidgeCV
            stack = StackingRegressor([("rf", RandomForestRegressor())], final_estimator=RidgeCV())
            stack.fit(X, y)
            predictions = stack.predict(X_test)
            """
        ),
        # Predictions used only for evaluation.
        Valid(
            """
            from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
            from sklearn.metrics import mean_squared_error
            rf = RandomForestRegressor().fit(X_train, y_train)
            error = mean_squared_error(y_test, rf.predict(X_test))
            gb = GradientBoostingRegressor().fit(X_train, y_train)
            """
        ),
        # The prediction column is dropped before the other model sees the frame.
        Valid(
            """
            from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
            def train(df):
                rf = RandomForestRegressor().fit(df[["a", "b"]], df["y"])
                df["rf_pred"] = rf.predict(df[["a", "b"]])
                features = df.drop(columns=["rf_pred", "y"])
                GradientBoostingRegressor().fit(features, df["y"])
            """
        ),
        # Stacking written as an estimator: the ensemble is one model, like StackingRegressor.
        Valid(
            """
            import numpy as np
            from sklearn.base import BaseEstimator, RegressorMixin, clone
            class StackedRegressor(BaseEstimator, RegressorMixin):
                def fit(self, X, y):
                    self.base_ = [clone(model).fit(X, y) for model in self.base_models]
                    level_one = np.column_stack([model.predict(X) for model in self.base_])
                    self.meta_ = clone(self.meta_model).fit(level_one, y)
                    return self
            """
        ),
        # Cluster assignments as a feature: KMeans prepares features, it is not a model learning y.
        Valid(
            """
            from sklearn.cluster import KMeans
            from sklearn.ensemble import RandomForestClassifier
            kmeans = KMeans(n_clusters=8).fit(X)
            X["cluster"] = kmeans.predict(X)
            RandomForestClassifier().fit(X, y)
            """
        ),
        # An autoencoder's code as features: feature extraction, not a correction.
        Valid(
            """
            from keras.models import Sequential
            from xgboost import XGBClassifier
            autoencoder = Sequential()
            autoencoder.fit(X, X, epochs=20)
            codes = autoencoder.predict(X)
            XGBClassifier().fit(codes, y)
            """
        ),
        Valid(
            """
            import torch
            from sklearn.linear_model import LogisticRegression
            class Net(torch.nn.Module):
                pass
            net = Net()
            with torch.no_grad():
                embeddings = net(images).numpy()
            LogisticRegression().fit(embeddings, labels)
            """
        ),
        # One name reused for two models of unknown class: which is which cannot be told.
        Valid(
            """
            import numpy as np
            model = build("rf")
            model.fit(X, y)
            pred = model.predict(X)
            model = build("gbm")
            model.fit(np.column_stack([X, pred]), y)
            """
        ),
        # A target network in Q-learning is a copy of the model being trained.
        Valid(
            """
            def replay(model, target_model, states, rewards, next_states):
                targets = rewards + 0.99 * target_model.predict(next_states).max(axis=1)
                model.fit(states, targets, verbose=0)
            """
        ),
        # Predictions made in another function are not followed (flows stay within one function).
        Valid(
            """
            from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
            import numpy as np
            def first(X):
                return RandomForestRegressor().fit(X, y).predict(X)
            def second(X, preds):
                GradientBoostingRegressor().fit(np.column_stack([X, preds]), y)
            """
        ),
        # The fit comes before the predictions exist.
        Valid(
            """
            from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
            rf = RandomForestRegressor().fit(X, y)
            gb = GradientBoostingRegressor().fit(X, y)
            blend = (rf.predict(X_test) + gb.predict(X_test)) / 2
            """
        ),
    ]
    VALID += [
        # Across files: the predictions are only averaged, nothing trains on them.
        Valid(
            'import pandas as pd\nblend = (pd.read_csv("oof/lgb.csv").lgb + pd.read_csv("oof/xgb.csv").xgb) / 2\n',
            path="blend.py",
            files={"level_one.py": _LEVEL_ONE, "level_one_xgb.py": _LEVEL_ONE.replace("lgb", "xgb")},
        ),
        # The reading module trains, but in another function than the one that reads the predictions.
        Valid(
            """
            import pandas as pd
            from sklearn.linear_model import Ridge
            def fit(frame):
                return Ridge().fit(frame[["a", "b"]], frame.y)
            def compare():
                return pd.read_csv("oof/lgb.csv").describe()
            """,
            path="report.py",
            files={"level_one.py": _LEVEL_ONE},
        ),
        # Cluster assignments written by one script and used as features by another.
        Valid(
            """
            import pandas as pd
            from sklearn.ensemble import RandomForestClassifier
            frame = pd.read_csv("data/segments.csv")
            RandomForestClassifier().fit(frame[["segment", "a"]], frame.y)
            """,
            path="train.py",
            files={
                "segment.py": (
                    "import pandas as pd\nfrom sklearn.cluster import KMeans\n"
                    'frame = pd.read_csv("data/customers.csv")\nkmeans = KMeans(8).fit(frame)\n'
                    'frame["segment"] = kmeans.predict(frame)\nframe.to_csv("data/segments.csv")\n'
                )
            },
        ),
    ]
    INVALID = [
        # Across files: out-of-fold predictions of one script stacked by a meta-model in another.
        Invalid(
            """
            import pandas as pd
            from sklearn.linear_model import LogisticRegression
            level_two = pd.read_csv("oof/lgb.csv")
            LogisticRegression().fit(level_two[["lgb"]], pd.read_csv("data/train.csv").target)
            """,
            path="stack.py",
            line=3,
            message=(
                "`stack.py` trains on top of the predictions of the model that `level_one.py` trains: "
                "`level_one.py` writes `oof/lgb.csv` → `stack.py` reads it"
            ),
            files={"level_one.py": _LEVEL_ONE},
        ),
        # A model file, a scoring job and a second model trained on its scores.
        Invalid(
            """
            import pandas as pd
            from xgboost import XGBRegressor
            def train_corrector():
                frame = pd.read_parquet("scores/base.parquet")
                residual = frame.y - frame.base_score
                return XGBRegressor().fit(frame[["region", "base_score"]], residual)
            """,
            path="corrector/train.py",
            line=4,
            files={
                "corrector/__init__.py": "",
                "base/__init__.py": "",
                "base/train.py": (
                    "import joblib\nfrom sklearn.ensemble import RandomForestRegressor\n"
                    'model = RandomForestRegressor().fit(X, y)\njoblib.dump(model, "models/base.joblib")\n'
                ),
                "base/score.py": (
                    "import joblib\nimport pandas as pd\n"
                    'model = joblib.load("models/base.joblib")\nframe = pd.read_parquet("data/frame.parquet")\n'
                    'frame["base_score"] = model.predict(frame[["a", "b"]])\nframe.to_parquet("scores/base.parquet")\n'
                ),
            },
        ),
        # A residual model: the second model learns what the first got wrong.
        Invalid(
            """
            from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
            def fit_corrector(X, y):
                base = RandomForestRegressor()
                base.fit(X, y)
                residual = y - base.predict(X)
                corrector = GradientBoostingRegressor()
                corrector.fit(X, residual)
            """,
            line=7,
            message=(
                "`corrector.fit(...)` trains `corrector` on top of `base`: the output of `base.predict` "
                "(line 5) adjusts its target"
            ),
        ),
        # The first model's output stacked among the second model's features.
        Invalid(
            """
            import numpy as np
            from sklearn.linear_model import LogisticRegression
            from sklearn.ensemble import RandomForestClassifier
            rf = RandomForestClassifier().fit(X_train, y_train)
            meta_features = np.column_stack([X_val, rf.predict_proba(X_val)[:, 1]])
            meta = LogisticRegression()
            meta.fit(meta_features, y_val)
            """,
            line=7,
        ),
        # A DataFrame column carries the predictions into the second fit.
        Invalid(
            """
            from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
            import pandas as pd
            def train(df: pd.DataFrame):
                rf = RandomForestRegressor().fit(df[["a", "b"]], df["y"])
                df["rf_pred"] = rf.predict(df[["a", "b"]])
                features = df.drop(columns=["y"])
                gbm = GradientBoostingRegressor()
                gbm.fit(features, df["y"])
            """,
            line=8,
        ),
        # `np.c_` stacking, and the column selected by name.
        Invalid(
            """
            from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
            import numpy as np
            rf = RandomForestRegressor().fit(X, y)
            gb = GradientBoostingRegressor().fit(np.c_[X, rf.predict(X)], y)
            """,
            line=4,
        ),
        Invalid(
            """
            from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
            def train(df):
                rf = RandomForestRegressor().fit(df[["a"]], df["y"])
                df = df.assign(rf_pred=rf.predict(df[["a"]]))
                GradientBoostingRegressor().fit(df[["a", "rf_pred"]], df["y"])
            """,
            line=5,
        ),
        # Out-of-fold predictions of several models fed to a meta-model (stacking by hand).
        Invalid(
            """
            import numpy as np
            from sklearn.linear_model import Ridge
            from sklearn.model_selection import KFold
            oof = np.zeros(len(X))
            for train_idx, valid_idx in KFold(5).split(X):
                gbm = make_gbm()
                gbm.fit(X[train_idx], y[train_idx])
                oof[valid_idx] = gbm.predict(X[valid_idx])
            stacker = Ridge()
            stacker.fit(oof.reshape(-1, 1), y)
            """,
            line=10,
        ),
        # One name, two different classes: two models.
        Invalid(
            """
            import numpy as np
            from lightgbm import LGBMRegressor
            from xgboost import XGBRegressor
            model = LGBMRegressor()
            model.fit(X, y)
            lgb_pred = model.predict(X)
            model = XGBRegressor()
            model.fit(np.hstack([X, lgb_pred[:, None]]), y)
            """,
            line=8,
        ),
        # The native boosting API, with the predictions inside the training matrix.
        Invalid(
            """
            import numpy as np
            import xgboost as xgb
            first = xgb.train(params, xgb.DMatrix(X, label=y))
            margin = first.predict(xgb.DMatrix(X))
            second = xgb.train(params, xgb.DMatrix(np.column_stack([X, margin]), label=y))
            """,
            line=5,
        ),
        # A target corrected by a network's forward output.
        Invalid(
            """
            import torch
            from sklearn.linear_model import Ridge
            class Net(torch.nn.Module):
                pass
            net = Net()
            with torch.no_grad():
                baseline = net(inputs).numpy()
            Ridge().fit(features, targets - baseline)
            """,
            line=8,
        ),
    ]

    @classmethod
    def review(cls, proposed: list[Finding], project: Project, options: Any) -> Iterator[Finding]:
        """Keep the file findings, and add the cascades that run through files."""
        return _review_cascades(cls, proposed, project)

    def training_call(self, call: TrainingCall) -> None:
        trained = call.model
        if trained.prepares_features or call.in_estimator:
            return
        for prediction in call.features.predictions():
            if self._from_another_model(prediction, trained) and not _extracts_features(prediction.model):
                self._report(call, prediction, "is among its features")
                return
        target = call.target
        if not target.any_mixed():
            return  # nothing, or the other model's output as it is: distillation
        own = any(same_model(prediction.model, trained) is not False for prediction in target.predictions())
        if own:
            return  # bootstrapping from its own output (Q-learning): not a cascade
        for prediction in target.predictions():
            if self._from_another_model(prediction, trained):
                self._report(call, prediction, "adjusts its target")
                return

    def _from_another_model(self, prediction: Prediction, trained: Model) -> bool:
        source = prediction.model
        if same_model(source, trained) is not False or source.prepares_features:
            return False
        return TARGET_NETWORK_WORD not in model_name_words(source)

    def _report(self, call: TrainingCall, prediction: Prediction, how: str) -> None:
        self.report(
            call.call,
            fit=call.spelling,
            model=call.model.name,
            source=prediction.model.name,
            prediction=prediction.spelling,
            line=self.context.line_of(prediction.call),
            how=how,
        )


def _extracts_features(model: Model) -> bool:
    """A model whose output is a representation for other models rather than a prediction: an
    encoder or backbone by name, one trained without a target (an autoencoder's `fit(X, X)`), or
    a network never seen trained on a target here (its output may be any layer's)."""
    if FEATURE_EXTRACTOR_WORDS & set(model_name_words(model)):
        return True
    if model.supervised is False:
        return True
    return model.callable and model.supervised is not True


def _review_cascades(rule: type[CorrectionCascade], proposed: list[Finding], project: Project) -> Iterator[Finding]:
    yield from proposed
    data = DataGraph(project)
    by_read: dict[tuple[str, int, int], list[PredictionPath]] = {}
    for path in data.prediction_paths():
        read = path.predictions.read
        by_read.setdefault((read.module, read.line, read.column), []).append(path)
    for (module, _, _), paths in sorted(by_read.items(), key=lambda item: (data.path(item[0][0]), item[0][1:])):
        if any(path.trainer == module for path in paths):
            continue  # its own model's predictions: MLD401 direct-feedback-loop
        path = next((path for path in paths if path.trainer), paths[0])
        trainee = data.path(module)
        source = (
            f"the model that `{data.path(path.trainer)}` trains"
            if path.trainer
            else f"a model that `{data.path(path.predictions.write.module)}` uses"
        )
        message = f"`{trainee}` trains on top of the predictions of {source}: {describe_prediction_paths(data, [path])}"
        yield project_finding(rule, trainee, path.predictions.read, message)
