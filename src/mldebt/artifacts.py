"""Artifacts a file reads and writes, from its `ast` tree, and how their paths resolve.

A path is kept symbolically (`mldebt.facts.ArtifactAccess.path`): literal pieces,
references to module-level constants, and the project root (for paths built from
`__file__`), which the project phase resolves with the constants of every module, so
that `"data/x.csv"` in one file and `os.path.join(DATA_DIR, "x.csv")` in another, with
`DATA_DIR = "data"` imported from a config module, are one artifact. What cannot be
resolved is ignored, never guessed.

Where a relative path points depends on the folder the program runs from, which code
does not say. The resolver takes the usual one (`PathResolver.run_folder`): a script
runs from its own folder, a module of a package from the folder that holds the package
(`python -m pkg.train`), and a path that starts with `..` is meant from the script's own
folder. So two scripts side by side that write and read `"data/x.csv"` share the file,
and two unrelated scripts in different folders (course chapters, competitions) do not.
"""

from __future__ import annotations

import ast
import posixpath
import re
import string
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from mldebt.facts import ArtifactAccess, AstIndex, AstNames, FileFacts, _is_main_guard
from mldebt.knowledge import artifacts as known
from mldebt.knowledge.languages import SQL_FUNCTIONS, SQL_KEYWORDS, SQL_METHODS, SQL_TEXT_WRAPPERS, sql_statement
from mldebt.knowledge.roles import PREDICTING_METHODS, TRAINING_METHODS
from mldebt.knowledge.training import (
    FEATURE_EXTRACTOR_WORDS,
    MODEL_FACTORIES,
    MODEL_PACKAGES,
    NON_DATA_ATTRIBUTES,
    NON_PROPAGATING_FUNCTION_PARTS,
    PREDICTION_FUNCTIONS,
    UNSUPERVISED_IMBLEARN_MODULES,
    UNSUPERVISED_PACKAGES,
    UNSUPERVISED_SKLEARN_CLASSES,
    UNSUPERVISED_SKLEARN_MODULES,
)
from mldebt.names import ast_dotted_name

Segments = tuple[tuple[str, ...], ...]
LITERAL = "="
REFERENCE = "@"
ROOT = "^"  # a piece that stands for the project root (`__file__` paths are anchored to it)
_MAX_DEPTH = 32
_SELF_FILE = "__file__"
_HOLE = "{}"  # an unknown piece of SQL text
_ROOT_MARK = "\x00"  # the project root inside resolved text


def literal(text: str) -> Segments:
    return ((LITERAL + text,),)


class Binding(NamedTuple):
    """One binding of a name: the value (None when not a plain assignment), its line, and
    whether it is a straight-line statement of its scope (not under `if`/`for`/`try`)."""

    value: ast.expr | None
    line: int
    plain: bool


