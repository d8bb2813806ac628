"""What makes a module a training module or a predicting one, and which packages are black boxes.

These decide the `trains`/`predicts` roles of the project graph and MLD502's
package count; the last part says which modules ship in a distributable package, and
which code is not the project's own (MLD502, MLD506, MLD805).
"""

from __future__ import annotations

# Receivers whose argument-less `.train()` trains (`trainer.train()`), unlike torch's mode switch.
from mldebt.knowledge.pipelines import TRAINER_WORDS as TRAINER_WORDS
from mldebt.knowledge.training import FIT_METHODS, PREDICTION_METHODS, TRAINING_FUNCTIONS

# `model.fit(X, y)`, `trainer.fit(model)`: a method that trains when it is given something.
TRAINING_METHODS = FIT_METHODS | {"train"}

# Functions that train a model handed to them (`xgb.train(params, dtrain)`).
TRAINING_CALLS = frozenset(TRAINING_FUNCTIONS)

# Methods whose result is a model's output (`predict`, `predict_proba`, `decision_function`, ...).
PREDICTING_METHODS = PREDICTION_METHODS

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

# Sub-modules of black-box packages that hold no model: metrics, data sets, splitting and
# preprocessing helpers, plotting, statistical tests (MLD502). A module that imports only these
# calls the package's utilities, not its models, and is not frozen to its model API.
BLACK_BOX_HELPER_MODULES = frozenset(
    {
        "sklearn.metrics", "sklearn.model_selection", "sklearn.preprocessing", "sklearn.datasets",
        "sklearn.utils", "sklearn.exceptions", "sklearn.base", "sklearn.compose", "sklearn.impute",
        "sklearn.feature_extraction", "sklearn.feature_selection", "sklearn.inspection",
        "sklearn.pipeline", "sklearn.decomposition", "sklearn.manifold", "sklearn.random_projection",
        "sklearn.kernel_approximation", "sklearn.covariance", "sklearn.externals", "sklearn.config_context",
        "sklearn.set_config", "sklearn.get_config", "sklearn.experimental",
        "sklearn.cross_validation", "sklearn.grid_search", "sklearn.learning_curve",  # before 0.20
        "xgboost.callback", "xgboost.plotting", "xgboost.plot_importance", "xgboost.plot_tree",
        "lightgbm.callback", "lightgbm.plotting", "lightgbm.plot_importance", "lightgbm.plot_metric",
        "lightgbm.early_stopping", "lightgbm.log_evaluation",
        "catboost.utils", "catboost.metrics",
        "statsmodels.stats", "statsmodels.graphics", "statsmodels.tools", "statsmodels.datasets",
        "statsmodels.compat",
        "imblearn.metrics", "imblearn.datasets", "imblearn.utils",
        "surprise.model_selection", "surprise.accuracy", "surprise.dataset",
        "sktime.datasets", "sktime.utils", "sktime.performance_metrics", "pmdarima.datasets",
        "pmdarima.metrics", "prophet.plot", "prophet.diagnostics", "fbprophet.plot", "fbprophet.diagnostics",
        "lifelines.datasets", "lifelines.utils", "lifelines.statistics", "lifelines.plotting",
    }
)  # fmt: skip

# Packages whose models live in sub-modules: after `import sklearn`, a module uses the models
# only when it names one of these (`sklearn.ensemble.RandomForestClassifier()`), not when it
# calls `sklearn.metrics.roc_auc_score` alone (MLD502).
BLACK_BOX_MODEL_SUBMODULES: dict[str, frozenset[str]] = {
    "sklearn": frozenset(
        {
            "ensemble", "linear_model", "svm", "tree", "neighbors", "neural_network", "naive_bayes",
            "cluster", "gaussian_process", "kernel_ridge", "discriminant_analysis", "mixture",
            "semi_supervised", "isotonic", "cross_decomposition", "multiclass", "multioutput",
            "calibration", "dummy",
        }
    ),
}  # fmt: skip

# Folders of stand-alone example, tutorial and notebook-style code: each file there shows the
# package on its own, by design, so it is no module of the system that wraps it; and folders of
# code set aside, which the system no longer runs (MLD502).
EXAMPLE_FOLDERS = frozenset(
    {
        "examples", "example", "notebooks", "notebook", "tutorials", "tutorial", "demos", "demo",
        "docs", "doc", "samples", "sample", "guides", "guide", "scratch", "sandbox", "playground",
        "prototype", "prototypes",
        # set aside
        "trash", "old", "archive", "archived", "deprecated", "backup", "backups", "unused", "attic",
    }
)  # fmt: skip

# --- Distributable packages -------------------------------------------------------------------

# Folders of a distributable project that are not shipped in its package: their public names
# have no outside users, and their calls are not the library's (MLD502, MLD506).
NOT_SHIPPED_FOLDERS = frozenset(
    {
        "tests", "test", "testing", "examples", "example", "scripts", "script", "docs", "doc",
        "benchmarks", "benchmark", "notebooks", "notebook", "tutorials", "tutorial", "tools",
        "demos", "demo", "experiments", "sandbox", "scratch", "playground",
    }
)  # fmt: skip
