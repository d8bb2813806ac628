"""Prediction and scoring calls: what a model's output looks like in code.

Method names match whatever the receiver (a fitted estimator is rarely typed);
functions match by qualified name. The name vocabularies at the end say when a
variable holds a model's score, and when a "score" is an evaluation metric instead.
"""

from __future__ import annotations

import functools
import re

# --- Calls that return a model's output -------------------------------------------------

# Methods that return hard predictions (labels, or values for regressors; Keras `predict`
# returns the network's output, often probabilities).
PREDICT_METHODS = frozenset({"predict", "predict_on_batch", "predict_generator"})

# Methods that return class probabilities (scikit-learn API, also xgboost, lightgbm, catboost).
PROBABILITY_METHODS = frozenset({"predict_proba", "predict_log_proba"})

# Methods that return uncalibrated scores or margins (SVMs, linear models, outlier detectors).
SCORE_METHODS = frozenset({"decision_function", "score_samples"})

# Names of functions and tensor methods that squash logits into probabilities:
# `torch.sigmoid(x)`, `x.sigmoid()`, `F.softmax(x, dim=1)`, `scipy.special.expit(x)`, or a
# project's own `def sigmoid(z)`.
SQUASHING_NAMES = frozenset({"sigmoid", "softmax", "expit"})

# Squashing functions by qualified name, for imports under another name
# (`from scipy.special import expit as logistic`).
SQUASHING_FUNCTIONS = frozenset(
    {
        "torch.sigmoid",
        "torch.softmax",
        "torch.special.expit",
        "torch.nn.functional.sigmoid",
        "torch.nn.functional.softmax",
        "scipy.special.expit",
        "scipy.special.softmax",
        "tensorflow.sigmoid",
        "tensorflow.nn.sigmoid",
        "tensorflow.nn.softmax",
        "tensorflow.math.sigmoid",
        "tensorflow.keras.activations.sigmoid",
        "tensorflow.keras.activations.softmax",
        "keras.activations.sigmoid",
        "keras.activations.softmax",
        "jax.nn.sigmoid",
        "jax.nn.softmax",
        "jax.scipy.special.expit",
    }
)

# The calls whose result is a model's continuous output (a probability or a score): what a
# decision threshold is applied to. Hard `predict` outputs are left out: comparing labels
# with a number is not a threshold on a score.
MODEL_SCORE_CALL_NAMES = PROBABILITY_METHODS | SCORE_METHODS | SQUASHING_NAMES

# Methods that keep "this is a model's score" when applied to one: element access and
# conversions (`probs.max()`, `score.item()`, `logits.sigmoid().cpu().numpy()`).
SCORE_PRESERVING_METHODS = frozenset(
    {"item", "max", "min", "squeeze", "flatten", "ravel", "cpu", "numpy", "detach", "to_numpy", "float"}
)

# Elementwise comparison functions and tensor methods (`torch.gt(probs, 0.5)`, `probs.ge(0.5)`).
COMPARISON_FUNCTIONS = frozenset(
    {
        "numpy.greater",
        "numpy.greater_equal",
        "numpy.less",
        "numpy.less_equal",
        "torch.gt",
        "torch.ge",
        "torch.lt",
        "torch.le",
        "torch.greater",
        "torch.greater_equal",
        "torch.less",
        "torch.less_equal",
    }
)
COMPARISON_METHODS = frozenset({"gt", "ge", "lt", "le"})

# --- Names of variables -----------------------------------------------------------------

# Word parts (split at `_` and camelCase, case-insensitive) that name a model's score:
# `probs`, `y_proba`, `pred_score`, `confidence`, `outputs.logits`.
MODEL_SCORE_WORDS = frozenset(
    {
        "prob",
        "probs",
        "proba",
        "probas",
        "probability",
        "probabilities",
        "score",
        "scores",
        "confidence",
        "confidences",
        "logit",
        "logits",
    }
)

# Word parts that make a `score` an evaluation metric or a bookkeeping value rather than a
# model's output on one example: `f1_score`, `best_score`, `val_score`, `cv_scores`,
# `mean_score`, `z_score`, `bleu_score`.
METRIC_WORDS = frozenset(
    {
        # metrics
        "f1", "f2", "fbeta", "fscore", "auc", "roc", "ap", "accuracy", "acc", "precision", "recall",
        "r2", "mse", "mae", "rmse", "mape", "bleu", "rouge", "meteor", "cider", "spice", "bertscore",
        "silhouette", "ndcg", "map", "mrr", "iou", "miou", "dice", "jaccard", "kappa", "mcc", "brier",
        "loss", "perplexity", "fid", "inception", "wer", "cer", "em", "exact", "explained", "gini",
        "metric", "metrics", "eval", "evaluation", "benchmark", "quality", "fitness", "reward",
        # statistics
        "z", "zscore", "t", "p", "pvalue", "mean", "avg", "average", "median", "std", "var",
        "total", "sum", "overall", "cumulative", "running",
        # bookkeeping across runs, epochs and splits
        "best", "worst", "prev", "previous", "old", "new", "last", "current", "cur", "final",
        "baseline", "initial", "init", "val", "valid", "validation", "dev", "test", "train",
        "training", "cv", "oof", "fold", "epoch", "step", "history", "lb", "leaderboard", "public",
        "private",
        # properties of features, not predictions
        "corr", "correlation", "importance", "feature", "features",
    }
)

# Word parts that make a name a setting rather than an output: `score_threshold`,
# `min_confidence`, `prob_cutoff`, `logit_scale`, `dropout_prob`.
SETTING_WORDS = frozenset(
    {
        "threshold", "thresholds", "thresh", "thr", "cutoff", "tol", "tolerance", "eps", "epsilon",
        "temperature", "scale", "weight", "weights", "lr", "rate", "min", "limit", "margin",
        "level", "interval", "dropout", "drop", "keep", "noise", "smoothing", "cap", "clip",
        "bias", "alpha", "beta", "gamma", "prior", "priors", "decay", "factor", "frac", "fraction",
        "ratio", "percent", "pct", "quantile", "percentile", "default", "target", "desired", "required",
    }
)

# Calls whose result is an evaluation metric, not a model's output: `accuracy_score(...)`,
# `clf.score(X, y)`, `model.evaluate(...)`, `cross_val_score(...)`. A name assigned from
# one of these is a metric, whatever it is called.
METRIC_MODULES = ("sklearn.metrics", "torchmetrics", "evaluate")
METRIC_CALL_NAMES = frozenset({"score", "evaluate", "cross_val_score", "cross_validate", "compute_metrics"})
METRIC_CALL_SUFFIXES = ("_score", "_scores", "_metric", "_metrics", "_loss", "_error")



@functools.lru_cache(maxsize=1 << 16)  # asked of the same identifiers over and over, by several rules
def name_words(identifier: str) -> tuple[str, ...]:
    """The lower-case word parts of an identifier, split at `_` and camelCase, each also
    without trailing digits: `yProba` -> ("y", "proba"), `pred_scores2` -> ("pred", "scores2",
    "scores"), `f1_score` -> ("f1", "f", "score")."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", identifier)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", spaced)
    words: list[str] = []
    for word in re.split(r"[^A-Za-z0-9]+", spaced):
        word = word.lower()
        if not word:
            continue
        words.append(word)
        stripped = word.rstrip("0123456789")
        if stripped and stripped != word:
            words.append(stripped)
    return tuple(words)
