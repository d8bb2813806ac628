"""MLD601 hardcoded-hyperparameter: tuning knobs written as literals at the call that uses them."""

from __future__ import annotations

import libcst as cst

from mldebt import FileContext, Invalid, Rule, Section, Severity, Valid, literal_value
from mldebt.knowledge.hyperparameters import (
    NEUTRAL_VALUES,
    NOT_HYPERPARAMETERS,
    STAND_IN_CLASS_PREFIXES,
    SYNTHETIC_DATASET_PREFIXES,
    SYNTHETIC_DATASET_SUFFIXES,
    Knobs,
    hyperparameter_callee,
    training_method,
)
from mldebt.names import dotted_name

_TORCH = "import torch\n"
_SKLEARN = "from sklearn.ensemble import RandomForestClassifier\n"
_CODE = cst.Module([])


class HardcodedHyperparameter(Rule):
    """
    ## What it does
    Finds numeric literals passed as hyperparameters, right at the call, to model,
    optimizer, scheduler, trainer and data-loader constructors and to
    `fit`/`train` calls: `RandomForestClassifier(n_estimators=200, max_depth=7)`,
    `torch.optim.Adam(params, lr=3e-4)`, `SGD(params, 0.1)` (the learning rate,
    positionally), `model.fit(X, y, epochs=50, batch_size=32)`,
    `DataLoader(ds, batch_size=64)`, `StepLR(opt, step_size=30, gamma=0.1)`,
    `TrainingArguments(learning_rate=5e-5)`, `pl.Trainer(max_epochs=10)`, and the
    literal entries of a `params` dict written inline in `xgb.train({...}, ...)`.
    One finding per call lists every hard-coded value.

    Not counted: seeds, verbosity, parallelism and device settings (`random_state`,
    `verbose`, `n_jobs`, `device`, `num_workers`, `pin_memory`, ...); the neutral
    values 0, 1 and -1, booleans and `None`; network layers (`torch.nn.*`,
    `keras.layers.*`, `flax.linen.*`), whose sizes are the model's shape; values
    passed by name (`lr=LR`, `lr=args.lr`, `lr=config.lr`); config modules
    (`config*`, `settings*`, `params*`, `hparams*`, `conf/`), tests, test doubles
    (`class BoringModel`, `DummyNet`) and loaders over generated data
    (`DataLoader(RandomDataset(...), batch_size=2)`). On `fit` and
    `train` methods, whose receiver is unknown, only well-known knob keywords count
    (`epochs`, `batch_size`, `learning_rate`, `lr`, `early_stopping_rounds`, ...).

    ## Why is this bad?
    The paper's configuration debt (§6): the settings that decide what a model
    learns end up scattered through the code as magic numbers, so nobody can see
    at a glance which configuration produced a model, compare two runs, or change
    a value without editing (and re-reviewing) training code. A value written at
    the call cannot be overridden per experiment, swept, or logged with the run.

    ## Example
    ```python
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.01)
    model.fit(X_train, y_train, epochs=50, batch_size=32)
    ```

    Use instead: declare the values once, in configuration that is read at run
    time and saved with the model (argparse/click options, a config file, a
    dataclass), and pass them by name:
    ```python
    optimizer = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    model.fit(X_train, y_train, epochs=cfg.epochs, batch_size=cfg.batch_size)
    ```

    ## References
    - Sculley et al. (2015), §6 "Configuration Debt"
    """

    CODE = "MLD601"
    NAME = "hardcoded-hyperparameter"
    SEVERITY = Severity.INFO
    SECTION = Section.CONFIGURATION_DEBT
    SUMMARY = "Numeric hyperparameters written as literals at the model, optimizer or training call"
    MESSAGE = "`{callee}(...)` hard-codes {values}"

    VALID = [
        # Values passed by name: the literal lives in configuration, not at the call.
        Valid(_TORCH + "LR = 3e-4\noptimizer = torch.optim.Adam(model.parameters(), lr=LR)\n"),
        Valid(_TORCH + "optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=cfg.wd)\n"),
        Valid(
            """
            import argparse
            parser = argparse.ArgumentParser()
            parser.add_argument("--lr", type=float, default=3e-4)
            parser.add_argument("--epochs", type=int, default=50)
            """
        ),
        Valid(_TORCH + "def train(model, lr=3e-4):\n    return torch.optim.SGD(model.parameters(), lr)\n"),
        # Network layers are the model's shape, not tuning knobs.
        Valid(_TORCH + "layer = torch.nn.Linear(768, 10)\ndrop = torch.nn.Dropout(0.1)\n"),
        Valid("from tensorflow import keras\nhead = keras.layers.Dense(64, activation='relu')\n"),
        # Seeds, verbosity, parallelism and neutral values are not counted.
        Valid(_SKLEARN + "model = RandomForestClassifier(random_state=42, n_jobs=-1, verbose=2)\n"),
        Valid(_SKLEARN + "model = RandomForestClassifier(n_estimators=1, max_depth=-1, bootstrap=False)\n"),
        Valid(
            """
            from torch.utils.data import DataLoader
            loader = DataLoader(dataset, batch_size=1, num_workers=8, pin_memory=True)
            """
        ),
        # Config modules and tests may hold literals.
        Valid(_SKLEARN + "MODEL = RandomForestClassifier(n_estimators=200)\n", path="config.py"),
        Valid(_SKLEARN + "model = RandomForestClassifier(n_estimators=200)\n", path="tests/test_model.py"),
        # `fit` on an unknown receiver: only knob keywords count.
        Valid("model.fit(X, y, sample_weight=w, validation_split=0.2)\n"),
        Valid("scaler.fit(X)\nmodel.train()\n"),
        # A local class that shares a library's name is not the library's.
        Valid("class Adam:\n    pass\nopt = Adam(params, lr=0.1)\n"),
        # Arithmetic on names is a derived value, not a literal.
        Valid(_TORCH + "opt = torch.optim.SGD(params, lr=0.1 * batch_size / 256)\n"),
        # Model selection and preprocessing are not model hyperparameters.
        Valid("from sklearn.model_selection import KFold\nfolds = KFold(n_splits=5, shuffle=True)\n"),
        Valid("from sklearn.decomposition import PCA\npoints = PCA(n_components=2).fit_transform(X)\n"),
        # Test doubles and loaders over generated data only need to run.
        Valid(
            """
            import torch
            from torch.utils.data import DataLoader
            class BoringModel:
                def configure_optimizers(self):
                    return torch.optim.SGD(self.parameters(), lr=0.1)
            loader = DataLoader(RandomDataset(32, 64), batch_size=2)
            """
        ),
    ]
    INVALID = [
        Invalid(
            _TORCH + "optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.01)\n",
            message="`torch.optim.AdamW(...)` hard-codes `lr=3e-4`, `weight_decay=0.01`",
        ),
        Invalid(_SKLEARN + "model = RandomForestClassifier(n_estimators=200, max_depth=7, random_state=0)\n"),
        Invalid("import torch.optim as optim\nopt = optim.SGD(model.parameters(), 0.1, momentum=0.9)\n"),
        Invalid(
            """
            from torch.optim import lr_scheduler
            scheduler = lr_scheduler.StepLR(optimizer, step_size=30, gamma=0.1)
            """
        ),
        Invalid("history = model.fit(X_train, y_train, epochs=50, batch_size=32, verbose=1)\n"),
        Invalid("from torch.utils.data import DataLoader\nloader = DataLoader(train_set, 64, shuffle=True)\n"),
        Invalid(
            """
            import tensorflow as tf
            model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3), loss="mse")
            """
        ),
        Invalid("from transformers import TrainingArguments\nargs = TrainingArguments('out', learning_rate=5e-5)\n"),
        Invalid("import pytorch_lightning as pl\ntrainer = pl.Trainer(max_epochs=10, devices=2)\n"),
        Invalid("import xgboost as xgb\nclf = xgb.XGBClassifier(n_estimators=500, learning_rate=0.05)\n"),
        Invalid(
            """
            import lightgbm as lgb
            booster = lgb.train({"learning_rate": 0.05, "num_leaves": 31, "seed": 7}, train_set)
            """,
            message="`lightgbm.train(...)` hard-codes `learning_rate=0.05`, `num_leaves=31`",
        ),
        Invalid("learn.fit_one_cycle(5, 1e-3)\n"),
        Invalid(
            """
            from torch.optim.lr_scheduler import MultiStepLR
            def build(optimizer):
                return MultiStepLR(optimizer, milestones=[30, 60, 90])
            """,
            line=3,
        ),
    ]

    @classmethod
    def applies_to(cls, context: FileContext) -> bool:
        return not (context.is_test or context.is_config)  # silent there, and records nothing

    def visit_Call(self, node: cst.Call) -> None:
        if self.context.is_config or self.context.is_test:
            return
        qualified = self.qualified_name(node.func)
        knobs = hyperparameter_callee(qualified) if qualified is not None else None
        callee = qualified
        if knobs is None and isinstance(node.func, cst.Attribute):
            knobs = training_method(node.func.attr.value)
            callee = dotted_name(node.func) or f".{node.func.attr.value}"
        if knobs is None or callee is None or self._in_stand_in():
            return
        if knobs.kind == "loader" and _over_synthetic_data(node):
            return
        values = _hardcoded_values(node, knobs)
        if values:
            self.report(node, callee=callee, values=", ".join(f"`{name}={text}`" for name, text in values))

    def _in_stand_in(self) -> bool:
        """Inside a test double or toy (`class BoringModel`): its numbers only need to run."""
        return any(scope.startswith(STAND_IN_CLASS_PREFIXES) for scope in self.context.scope)


