"""What makes a module a training module or a predicting one, and which packages are black boxes.

These decide the `trains`/`predicts` roles of the project graph and MLD502's
package count.
"""

from __future__ import annotations

from mldebt.knowledge.models import PREDICT_METHODS, PROBABILITY_METHODS, SCORE_METHODS
from mldebt.knowledge.training import FIT_METHODS, TRAINING_FUNCTIONS

# `model.fit(X, y)`, `trainer.fit(model)`: a method that trains when it is given something.
TRAINING_METHODS = FIT_METHODS | {"train"}

# Receivers whose argument-less `.train()` trains (`trainer.train()`), unlike torch's mode switch.
TRAINER_WORDS = frozenset({"trainer", "learner", "tuner"})

# Functions that train a model handed to them (`xgb.train(params, dtrain)`).
TRAINING_CALLS = frozenset(TRAINING_FUNCTIONS)

PREDICTING_METHODS = PREDICT_METHODS | PROBABILITY_METHODS | SCORE_METHODS

# Packages whose models are black boxes to the system that calls them (MLD502): the system is
# frozen to their API unless one wrapper stands between. Tensor frameworks are not black boxes.
BLACK_BOX_PACKAGES = frozenset(
    {
        "sklearn", "xgboost", "lightgbm", "catboost", "statsmodels", "prophet", "fbprophet",
        "imblearn", "ngboost", "pygam", "pmdarima", "sktime", "lifelines", "surprise", "implicit",
        "pycaret", "autogluon", "flaml", "h2o", "tpot", "pytorch_tabnet",
    }
)  # fmt: skip

# Workflow orchestrators: a project that imports one runs its steps as a declared pipeline (MLD503).
ORCHESTRATOR_PACKAGES = frozenset(
    {"airflow", "kedro", "dvc", "prefect", "dagster", "luigi", "zenml", "metaflow", "flytekit", "flyte"}
)