class PathReader:
    """Reads path expressions in one file: literals, f-strings, `os.path.join`, pathlib `/`,
    `+`, `__file__` and its parents, local variables (the binding in effect where straight-line
    code rebinds them), module and class constants, and imported constants (as references)."""

    def __init__(self, index: AstIndex, names: AstNames, module: str, path: str) -> None:
        self.index = index
        self.names = names
        self.module = module
        self.file_path = path
        self.bindings: dict[tuple[str, str], list[Binding]] = {}
        self.scope_lines: dict[str, int] = {}
        self.classes: set[str] = set()
        plain = self._plain_statements(index)
        for node in index.nodes(ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            scope = index.scope_of(node)
            self.scope_lines[f"{scope}.{node.name}" if scope else node.name] = node.lineno
            if isinstance(node, ast.ClassDef) and not scope:
                self.classes.add(node.name)
        for node in index.nodes(ast.Assign):
            scope = index.scope_of(node)
            for target in node.targets:
                self._bind(scope, target, node.value if len(node.targets) == 1 else None, node.lineno, id(node) in plain)
        for node in index.nodes(ast.AnnAssign):
            if node.value is not None:
                self._bind(index.scope_of(node), node.target, node.value, node.lineno, id(node) in plain)
        for node in index.nodes(ast.withitem):
            if node.optional_vars is not None:
                expression = node.context_expr
                self._bind(index.scope_of(expression), node.optional_vars, expression, expression.lineno, False)
        for node in index.nodes(ast.AugAssign, ast.For, ast.AsyncFor, ast.NamedExpr, ast.comprehension):
            target = node.target
            self._bind(index.scope_of(node), target, None, getattr(node, "lineno", 0), False)
        for node in index.nodes(ast.arg):
            self.bindings.setdefault((index.scope_of(node), node.arg), []).append(Binding(None, 0, False))
        self.consumed_opens: set[int] = set()

    @staticmethod
    def _plain_statements(index: AstIndex) -> set[int]:
        """Statements that run in order whenever their scope runs: the bodies of the module,
        of functions and classes, and of the module's `if __name__ == "__main__":`."""
        plain: set[int] = set()

        def add(body: list[ast.stmt]) -> None:
            for statement in body:
                plain.add(id(statement))
                if isinstance(statement, ast.If) and _is_main_guard(statement.test):
                    add(statement.body)

        add(index.tree.body)
        for node in index.nodes(ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            add(node.body)
        return plain

    def _bind(self, scope: str, target: ast.expr, value: ast.expr | None, line: int, plain: bool) -> None:
        if isinstance(target, ast.Name):
            self.bindings.setdefault((scope, target.id), []).append(Binding(value, line, plain))
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self._bind(scope, element, None, line, False)
        elif isinstance(target, ast.Starred):
            self._bind(scope, target.value, None, line, False)

    def binding(self, name: str, scope: str, line: int | None = None) -> tuple[bool, ast.expr | None, str]:
        """(found, the value bound where `name` is used, the scope it was found in) for `name`
        seen in `scope` at `line`: the one binding, or the last straight-line binding before
        the use (before the inner function's `def` when the use sits in one)."""
        here = scope
        while True:
            entries = self.bindings.get((here, name))
            if entries is not None:
                before = line if here == scope else self._inner_definition_line(scope, here)
                return True, _pick(entries, before), here
            if not here:
                return False, None, ""
            here = here.rsplit(".", 1)[0] if "." in here else ""

    def _inner_definition_line(self, scope: str, outer: str) -> int | None:
        """The `def` line of the function of `scope` that sits directly inside `outer`."""
        rest = scope[len(outer) + 1 :] if outer else scope
        inner = rest.split(".", 1)[0]
        return self.scope_lines.get(f"{outer}.{inner}" if outer else inner)

    def path(self, node: ast.expr | None, scope: str, depth: int = 0) -> Segments | None:
        """The symbolic path of an expression, or None when it cannot be known."""
        if node is None or depth > _MAX_DEPTH:
            return None
        if isinstance(node, ast.Constant):
            return literal(node.value) if isinstance(node.value, str) and node.value else None
        if isinstance(node, ast.JoinedStr):
            return self._fstring(node, scope, depth)
        if isinstance(node, ast.Name):
            return self._name(node, scope, depth)
        if isinstance(node, ast.Attribute):
            if node.attr in known.PATH_PARENT_ATTRIBUTES:
                return _parent(self.path(node.value, scope, depth + 1))
            if isinstance(node.value, ast.Name) and node.value.id in self.classes:
                found, value, where = self.binding(node.attr, node.value.id)
                if found:
                    return self.path(value, where, depth + 1) if value is not None else None
            return self._reference(node)
        if isinstance(node, ast.Subscript):
            return self._parents_item(node, scope, depth)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            return self._percent(node, scope, depth)
        if isinstance(node, ast.BinOp):
            left = self.path(node.left, scope, depth + 1)
            right = self.path(node.right, scope, depth + 1)
            if left is None or right is None:
                return None
            if isinstance(node.op, ast.Add):
                return _concatenate(left, right)
            if isinstance(node.op, ast.Div):
                return right if _is_absolute(right) else left + right
            return None
        if isinstance(node, ast.Call):
            return self._call(node, scope, depth)
        return None

    def _percent(self, node: ast.BinOp, scope: str, depth: int) -> Segments | None:
        """`"%s/Data" % ROOT_DIR`, `"%s/%s.csv" % (DIR, NAME)`: only `%s` with known arguments."""
        template = self.text(node.left, scope)
        if template is None or "%" not in template:
            return None
        values = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
        pieces = template.replace("%%", "\x01").split("%s")
        if len(pieces) != len(values) + 1 or any("%" in piece for piece in pieces):
            return None
        return self._fill(pieces, values, scope, depth)

    def _format(self, node: ast.Call, scope: str, depth: int) -> Segments | None:
        """`"{}/x.csv".format(DIR)`, `"{root}/x".format(root=ROOT)`: plain fields with known arguments."""
        template = self.text(node.func.value, scope)  # type: ignore[attr-defined]
        if template is None or any(isinstance(item, ast.Starred) for item in node.args):
            return None
        keywords = {item.arg: item.value for item in node.keywords if item.arg is not None}
        if len(keywords) != len(node.keywords):
            return None
        pieces: list[str] = []
        values: list[ast.expr] = []
        automatic = 0
        try:
            parsed = list(string.Formatter().parse(template))
        except ValueError:
            return None
        for text, field_name, format_spec, conversion in parsed:
            pieces.append(text)
            if field_name is None:
                continue
            if format_spec or conversion:
                return None
            if field_name == "":
                index: int | str = automatic
                automatic += 1
            else:
                index = int(field_name) if field_name.isdigit() else field_name
            if isinstance(index, int):
                if index >= len(node.args):
                    return None
                values.append(node.args[index])
            elif index in keywords:
                values.append(keywords[index])
            else:
                return None
        if len(pieces) == len(values):
            pieces.append("")
        return self._fill(pieces, values, scope, depth)

    def _fill(self, pieces: list[str], values: list[ast.expr], scope: str, depth: int) -> Segments | None:
        result: Segments = literal(pieces[0].replace("\x01", "%")) if pieces[0] else ((),)
        for value, piece in zip(values, pieces[1:]):
            part = self.path(value, scope, depth + 1)
            if part is None:
                return None
            result = _concatenate(result, part)
            if piece:
                result = _concatenate(result, literal(piece.replace("\x01", "%")))
        return result if result != ((),) else None

    def _fstring(self, node: ast.JoinedStr, scope: str, depth: int) -> Segments | None:
        result: Segments = ((),)
        for value in node.values:
            part: Segments | None
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                part = literal(value.value)
            elif isinstance(value, ast.FormattedValue) and value.conversion == -1 and value.format_spec is None:
                part = self.path(value.value, scope, depth + 1)
                if part is None:
                    return None
            else:
                return None
            result = _concatenate(result, part)
        return result if result != ((),) else None

    def _name(self, node: ast.Name, scope: str, depth: int) -> Segments | None:
        name = node.id
        if name == _SELF_FILE:
            return ((ROOT,), (LITERAL + self.file_path,))
        found, value, where = self.binding(name, scope, node.lineno)
        if found:
            if value is None:
                return None
            return self.path(value, where, depth + 1)
        qualified = self.names.qualified(node)
        if qualified is None or qualified.startswith("builtins."):
            return None
        return ((REFERENCE + qualified,),)

    def _reference(self, node: ast.Attribute) -> Segments | None:
        dotted = ast_dotted_name(node)
        if dotted is None or dotted.split(".", 1)[0] in ("self", "cls"):
            return None
        qualified = self.names.qualified(node)
        if qualified is None or qualified.startswith("builtins."):
            return None
        return ((REFERENCE + qualified,),)

    def _parents_item(self, node: ast.Subscript, scope: str, depth: int) -> Segments | None:
        """`Path(__file__).parents[1]`: the parent, that many levels up."""
        value, index = node.value, node.slice
        if not (isinstance(value, ast.Attribute) and value.attr == "parents"):
            return None
        if not (isinstance(index, ast.Constant) and isinstance(index.value, int) and 0 <= index.value < _MAX_DEPTH):
            return None
        segments = self.path(value.value, scope, depth + 1)
        for _ in range(index.value + 1):
            segments = _parent(segments)
        return segments

    def _call(self, node: ast.Call, scope: str, depth: int) -> Segments | None:
        func = node.func
        qualified = self.names.qualified(func) or ""
        if qualified in known.PATH_JOINS:
            if node.keywords or not node.args:
                return None
            joined: Segments = ()
            for argument in node.args:
                part = self.path(argument, scope, depth + 1)
                if part is None:
                    return None
                joined = part if _is_absolute(part) else joined + part
            return joined
        if qualified in known.PATH_IDENTITIES and len(node.args) == 1:
            return self.path(node.args[0], scope, depth + 1)
        if qualified in known.PATH_PARENTS and len(node.args) == 1:
            return _parent(self.path(node.args[0], scope, depth + 1))
        if qualified in known.WORKING_FOLDER_CALLS and not node.args:
            return literal(".")
        if qualified == "builtins.open" and node.args:
            self.consumed_opens.add(id(node))
            return self.path(node.args[0], scope, depth + 1)
        if isinstance(func, ast.Attribute):
            if func.attr == "format" and isinstance(func.value, ast.Constant | ast.Name):
                return self._format(node, scope, depth)
            if func.attr in known.PATH_IDENTITY_METHODS and not node.args:
                return self.path(func.value, scope, depth + 1)
            if func.attr == "joinpath" and node.args:
                base = self.path(func.value, scope, depth + 1)
                if base is None:
                    return None
                for argument in node.args:
                    part = self.path(argument, scope, depth + 1)
                    if part is None:
                        return None
                    base = part if _is_absolute(part) else base + part
                return base
            if func.attr in known.PATH_OPEN_METHODS:
                self.consumed_opens.add(id(node))
                return self.path(func.value, scope, depth + 1)
        return None

    def text(self, node: ast.expr | None, scope: str) -> str | None:
        """A string whose every piece is literal (a table name), else None."""
        segments = self.path(node, scope)
        if segments is None or len(segments) != 1:
            return None
        if any(not piece.startswith(LITERAL) for piece in segments[0]):
            return None
        return "".join(piece[1:] for piece in segments[0])

    def template(self, node: ast.expr | None, scope: str, depth: int = 0) -> str | None:
        """SQL text with its unknown pieces as `{}`: an f-string's holes, `.format(...)` and
        `%` arguments, names bound to something else. None when nothing of it is known."""
        if node is None or depth > _MAX_DEPTH:
            return None
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, str) else None
        if isinstance(node, ast.JoinedStr):
            pieces = []
            for value in node.values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    pieces.append(value.value)
                else:
                    pieces.append(_HOLE)
            return "".join(pieces)
        if isinstance(node, ast.Name):
            found, bound, where = self.binding(node.id, scope, node.lineno)
            if found and bound is not None:
                return self.template(bound, where, depth + 1)
            return None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self.template(node.left, scope, depth + 1)
            right = self.template(node.right, scope, depth + 1)
            if left is None and right is None:
                return None
            return (left if left is not None else _HOLE) + (right if right is not None else _HOLE)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            return self.template(node.left, scope, depth + 1)
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in ("format", "strip", "lower", "upper"):
                return self.template(func.value, scope, depth + 1)
            if (self.names.qualified(func) or "") in SQL_TEXT_WRAPPERS and node.args:
                return self.template(node.args[0], scope, depth + 1)
        return None


def _pick(entries: list[Binding], before: int | None) -> ast.expr | None:
    """The value in effect: the only binding, or the last straight-line one before `before`
    when every binding is straight-line code (else unknown)."""
    if len(entries) == 1:
        return entries[0].value
    if before is None or not all(entry.plain for entry in entries):
        return None
    earlier = [entry for entry in entries if entry.line < before]
    if not earlier:
        return None
    return max(earlier, key=lambda entry: entry.line).value


def _concatenate(left: Segments, right: Segments) -> Segments:
    if not left:
        return right
    if not right:
        return left
    return left[:-1] + (left[-1] + right[0],) + right[1:]


def _parent(segments: Segments | None) -> Segments | None:
    """`dirname`/`.parent`: only when the last segment is literal text we can cut."""
    if not segments:
        return None
    last = segments[-1]
    if len(last) == 1 and last[0].startswith(LITERAL):
        text = last[0][1:].rstrip("/")
        if "/" in text:
            head = text.rsplit("/", 1)[0]
            return segments[:-1] + ((LITERAL + (head or "/"),),)
        if text in ("", ".", ".."):
            return None
        return segments[:-1] if len(segments) > 1 else literal(".")
    return None


def _is_absolute(segments: Segments) -> bool:
    first = segments[0] if segments else ()
    if not first:
        return False
    return first[0] == ROOT or first[0].startswith(LITERAL + "/") or "://" in first[0]


# --- Collection ---------------------------------------------------------------------------


def argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    if keyword:
        for item in call.keywords:
            if item.arg == keyword:
                return item.value
    if 0 <= position < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        return call.args[position]
    return None


class _Labeller:
    """What a written value is: a fitted model, predictions, or plain data.

    Per scope and flow-insensitive for models; a name holds predictions from the first line
    where predictions flow into it. Predictions are a supervised model's output: what a
    clusterer, a transformer or an encoder outputs is features, and a metric computed from
    predictions is neither. The module's own functions that return models or predictions
    count as such calls.
    """

    def __init__(self, index: AstIndex, names: AstNames) -> None:
        self.names = names
        self.models: set[tuple[str, str]] = set()
        self.unsupervised: set[tuple[str, str]] = set()
        self.predictions: dict[tuple[str, str], int] = {}
        self.model_functions: set[str] = set()
        self.prediction_functions: set[str] = set()
        assignments: list[tuple[str, str, ast.expr, int]] = []
        for node in index.nodes(ast.Assign):
            scope = index.scope_of(node)
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assignments.append((scope, target.id, node.value, node.lineno))
                elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                    assignments.append((scope, target.value.id, node.value, node.lineno))  # df["pred"] = ...
                elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Attribute):
                    base = target.value.value  # df.loc[:, "pred"] = ...
                    if isinstance(base, ast.Name):
                        assignments.append((scope, base.id, node.value, node.lineno))
        for scope, name, value, _ in assignments:
            if isinstance(value, ast.Call) and self._is_unsupervised_constructor(value):
                self.unsupervised.add((scope, name))
        for call in index.nodes(ast.Call):
            func = call.func
            if isinstance(func, ast.Attribute) and func.attr in TRAINING_METHODS and isinstance(func.value, ast.Name):
                key = (index.scope_of(call), func.value.id)
                if (call.args or call.keywords) and key not in self.unsupervised:
                    self.models.add(key)
        returns: dict[str, list[ast.expr]] = {}
        for node in index.nodes(ast.Return):
            scope = index.scope_of(node)
            if node.value is not None and scope and "." not in scope:
                returns.setdefault(scope, []).append(node.value)
        for _ in range(3):  # a few rounds carry labels through `y = pred.round()` chains and helpers
            for scope, name, value, line in assignments:
                if (scope, name) in self.unsupervised:
                    continue
                if self._is_model_value(value, scope) or self._holds_model(value, scope):
                    self.models.add((scope, name))
                elif self._mentions_predictions(value, scope):
                    key = (scope, name)
                    self.predictions[key] = min(line, self.predictions.get(key, line))
            for function, values in returns.items():
                if any(self._label_of(value, function, None) == "model" for value in values):
                    self.model_functions.add(function)
                elif any(self._label_of(value, function, None) == "predictions" for value in values):
                    self.prediction_functions.add(function)

    def _is_unsupervised_constructor(self, value: ast.Call) -> bool:
        qualified = self.names.qualified(value.func) or ""
        parts = qualified.split(".")
        if parts[0] == "sklearn":
            return (len(parts) > 1 and parts[1] in UNSUPERVISED_SKLEARN_MODULES) or parts[-1] in UNSUPERVISED_SKLEARN_CLASSES
        if parts[0] == "imblearn":
            return len(parts) > 1 and parts[1] in UNSUPERVISED_IMBLEARN_MODULES
        return parts[0] in UNSUPERVISED_PACKAGES

    def _is_model_value(self, value: ast.expr, scope: str) -> bool:
        if not isinstance(value, ast.Call):
            return False
        if isinstance(value.func, ast.Name) and value.func.id in self.model_functions:
            return True
        qualified = self.names.qualified(value.func) or ""
        if qualified in MODEL_FACTORIES:
            return True
        top, _, rest = qualified.partition(".")
        last = qualified.rsplit(".", 1)[-1]
        if top == "sklearn" and self._is_unsupervised_constructor(value):
            return False
        return top in MODEL_PACKAGES and bool(rest) and last[:1].isupper() and "Dataset" not in last and "Loader" not in last

    def _is_model_name(self, name: str, scope: str) -> bool:
        return (scope, name) in self.models or ("", name) in self.models

    def _holds_predictions(self, name: str, scope: str, line: int | None) -> bool:
        for key in ((scope, name), ("", name)):
            first = self.predictions.get(key)
            if first is not None and (line is None or key[0] != scope or first <= line):
                return True
        return False

    def _predicting_receiver(self, receiver: ast.expr, scope: str) -> bool:
        """A supervised model's predict: not a clusterer's, a transformer's or an encoder's."""
        base = receiver
        while isinstance(base, ast.Attribute | ast.Subscript | ast.Call):
            if isinstance(base, ast.Call) and self._is_unsupervised_constructor(base):
                return False  # `KMeans(4).fit(X).predict(X)`
            base = base.func if isinstance(base, ast.Call) else base.value
        if isinstance(base, ast.Name) and ((scope, base.id) in self.unsupervised or ("", base.id) in self.unsupervised):
            return False
        words = set(re.split(r"[^a-z0-9]+", (ast_dotted_name(receiver) or "").lower().replace(".", "_")))
        return not (words & (FEATURE_EXTRACTOR_WORDS | known.UNSUPERVISED_MODEL_WORDS))

    def _mentions_predictions(self, value: ast.expr, scope: str, line: int | None = None) -> bool:
        stack: list[ast.AST] = [value]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Attribute) and func.attr in PREDICTING_METHODS:
                    if self._predicting_receiver(func.value, scope):
                        return True
                    continue
                if isinstance(func, ast.Name) and func.id in self.prediction_functions:
                    return True
                qualified = self.names.qualified(func) or ""
                if qualified in PREDICTION_FUNCTIONS:
                    return True
                if _summarises(qualified or ast_dotted_name(func) or ""):
                    continue  # a metric of predictions is not predictions
            elif isinstance(node, ast.Attribute) and node.attr in NON_DATA_ATTRIBUTES:
                continue  # `preds.shape`
            elif isinstance(node, ast.Name) and self._holds_predictions(node.id, scope, line):
                return True
            elif isinstance(node, ast.Lambda | ast.FunctionDef):
                continue
            stack.extend(ast.iter_child_nodes(node))
        return False

    def _holds_model(self, value: ast.expr, scope: str) -> bool:
        """A model, or a bundle that carries one: `{"model": clf, ...}`, `(vectorizer, clf)`."""
        if isinstance(value, ast.Name):
            return self._is_model_name(value.id, scope)
        if isinstance(value, ast.Dict):
            return any(item is not None and self._holds_model(item, scope) for item in value.values)
        if isinstance(value, ast.List | ast.Tuple | ast.Set):
            return any(self._holds_model(item, scope) for item in value.elts)
        if isinstance(value, ast.Call) and (self.names.qualified(value.func) or "") in known.BUNDLE_CALLS:
            items = list(value.args) + [keyword.value for keyword in value.keywords]
            return any(self._holds_model(item, scope) for item in items)
        return False

    def label(self, value: ast.expr | None, scope: str, line: int | None = None) -> str:
        return self._label_of(value, scope, line) if value is not None else "data"

    def _label_of(self, value: ast.expr, scope: str, line: int | None) -> str:
        base = value
        while isinstance(base, ast.Subscript | ast.Attribute) and not isinstance(base, ast.Call):
            base = base.value
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "state_dict":
            return "model"
        if isinstance(base, ast.Name):
            if self._is_model_name(base.id, scope):
                return "model"
            if self._holds_predictions(base.id, scope, line):
                return "predictions"
        if self._is_model_value(value, scope) or self._holds_model(value, scope):
            return "model"
        if self._mentions_predictions(value, scope, line):
            return "predictions"
        if isinstance(base, ast.Name) and (scope, base.id) in self.unsupervised:
            return "data"
        word = (ast_dotted_name(base) or "").rsplit(".", 1)[-1].lower()
        if any(part in word for part in known.MODEL_NAME_WORDS):
            return "model"
        if any(part in word for part in known.PREDICTION_NAME_WORDS):
            return "predictions"
        return "data"


