"""The shared intra-function data flow (`mldebt.dataflow`), on its own: what reaches each
training call, fed through a `DataFlowRule` in the engine's one traversal."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from mldebt.context import FileContext
from mldebt.dataflow import DataFlowRule, Model, TrainingCall, Value, combined, concatenated, same_model
from mldebt.facts import ScopeTracker
from mldebt.names import ImportAliases, collect_top_level


@dataclass(frozen=True)
class Seen:
    """One training call as the data flow saw it, with lines instead of nodes."""

    line: int
    spelling: str
    model: str
    features: tuple[tuple[str, str, int], ...]  # (model, method, line) of each prediction
    target: tuple[tuple[str, str, int], ...]
    mixed: bool  # the target combines predictions with other data
    unvalidated: tuple[tuple[str, int], ...]  # (loader, line)
    call: TrainingCall


class _Recorder(DataFlowRule):
    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.calls: list[TrainingCall] = []

    def training_call(self, call: TrainingCall) -> None:
        self.calls.append(call)


def flow(code: str, path: str = "example.py") -> list[Seen]:
    source = textwrap.dedent(code).strip("\n") + "\n"
    module = cst.parse_module(source)
    context = FileContext(path=path, module=path.removesuffix(".py").replace("/", "."))
    context.aliases = ImportAliases(context.module, False)
    collect_top_level(module, context.aliases)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions: Any = wrapper.resolve(PositionProvider)

    def line(node: cst.CSTNode) -> int:
        return int(positions[node].start.line)

    context.locate = line
    recorder = _Recorder(context)
    wrapper.visit_batched([ScopeTracker(context), recorder])
    assert recorder.dataflow.training_calls == recorder.calls
    return [
        Seen(
            line(call.call),
            call.spelling,
            call.model.name,
            tuple((p.model.name, p.method, line(p.call)) for p in call.features.predictions()),
            tuple((p.model.name, p.method, line(p.call)) for p in call.target.predictions()),
            call.target.any_mixed(),
            tuple((load.loader, line(load.call)) for load in call.unvalidated),
            call,
        )
        for call in recorder.calls
    ]


def only(code: str) -> Seen:
    seen = flow(code)
    assert len(seen) == 1, seen
    return seen[0]


def last(code: str) -> Seen:
    return flow(code)[-1]


# --- Predictions, and from which model ------------------------------------------------------


@pytest.mark.parametrize("method", ["predict", "predict_proba", "decision_function", "predict_log_proba"])
def test_prediction_methods(method: str) -> None:
    seen = last(
        f"""
        rf.fit(X, y)
        p = rf.{method}(X)
        gb.fit(p, y)
        """
    )
    assert seen.features == (("rf", method, 2),)
    assert seen.model == "gb"


def test_forward_call_of_a_network_defined_in_the_file() -> None:
    seen = last(
        """
        import torch.nn as nn
        class Net(nn.Module):
            pass
        net = Net()
        out = net(x).detach().numpy()
        ridge.fit(out, y)
        """
    )
    assert seen.features == (("net", "forward", 5),)


def test_forward_call_of_torch_nn_and_hf_models() -> None:
    seen = last(
        """
        import numpy as np
        import torch
        from transformers import AutoModel
        encoder = AutoModel.from_pretrained("bert-base-uncased")
        head = torch.nn.Linear(768, 1)
        a = head(features)
        b = encoder(**batch)
        ridge.fit(np.c_[a, b], y)
        """
    )
    assert {name for name, _, _ in seen.features} == {"head", "encoder"}


def test_calling_an_unknown_object_or_a_loss_is_no_prediction() -> None:
    seen = last(
        """
        import torch.nn as nn
        criterion = nn.CrossEntropyLoss()
        loss = criterion(logits, y)
        out = something(x)
        ridge.fit(np.c_[loss, out], y)
        """
    )
    assert seen.features == ()


def test_cross_val_predict_trains_and_predicts() -> None:
    first, second = flow(
        """
        from sklearn.model_selection import cross_val_predict
        oof = cross_val_predict(rf, X, y, cv=5)
        meta.fit(oof.reshape(-1, 1), y)
        """
    )
    assert (first.spelling, first.model) == ("cross_val_predict", "rf")
    assert second.features == (("rf", "sklearn.model_selection.cross_val_predict", 2),)


def test_out_of_bag_predictions_are_predictions() -> None:
    seen = last(
        """
        rf.fit(X, y)
        meta.fit(rf.oob_prediction_.reshape(-1, 1), y)
        """
    )
    assert seen.features == (("rf", "oob_prediction_", 2),)


def test_clusterers_and_transformers_do_not_predict() -> None:
    seen = last(
        """
        from sklearn.cluster import KMeans
        from sklearn.decomposition import PCA
        km = KMeans(8).fit(X)
        X["cluster"] = km.predict(X)
        pca = PCA(4).fit(X)
        gb.fit(np.c_[X, pca.transform(X)], y)
        """
    )
    assert seen.features == ()


# --- Model identity -------------------------------------------------------------------------


def test_aliases_are_the_same_model() -> None:
    seen = last(
        """
        from sklearn.linear_model import SGDClassifier
        model = SGDClassifier()
        learner = model
        pred = model.predict(X)
        learner.partial_fit(X, pred)
        """
    )
    assert seen.call.model is seen.call.target.predictions()[0].model
    assert seen.model == "model"


def test_rebinding_to_another_class_is_another_model() -> None:
    seen = last(
        """
        import numpy as np
        from lightgbm import LGBMRegressor
        from xgboost import XGBRegressor
        model = LGBMRegressor()
        model.fit(X, y)
        p = model.predict(X)
        model = XGBRegressor()
        model.fit(np.c_[X, p], y)
        """
    )
    source = seen.call.features.predictions()[0].model
    assert source is not seen.call.model
    assert same_model(source, seen.call.model) is False


def test_one_name_for_two_unknown_models_is_undecided() -> None:
    seen = last(
        """
        import numpy as np
        model = build()
        p = model.predict(X)
        model = build()
        model.fit(np.column_stack([X, p]), y)
        """
    )
    assert same_model(seen.call.features.predictions()[0].model, seen.call.model) is None


def test_a_parameter_is_one_model_throughout_the_function() -> None:
    seen = last(
        """
        def loop(model, X):
            p = model.predict(X)
            model.fit(X, p)
        """
    )
    assert same_model(seen.call.target.predictions()[0].model, seen.call.model) is True


def test_copies_are_undecided() -> None:
    seen = last(
        """
        import copy
        from sklearn.ensemble import RandomForestRegressor
        model = RandomForestRegressor()
        target = copy.deepcopy(model)
        model.fit(X, target.predict(X) + r)
        """
    )
    source = seen.call.target.predictions()[0].model
    assert source.copy_of is seen.call.model
    assert same_model(source, seen.call.model) is None


def test_constructors_record_their_class_and_fit_returns_the_model() -> None:
    seen = only(
        """
        from sklearn.ensemble import RandomForestClassifier as RFC
        clf = RFC(n_estimators=10).fit(X, y)
        """
    )
    assert seen.model == "clf"
    assert seen.call.model.constructor == "sklearn.ensemble.RandomForestClassifier"
    assert seen.call.model.supervised is True


def test_an_autoencoder_is_not_supervised() -> None:
    seen = only("autoencoder.fit(X, X, epochs=3)\n")
    assert seen.call.model.supervised is False


def test_prepares_features() -> None:
    assert Model("s", "sklearn.preprocessing.StandardScaler").prepares_features
    assert Model("k", "sklearn.cluster._kmeans.KMeans").prepares_features
    assert Model("e", "category_encoders.TargetEncoder").prepares_features
    assert not Model("r", "sklearn.ensemble.RandomForestRegressor").prepares_features
    assert not Model("m").prepares_features


# --- Propagation ----------------------------------------------------------------------------


def test_residuals_are_mixed_and_distillation_is_not() -> None:
    residual, distilled, thresholded = flow(
        """
        a.fit(X, y - base.predict(X))
        b.fit(X, teacher.predict_proba(X))
        c.fit(X, (teacher.predict_proba(X)[:, 1] > threshold).astype(int))
        """
    )
    assert residual.mixed and residual.target == (("base", "predict", 1),)
    assert not distilled.mixed and distilled.target
    assert not thresholded.mixed and thresholded.target


def test_arithmetic_with_constants_and_other_predictions_stays_a_prediction() -> None:
    seen = last(
        """
        T = 2.0
        blend = 0.6 * m1.predict(X) + 0.4 * m2.predict(X)
        student.fit(X, blend / T)
        """
    )
    assert not seen.mixed
    assert {name for name, _, _ in seen.target} == {"m1", "m2"}


def test_concatenated_labels_are_not_mixed() -> None:
    seen = last(
        """
        import numpy as np
        pseudo = clf.predict(X_unlabeled)
        clf.fit(np.vstack([X, X_unlabeled]), np.concatenate([y, pseudo]))
        """
    )
    assert seen.target == (("clf", "predict", 2),)
    assert not seen.mixed


@pytest.mark.parametrize(
    "stacked",
    [
        "np.column_stack([X, p])",
        "np.hstack((X, p[:, None]))",
        "np.c_[X, p]",
        "np.concatenate([X, p], axis=1)",
        "pd.concat([X, pd.Series(p)], axis=1)",
        "torch.cat([X, torch.tensor(p)], dim=1)",
        "scipy.sparse.hstack([X, p])",
    ],
)
def test_stacking(stacked: str) -> None:
    seen = last(
        f"""
        import numpy as np
        import pandas as pd
        import scipy.sparse
        import torch
        p = rf.predict(X)
        gb.fit({stacked}, y)
        """
    )
    assert seen.features == (("rf", "predict", 5),)


def test_frame_columns() -> None:
    written, dropped, selected, unselected, unknown, renamed = flow(
        """
        def train(df, cols):
            df["rf_pred"] = rf.predict(df[["a", "b"]])
            gb.fit(df.drop(columns=["y"]), df["y"])
            gb.fit(df.drop(["rf_pred", "y"], axis=1), df.y)
            gb.fit(df[["a", "rf_pred"]].values, df["y"])
            gb.fit(df[["a", "b"]].to_numpy(), df["y"])
            gb.fit(df[cols], df["y"])
            gb.fit(df.copy().loc[:, "rf_pred"], df["y"])
        """
    )
    assert written.features == (("rf", "predict", 2),)
    assert dropped.features == ()
    assert selected.features == (("rf", "predict", 2),)
    assert unselected.features == ()
    assert unknown.features == ()  # which columns `cols` names is unknown
    assert renamed.features == (("rf", "predict", 2),)
    assert written.target == ()


def test_columns_named_by_constants() -> None:
    seen = last(
        """
        from config import FEATURES, TARGET
        def self_train(model, frame):
            frame[TARGET] = model.predict(frame[FEATURES])
            model.fit(frame[FEATURES], frame[TARGET])
        """
    )
    assert seen.features == ()
    assert seen.target == (("model", "predict", 3),)


def test_assign_and_column_lists() -> None:
    assigned, listed = flow(
        """
        def train(df):
            df = df.assign(pred=m.predict(df[["a"]]))
            n.fit(df[["a", "pred"]], df["y"])
            features = ["a"]
            features.append("pred")
            n.fit(df[features], df["y"])
        """
    )
    assert assigned.features == listed.features == (("m", "predict", 2),)


def test_dict_of_predictions_into_a_frame() -> None:
    seen = last(
        """
        import pandas as pd
        level_one = pd.DataFrame({"rf": rf.predict(X), "gb": gb.predict(X)})
        meta.fit(level_one, y)
        """
    )
    assert {name for name, _, _ in seen.features} == {"rf", "gb"}


def test_out_of_fold_arrays_and_lists() -> None:
    array, listed = flow(
        """
        import numpy as np
        oof = np.zeros(len(X))
        for tr, va in folds:
            m = make()
            oof[va] = m.predict_proba(X[va])[:, 1]
        meta.fit(oof.reshape(-1, 1), y)
        preds = []
        for model in models:
            preds.append(model.predict(X))
        meta.fit(np.column_stack(preds), y)
        """
    )[-2:]
    assert array.features == (("m", "predict_proba", 5),)
    assert listed.features == (("model", "predict", 9),)


def test_comprehensions() -> None:
    seen = last(
        """
        import numpy as np
        level_one = np.column_stack([m.predict(X) for m in base_models])
        meta.fit(level_one, y)
        """
    )
    assert seen.features == (("m", "predict", 2),)


def test_tuple_unpacking_pairs_values() -> None:
    seen = last(
        """
        from sklearn.model_selection import train_test_split
        p = rf.predict(X)
        X_tr, X_te, y_tr, y_te = train_test_split(X, p)
        a, b = X_tr, y_tr
        gb.fit(a, b)
        """
    )
    assert seen.features == ()
    assert seen.target == (("rf", "predict", 2),)


def test_augmented_assignment() -> None:
    seen = last(
        """
        import numpy as np
        total = np.zeros(n)
        total += rf.predict(X) / 5
        meta.fit(total.reshape(-1, 1), y)
        """
    )
    assert seen.features == (("rf", "predict", 3),)


def test_partial_overwrite_of_predictions_mixes_them() -> None:
    seen = last(
        """
        def replay(model, state, action, reward):
            target_f = model.predict(state)
            target_f[0][action] = reward
            model.fit(state, target_f)
        """
    )
    assert seen.target and seen.mixed


@pytest.mark.parametrize(
    "expression",
    [
        "np.zeros_like(p)",
        "np.zeros(len(p))",
        "p.shape",
        "len(p)",
        "prepare(p)",
        "helper.transformish(p)",
        "accuracy_score(y, p)",
    ],
)
def test_what_does_not_carry_predictions(expression: str) -> None:
    seen = last(
        f"""
        import numpy as np
        from sklearn.metrics import accuracy_score
        p = rf.predict(X)
        q = {expression}
        gb.fit(q, y)
        """
    )
    assert seen.features == ()


def test_flows_stay_within_one_function() -> None:
    calls = flow(
        """
        p = rf.predict(X)
        def train():
            gb.fit(p, y)
        def other(q):
            gb.fit(q, y)
        gb.fit(p, y)
        """
    )
    assert [seen.features for seen in calls] == [(), (), (("rf", "predict", 1),)]


def test_loops_are_read_once_in_order() -> None:
    seen = flow(
        """
        for step in range(10):
            tree.fit(X, residual)
            residual = y - tree.predict(X)
        """
    )
    assert seen[0].target == ()


def test_dataset_containers_and_native_training() -> None:
    xgb_call, lgb_call = flow(
        """
        import numpy as np
        import xgboost as xgb
        import lightgbm as lgb
        margin = first.predict(xgb.DMatrix(X))
        bst = xgb.train(params, xgb.DMatrix(np.c_[X, margin], label=y))
        booster = lgb.train(params, train_set=lgb.Dataset(X, y - margin))
        """
    )
    assert xgb_call.model == "bst" and xgb_call.features == (("first", "predict", 4),)
    assert lgb_call.model == "booster" and lgb_call.target == (("first", "predict", 4),) and lgb_call.mixed


def test_trainers_built_with_their_data() -> None:
    statsmodels_call, hf_call, formula_call = flow(
        """
        import statsmodels.api as sm
        import statsmodels.formula.api as smf
        from transformers import Trainer
        fit = sm.OLS(y - rf.predict(X), X).fit()
        trainer = Trainer(model=model, train_dataset=ds)
        trainer.train()
        smf.ols("y ~ x", data=frame).fit()
        """
    )
    assert statsmodels_call.target == (("rf", "predict", 4),) and statsmodels_call.mixed
    assert hf_call.spelling == "trainer.train"
    assert formula_call.spelling == "smf.ols(...).fit"


def test_lightning_trains_the_module_it_is_given() -> None:
    seen = only(
        """
        import lightning as L
        class Lit(L.LightningModule):
            pass
        model = Lit()
        trainer.fit(model, loader)
        """
    )
    assert seen.model == "model"


def test_mode_switches_are_not_training() -> None:
    assert flow("model.train()\nmodel.train(False)\nmodel.train(mode=True)\n") == []


def test_within_an_estimator_class() -> None:
    inside, outside = flow(
        """
        from sklearn.base import BaseEstimator
        class Stacked(BaseEstimator):
            def fit(self, X, y):
                self.meta.fit(self.base.predict(X), y)
        class Plain:
            def fit(self, X, y):
                self.meta.fit(self.base.predict(X), y)
        """
    )
    assert inside.call.in_estimator and not outside.call.in_estimator


# --- Loads and validation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("load", "loader"),
    [
        ('pd.read_csv("x.csv")', "pd.read_csv"),
        ('pd.read_parquet("s3://b/x.parquet")', "pd.read_parquet"),
        ('pd.read_sql("SELECT a FROM t", conn)', "pd.read_sql"),
        ('np.load("x.npy")', "np.load"),
        ('np.loadtxt("x.txt")', "np.loadtxt"),
        ('joblib.load("x.pkl")', "joblib.load"),
        ('json.load(open("x.json"))', "open"),
        ('requests.get("https://h/x").json()', "requests.get"),
        ('load_dataset("csv", data_files="x.csv")["train"]', "load_dataset"),
        ('spark.read.parquet("s3://b/x")', "spark.read.parquet"),
        ('spark.read.format("csv").load("x")', "spark.read.format"),
        ('spark.sql("SELECT * FROM t").toPandas()', "spark.sql"),
        ('cursor.execute("SELECT a FROM t").fetchall()', "cursor.execute(...).fetchall"),
    ],
)
def test_loaders(load: str, loader: str) -> None:
    seen = only(
        f"""
        import json
        import joblib
        import numpy as np
        import pandas as pd
        import requests
        from datasets import load_dataset
        data = {load}
        model.fit(data, y)
        """
    )
    assert seen.unvalidated == ((loader, 7),)


@pytest.mark.parametrize(
    "code",
    [
        'from sklearn.datasets import load_iris\ndata = load_iris(return_X_y=True)[0]\nmodel.fit(data, y)\n',
        'f = open("log.txt", "w")\nmodel.fit(f, y)\n',
        'f = open(path, mode)\nmodel.fit(f, y)\n',
        'import pandas as pd\ndata = prepare(pd.read_csv("x.csv"))\nmodel.fit(data, y)\n',
        'import pandas as pd\ndata = pd.read_csv("x.csv")\nmodel.fit(X, y, sample_weight=data["w"])\n',
    ],
)
def test_not_loaded_or_not_followed(code: str) -> None:
    assert only(code).unvalidated == ()


def test_a_file_read_by_hand() -> None:
    seen = only(
        """
        import csv
        with open("x.csv") as handle:
            for row in csv.DictReader(handle):
                rows.append(row["a"])
        model.fit(rows, labels)
        """
    )
    assert seen.unvalidated == (("open", 2),)


@pytest.mark.parametrize(
    "check",
    [
        "assert not frame.isnull().any().any()",
        "assert X.shape[0] == len(frame)",
        "if frame.empty:\n    raise ValueError('no rows')",
        "if len(frame) > 0:\n    pass\nelse:\n    raise ValueError('no rows')",
        "if frame['a'].min() < 0:\n    sys.exit(1)",
        "frame = schema.validate(frame)",
        "SCHEMA.validate(frame)",
        "frame.pipe(schema.validate)",
        "validate_frame(frame)",
        "check_array(X)",
        "pa.DataFrameSchema({}).validate(frame)",
        "Record.model_validate(frame.iloc[0].to_dict())",
        "frame.expect_column_values_to_not_be_null('a')",
    ],
)
def test_validation_between_load_and_fit(check: str) -> None:
    code = (
        "import sys\nimport pandas as pd\nimport pandera as pa\nfrom sklearn.utils import check_array\n"
        'frame = pd.read_csv("x.csv")\nX = frame[["a"]]\n' + check + "\nmodel.fit(X, frame['y'])\n"
    )
    assert only(code).unvalidated == ()


def test_validation_after_the_fit_or_elsewhere_does_not_count() -> None:
    first, second = flow(
        """
        import pandas as pd
        def validate_later():
            frame = pd.read_csv("x.csv")
            model.fit(frame, y)
            assert frame.notnull().all().all()
        def validated_elsewhere(frame):
            assert frame.notnull().all().all()
        frame = pd.read_csv("y.csv")
        model.fit(frame, y)
        """
    )
    assert first.unvalidated == (("pd.read_csv", 3),)
    assert second.unvalidated == (("pd.read_csv", 8),)


def test_a_validating_decorator_covers_the_function() -> None:
    seen = only(
        """
        import pandas as pd
        import pandera as pa
        @pa.check_types
        def train():
            model.fit(pd.read_csv("x.csv"), y)
        """
    )
    assert seen.unvalidated == ()


def test_a_check_that_only_prints_is_no_validation() -> None:
    seen = only(
        """
        import pandas as pd
        frame = pd.read_csv("x.csv")
        if frame.isnull().any().any():
            print("nulls")
        model.fit(frame, y)
        """
    )
    assert seen.unvalidated == (("pd.read_csv", 2),)


# --- Values ---------------------------------------------------------------------------------


def test_value_combinators() -> None:
    prediction = flow("m.fit(X, n.predict(X))\n")[0].call.target
    assert concatenated([prediction, Value()]).has_predictions
    assert not concatenated([prediction, Value()]).mixed
    assert combined([prediction, Value()]).mixed
    assert not combined([prediction, Value(literal=True)]).mixed
    frame = Value().with_column("p", prediction)
    assert frame.column("p") is prediction
    assert not frame.without(["p"]).has_predictions
    assert frame.select(["p"]).has_predictions
    assert not frame.frame_wide().has_predictions


@pytest.mark.parametrize(
    "code",
    [
        "x = [*a, *b]\nm.fit(x, y)\n",
        "(a := m.predict(X))\nn.fit(a, y)\n",
        "async def f():\n    p = await m.predict(X)\n    n.fit(p, y)\n",
        "del a, b.c\nm.fit(a, y)\n",
        "global g\nm.fit(lambda x: x, y)\n",
        "a[0][1].b[2] = m.predict(X)\nn.fit(a, y)\n",
        "match x:\n    case 1:\n        m.fit(X, y)\n",
        "m.fit(*args, **kwargs)\n",
        "{**a, 'k': m.predict(X)}\n",
        "x: int = 3\nm.fit(X=x, y=[1, 2])\n",
        "class A:\n    p = m.predict(X)\n    n.fit(p, y)\n",
        "if (p := m.predict(X)) is not None:\n    n.fit(p, y)\n",
        "with a as (b, c):\n    m.fit(b, c)\n",
        "for (i, (a, b)) in enumerate(pairs):\n    m.fit(a, b)\n",
        "m.fit(df.loc[df.a > 0, ['a', 'b']], df.loc[:, 'y'])\n",
        "f'{x}'.fit(X)\n",
        "m.fit(X, y)[0].fit(X, y)\n",
        "x = {k: v for k, v in d.items()}\nm.fit(x, y)\n",
    ],
)
def test_odd_code_does_not_crash(code: str) -> None:
    flow(code)


# --- One flow per file, whatever the number of rules ------------------------------------------


def test_rules_share_one_flow_computed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from mldebt.analysis import RuleSetup
    from mldebt.dataflow import DataFlow
    from mldebt.registry import load_registry
    from mldebt.runner import check_sources

    followed: list[cst.BaseSmallStatement] = []
    original = DataFlow.statement

    def counting(self: DataFlow, node: cst.BaseSmallStatement) -> None:
        followed.append(node)
        original(self, node)

    monkeypatch.setattr(DataFlow, "statement", counting)
    rules = [rule for rule in load_registry().rules if rule.CODE in ("MLD201", "MLD401", "MLD804")]
    code = textwrap.dedent(
        """
        import pandas as pd
        frame = pd.read_csv("x.csv")
        frame["p"] = rf.predict(frame[["a"]])
        rf.fit(frame[["a", "p"]], frame["y"])
        gb.fit(frame[["a", "p"]], frame["y"])
        """
    )
    result = check_sources({"example.py": code}, [RuleSetup(rule, rule.Options(), rule.SEVERITY) for rule in rules])
    assert sorted((finding.code, finding.line) for finding in result.findings) == [
        ("MLD201", 6),
        ("MLD401", 5),
        ("MLD804", 5),
    ]
    assert len(followed) == 5  # each statement once, not once per rule


def test_models_are_marked_fitted_in_source_order() -> None:
    seen = last(
        """
        from sklearn.ensemble import RandomForestRegressor
        rf = RandomForestRegressor()
        p = rf.predict(X)
        rf.fit(X, y)
        """
    )
    assert seen.call.model.fitted and seen.call.model.supervised
