"""DataFrame columns made in a file, and whether their frame may leave it whole (MLD303's facts).

A column is created by `df["x"] = ...` (or `df[["x", "y"]] = ...`), `df.assign(x=...)` or
`df.insert(i, "x", ...)` on something known to be a pandas-style frame: a name spelled like
one (`df`, `train_df`, `frame`), a name bound from a frame-making call (`pd.read_csv`,
`pd.DataFrame`, `other.merge(...)`), a name used with pandas-only attributes (`.iloc`,
`.fillna`, `.groupby`, ...), or a parameter annotated `DataFrame`. A dict's `d["k"] = v` is
none of these, so it is no column.

The frame *carries* the column when it may reach a consumer of every column: passed without
a column selection to any call that is not a pandas/numpy transformation (a model's `fit`,
`predict`, `transform`, a helper of the project, `print`), written (`to_csv`, `to_parquet`,
...), handed over whole (`pipe`, `apply`), returned or yielded, stored on an object or in a
container, or reached by callers (a parameter mutated in place, a global). Frames derived
from it (`X = df.drop(columns="y")`, `pd.concat([df, other])`, `df.values`) carry it too;
`df[["a", "b"]]`, `df["a"]`, `df.a` select columns and do not. When unsure, carried: MLD303
reports only columns whose frame provably stays in the function.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from typing import Any

from mldebt.facts import AstIndex, AstNames, ColumnCreation
from mldebt.knowledge.artifacts import FRAME_WRITE_METHODS

_COLUMN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_FRAME_NAME = re.compile(r"^(df|dataframe|frame)\d*$|^df_|_df\d*$|_frame$|^data_?frame", re.IGNORECASE)

# Packages whose frames take `frame["x"] = ...` (polars and Spark frames do not).
_FRAME_PACKAGES = ("pandas", "modin.pandas", "dask.dataframe", "cudf", "pyspark.pandas", "databricks.koalas")
# Their functions that make a frame (`read_*` as well); `pd.Series`, `pd.to_datetime` do not.
_FRAME_FUNCTIONS = frozenset(
    {"DataFrame", "concat", "merge", "merge_asof", "merge_ordered", "get_dummies", "pivot_table", "pivot",
     "melt", "crosstab", "json_normalize", "wide_to_long", "from_pandas", "from_dict"}
)  # fmt: skip
# Methods of a frame that return a frame with (at least) its columns.
_FRAME_METHODS = frozenset(
    {"copy", "merge", "join", "drop", "dropna", "fillna", "reset_index", "set_index", "sort_values", "sort_index",
     "query", "assign", "rename", "astype", "head", "tail", "sample", "drop_duplicates", "select_dtypes",
     "reindex", "replace", "round", "clip", "where", "mask", "append", "interpolate", "ffill", "bfill",
     "infer_objects", "convert_dtypes", "combine_first", "pipe"}
)  # fmt: skip
# Methods that turn something else into a pandas frame.
_TO_FRAME_METHODS = frozenset({"toPandas", "to_pandas", "to_frame", "to_df", "to_dataframe", "as_data_frame"})
# Attributes and methods only a pandas-style frame (or series) has: a name used with one is a frame.
_PANDAS_ONLY = frozenset(
    {"iloc", "loc", "fillna", "isnull", "isna", "notnull", "notna", "dropna", "groupby", "merge", "value_counts",
     "nunique", "reset_index", "set_index", "drop_duplicates", "select_dtypes", "dtypes", "iterrows", "itertuples",
     "to_csv", "to_parquet", "to_excel", "to_pickle", "to_feather", "describe", "sort_values", "pivot_table",
     "melt", "corr", "duplicated", "assign", "to_sql", "memory_usage"}
)  # fmt: skip
# Attributes that expose every column (the rest, `df.x`, `df.shape`, read one thing).
_WHOLE_ATTRIBUTES = frozenset({"values", "T", "columns", "iloc", "loc", "ix", "at", "iat", "array", "style", "plot"})
# Methods that hand every column to someone else: the frame is consumed whole.
_CONSUMING_METHODS = FRAME_WRITE_METHODS | frozenset(
    {"to_sql", "to_clipboard", "to_latex", "to_html", "to_markdown", "to_string", "pipe", "apply", "applymap",
     "map", "transform", "agg", "aggregate", "hist", "boxplot", "show", "display", "write", "save", "to_gbq",
     "createDataFrame"}
)  # fmt: skip
# Methods that combine the frame given with another into a new frame (followed like a transformation).
_COMBINING_METHODS = frozenset({"merge", "join", "concat", "combine_first"})
# Methods whose result, left as a statement, a notebook displays: every column is seen.
_DISPLAY_METHODS = frozenset({"head", "tail", "sample", "describe", "info", "assign", "round", "sort_values"})
# Calls that look at a frame without using its columns.
_INSPECTIONS = frozenset({"len", "isinstance", "type", "id", "hasattr", "callable"})
# Function-call packages that transform data into data (their result, not the call, is followed).
_TRANSFORM_PACKAGES = ("pandas.", "numpy.", "polars.", "modin.pandas.", "dask.dataframe.", "cudf.", "scipy.sparse.")
# Builtins whose iteration yields the very objects given: `for i, df in enumerate(frames)`.
_PASSING_BUILTINS = frozenset({"zip", "enumerate", "reversed", "iter", "list", "tuple"})
_MAX_STEPS = 2_000  # a bound on the flow walk per creation: beyond it, carried


def collect_columns(index: AstIndex, names: AstNames, context: Any) -> tuple[ColumnCreation, ...]:
    """The DataFrame columns this file creates, each with whether its frame may leave whole."""
    candidates = list(_candidates(index))
    if not candidates:
        return ()
    frame_library = _imports_frame_library(index)
    candidates = [c for c in candidates if frame_library or _looks_like_frame(c[2])]
    if not candidates:
        return ()
    functions = _functions_by_scope(index)
    literal_lists = _literal_lists(index)
    flows: dict[int, _ScopeFlow] = {}
    found: list[ColumnCreation] = []
    for node, columns, base, kind in candidates:
        scope_name = index.scope_of(node)
        scope = _scope_node(index, functions, scope_name, node)
        if scope is None:  # a class body or a lambda: shared or returned
            if _looks_like_frame(base):
                found.extend(ColumnCreation(column, node.lineno, node.col_offset + 1, True) for column in columns)
            continue
        flow = flows.get(id(scope))
        if flow is None:
            flow = flows[id(scope)] = _ScopeFlow(scope, names, literal_lists)
        if not flow.is_frame(base):
            continue
        carried = flow.carried(node, base, kind)
        found.extend(ColumnCreation(column, node.lineno, node.col_offset + 1, carried) for column in columns)
    return tuple(found)


# --- Finding creations ------------------------------------------------------------------------


def _candidates(index: AstIndex) -> Iterator[tuple[ast.stmt | ast.expr, list[str], ast.expr, str]]:
    """(node, column names, the frame expression, kind) of each possible column creation."""
    for statement in index.nodes(ast.Assign, ast.AnnAssign):
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        for target in _flat_targets(targets):
            if isinstance(target, ast.Subscript):
                columns = _string_keys(target.slice)
                if columns:
                    yield statement, columns, target.value, "item"
    for call in index.nodes(ast.Call):
        func = call.func
        if not isinstance(func, ast.Attribute):
            continue
        if func.attr == "assign" and not call.args and call.keywords:
            columns = [keyword.arg for keyword in call.keywords if keyword.arg is not None]
            columns = [column for column in columns if _COLUMN.match(column)]
            if columns and len(columns) == len(call.keywords):
                yield call, columns, func.value, "assign"
        elif func.attr == "insert" and len(call.args) + len(call.keywords) >= 3:
            column = call.args[1] if len(call.args) >= 2 else _keyword(call, "column")
            if isinstance(column, ast.Constant) and isinstance(column.value, str) and _COLUMN.match(column.value):
                yield call, [column.value], func.value, "insert"


def _flat_targets(targets: Iterable[ast.expr]) -> Iterator[ast.expr]:
    for target in targets:
        if isinstance(target, ast.Tuple | ast.List):
            yield from _flat_targets(target.elts)
        else:
            yield target


def _string_keys(key: ast.expr) -> list[str]:
    """`"x"` or `["x", "y"]` as a column key; anything else is no column creation we can name."""
    if isinstance(key, ast.Constant) and isinstance(key.value, str):
        return [key.value] if _COLUMN.match(key.value) else []
    if isinstance(key, ast.List | ast.Tuple) and key.elts:
        values = [element.value for element in key.elts if isinstance(element, ast.Constant)]
        if len(values) == len(key.elts) and all(isinstance(value, str) and _COLUMN.match(value) for value in values):
            return [str(value) for value in values]
    return []


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((keyword.value for keyword in call.keywords if keyword.arg == name), None)


def _looks_like_frame(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return _FRAME_NAME.search(node.id) is not None
    if isinstance(node, ast.Attribute):
        return _FRAME_NAME.search(node.attr) is not None
    return False


def _imports_frame_library(index: AstIndex) -> bool:
    for node in index.nodes(ast.Import, ast.ImportFrom):
        modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        for module in modules:
            if any(module == package or module.startswith(package + ".") for package in _FRAME_PACKAGES):
                return True
    return False


def _functions_by_scope(index: AstIndex) -> dict[str, list[ast.AST]]:
    by_scope: dict[str, list[ast.AST]] = {}
    for node in index.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
        outer = index.scope_of(node)
        by_scope.setdefault(f"{outer}.{node.name}" if outer else node.name, []).append(node)
    return by_scope


def _scope_node(
    index: AstIndex, functions: dict[str, list[ast.AST]], scope: str, node: ast.stmt | ast.expr
) -> ast.AST | None:
    """The function (or module) whose body holds `node`; None in a class body or a lambda."""
    if not scope:
        return index.tree
    line = getattr(node, "lineno", 0)
    for function in functions.get(scope, ()):
        start = getattr(function, "lineno", 0)
        if start <= line <= (getattr(function, "end_lineno", None) or line):
            return function
    return None


# --- Following a frame ------------------------------------------------------------------------


class _ScopeFlow:
    """One function's (or the module's) names: where each is read, what binds it, its
    parameters and globals, and every node's parent, from one walk of its subtree."""

    def __init__(self, scope: ast.AST, names: AstNames, literal_lists: frozenset[str]) -> None:
        self.scope = scope
        self.names = names
        self.module = isinstance(scope, ast.Module)
        self.parents: dict[int, ast.AST] = {}
        self.loads: dict[str, list[ast.Name]] = {}
        self.bindings: dict[str, list[tuple[ast.AST, ast.expr | None]]] = {}
        self.pandas_used: set[str] = set()
        self.annotated: set[str] = set()
        self.outer: set[str] = set()  # parameters, globals, nonlocals: shared with callers
        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = scope.args
            for argument in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
                             *(a for a in (arguments.vararg, arguments.kwarg) if a is not None)]:  # fmt: skip
                self.outer.add(argument.arg)
                if argument.annotation is not None and "DataFrame" in ast.unparse(argument.annotation):
                    self.annotated.add(argument.arg)
        stack: list[ast.AST] = [scope]
        while stack:
            node = stack.pop()
            for child in ast.iter_child_nodes(node):
                self.parents[id(child)] = node
                stack.append(child)
            if isinstance(node, ast.Name):
                if isinstance(node.ctx, ast.Load):
                    self.loads.setdefault(node.id, []).append(node)
            elif isinstance(node, ast.Attribute):
                if node.attr in _PANDAS_ONLY and isinstance(node.value, ast.Name):
                    self.pandas_used.add(node.value.id)
            elif isinstance(node, ast.Global | ast.Nonlocal):
                self.outer.update(node.names)
            elif isinstance(node, ast.Assign):
                for target in _flat_targets(node.targets):
                    if isinstance(target, ast.Name):
                        self.bindings.setdefault(target.id, []).append((node, node.value))
            elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
                if isinstance(node.target, ast.Name):
                    self.bindings.setdefault(node.target.id, []).append((node, node.value))
                    if isinstance(node, ast.AnnAssign) and "DataFrame" in ast.unparse(node.annotation):
                        self.annotated.add(node.target.id)
            elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
                for target in _flat_targets([node.target]):
                    if isinstance(target, ast.Name):
                        self.bindings.setdefault(target.id, []).append((node, node.iter))
            elif isinstance(node, ast.withitem) and isinstance(node.optional_vars, ast.Name):
                self.bindings.setdefault(node.optional_vars.id, []).append((node, node.context_expr))
        self.literal_lists = literal_lists
        self._frames: dict[str, bool] = {}

    # -- Is it a frame? --

    def is_frame(self, base: ast.expr) -> bool:
        if isinstance(base, ast.Name):
            return self._frame_name(base.id, 0)
        if isinstance(base, ast.Attribute) and base.attr not in ("loc", "iloc"):
            return _looks_like_frame(base) or base.attr in self.pandas_used
        return self._frame_value(base, 0)

    def _frame_name(self, name: str, depth: int) -> bool:
        known = self._frames.get(name)
        if known is not None:
            return known
        if depth > 6:
            return False
        self._frames[name] = False  # a cycle through bindings is no evidence
        result = (
            _FRAME_NAME.search(name) is not None
            or name in self.pandas_used
            or name in self.annotated
            or any(value is not None and self._frame_value(value, depth + 1) for _, value in self.bindings.get(name, []))
        )
        self._frames[name] = result
        return result

    def _frame_value(self, value: ast.expr, depth: int) -> bool:
        if isinstance(value, ast.Call):
            qualified = self.names.qualified(value.func) or ""
            package, _, function = qualified.rpartition(".")
            if package in _FRAME_PACKAGES and (function in _FRAME_FUNCTIONS or function.startswith("read_")):
                return True
            if isinstance(value.func, ast.Attribute):
                if value.func.attr in _TO_FRAME_METHODS:
                    return True
                if value.func.attr in _FRAME_METHODS:
                    return self._frame_value(value.func.value, depth + 1)
            return False
        if isinstance(value, ast.Subscript):
            return self._frame_value(value.value, depth + 1)
        if isinstance(value, ast.Attribute) and value.attr in ("loc", "iloc"):
            return self._frame_value(value.value, depth + 1)
        if isinstance(value, ast.Name):
            return self._frame_name(value.id, depth + 1)
        return False

    # -- Does it leave whole? --

    def carried(self, node: ast.stmt | ast.expr, base: ast.expr, kind: str) -> bool:
        pending: list[str] = []
        if kind == "assign":
            # A new frame: follow the call's result (`base` itself is unchanged).
            leaves, assigned = self._flows_out(node)
            if leaves:
                return True
            pending.extend(assigned)
        elif isinstance(base, ast.Name):
            pending.append(base.id)
        else:
            return True  # `self.df[...]`, `frames[0][...]`: a frame others hold
        seen: set[str] = set()
        steps = 0
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            if name in self.outer or (not self.module and name not in self.bindings):
                return True  # the caller's frame, a global, or a closure's: others see the column
            for load in self.loads.get(name, ()):
                steps += 1
                if steps > _MAX_STEPS:
                    return True
                leaves, assigned = self._flows_out(load)
                if leaves:
                    return True
                pending.extend(assigned)
            for _, value in self.bindings.get(name, ()):
                pending.extend(_aliased(value))  # the same object under another name: `for df in [train, test]`
        return False

    def _flows_out(self, node: ast.AST) -> tuple[bool, list[str]]:
        """Follow a frame-valued expression up its parents: (True, _) when the whole frame may
        reach a consumer; else the names it is bound to (derived frames to follow too)."""
        current = node
        while True:
            parent = self.parents.get(id(current))
            if parent is None:
                return False, []
            if isinstance(parent, ast.Attribute):
                call = self.parents.get(id(parent))
                if isinstance(call, ast.Call) and call.func is parent:
                    if parent.attr in _CONSUMING_METHODS:
                        return True, []
                    current = call  # a method of the frame: its result carries the columns on
                    continue
                if parent.attr in _WHOLE_ATTRIBUTES:
                    current = parent
                    continue
                return False, []  # `df.x`, `df.shape`: one column or a property
            if isinstance(parent, ast.Subscript):
                if parent.value is not current:
                    return True, []  # used as a key: unusual, stay careful
                if self._selects_columns(parent):
                    return False, []
                current = parent  # rows, masks, slices: every column stays
                continue
            if isinstance(parent, ast.Call):
                if parent.func is current:
                    return True, []  # the frame called: not a frame after all
                called = self.names.qualified(parent.func) or ""
                if called.startswith("builtins.") and called.split(".", 1)[1] in _INSPECTIONS:
                    return False, []
                if called.startswith(_TRANSFORM_PACKAGES) or (
                    isinstance(parent.func, ast.Attribute) and parent.func.attr in _COMBINING_METHODS
                ):
                    current = parent  # `pd.concat([df, x])`, `np.hstack([df, x])`: data in, data out
                    continue
                return True, []  # a model's fit/predict, a helper, print: may use every column
            if isinstance(parent, ast.keyword | ast.Starred | ast.List | ast.Tuple | ast.Set | ast.Dict | ast.BinOp
                          | ast.UnaryOp | ast.IfExp | ast.BoolOp | ast.Compare | ast.Await | ast.JoinedStr
                          | ast.FormattedValue):  # fmt: skip
                if isinstance(parent, ast.JoinedStr | ast.FormattedValue):
                    return True, []  # printed or logged in full
                current = parent
                continue
            if isinstance(parent, ast.Return | ast.Yield | ast.YieldFrom | ast.Lambda):
                return True, []
            if isinstance(parent, ast.Assign | ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
                if getattr(parent, "value", None) is not current:
                    return False, []  # the frame is a target's part (`df["x"] = ...`), not the value
                targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
                bound: list[str] = []
                for target in _flat_targets(targets):
                    if isinstance(target, ast.Name):
                        bound.append(target.id)
                    elif isinstance(target, ast.Starred) and isinstance(target.value, ast.Name):
                        bound.append(target.value.id)
                    else:
                        return True, []  # stored on an object or in a container
                return False, bound
            if isinstance(parent, ast.For | ast.AsyncFor | ast.comprehension | ast.withitem):
                iterated = parent.iter if not isinstance(parent, ast.withitem) else parent.context_expr
                if iterated is not current:
                    return False, []
                loop_target = parent.target if not isinstance(parent, ast.withitem) else parent.optional_vars
                names = [t.id for t in _flat_targets([loop_target]) if isinstance(t, ast.Name)] if loop_target else []
                return False, names
            if isinstance(parent, ast.Expr):
                return _displayed(current), []  # a notebook shows `df` or `df.head()`; else dropped
            if isinstance(parent, ast.If | ast.While | ast.Assert | ast.Delete):
                return False, []  # a condition
            if isinstance(parent, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
                current = parent  # the element of a comprehension: the comprehension carries it
                continue
            return True, []  # anything else: stay careful

    def _selects_columns(self, subscript: ast.Subscript) -> bool:
        """`df["a"]`, `df[["a", "b"]]`, `df[FEATURES]` (a literal list), `df.loc[:, ["a"]]`."""
        key = subscript.slice
        owner = subscript.value
        if isinstance(owner, ast.Attribute) and owner.attr in ("loc", "at"):
            if isinstance(key, ast.Tuple) and len(key.elts) == 2:
                return self._column_key(key.elts[1])
            return False
        return self._column_key(key)

    def _column_key(self, key: ast.expr) -> bool:
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return True
        if isinstance(key, ast.List | ast.Tuple):
            return bool(key.elts) and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in key.elts)
        if isinstance(key, ast.Name):
            return key.id in self.literal_lists
        return False


def _displayed(expression: ast.AST) -> bool:
    """A statement that only shows the frame (a notebook cell's last line): `df`, `df[:5]`, `df.head()`."""
    while isinstance(expression, ast.Subscript):
        expression = expression.value
    if isinstance(expression, ast.Name):
        return True
    return (
        isinstance(expression, ast.Call)
        and isinstance(expression.func, ast.Attribute)
        and expression.func.attr in _DISPLAY_METHODS
    )


def _aliased(value: ast.expr | None) -> list[str]:
    """Names that hold the very object a binding's value is: `a = b`, `for d in [x, y]`, `for d in frames`."""
    if isinstance(value, ast.Name):
        return [value.id]
    if isinstance(value, ast.List | ast.Tuple | ast.Set):
        return [name for element in value.elts for name in _aliased(element)]
    if isinstance(value, ast.Starred | ast.Subscript):
        return _aliased(value.value)
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in _PASSING_BUILTINS:
        return [name for argument in value.args for name in _aliased(argument)]
    return []


def _literal_lists(index: AstIndex) -> frozenset[str]:
    """Names every binding of which, in the file, is a list or tuple of strings: column lists."""
    literal: dict[str, bool] = {}
    for statement in index.nodes(ast.Assign):
        for target in statement.targets:
            if isinstance(target, ast.Name):
                value = statement.value
                is_list = (
                    isinstance(value, ast.List | ast.Tuple)
                    and bool(value.elts)
                    and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts)
                )
                literal[target.id] = literal.get(target.id, True) and is_list
    return frozenset(name for name, is_list in literal.items() if is_list)