def _summarises(name: str) -> bool:
    """A call that reduces predictions to a number or a report (a metric), or describes them
    (`len(preds)`), by its name."""
    if name.startswith(known.METRIC_MODULES):
        return True
    last = name.rsplit(".", 1)[-1].lower()
    if last in NON_PROPAGATING_FUNCTION_PARTS or last in known.DESCRIBING_CALLS:
        return True
    return any(word in last for word in known.METRIC_NAME_WORDS)


class _LazyLabeller:
    """A `_Labeller` built when a value is first labelled: most files write nothing, and
    labelling walks every assignment of the file a few times over."""

    def __init__(self, index: AstIndex, names: AstNames) -> None:
        self._index = index
        self._names = names
        self._built: _Labeller | None = None

    def label(self, value: ast.expr | None, scope: str, line: int | None = None) -> str:
        if self._built is None:
            self._built = _Labeller(self._index, self._names)
        return self._built.label(value, scope, line)


def collect_artifacts(index: AstIndex, names: AstNames, reader: PathReader) -> tuple[ArtifactAccess, ...]:
    """Every read and write of a file or table this file makes, in source order."""
    labeller = _LazyLabeller(index, names)
    wrappers = _Wrappers(index, reader)
    found: list[ArtifactAccess] = []
    opens: list[ast.Call] = []

    def add(
        mode: str, call: ast.Call, target: ast.expr | None, name: str, scope: str, label: str = "data",
        value: ast.expr | None = None,
    ) -> None:
        segments = reader.path(target, scope)
        if segments is not None:
            found.append(ArtifactAccess(mode, segments, call.lineno, call.col_offset + 1, name, "file", label, scope))
        else:
            wrappers.note(mode, target, value, name, scope)

    def table(mode: str, call: ast.Call, table_name: str, name: str, scope: str, label: str = "data") -> None:
        found.append(ArtifactAccess(mode, literal(table_name), call.lineno, call.col_offset + 1, name, "table", label, scope))

    for call in index.nodes(ast.Call):
        scope = index.scope_of(call)
        func = call.func
        qualified = names.qualified(func) or ""
        method = func.attr if isinstance(func, ast.Attribute) else ""
        if qualified == "builtins.open":
            opens.append(call)
            continue
        if qualified in known.MODE_FUNCTIONS:
            path_slot, mode_slot = known.MODE_FUNCTIONS[qualified]
            writes = _mode(argument(call, *mode_slot))
            if writes is not None:
                add("write" if writes else "read", call, argument(call, *path_slot), qualified, scope)
            continue
        if qualified in known.READ_FUNCTIONS:
            slot = known.READ_FUNCTIONS[qualified]
            add("read", call, argument(call, *slot), qualified, scope)
            continue
        if qualified in known.WRITE_FUNCTIONS:
            path_slot, value_slot = known.WRITE_FUNCTIONS[qualified]
            value = argument(call, *value_slot)
            label = labeller.label(value, scope, call.lineno)
            add("write", call, argument(call, *path_slot), qualified, scope, label, value)
            continue
        prefix = next((p for p in known.READ_FUNCTION_PREFIXES if qualified.startswith(p)), None)
        if prefix is not None:
            if qualified in known.TABLE_READERS:
                name = reader.text(argument(call, 0, "table_name"), scope)
                if name:
                    table("read", call, _table_name(name), qualified, scope)
            elif qualified in known.SQL_READERS or "sql" in qualified.rsplit(".", 1)[-1]:
                _sql_tables(reader.template(argument(call, 0, "sql"), scope), call, qualified, scope, table)
            else:
                add("read", call, argument(call, *known.READ_FUNCTION_PREFIXES[prefix]), qualified, scope)
            continue
        if not method:
            if qualified in SQL_FUNCTIONS:
                _sql_tables(reader.template(_sql_argument(call), scope), call, qualified, scope, table)
            continue
        receiver = func.value
        chain = _chain(receiver)
        if "write" in chain and method in known.SPARK_WRITE_METHODS:
            label = labeller.label(_frame_of(receiver), scope, call.lineno)
            if method in ("saveAsTable", "insertInto"):
                name = reader.text(argument(call, 0, "name" if method == "saveAsTable" else "tableName"), scope)
                if name:
                    table("write", call, _table_name(name), f".write.{method}", scope, label)
            else:
                add("write", call, argument(call, 0, "path"), f".write.{method}", scope, label)
        elif "read" in chain and method in known.SPARK_READ_METHODS:
            add("read", call, argument(call, 0, "path"), f".read.{method}", scope)
        elif method == "table" and any("spark" in part.lower() for part in chain):
            name = reader.text(argument(call, 0, "tableName"), scope)
            if name:
                table("read", call, _table_name(name), ".table", scope)
        elif method in known.FRAME_WRITE_METHODS:
            target = argument(call, 0, "path_or_buf") or argument(call, -1, "path") or argument(call, -1, "file")
            add("write", call, target, f".{method}", scope, labeller.label(receiver, scope, call.lineno), receiver)
        elif method in known.TABLE_WRITE_METHODS:
            name = reader.text(argument(call, 0, "name"), scope)
            if name:
                table("write", call, _table_name(name), f".{method}", scope, labeller.label(receiver, scope, call.lineno))
        elif method in known.MODEL_WRITE_METHODS:
            target = argument(call, 0, "save_directory") or argument(call, -1, "fname") or argument(call, -1, "filepath")
            add("write", call, target, f".{method}", scope, "model")
        elif method in known.GENERIC_SAVE_METHODS and labeller.label(receiver, scope) == "model":
            add("write", call, argument(call, 0, "filepath"), f".{method}", scope, "model")
        elif method in known.READ_METHODS:
            add("read", call, argument(call, *known.READ_METHODS[method]), f".{method}", scope)
        elif method in known.PRETRAINED_READ_METHODS:
            add("read", call, argument(call, 0, "pretrained_model_name_or_path"), f".{method}", scope)
        elif method in known.PATH_READ_METHODS and not call.args:
            add("read", call, receiver, f".{method}", scope)
        elif method in known.PATH_WRITE_METHODS:
            add("write", call, receiver, f".{method}", scope)
        elif method in known.PATH_OPEN_METHODS and isinstance(receiver, ast.Call | ast.Name | ast.BinOp):
            mode = _mode(argument(call, 0, "mode"))
            if mode is not None and _looks_like_pathlib(receiver, reader, scope):
                add("write" if mode else "read", call, receiver, ".open", scope)
        elif method in SQL_METHODS:
            _sql_tables(reader.template(_sql_argument(call), scope), call, f".{method}", scope, table)

    for call in opens:
        if id(call) in reader.consumed_opens:
            continue  # read or written by the call it is passed to, with a better label
        mode = _mode(argument(call, 1, "mode"))
        if mode is None:
            continue
        scope = index.scope_of(call)
        add("write" if mode else "read", call, argument(call, 0, "file"), "open", scope)
    found.extend(wrappers.calls(labeller))
    found.sort(key=lambda access: (access.line, access.column))
    return tuple(found)


