"""Function shapes: a digest of each training or evaluation function's normalised code, so the
project phase can find copy-pasted pipelines (MLD805 duplicated-training-logic).

What the shape keeps and what it folds:
- kept: the kind of every node (`Assign`, `For`, `Call`, `BinOp`, `Compare`, ...) and the
  operators, in source order, so the control flow and the expressions' structure must match;
  attribute and method names (`.fit`, `.predict`, `.iloc`, `.values`, `.backward`) and keyword
  argument names (`n_estimators=`, `random_state=`): they are the APIs the code drives, and a
  copy keeps them;
- folded: names of variables, parameters and called functions are renamed consistently in
  order of first appearance (`model` and `clf` are the same variable if every use matches), so
  a copy with renamed variables, or another model class dropped into the same pipeline
  (`RandomForestClassifier` -> `XGBClassifier`), has the same shape; literals are folded to
  their kind (`str`, `num`, or `const` for True/False/None), so a copy with other paths or
  hyperparameter values has the same shape;
- left out: the function's own name, a first `self`/`cls` parameter, decorators and docstring, type annotations, and the
  bodies of nested functions and classes (a nested definition counts as one statement).

Only functions of at least `MIN_STATEMENTS` statements (counted through every block, like
MLD501) that train or evaluate a model get a shape. Functions are found, counted and
screened from the file's `AstIndex`; only the survivors' own subtrees are walked.
"""

from __future__ import annotations

import ast
import hashlib
from collections import Counter

from mldebt.context import FileContext
from mldebt.facts import AstIndex, AstNames, FunctionShape, training_call_kind
from mldebt.knowledge.models import METRIC_MODULES
from mldebt.knowledge.roles import PREDICTING_METHODS

MIN_STATEMENTS = 8

# Methods that evaluate a model: `model.evaluate(X, y)` (Keras, trainers), `model.score(X, y)`
# (scikit-learn; with its data), `model.eval()` (a PyTorch evaluation or inference loop).
EVALUATING_METHODS = frozenset({"evaluate", "score", "eval"})

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_SKIPPED = (ast.expr_context,)
_CLOSE = ")"


def collect_shapes(index: AstIndex, names: AstNames, context: FileContext) -> tuple[FunctionShape, ...]:
    """The shapes of the file's functions that train or evaluate a model and have at least
    `MIN_STATEMENTS` statements."""
    functions = index.nodes(ast.FunctionDef, ast.AsyncFunctionDef)
    if not functions:
        return ()
    candidates = _ml_scopes(index, names)
    if not candidates:
        return ()
    statements = _statement_counts(index)
    shapes: list[FunctionShape] = []
    for function in functions:
        scope = index.scope_of(function)
        inner = f"{scope}.{function.name}" if scope else function.name
        if inner not in candidates or statements[inner] - _has_docstring(function) < MIN_STATEMENTS:
            continue
        tokens, count = _shape(function)
        if count < MIN_STATEMENTS:
            continue  # two functions of the same name in one scope shared the first count
        digest = hashlib.blake2b("\x1f".join(tokens).encode(), digest_size=12).hexdigest()
        shapes.append(FunctionShape(function.name, function.lineno, digest, count, scope))
    return tuple(shapes)


def _ml_scopes(index: AstIndex, names: AstNames) -> set[str]:
    """Dotted scopes (`train`, `Trainer.fit_model`) whose own calls train or evaluate a model."""
    found: set[str] = set()
    backward: set[str] = set()
    step: set[str] = set()
    metrics = tuple(f"{module}." for module in METRIC_MODULES)
    for call in index.nodes(ast.Call):
        scope = index.scope_of(call)
        if not scope or scope in found:
            continue
        kind = training_call_kind(call, names)
        if kind == "train" or _applies_a_model(call) or (names.qualified(call.func) or "").startswith(metrics):
            found.add(scope)
        elif kind is not None:
            (backward if kind == "backward" else step).add(scope)
    return found | (backward & step)


def _applies_a_model(call: ast.Call) -> bool:
    """`model.predict(X)`, `model.evaluate(...)`, `clf.score(X, y)`, `model.eval()` (not `eval(expr)`)."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    method = func.attr
    if method in PREDICTING_METHODS:
        return True
    if method in EVALUATING_METHODS and (method != "score" or len(call.args) >= 2):
        return method != "eval" or not (call.args or call.keywords)
    return False


def _statement_counts(index: AstIndex) -> Counter[str]:
    """Statements per dotted scope, from the index (a nested definition counts in its parent)."""
    counts: Counter[str] = Counter()
    for kind, nodes in index.by_type.items():
        if issubclass(kind, ast.stmt):
            for node in nodes:
                counts[index.scope_of(node)] += 1
    return counts


def _has_docstring(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """1 when the function's body opens with a docstring (not counted as a statement), else 0."""
    first = function.body[0] if function.body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        return int(isinstance(first.value.value, str))
    return 0


def _shape(function: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[list[str], int]:
    """The normalised tokens of a function, and its statement count (docstring excluded)."""
    renamed: dict[str, str] = {}

    def rename(identifier: str) -> str:
        token = renamed.get(identifier)
        if token is None:
            token = renamed[identifier] = f"v{len(renamed)}"
        return token

    tokens: list[str] = [type(function).__name__]
    arguments = function.args
    parameters = [*arguments.posonlyargs, *arguments.args, arguments.vararg, *arguments.kwonlyargs, arguments.kwarg]
    if parameters[0] is not None and parameters[0].arg in ("self", "cls"):
        parameters = parameters[1:]  # a method copied from a function, or back, keeps its shape
    for argument in parameters:
        if argument is not None:
            tokens.append(rename(argument.arg))
    for default in (*arguments.defaults, *(d for d in arguments.kw_defaults if d is not None)):
        tokens.append(_literal_kind(default) if isinstance(default, ast.Constant) else "default")
    body = function.body[_has_docstring(function) :]
    statements = 0
    stack: list[ast.AST | str] = list(reversed(body))
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            tokens.append(node)  # the end of a node: nesting is part of the shape
            continue
        if isinstance(node, _SKIPPED):
            continue
        tokens.append(type(node).__name__)
        if isinstance(node, ast.stmt):
            statements += 1
        if isinstance(node, _DEFINITIONS):
            continue  # judged on its own; one statement here
        if isinstance(node, ast.Name):
            tokens.append(rename(node.id))
            continue
        if isinstance(node, ast.Constant):
            tokens.append(_literal_kind(node))
            continue
        children: list[ast.AST] = list(ast.iter_child_nodes(node))
        if isinstance(node, ast.Attribute):
            tokens.append(node.attr)
        elif isinstance(node, ast.keyword):
            tokens.append(node.arg or "**")
        elif isinstance(node, ast.arg):
            tokens.append(rename(node.arg))
        elif isinstance(node, ast.alias):
            tokens.append(node.name)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            tokens.append(rename(node.name))
        elif isinstance(node, ast.Global | ast.Nonlocal):
            tokens.extend(rename(name) for name in node.names)
        elif isinstance(node, ast.AnnAssign):
            children = [child for child in (node.target, node.value) if child is not None]  # no annotation
        stack.append(_CLOSE)
        stack.extend(reversed(children))
    return tokens, statements


def _literal_kind(node: ast.Constant) -> str:
    value = node.value
    if isinstance(value, str | bytes):
        return "str"
    if isinstance(value, bool) or value is None or value is Ellipsis:
        return "const"
    return "num"
