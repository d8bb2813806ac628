"""MLD508 plain-old-data-prediction: prediction entry points that return bare tuples or dicts."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from mldebt import FileContext, Invalid, Rule, Section, Severity, Valid, literal_value
from mldebt.knowledge.models import METRIC_WORDS, name_words
from mldebt.knowledge.pipelines import (
    NOT_PREDICTION_NAME_WORDS,
    PREDICTION_ENTRY_WORDS,
    PREDICTION_FRAMEWORK_HOOKS,
)
from mldebt.names import dotted_name

MIN_VALUES = 3
# Decorator keywords that declare the response's type: the returned dict is validated into it.
_RESPONSE_MODEL_KEYWORDS = frozenset({"response_model", "output_schema", "response_schema"})


@dataclass
class _Function:
    name: str
    is_entry: bool
    reported: bool = False


class PlainOldDataPrediction(Rule):
    """
    ## What it does
    Finds a function or method named like a prediction or scoring entry point — its name's
    first word (snake or camel case) is `predict`, `score`, `infer`/`inference`, `classify`
    or `rank`: `predict`, `predict_batch`, `predictOne`, `score_customers`, `classify_image`
    — that returns a bare tuple of 3 or more values (`return label, prob, version`) or a dict
    literal with 3 or more string keys. Reports the function's first such `return`, once per
    function.

    Not flagged: private helpers (`_predict`), whose shape is internal plumbing; framework
    hooks whose return shape the framework fixes (Lightning's `predict_step`, Hugging Face's
    `prediction_step`); names that are about something other than a model's output
    (`infer_shape`, `infer_dtype`, `rank_zero_only`); `score*` functions that return
    evaluation metrics (`return precision, recall, f1`); a dict returned by a web handler
    whose decorator declares a `response_model`; and tests. Returning a dataclass, a
    `NamedTuple` or a pydantic model is the fix, so it is never flagged.

    ## Why is this bad?
    The paper's plain-old-data type smell (§5): the rich information used and produced by
    ML systems is encoded with plain data types — a prediction as a bare float or tuple, a
    parameter as a bare number. A positional tuple such as `(label, 0.93, 17)` does not
    know which model produced it, which version, or what each position means; every caller
    unpacks it by position, and adding a field breaks all of them silently or loudly. The
    meaning lives in conventions, not in types.

    ## Example
    ```python
    def predict(features):
        probability = model.predict_proba([features])[0, 1]
        return int(probability > THRESHOLD), probability, MODEL_VERSION
    ```

    Use instead: return a small typed record that names each field and carries its
    provenance:
    ```python
    @dataclass(frozen=True)
    class ChurnPrediction:
        churns: bool
        probability: float
        model_version: str

    def predict(features) -> ChurnPrediction:
        probability = model.predict_proba([features])[0, 1]
        return ChurnPrediction(probability > THRESHOLD, probability, MODEL_VERSION)
    ```

    ## References
    - Sculley et al. (2015), §5 "ML-System Anti-Patterns", Plain-Old-Data Type Smell
    """

    CODE = "MLD508"
    NAME = "plain-old-data-prediction"
    SEVERITY = Severity.INFO
    SECTION = Section.PLAIN_OLD_DATA_TYPE_SMELL
    SUMMARY = "A prediction entry point returns a bare tuple or dict instead of a typed record"
    MESSAGE = "`{function}` returns {shape}: the prediction does not say what each value means or which model made it"

    VALID = [
        Valid(
            """
            def predict(features) -> ChurnPrediction:
                probability = model.predict_proba([features])[0, 1]
                return ChurnPrediction(probability > THRESHOLD, probability, MODEL_VERSION)
            """
        ),
        Valid(
            """
            def predict(features):
                return model.predict(features), model.predict_proba(features)
            """
        ),
        Valid(
            """
            def _predict(batch):
                return logits, labels, ids
            """
        ),
        Valid(
            """
            class Model(LightningModule):
                def predict_step(self, batch, batch_idx):
                    return {"preds": preds, "target": target, "ids": ids}
            """
        ),
        Valid(
            """
            def infer_shape(x):
                return (x.size(0), x.size(1), x.size(2))
            """
        ),
        Valid(
            """
            def score(y_true, y_pred):
                return precision, recall, f1
            """
        ),
        Valid(
            """
            def score_model(model, folds):
                return {"train_auc": a, "val_auc": b, "test_auc": c}
            """
        ),
        Valid(
            """
            def evaluate(model, loader):
                return loss, accuracy, predictions
            """
        ),
        Valid(
            """
            def predict(batch):
                def unpack(item):
                    return item.a, item.b, item.c
                return Prediction(*map(unpack, batch))
            """
        ),
        Valid(
            """
            def predict(rows):
                return (*heads, tail)
            """
        ),
        Valid(
            """
            @app.post("/predict", response_model=Prediction)
            def predict(request: Request):
                return {"label": label, "probability": p, "model_version": VERSION}
            """
        ),
        Valid(
            """
            def predict(batch):
                return logits, labels, ids
            """,
            path="tests/test_model.py",
        ),
    ]
    INVALID = [
        Invalid(
            """
            def predict(features):
                probability = model.predict_proba([features])[0, 1]
                return int(probability > THRESHOLD), probability, MODEL_VERSION
            """,
            message=(
                "`predict` returns a bare tuple of 3 values: the prediction does not say what each value"
                " means or which model made it"
            ),
        ),
        Invalid(
            """
            class Detector:
                def inference(self, image):
                    boxes, scores, labels = self.model(image)
                    return (boxes, scores, labels)
            """
        ),
        Invalid(
            """
            def predictOne(row):
                return {"label": label, "score": score, "model": "v3"}
            """
        ),
        Invalid(
            """
            def score_customers(frame):
                if frame.empty:
                    return None, None, None
                return ids, scores, ranks
            """,
            line=3,
        ),
        Invalid(
            """
            async def classify_image(image):
                return {"class": name, "confidence": p, "index": i, **extra}
            """
        ),
        Invalid(
            """
            def rank_items(user, items):
                return items, scores, positions
            """
        ),
        Invalid(
            """
            @app.post("/predict")
            def predict(request: Request):
                return {"label": label, "probability": p, "model_version": VERSION}
            """
        ),
    ]

    @classmethod
    def applies_to(cls, context: FileContext) -> bool:
        return not context.is_test  # silent in tests, and records nothing there

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._functions: list[_Function] = []
        self._silent = self.context.is_test

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        name = node.name.value
        is_entry = not self._silent and _is_entry_point(name) and not _declares_response(node)
        self._functions.append(_Function(name, is_entry))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._functions.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._functions.append(_Function("<lambda>", False))

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self._functions.pop()

    def visit_Return(self, node: cst.Return) -> None:
        if not self._functions:
            return
        function = self._functions[-1]
        if not function.is_entry or function.reported or node.value is None:
            return
        shape = _bare_shape(node.value, function.name)
        if shape is not None:
            function.reported = True
            self.report(node, function=function.name, shape=shape)


def _is_entry_point(name: str) -> bool:
    if name.startswith("_") or name in PREDICTION_FRAMEWORK_HOOKS:
        return False
    words = name_words(name)
    if not words or words[0].rstrip("0123456789") not in PREDICTION_ENTRY_WORDS:
        return False
    return not any(word in NOT_PREDICTION_NAME_WORDS for word in words[1:])


def _declares_response(node: cst.FunctionDef) -> bool:
    """A decorator such as `@app.post("/p", response_model=Prediction)` types the response."""
    for decorator in node.decorators:
        call = decorator.decorator
        if isinstance(call, cst.Call) and any(
            arg.keyword is not None and arg.keyword.value in _RESPONSE_MODEL_KEYWORDS for arg in call.args
        ):
            return True
    return False


def _bare_shape(value: cst.BaseExpression, function: str) -> str | None:
    """"a bare tuple of N values" / "a dict of N string keys (`a`, `b`, ...)", else None."""
    if isinstance(value, cst.Tuple):
        if any(isinstance(element, cst.StarredElement) for element in value.elements):
            return None  # its length is not known
        count = len(value.elements)
        if count < MIN_VALUES:
            return None
        names = [_name_of(element.value) for element in value.elements]
        if _metric_names([name for name in names if name]):
            return None
        return f"a bare tuple of {count} values"
    if isinstance(value, cst.Dict):
        keys: list[str] = []
        for element in value.elements:
            if isinstance(element, cst.DictElement):
                ok, key = literal_value(element.key)
                if ok and isinstance(key, str):
                    keys.append(key)
        if len(keys) < MIN_VALUES or _metric_names(keys):
            return None
        shown = ", ".join(f"`{key}`" for key in keys[:MIN_VALUES])
        more = ", ..." if len(keys) > MIN_VALUES else ""
        return f"a dict literal with {len(keys)} string keys ({shown}{more})"
    return None


def _name_of(value: cst.BaseExpression) -> str | None:
    dotted = dotted_name(value)
    if dotted is not None:
        return dotted.rsplit(".", 1)[-1]
    if isinstance(value, cst.Call | cst.Subscript):
        inner = value.func if isinstance(value, cst.Call) else value.value
        dotted = dotted_name(inner)
        return dotted.rsplit(".", 1)[-1] if dotted is not None else None
    return None


def _metric_names(names: list[str]) -> bool:
    """Whether most of the returned names are evaluation metrics (`precision`, `val_auc`, `loss`)."""
    if not names:
        return False
    metric = sum(1 for name in names if any(word in METRIC_WORDS for word in name_words(name)))
    return metric * 2 > len(names)