class _Wrappers:
    """The module's own functions that read or write the file a parameter names
    (`def load(path): return pd.read_csv(path)`), and the calls to them in the module, which
    become the accesses (`frame = load("data/x.csv")` reads `data/x.csv`). Module-level
    functions only, a wrapper of a wrapper included; other modules' helpers are not followed."""

    def __init__(self, index: AstIndex, reader: PathReader) -> None:
        self.index = index
        self.reader = reader
        self.functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        seen: set[str] = set()
        for node in index.tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if node.name in seen:
                    self.functions.pop(node.name, None)  # defined twice: which one runs is unknown
                else:
                    self.functions[node.name] = node
                seen.add(node.name)
        # function -> (mode, path parameter, value parameter or None)
        self.found: dict[str, set[tuple[str, tuple[int, str], tuple[int, str] | None]]] = {}

    def note(self, mode: str, target: ast.expr | None, value: ast.expr | None, name: str, scope: str) -> None:
        """An access whose path did not resolve: a wrapper's, when the path is a parameter."""
        if scope not in self.functions:
            return
        parameter = self._parameter(target, scope, follow=True)
        if parameter is None:
            return
        value_parameter = self._parameter(value, scope, follow=False) if mode == "write" else None
        self.found.setdefault(scope, set()).add((mode, parameter, value_parameter))

    def _parameter(self, node: ast.expr | None, scope: str, follow: bool) -> tuple[int, str] | None:
        """(position, name) of the parameter an expression is (through `open(p)`, `Path(p)`,
        `str(p)` and a name bound once to one of those, when `follow`)."""
        arguments = self.functions[scope].args
        positional = [item.arg for item in arguments.posonlyargs + arguments.args]
        keyword_only = [item.arg for item in arguments.kwonlyargs]
        for _ in range(_MAX_DEPTH):
            if isinstance(node, ast.Call) and follow and len(node.args) >= 1:
                qualified = self.reader.names.qualified(node.func) or ""
                if qualified in known.WRAPPED_PATH_CALLS or qualified in known.PATH_IDENTITIES:
                    node = node.args[0]
                    continue
                return None
            if not isinstance(node, ast.Name):
                return None
            entries = self.reader.bindings.get((scope, node.id), [])
            if len(entries) != 1:
                return None
            if entries[0].value is not None:
                if not follow:
                    return None
                node = entries[0].value
                continue
            if node.id in positional:
                return positional.index(node.id), node.id
            if node.id in keyword_only:
                return -1, node.id
            return None
        return None

    def calls(self, labeller: _Labeller | _LazyLabeller) -> list[ArtifactAccess]:
        """The accesses made by calling the wrappers (and wrappers of wrappers) in this module."""
        calls = [
            call
            for call in self.index.nodes(ast.Call)
            if isinstance(call.func, ast.Name) and call.func.id in self.functions
        ]
        for _ in range(3):  # wrappers of wrappers: a function that passes its parameter on
            before = sum(len(entries) for entries in self.found.values())
            for call, scope, mode, target, value, _ in self._uses(calls):
                if self.reader.path(target, scope) is None:
                    self.note(mode, target, value, "", scope)
            if sum(len(entries) for entries in self.found.values()) == before:
                break
        found = []
        for call, scope, mode, target, value, function in self._uses(calls):
            segments = self.reader.path(target, scope)
            if segments is None:
                continue
            label = labeller.label(value, scope, call.lineno) if mode == "write" and value is not None else "data"
            found.append(ArtifactAccess(mode, segments, call.lineno, call.col_offset + 1, function, "file", label, scope))
        return found

    def _uses(
        self, calls: list[ast.Call]
    ) -> Iterable[tuple[ast.Call, str, str, ast.expr | None, ast.expr | None, str]]:
        for call in calls:
            function = call.func.id  # type: ignore[attr-defined]
            scope = self.index.scope_of(call)
            if function not in self.found or scope.split(".", 1)[0] == function:
                continue  # not a wrapper, or a call inside itself
            if self.reader.binding(function, scope)[0]:
                continue  # a local name hides the function
            for mode, (position, name), value_parameter in sorted(self.found[function]):
                target = argument(call, position, name)
                value = argument(call, *value_parameter) if value_parameter is not None else None
                yield call, scope, mode, target, value, function