def _over_synthetic_data(node: cst.Call) -> bool:
    """`DataLoader(RandomDataset(32, 64), ...)`: a loader over generated data."""
    first = node.args[0].value if node.args and node.args[0].keyword is None else None
    if not isinstance(first, cst.Call):
        return False
    name = dotted_name(first.func)
    last = name.rsplit(".", 1)[-1] if name else ""
    return last.startswith(SYNTHETIC_DATASET_PREFIXES) and last.endswith(SYNTHETIC_DATASET_SUFFIXES)


def _hardcoded_values(node: cst.Call, knobs: Knobs) -> list[tuple[str, str]]:
    """(parameter, source text) of each literal knob the call passes."""
    values: list[tuple[str, str]] = []
    position = 0
    for arg in node.args:
        if arg.star:
            if arg.star == "*":
                position = len(node.args) + len(knobs.positional)  # positions after `*args` are unknown
            continue
        if arg.keyword is None:
            name = knobs.positional[position] if position < len(knobs.positional) else ""
            if position == knobs.params_position:
                values.extend(_params_entries(arg.value))
            elif name:
                values.extend(_knob(name, arg.value, knobs))
            position += 1
            continue
        keyword = arg.keyword.value
        if keyword == "params" and knobs.params_position >= 0:
            values.extend(_params_entries(arg.value))
        else:
            values.extend(_knob(keyword, arg.value, knobs))
    return values


