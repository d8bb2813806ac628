"""MLD601 hardcoded-hyperparameter beyond its own examples: the callee tables, positions, messages."""

from __future__ import annotations

import pytest

from mldebt.knowledge.hyperparameters import hyperparameter_callee, training_method
from mldebt.registry import load_registry
from mldebt.rule import Valid
from mldebt.testing import run_example

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD601")


def findings(code: str, path: str = "train.py") -> list[tuple[int, str]]:
    return [(finding.line, finding.message) for finding in run_example(RULE, Valid(code, path=path)).findings]


@pytest.mark.parametrize(
    ("qualified", "kind"),
    [
        ("torch.optim.Adam", "optimizer"),
        ("torch.optim.adamw.AdamW", "optimizer"),
        ("torch.optim.lr_scheduler.OneCycleLR", "scheduler"),
        ("transformers.get_linear_schedule_with_warmup", "scheduler"),
        ("tensorflow.keras.optimizers.legacy.Adam", "optimizer"),
        ("tensorflow.keras.optimizers.schedules.ExponentialDecay", "scheduler"),
        ("keras.callbacks.EarlyStopping", "callback"),
        ("optax.adamw", "optimizer"),
        ("sklearn.ensemble._forest.RandomForestClassifier", "estimator"),
        ("sklearn.svm.SVC", "estimator"),
        ("xgboost.XGBRegressor", "estimator"),
        ("lightgbm.train", "booster"),
        ("transformers.TrainingArguments", "trainer"),
        ("lightning.pytorch.Trainer", "trainer"),
        ("torch.utils.data.DataLoader", "loader"),
    ],
)
def test_known_callees(qualified: str, kind: str) -> None:
    knobs = hyperparameter_callee(qualified)
    assert knobs is not None and knobs.kind == kind


@pytest.mark.parametrize(
    "qualified",
    [
        "torch.nn.Linear",
        "torch.nn.Dropout",
        "torch.optim.Optimizer",
        "keras.layers.Dense",
        "flax.linen.Dense",
        "sklearn.model_selection.KFold",
        "sklearn.decomposition.PCA",
        "sklearn.neighbors.KDTree",
        "sklearn.tree.plot_tree",
        "transformers.Trainer",
    ],
)
def test_not_hyperparameter_callees(qualified: str) -> None:
    assert hyperparameter_callee(qualified) is None


def test_training_methods_count_only_knob_keywords() -> None:
    knobs = training_method("fit")
    assert knobs is not None and knobs.keywords is not None
    assert "epochs" in knobs.keywords and "sample_weight" not in knobs.keywords
    assert training_method("predict") is None


def test_one_finding_per_call_listing_every_value() -> None:
    code = """
    import torch
    opt = torch.optim.SGD(model.parameters(), 0.1, 0.9, weight_decay=5e-4, nesterov=True)
    """
    assert findings(code) == [
        (2, "`torch.optim.SGD(...)` hard-codes `lr=0.1`, `momentum=0.9`, `weight_decay=5e-4`")
    ]


def test_positions_after_star_args_are_unknown() -> None:
    assert findings("import torch\nopt = torch.optim.SGD(*groups, 0.1)\n") == []
    assert [line for line, _ in findings("import torch\nopt = torch.optim.SGD(*groups, lr=0.1)\n")] == [2]


def test_tuples_of_numbers_count_unless_all_neutral() -> None:
    code = "import torch\na = torch.optim.Adam(p, betas=(0.9, 0.98))\nb = torch.optim.Adam(p, betas=(0, 1))\n"
    assert [line for line, _ in findings(code)] == [2]


def test_method_receiver_is_named() -> None:
    [(line, message)] = findings("history = self.model.fit(X, y, epochs=20)\n")
    assert message == "`self.model.fit(...)` hard-codes `epochs=20`"


def test_inline_params_dict_and_num_boost_round() -> None:
    code = 'import xgboost as xgb\nbst = xgb.train({"eta": 0.1, "max_depth": 6, "nthread": 4}, dtrain, 500)\n'
    [(_, message)] = findings(code)
    assert message == "`xgboost.train(...)` hard-codes `eta=0.1`, `max_depth=6`, `num_boost_round=500`"


def test_logging_cadences_are_not_knobs() -> None:
    code = "import xgboost as xgb\nbst = xgb.train(params, dtrain, verbose_eval=100)\n"
    assert findings(code) == []


def test_nested_optimizer_in_compile_is_reported_once() -> None:
    code = """
    from tensorflow.keras.optimizers import Adam
    model.compile(optimizer=Adam(1e-3), loss="mse")
    """
    assert findings(code) == [(2, "`tensorflow.keras.optimizers.Adam(...)` hard-codes `learning_rate=1e-3`")]


@pytest.mark.parametrize("path", ["configs/train.py", "hparams.py", "settings_prod.py", "test_train.py"])
def test_config_and_test_modules_are_exempt(path: str) -> None:
    assert findings("import torch\nopt = torch.optim.Adam(p, lr=1e-3)\n", path=path) == []