def _mode(node: ast.expr | None) -> bool | None:
    """True for a writing mode, False for reading, None when the mode is not a literal."""
    if node is None:
        return False
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(character in node.value for character in "wax+")
    return None


def _looks_like_pathlib(receiver: ast.expr, reader: PathReader, scope: str) -> bool:
    """`Path(p).open()`, or a name bound to one: `.open` on anything else is not a file."""
    node: ast.expr | None = receiver
    if isinstance(node, ast.Name):
        _, node, _ = reader.binding(node.id, scope, node.lineno)
    if isinstance(node, ast.BinOp):
        return isinstance(node.op, ast.Div)
    if isinstance(node, ast.Call):
        return (reader.names.qualified(node.func) or "") in ("pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath")
    return False


def _chain(node: ast.expr) -> list[str]:
    """Attribute and call names along a receiver: `spark.read.format("x")` -> [spark, read, format]."""
    parts: list[str] = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            parts.append(node.id)
            break
        else:
            break
    return list(reversed(parts))


def _frame_of(receiver: ast.expr) -> ast.expr:
    """`df.write.mode("x")` -> `df`."""
    node = receiver
    while isinstance(node, ast.Call | ast.Attribute):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


def _sql_argument(call: ast.Call) -> ast.expr | None:
    for item in call.keywords:
        if item.arg in SQL_KEYWORDS:
            return item.value
    return call.args[0] if call.args and not isinstance(call.args[0], ast.Starred) else None


