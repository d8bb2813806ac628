"""MLD501 glue-code: functions that do little but move data between formats."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import libcst as cst

from mldebt import FileContext, Invalid, Rule, Section, Severity, Valid, literal_value
from mldebt.knowledge.conversions import CONVERSION_ATTRIBUTES, CONVERSION_FUNCTIONS, CONVERSION_METHODS

@dataclass
class _Function:
    """What one function body holds so far (its nested functions and classes excluded)."""

    node: cst.FunctionDef | None  # None for a class body or a decorator: counted nowhere
    statements: int = 0
    calls: int = 0
    conversions: int = 0
    called_attributes: set[int] = field(default_factory=set)  # ids of `x.values` in `x.values()`


class GlueCode(Rule):
    """
    ## What it does
    Finds functions whose work is mostly format conversion: a function of at
    least 8 statements in which at least 60% of the calls only move data from
    one representation to another — `.values`, `.to_numpy()`, `.tolist()`,
    `.numpy()`, `.cpu()`, `.detach()`, `.astype()`, `.reshape()`,
    `np.array`/`np.asarray`, `torch.tensor`/`torch.from_numpy`,
    `tf.convert_to_tensor`, `pd.DataFrame`/`pd.Series`, `json.dumps`/`json.loads`.

    Statements are counted through the whole body (inside `if`, `for`, `with`,
    ...), not counting a docstring or the bodies of nested functions and
    classes, which are judged on their own. The pandas attribute `.values` is
    not a call but is a conversion all the same, so each read of it counts as
    one conversion call (`mapping.values()`, a call, is a dict method and counts
    as an ordinary call). A conversion of a value written in the code
    (`torch.tensor([0.5, 0.5])`) creates data rather than moving it, and counts
    as an ordinary call. Test files are not checked: building fixtures is
    conversion by nature.

    ## Why is this bad?
    The paper (§5, Glue Code) observes that a mature ML system is often 5% ML
    code and 95% glue: code that massages data into and out of general-purpose
    packages. Each hand-written conversion freezes the system to one package's
    formats, hides copies, device transfers and dtype changes, and makes it
    costly to try another library.

    ## Example
    ```python
    def predict(frame):
        features = frame[COLUMNS].values.astype("float32")
        batch = torch.from_numpy(features)
        scores = model(batch).detach().cpu().numpy()
        result = pd.DataFrame(scores, columns=LABELS)
        payload = json.dumps(result.to_dict())
        ...
    ```

    Use instead: wrap the black-box package behind one API that speaks the
    system's own types, and convert once, at that boundary:
    ```python
    def predict(frame):
        return scorer.score(frame)  # the wrapper owns every conversion
    ```

    ## Options
    - `min-statements` (default `8`): the smallest function checked.
    - `min-share` (default `0.6`): the share of calls that must be conversions.
    - `min-conversions` (default `4`): the fewest conversion calls that make
      glue; a long function with two calls, both `.cpu()`, is not glue.

    ## References
    - Sculley et al. (2015), §5 "ML-System Anti-Patterns", Glue Code
    """

    CODE = "MLD501"
    NAME = "glue-code"
    SEVERITY = Severity.INFO
    SECTION = Section.GLUE_CODE
    SUMMARY = "A function whose calls mostly move data between formats"
    MESSAGE = (
        "`{function}` is mostly format conversion: {conversions} of its {calls} calls ({share}%) "
        "only move data between formats, over {statements} statements"
    )

    @dataclass(frozen=True)
    class Options:
        min_statements: int = 8
        min_share: float = 0.6
        min_conversions: int = 4

    VALID = [
        # Seven statements: below the size that makes glue worth a look.
        Valid(
            """
            import numpy as np
            def to_arrays(frame):
                a = frame["a"].values
                b = frame["b"].values
                c = np.asarray(a)
                d = np.asarray(b)
                e = c.astype("float32")
                f = d.astype("float32")
                return e, f
            """
        ),
        # Conversions, but mixed into real work: under 60% of the calls.
        Valid(
            """
            import numpy as np
            def evaluate(model, loader):
                losses = []
                for batch, target in loader:
                    output = model(batch)
                    loss = criterion(output, target)
                    losses.append(loss.detach().cpu())
                    log_metrics(loss)
                    update_progress(len(losses))
                mean = np.mean(losses)
                report(mean)
                return mean
            """
        ),
        # Arrays built from values written in the code: data is created, not moved.
        Valid(
            """
            import torch
            def make_weights():
                a = torch.tensor([1.0, 2.0])
                b = torch.tensor([3.0, 4.0])
                c = torch.tensor([5.0, 6.0])
                d = torch.tensor([7.0, 8.0])
                e = torch.tensor((1, 2))
                f = 3
                g = 4
                return a, b, c, d, e, f, g
            """
        ),
        # `.values()` called is a dict method, not pandas' `.values`.
        Valid(
            """
            def summarize(stats):
                a = list(stats.values())
                b = sum(stats.values())
                c = max(stats.values())
                d = min(stats.values())
                e = len(a)
                f = b / e
                g = c - d
                return f, g
            """
        ),
        # A local function named `array` is not NumPy's.
        Valid(
            """
            def array(x):
                return x
            def build(a, b, c, d):
                w = array(a)
                x = array(b)
                y = array(c)
                z = array(d)
                w1 = array(w)
                x1 = array(x)
                y1 = array(y)
                return w1, x1, y1, z
            """
        ),
        # Test files build fixtures by conversion.
        Valid(
            """
            import numpy as np
            def test_shapes(frame):
                a = frame["a"].values
                b = frame["b"].values
                c = np.asarray(a)
                d = np.asarray(b)
                e = c.astype("float32")
                f = d.astype("float32")
                assert e.shape == f.shape
                assert e.dtype == f.dtype
            """,
            path="tests/test_shapes.py",
        ),
        # Only two conversions in a long, call-poor function: not enough to be glue.
        Valid(
            """
            def collect(outputs):
                total = 0
                count = 0
                for out in outputs:
                    total += out.loss
                    count += 1
                mean = total / count
                best = outputs[0]
                for out in outputs:
                    if out.loss < best.loss:
                        best = out
                return mean.cpu(), best.logits.cpu()
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import json
            import numpy as np
            import pandas as pd
            import torch

            def predict(frame, model):
                features = frame[["a", "b"]].values
                features = features.astype("float32")
                batch = torch.from_numpy(features)
                scores = model(batch)
                scores = scores.detach().cpu().numpy()
                result = pd.DataFrame(scores, columns=["p"])
                rows = result.to_numpy().tolist()
                return json.dumps(rows)
            """,
            line=6,
            message=(
                "`predict` is mostly format conversion: 10 of its 11 calls (91%) "
                "only move data between formats, over 8 statements"
            ),
        ),
        # Aliases resolve: `from numpy import asarray as arr`, `import tensorflow as tf`.
        Invalid(
            """
            from numpy import asarray as arr
            import tensorflow as tf

            class Adapter:
                def to_model(self, frame):
                    if frame is None:
                        return None
                    x = arr(frame.x)
                    y = arr(frame.y)
                    x = x.reshape(-1, 1)
                    tx = tf.convert_to_tensor(x)
                    ty = tf.convert_to_tensor(y)
                    self.cache = (tx, ty)
                    return tx, ty
            """,
            line=5,
        ),
        # Statements inside loops and branches count; a nested function is judged alone.
        Invalid(
            """
            import pandas as pd
            def export(batches, path):
                def name(i):
                    return f"part-{i}"
                rows = []
                for batch in batches:
                    if batch is None:
                        continue
                    values = batch.cpu().numpy()
                    rows.extend(values.tolist())
                frame = pd.DataFrame(rows)
                return frame.values
            """,
            line=2,
        ),
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._stack: list[_Function] = []

    # Scopes ---------------------------------------------------------------------
    @classmethod
    def applies_to(cls, context: FileContext) -> bool:
        return not context.is_test  # silent in tests, and records nothing there

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._count_statement()
        self._stack.append(_Function(node, statements=-1 if _has_docstring(node) else 0))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._judge(self._stack.pop())

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._count_statement()
        self._stack.append(_Function(None))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._stack.pop()

    def visit_Decorator(self, node: cst.Decorator) -> None:
        self._stack.append(_Function(None))  # `@torch.no_grad()` is not the function's work

    def leave_Decorator(self, original_node: cst.Decorator) -> None:
        self._stack.pop()

    # Statements -----------------------------------------------------------------
    def _count_statement(self, count: int = 1) -> None:
        if self._stack:
            self._stack[-1].statements += count

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._count_statement(len(node.body))

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self._count_statement(len(node.body))  # `if x: a = 1; b = 2`

    def visit_If(self, node: cst.If) -> None:
        self._count_statement()

    def visit_For(self, node: cst.For) -> None:
        self._count_statement()

    def visit_While(self, node: cst.While) -> None:
        self._count_statement()

    def visit_With(self, node: cst.With) -> None:
        self._count_statement()

    def visit_Try(self, node: cst.Try) -> None:
        self._count_statement()

    def visit_TryStar(self, node: cst.TryStar) -> None:
        self._count_statement()

    def visit_Match(self, node: cst.Match) -> None:
        self._count_statement()

    # Calls ------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        if not self._stack:
            return
        frame = self._stack[-1]
        frame.calls += 1
        func = node.func
        if isinstance(func, cst.Attribute):
            frame.called_attributes.add(id(func))
            if func.attr.value in CONVERSION_METHODS:
                frame.conversions += 1
                return
        if self.qualified_name(func) in CONVERSION_FUNCTIONS and not _of_literal(node):
            frame.conversions += 1

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if not self._stack or node.attr.value not in CONVERSION_ATTRIBUTES:
            return
        frame = self._stack[-1]
        if id(node) in frame.called_attributes:
            return
        frame.calls += 1  # an attribute that converts counts as a conversion "call"
        frame.conversions += 1

    def _judge(self, frame: _Function) -> None:
        if frame.node is None or self.context.is_test:
            return
        options = cast(GlueCode.Options, self.options)
        if frame.statements < options.min_statements or frame.conversions < options.min_conversions:
            return
        if frame.conversions < options.min_share * frame.calls:
            return
        self.report(
            frame.node,
            function=frame.node.name.value,
            conversions=frame.conversions,
            calls=frame.calls,
            share=round(100 * frame.conversions / frame.calls),
            statements=frame.statements,
        )


def _has_docstring(node: cst.FunctionDef) -> bool:
    body = node.body
    if not isinstance(body, cst.IndentedBlock) or not body.body:
        return False
    first = body.body[0]
    return (
        isinstance(first, cst.SimpleStatementLine)
        and len(first.body) == 1
        and isinstance(first.body[0], cst.Expr)
        and isinstance(first.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )


def _of_literal(node: cst.Call) -> bool:
    """`torch.tensor([1.0, 2.0])`, `np.array(0)`, `json.loads("{}")`: the data is written in the
    code, so the call creates it rather than moving it."""
    return bool(node.args) and node.args[0].keyword is None and _constant(node.args[0].value)


def _constant(node: cst.BaseExpression) -> bool:
    """A literal, or a list/tuple/set/dict made only of literals."""
    if literal_value(node)[0]:
        return True
    if isinstance(node, cst.List | cst.Tuple | cst.Set):
        return all(isinstance(e, cst.Element) and _constant(e.value) for e in node.elements)
    if isinstance(node, cst.Dict):
        return all(
            isinstance(e, cst.DictElement) and _constant(e.key) and _constant(e.value) for e in node.elements
        )
    return False
