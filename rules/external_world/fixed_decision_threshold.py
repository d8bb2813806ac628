"""MLD701 fixed-decision-threshold: a model's score compared with a hard-coded number."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from mldebt import FileContext, Invalid, Section, Severity, Valid, literal_value
from mldebt.constants import ASSIGNED, LOOP, PARAMETER, SettledByScope, Scope
from mldebt.knowledge.models import (
    COMPARISON_FUNCTIONS,
    COMPARISON_METHODS,
    METRIC_CALL_NAMES,
    METRIC_CALL_SUFFIXES,
    METRIC_MODULES,
    METRIC_WORDS,
    MODEL_SCORE_CALL_NAMES,
    MODEL_SCORE_WORDS,
    SCORE_PRESERVING_METHODS,
    SETTING_WORDS,
    SQUASHING_FUNCTIONS,
    name_words,
)

# Thresholds below this are numerical guards (`probs > 1e-8` before a log), not decisions.
SMALLEST_THRESHOLD = 0.01
MAX_SHOWN = 60
_ORDERINGS = (cst.GreaterThan, cst.GreaterThanEqual, cst.LessThan, cst.LessThanEqual)
_PARAMETER = object()  # the binding of a function parameter: its value comes from the caller
_CODE = cst.Module([])


@dataclass(frozen=True)
class _Scored:
    """One side of a comparison that may be a model's score.

    `certain` when it is a call such as `predict_proba(...)`; otherwise `identifier` is the
    name that decides, and `variable` the bare variable whose assignments may decide too.
    """

    certain: bool
    identifier: str = ""
    variable: str | None = None
    column: bool = False  # `frame["prob"]`: a column, a model's output only if the file puts one there


@dataclass(frozen=True)
class _Pending:
    node: cst.CSTNode
    output: cst.BaseExpression
    scored: _Scored
    thresholds: tuple[str, ...]
    scope: Scope  # where the comparison reads its names


@dataclass
class _Frame:
    """The comparisons of a function (or the module, or a class body) to decide once it is read."""

    pending: list[_Pending] = field(default_factory=list)


class FixedDecisionThreshold(SettledByScope[_Frame]):
    """
    ## What it does
    Finds a model's score compared with a hard-coded number: a comparison (`>`, `>=`, `<`,
    `<=`, also through `np.where`/`torch.where`, `torch.gt`, `.ge(...)`) whose one side is
    the result of `predict_proba`, `decision_function`, `score_samples`, `sigmoid`, `softmax`
    or `expit` (or a subscript or attribute of it, `predict_proba(X)[:, 1]`), a variable
    assigned from one of those, or a variable named like a score (`probs`, `y_proba`,
    `pred_score`, `confidence`, `logits`), and whose other side is a float literal such as
    `0.5` or `0.73`.

    Not flagged: config modules and tests; comparisons with a named constant or a parameter
    (that is the fix); integers and whole floats (`0.0`, `1.0`: sign and range checks); values
    below 0.01 (`1e-8`: numerical guards); `assert` statements (sanity checks, not decisions);
    names that are evaluation metrics or bookkeeping rather than a model's output (`f1_score`,
    `best_score`, `val_score`, `cv_scores`, `LB_score`, `z_score`, a name assigned from
    `sklearn.metrics`, `.score(...)` or `.evaluate(...)`) and names of settings
    (`score_threshold`, `min_confidence`, `dropout_prob`). A bare `score` counts only when
    the function assigns it (not a parameter, attribute or column of unknown origin), and a
    DataFrame column (`frame["churn_prob"]`) only when the file fills that column from a
    model's score: data columns such as a `deal_probability` target are not outputs.

    ## Why is this bad?
    A decision threshold is tuned for one model on one data distribution. When the model is
    retrained or the world drifts, the score distribution moves and the old number silently
    makes different decisions. The paper calls this fixed thresholds in dynamic systems (§7):
    a hard-coded threshold is manual work to redo by hand at every update, and nothing says
    when it has gone stale.

    ## Example
    ```python
    approved = model.predict_proba(X)[:, 1] > 0.73
    ```

    Use instead: learn the threshold on held-out data with the model, store it with the
    model's artifacts or configuration, and compare with that named value:
    ```python
    approved = model.predict_proba(X)[:, 1] > bundle.threshold
    ```

    ## References
    - Sculley et al. (2015), §7 "Dealing with Changes in the External World", Fixed
      Thresholds in Dynamic Systems
    """

    CODE = "MLD701"
    NAME = "fixed-decision-threshold"
    SEVERITY = Severity.WARNING
    SECTION = Section.FIXED_THRESHOLDS
    SUMMARY = "A model's score compared with a hard-coded float threshold"
    MESSAGE = "`{output}` is compared with the fixed threshold{plural} {thresholds}"

    VALID = [
        Valid("approved = model.predict_proba(X)[:, 1] > THRESHOLD\n"),
        Valid(
            """
            def decide(model, X, threshold=0.5):
                return model.predict_proba(X)[:, 1] >= threshold
            """
        ),
        Valid("positive = logits > 0\n"),
        Valid("import numpy as np\nvalid = np.all(probs >= 0.0) and np.all(probs <= 1.0)\n"),
        Valid("safe = np.where(probs > 1e-8, np.log(probs), 0.0)\n"),
        Valid("assert model.predict_proba(X)[:, 1].max() <= 0.99\n"),
        Valid("selected = frame.query('a > 1')\nfiltered = frame[frame.a > 0.5]\n"),
        Valid(
            """
            from sklearn.metrics import f1_score
            if f1_score(y_true, y_pred) > 0.9:
                save(model)
            """
        ),
        Valid(
            """
            from sklearn.metrics import roc_auc_score
            score = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
            if score > 0.85:
                deploy(model)
            """
        ),
        Valid(
            """
            def train(clf, X, y):
                score = clf.score(X, y)
                if score > 0.8:
                    print("good")
            """
        ),
        Valid("if best_score < 0.75 or val_score > 0.9:\n    stop()\n"),
        Valid("if score_threshold > 0.5:\n    warn()\n"),
        Valid("if args.min_confidence < 0.25:\n    warn()\n"),
        Valid(
            """
            from sklearn.model_selection import cross_val_score
            scores = cross_val_score(clf, X, y)
            for score in scores:
                if score < 0.7:
                    print("weak fold")
            """
        ),
        Valid("keep = probs > 0.5\n", path="tests/test_model.py"),
        Valid("ok = model.predict_proba(X)[:, 1] > 0.5\n", path="config.py"),
        Valid("if loss < 0.05:\n    stop()\n"),
        Valid("good_ads = train[train['deal_probability'] >= 0.9]\n"),
        Valid("essays = train[train['score'] >= 3.5]\n"),
        Valid(
            """
            def save(model, score):
                if score > 0.6:
                    dump(model)
            """
        ),
        Valid("best = runs[runs.LB_score <= 0.0184]\n"),
    ]
    INVALID = [
        Invalid(
            "approved = model.predict_proba(X)[:, 1] > 0.5\n",
            message="`model.predict_proba(X)[:, 1]` is compared with the fixed threshold `0.5`",
        ),
        Invalid("import numpy as np\nlabels = np.where(clf.predict_proba(X)[:, 1] >= .73, 1, 0)\n"),
        Invalid("import torch\npred = (torch.sigmoid(logits) > 0.5).float()\n"),
        Invalid("import torch.nn.functional as F\nsure = F.softmax(out, dim=-1).max() > 0.9\n"),
        Invalid("outliers = detector.decision_function(X) < -0.2\n"),
        Invalid("y_hat = (y_proba > 0.35).astype(int)\n"),
        Invalid("for box, score in zip(boxes, scores):\n    if score > 0.7:\n        draw(box)\n", line=2),
        Invalid(
            "if 0.4 < prediction.confidence < 0.6:\n    send_to_review(prediction)\n",
            line=1,
            message="`prediction.confidence` is compared with the fixed thresholds `0.4` and `0.6`",
        ),
        Invalid("import torch\nmask = torch.where(outputs.logits > 0.25, 1, 0)\n"),
        Invalid(
            """
            frame["churn_prob"] = model.predict_proba(frame[FEATURES])[:, 1]
            flagged = frame[frame["churn_prob"] > 0.6]
            """
        ),
        Invalid(
            """
            def predict(pipeline, customer):
                churn = pipeline.predict_proba([customer])[:, 1]
                if churn >= 0.5:
                    return "churn"
            """,
            line=3,
        ),
        Invalid("import torch\nhits = torch.gt(probs, 0.8)\n"),
        Invalid("from scipy.special import expit as logistic\nlabel = logistic(margin) > 0.5\n"),
    ]

    @classmethod
    def applies_to(cls, context: FileContext) -> bool:
        return not (context.is_test or context.is_config)  # silent there, and records nothing

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._output_columns: set[str] = set()
        self._columns_pending: list[_Pending] = []
        self._asserts = 0
        self._silent = self.context.is_config or self.context.is_test

    # Scopes and assignments ---------------------------------------------------------------
    def new_frame(self, node: cst.FunctionDef | cst.ClassDef | None) -> _Frame:
        return _Frame()

    def leave_Module(self, original_node: cst.Module) -> None:
        super().leave_Module(original_node)
        for pending in self._columns_pending:
            if pending.scored.identifier in self._output_columns:
                self._report(pending)

    def visit_Assign(self, node: cst.Assign) -> None:
        super().visit_Assign(node)
        single = len(node.targets) == 1
        for target in node.targets:
            key = _string_key(target.target) if isinstance(target.target, cst.Subscript) else None
            if key is not None and single and self._holds_model_output(node.value):
                self._output_columns.add(key)  # `frame["churn_prob"] = model.predict_proba(X)[:, 1]`

    def _holds_model_output(self, value: cst.BaseExpression) -> bool:
        scored = self._scored(value)
        return scored is not None and not scored.column and self._is_model_output(scored, self.constants.scope)

    def visit_Assert(self, node: cst.Assert) -> None:
        self._asserts += 1

    def leave_Assert(self, original_node: cst.Assert) -> None:
        self._asserts -= 1

    # Comparisons --------------------------------------------------------------------------
    def visit_Comparison(self, node: cst.Comparison) -> None:
        if self._silent or self._asserts:
            return
        pairs = []
        left = node.left
        for target in node.comparisons:
            if isinstance(target.operator, _ORDERINGS):
                pairs.append((left, target.comparator))
            left = target.comparator
        self._consider(node, pairs)

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        if self._silent or self._asserts:
            return
        if any(arg.star for arg in node.args):
            return
        positional = [arg.value for arg in node.args if arg.keyword is None]
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in COMPARISON_METHODS and len(positional) == 1:
            self._consider(node, [(func.value, positional[0])])
        elif self.qualified_name(func) in COMPARISON_FUNCTIONS and len(positional) == 2:
            self._consider(node, [(positional[0], positional[1])])

    def _consider(self, node: cst.CSTNode, pairs: list[tuple[cst.BaseExpression, cst.BaseExpression]]) -> None:
        """Queue one finding for a comparison whose sides pair a model's score with float
        literals (`0.4 < prob < 0.6` is one finding naming both thresholds)."""
        output: cst.BaseExpression | None = None
        scored: _Scored | None = None
        thresholds: list[str] = []
        for first, second in pairs:
            for side, other in ((first, second), (second, first)):
                threshold = _threshold(other)
                if threshold is None or (output is not None and side is not output):
                    continue
                side_scored = scored if side is output else self._scored(side)
                if side_scored is not None:
                    output, scored = side, side_scored
                    thresholds.append(threshold)
                    break
        if output is not None and scored is not None:
            self.frames[-1].pending.append(_Pending(node, output, scored, tuple(thresholds), self.constants.scope))

    def _scored(self, expression: cst.BaseExpression) -> _Scored | None:
        """What a comparison side is, looking through subscripts, attributes and conversions."""
        node = expression
        while True:
            if isinstance(node, cst.Subscript):
                key = _string_key(node)
                if key is not None:
                    return _Scored(False, key, column=True)
                node = node.value
            elif isinstance(node, cst.Call):
                func = node.func
                if isinstance(func, cst.Attribute) and func.attr.value in SCORE_PRESERVING_METHODS:
                    node = func.value
                    continue
                return _Scored(True) if self._is_score_call(node) else None
            elif isinstance(node, cst.Attribute):
                return _Scored(False, node.attr.value)
            elif isinstance(node, cst.Name):
                return _Scored(False, node.value, node.value)
            else:
                return None

    def _is_score_call(self, call: cst.Call) -> bool:
        func = call.func
        if isinstance(func, cst.Attribute):
            spelled = func.attr.value
        elif isinstance(func, cst.Name):
            spelled = func.value
        else:
            return False
        return spelled in MODEL_SCORE_CALL_NAMES or self.qualified_name(func) in SQUASHING_FUNCTIONS

    def _is_metric_call(self, value: cst.BaseExpression) -> bool:
        if not isinstance(value, cst.Call):
            return False
        func = value.func
        spelled = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
        qualified = self.qualified_name(func) or ""
        return (
            spelled in METRIC_CALL_NAMES
            or spelled.endswith(METRIC_CALL_SUFFIXES)
            or any(qualified == module or qualified.startswith(module + ".") for module in METRIC_MODULES)
        )

    # Deciding, once a scope's bindings are all known ----------------------------------------
    def settle(self, frame: _Frame) -> None:
        for pending in frame.pending:
            if pending.scored.column:
                self._columns_pending.append(pending)  # decided once every column assignment is seen
            elif self._is_model_output(pending.scored, pending.scope):
                self._report(pending)

    def _report(self, pending: _Pending) -> None:
        thresholds = " and ".join(f"`{value}`" for value in pending.thresholds)
        self.report(
            pending.node,
            output=_shown(pending.output),
            plural="s" if len(pending.thresholds) > 1 else "",
            thresholds=thresholds,
        )

    def _values(self, name: str, scope: Scope) -> tuple[list[object], Scope] | None:
        """The values bound to `name` where `scope` reads it: an expression, `_PARAMETER` for a
        parameter, `("iter", expr)` for a loop variable, None when unknown; and the scope
        that binds them (None: unbound)."""
        # Unknown would not make the rule more careful here (a name bound to a metric would then
        # count as a score), so module names rebound by `exec(...)` are read as written.
        found = self.constants.lookup(name, scope, dynamic=False)
        if found is None:
            return None
        bound, where = found
        values: list[object] = []
        for binding in bound:
            if binding.kind == ASSIGNED:
                values.append(binding.value)
            elif binding.kind == PARAMETER:
                values.append(_PARAMETER)
            elif binding.kind == LOOP:
                values.append(("iter", binding.value))
            else:
                values.append(None)
        return values, where

    def _is_model_output(self, scored: _Scored, scope: Scope) -> bool:
        if scored.certain:
            return True
        found = self._values(scored.variable, scope) if scored.variable else None
        values, where = found if found is not None else (None, scope)
        if values:
            if any(self._is_metric_value(value, where, depth=0) for value in values):
                return False
            expressions = [value for value in values if isinstance(value, cst.BaseExpression)]
            if expressions and len(expressions) == len(values):
                if all(self._scored_call(value) for value in expressions):
                    return True
        words = set(name_words(scored.identifier))
        if (words & MODEL_SCORE_WORDS) <= {"score", "scores"}:
            # A bare "score" is as often a metric as a model's output: believe it only for a
            # variable this scope assigns (`score = doc.cats["POSITIVE"]`, `for box, score in
            # ...`), not for a parameter, an attribute or a column of unknown origin.
            if not values or any(value is _PARAMETER for value in values):
                return False
        return _named_like_a_score(scored.identifier)

    def _scored_call(self, value: cst.BaseExpression) -> bool:
        scored = self._scored(value)
        return scored is not None and scored.certain

    def _is_metric_value(self, value: object, scope: Scope, depth: int) -> bool:
        if isinstance(value, tuple):
            iterated = value[1]
            if isinstance(iterated, cst.Name) and depth < 3:
                found = self._values(iterated.value, scope)
                if found is None:
                    return False
                inner, where = found
                return any(self._is_metric_value(item, where, depth + 1) for item in inner)
            return isinstance(iterated, cst.BaseExpression) and self._is_metric_call(iterated)
        return isinstance(value, cst.BaseExpression) and self._is_metric_call(value)


def _named_like_a_score(identifier: str) -> bool:
    words = set(name_words(identifier))
    found = words & MODEL_SCORE_WORDS
    if not found or words & SETTING_WORDS:
        return False
    if found <= {"score", "scores"} and words & METRIC_WORDS:
        return False  # `f1_score`, `best_score`, `val_scores`: a metric, not a model's output
    return True


def _threshold(node: cst.BaseExpression) -> str | None:
    """The source of a float literal that can be a decision threshold, else None."""
    ok, value = literal_value(node)
    if not ok or not isinstance(node, cst.Float | cst.UnaryOperation) or not isinstance(value, float):
        return None
    if value.is_integer() or abs(value) < SMALLEST_THRESHOLD:
        return None
    return _CODE.code_for_node(node).strip()


def _string_key(node: cst.Subscript) -> str | None:
    if len(node.slice) != 1:
        return None
    index = node.slice[0].slice
    if not isinstance(index, cst.Index):
        return None
    ok, value = literal_value(index.value)
    return value if ok and isinstance(value, str) else None


def _shown(node: cst.BaseExpression) -> str:
    text = " ".join(_CODE.code_for_node(node).split())
    text = text.strip("()") if text.startswith("(") and text.endswith(")") else text
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"