_SQL_COMMENTS = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)
_SQL_QUOTED = re.compile(r"'(?:[^']|'')*'")
_SQL_FUNCTIONS_WITH_FROM = re.compile(r"\b(?:EXTRACT|SUBSTRING|TRIM|POSITION|OVERLAY)\s*\([^()]*\)", re.IGNORECASE)
_IDENTIFIER = r"((?:[\w$]+|\"[^\"]+\"|`[^`]+`|\[[^\]]+\])(?:\.(?:[\w$]+|\"[^\"]+\"|`[^`]+`|\[[^\]]+\]))*)"
# A name followed by a placeholder (`FROM events_{day}`) is only part of a table name.
_NOT_CUT = r"(?![\w$.{%])"
_SQL_READ = re.compile(r"\b(?:FROM|JOIN)\s+" + _IDENTIFIER + _NOT_CUT, re.IGNORECASE)
_SQL_WRITE = re.compile(
    r"\b(?:INSERT\s+(?:OVERWRITE\s+TABLE|INTO(?:\s+TABLE)?)|CREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:GLOBAL|LOCAL|TEMP|TEMPORARY"
    r"|UNLOGGED|TRANSIENT)\s+)*(?:TABLE|VIEW)(?:\s+IF\s+NOT\s+EXISTS)?)\s+" + _IDENTIFIER + _NOT_CUT,
    re.IGNORECASE,
)
_CTE_NAME = re.compile(r"(?:\bWITH|,)\s*(?:RECURSIVE\s+)?([\w$]+)\s*(?:\([^)]*\)\s*)?AS\s*\(", re.IGNORECASE)
_NOT_TABLES = frozenset({"select", "unnest", "lateral", "values", "table", "dual"})