def _knob(name: str, value: cst.BaseExpression, knobs: Knobs) -> list[tuple[str, str]]:
    if name in NOT_HYPERPARAMETERS:
        return []
    if knobs.keywords is not None and name not in knobs.keywords:
        return []
    return [(name, _code(value))] if _is_tuned_number(value) else []


def _params_entries(value: cst.BaseExpression) -> list[tuple[str, str]]:
    """The literal numeric entries of a `params` dict written at the call."""
    if not isinstance(value, cst.Dict):
        return []
    entries: list[tuple[str, str]] = []
    for element in value.elements:
        if not isinstance(element, cst.DictElement):
            continue
        ok, key = literal_value(element.key)
        if ok and isinstance(key, str) and key not in NOT_HYPERPARAMETERS and _is_tuned_number(element.value):
            entries.append((key, _code(element.value)))
    return entries


def _is_tuned_number(value: cst.BaseExpression) -> bool:
    """A numeric literal (or a tuple/list of them) other than the neutral 0, 1 and -1."""
    if isinstance(value, cst.Tuple | cst.List):
        numbers = [_number(element.value) for element in value.elements if isinstance(element, cst.Element)]
        if not numbers or len(numbers) != len(value.elements) or any(n is None for n in numbers):
            return False
        return any(n not in NEUTRAL_VALUES for n in numbers)
    number = _number(value)
    return number is not None and number not in NEUTRAL_VALUES


def _number(value: cst.BaseExpression) -> int | float | None:
    ok, literal = literal_value(value)
    if ok and isinstance(literal, int | float) and not isinstance(literal, bool):
        return literal
    return None


def _code(value: cst.BaseExpression) -> str:
    return " ".join(_CODE.code_for_node(value).split())