def sql_tables(text: str) -> tuple[list[str], list[str]]:
    """(tables read, tables written) by SQL text; `DELETE`/`UPDATE` targets are neither. Names
    cut by a placeholder of unknown text (`{}`, `{day}`, `%s`) are left out."""
    if sql_statement(text) is None:
        return [], []
    clean = _SQL_FUNCTIONS_WITH_FROM.sub(" ", _SQL_QUOTED.sub("''", _SQL_COMMENTS.sub(" ", text)))
    ctes = {match.group(1).lower() for match in _CTE_NAME.finditer(clean)}
    written = [_table_name(match.group(1)) for match in _SQL_WRITE.finditer(clean) if _whole(clean, match)]
    read = []
    for match in _SQL_READ.finditer(clean):
        before = clean[: match.start()].rstrip().upper()
        if before.endswith("DELETE") or not _whole(clean, match):
            continue
        name = _table_name(match.group(1))
        if name in ctes or name in _NOT_TABLES or "{" in name:
            continue
        read.append(name)
    return list(dict.fromkeys(read)), list(dict.fromkeys(written))


def _whole(text: str, match: re.Match[str]) -> bool:
    """The matched table name is not glued to a placeholder before it (`{schema}.events`)."""
    start = match.start(1)
    return not (start > 0 and text[start - 1] in "}.")


def _table_name(raw: str) -> str:
    return ".".join(part.strip("\"`[]") for part in raw.split(".")).lower()


def _sql_tables(
    text: str | None, call: ast.Call, name: str, scope: str, table: Callable[[str, ast.Call, str, str, str], None]
) -> None:
    if not text or text.strip() == _HOLE:
        return
    read, written = sql_tables(text)
    for table_name in read:
        table("read", call, table_name, name, scope)
    for table_name in written:
        table("write", call, table_name, name, scope)


# --- Resolution (project phase) -----------------------------------------------------------


def path_constants(reader: PathReader) -> dict[str, Segments]:
    """Module-level names (and attributes of module-level classes, as `Class.name`) bound to
    a path expression: what other modules' references resolve to. A name rebound by
    straight-line code takes its last value; one bound under `if`/`for` is unknown."""
    result: dict[str, Segments] = {}
    for (scope, name), entries in reader.bindings.items():
        if scope and scope not in reader.classes:
            continue
        value = _pick(entries, max(entry.line for entry in entries) + 1)
        if value is None:
            continue
        segments = reader.path(value, scope)
        if segments is not None:
            result[f"{scope}.{name}" if scope else name] = segments
    return result


class PathResolver:
    """Resolves symbolic paths against every module's path constants, and places relative
    paths in the folder their program runs from (see the module docstring)."""

    def __init__(self, facts: Iterable[FileFacts]) -> None:
        self.constants: dict[str, tuple[Segments, FileFacts]] = {}
        self.modules: dict[str, FileFacts] = {}
        self.packages: set[str] = set()
        for item in facts:
            self.modules.setdefault(item.module, item)
            if posixpath.basename(item.path) == "__init__.py":
                self.packages.add(posixpath.dirname(item.path))
            for name, segments in item.path_constants.items():
                self.constants.setdefault(f"{item.module}.{name}", (segments, item))

    def resolve(self, segments: Segments, owner: FileFacts | None = None) -> str | None:
        """The normalised path (relative to the project root, or absolute, or a URI) of an
        access made in `owner`, or None."""
        text = self._text(segments, owner, 0)
        if text is None:
            return None
        return self.place(text, owner)

    def place(self, text: str, owner: FileFacts | None) -> str | None:
        """Where a path's text points, for code in `owner`."""
        if text.startswith(_ROOT_MARK):
            return normalise(text[len(_ROOT_MARK) :].lstrip("/"))
        if _ROOT_MARK in text:
            return None
        if owner is None or _is_absolute_text(text):
            return normalise(text)
        clean = text.replace("\\", "/")
        base = posixpath.dirname(owner.path) if clean == ".." or clean.startswith("../") else self.run_folder(owner)
        return normalise(posixpath.join(base, clean) if base else clean)

    def run_folder(self, owner: FileFacts) -> str:
        """The folder a module's relative paths start from: a script's own folder; for a module
        of a package, the folder holding its top-level package (a `src/` folder skipped)."""
        folder = posixpath.dirname(owner.path)
        if not owner.in_package and folder not in self.packages:
            return folder
        while posixpath.dirname(folder) in self.packages and posixpath.dirname(folder) != folder:
            folder = posixpath.dirname(folder)
        run = posixpath.dirname(folder)
        if posixpath.basename(run) == "src":
            run = posixpath.dirname(run)
        return run

    def _text(self, segments: Segments, owner: FileFacts | None, depth: int) -> str | None:
        if depth > _MAX_DEPTH:
            return None
        parts: list[str] = []
        for segment in segments:
            pieces: list[str] = []
            for piece in segment:
                if piece == ROOT:
                    pieces.append(_ROOT_MARK)
                    continue
                if piece.startswith(LITERAL):
                    pieces.append(piece[1:])
                    continue
                target = self._constant(piece[1:], owner, depth)
                if target is None:
                    return None
                value = self._text(target[0], target[1], depth + 1)
                if value is None:
                    return None
                pieces.append(value)
            part = "".join(pieces)
            if part.startswith(_ROOT_MARK) or _is_absolute_text(part):
                parts = [part]  # an absolute component replaces what came before, as os.path.join does
            else:
                parts.append(part)
        return "/".join(part.rstrip("/") if index < len(parts) - 1 else part for index, part in enumerate(parts))

    def _constant(self, qualified: str, owner: FileFacts | None, depth: int) -> tuple[Segments, FileFacts] | None:
        """The path constant a reference names, as the import that made it resolves: from the
        root, from `src/`, or from the importing file's own folder; through re-exports."""
        if depth > _MAX_DEPTH:
            return None
        candidates = [qualified]
        if owner is not None:
            folder = posixpath.dirname(owner.path)
            parts = [part for index, part in enumerate(folder.split("/")) if part and not (index == 0 and part == "src")]
            if parts:
                candidates.append(".".join(parts) + "." + qualified)
        for candidate in candidates:
            hit = self.constants.get(candidate)
            if hit is not None:
                return hit
        for candidate in candidates:
            module, _, name = candidate.rpartition(".")
            item = self.modules.get(module)
            if item is None:
                continue
            for fact in item.imports:
                if fact.alias == name and fact.name and fact.name != "*" and fact.qualified != candidate:
                    return self._constant(fact.qualified, item, depth + 1)
        return None


def _is_absolute_text(text: str) -> bool:
    return text.startswith(("/", "~", "\\\\")) or "://" in text or bool(_WINDOWS_DRIVE.match(text))


_WINDOWS_DRIVE = re.compile(r"[A-Za-z]:[\\/]")


def normalise(path: str) -> str | None:
    """One spelling per file: `./data//x.csv` -> `data/x.csv`; URIs keep their scheme."""
    path = path.strip()
    if not path or "\n" in path or "\x00" in path:
        return None
    if "://" in path:
        scheme, _, rest = path.partition("://")
        return f"{scheme.lower()}://{posixpath.normpath(rest) if rest else ''}"
    path = path.replace("\\", "/")
    normal = posixpath.normpath(path)
    if normal.startswith("//"):
        normal = "/" + normal.lstrip("/")
    if normal in (".", "/", ".."):
        return None
    return normal


def resolved_accesses(facts: FileFacts, resolver: PathResolver) -> list[tuple[Any, str]]:
    """(access, node id) for every access of a file whose path resolves."""
    result = []
    for access in facts.artifacts:
        if access.kind == "table":
            name = access.path[0][0][1:] if access.path and access.path[0] else ""
            if name:
                result.append((access, f"table:{name}"))
            continue
        path = resolver.resolve(access.path, facts)
        if path is not None:
            result.append((access, f"artifact:{path}"))
    return result
