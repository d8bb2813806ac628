"""What each code line of a file does: ML code, data, features, configuration, serving,
monitoring, glue or tests — the paper's Figure 1, measured.

Computed in the per-file pass from the `ast` index the facts already built (no second parse,
no libcst), and cached with the facts as counts per category. docs/audit.md documents the
rules; `mldebt.knowledge.composition` holds the tables.

How a line is decided:
1. Only code lines count: blank lines, comments and docstrings (any statement that is a bare
   string) are not code.
2. Every line of a test module is `tests`.
3. Each name the code uses is a *signal* on its line: a dotted name resolved through the import
   aliases takes the category of its longest listed prefix; a method called on a receiver that
   does not resolve takes the category of the method's name (`.fit` ML, `.to_csv` data, ...);
   an upper-case module constant bound to a literal is configuration.
4. A statement takes the first category, in precedence order (ML, serving, monitoring, data,
   features, configuration), among the signals on its lines (a compound statement: on its
   header lines only), and gives it to all its lines.
5. A statement without signals takes its region's category: the body of a class deriving from a
   model class (`nn.Module`) is ML code, the body of a route handler serving, a config module
   configuration; anything else is glue.
"""

from __future__ import annotations

import ast
from collections import Counter
from typing import TYPE_CHECKING

from mldebt.knowledge import composition as table
from mldebt.knowledge.models import name_words
from mldebt.knowledge.settings import is_upper_case

if TYPE_CHECKING:
    from mldebt.context import FileContext
    from mldebt.facts import AstIndex, AstNames, Constant

_RANK = {category: rank for rank, category in enumerate(table.PRECEDENCE)}
_NO_SIGNAL = len(table.PRECEDENCE)
_COMPOUND = (
    ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If, ast.For, ast.AsyncFor, ast.While, ast.With,
    ast.AsyncWith, ast.Try, ast.Match,
) + ((ast.TryStar,) if hasattr(ast, "TryStar") else ())  # fmt: skip


def category_of_name(qualified: str) -> str | None:
    """The category of a qualified name (`torch.nn.Linear` -> `ml`), or None when no table lists it."""
    prefixes = table.QUALIFIED_PREFIXES
    dotted = qualified
    while True:
        found = prefixes.get(dotted)
        if found is not None:
            break
        cut = dotted.rfind(".")
        if cut < 0:
            found = None
            break
        dotted = dotted[:cut]
    # A string prefix (`pandas.read_`) is more specific than the package it sits in.
    for prefix, category in table.QUALIFIED_STRING_PREFIXES.items():
        if qualified.startswith(prefix) and (found is None or len(prefix) > len(dotted)):
            return category
    return found


def category_of_method(method: str, receiver: str | None) -> str | None:
    """The category of `receiver.method(...)` when the receiver's type is unknown."""
    if receiver is not None:
        last = receiver.rsplit(".", 1)[-1].lower()
        words = set(last.strip("_").split("_"))
        if words & table.MONITORING_RECEIVERS and method in table.MONITORING_RECEIVER_METHODS:
            return table.MONITORING
        if words & table.ML_RECEIVERS:
            return table.ML
        if method in table.SERVING_METHODS and (last in table.APP_NAMES or last.endswith(table.APP_SUFFIXES)):
            return table.SERVING
    if method in table.ML_METHODS:
        return table.ML
    if method in table.MONITORING_METHODS:
        return table.MONITORING
    if method in table.DATA_METHODS or method.startswith(table.DATA_METHOD_PREFIXES):
        return table.DATA
    if method in table.FEATURE_METHODS:
        return table.FEATURES
    if method in table.CONFIGURATION_METHODS:
        return table.CONFIGURATION
    return None


def runs_a_model(name: str) -> bool:
    """Whether calling `name` runs a model: its last word names one and none is a verb."""
    words = name_words(name)
    return bool(words) and words[-1] in table.MODEL_CALL_NOUNS and not any(
        word in table.NOT_MODEL_CALL_WORDS for word in words
    )


def classify_lines(
    index: AstIndex,
    names: AstNames,
    context: FileContext,
    constants: tuple[Constant, ...] = (),
) -> dict[int, str]:
    """The category of every code line of a file (1-based line -> category)."""
    lines = context.lines
    if context.is_test:
        owner: dict[int, str | None] = {}
        _cover(index, owner, lambda statement, header: table.TESTS)
        return _code_lines(owner, lines)

    regions = _model_classes(index, names)
    signals = _signals(index, names, constants, {scope for scope in regions if "." not in scope})
    regions.update(_handlers(index, signals))
    default = table.CONFIGURATION if context.is_config else table.GLUE

    def decide(statement: ast.stmt, header: tuple[int, int]) -> str | None:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) and isinstance(
            statement.value.value, str
        ):
            return None  # a docstring or a string used as a comment
        if isinstance(statement, ast.Import | ast.ImportFrom):
            return table.GLUE  # an import binds names; it does no work of its own
        best = _NO_SIGNAL
        for line in range(header[0], header[1] + 1):
            rank = signals.get(line, _NO_SIGNAL)
            if rank < best:
                best = rank
        if best < _NO_SIGNAL:
            return table.PRECEDENCE[best]
        scope = index.scope_of(statement)
        while scope:
            region = regions.get(scope)
            if region is not None:
                return region
            scope = scope.rpartition(".")[0]
        return default

    owner = {}
    _cover(index, owner, decide)
    return _code_lines(owner, lines)


def composition_counts(categories: dict[int, str]) -> dict[str, int]:
    """Code lines per category, in the tables' order, zero counts left out."""
    counts = Counter(categories.values())
    return {category: counts[category] for category in table.CATEGORIES if counts[category]}


# --- Signals --------------------------------------------------------------------------------


def _signals(
    index: AstIndex, names: AstNames, constants: tuple[Constant, ...], model_classes: set[str]
) -> dict[int, int]:
    """Line -> the best rank among the categories of the names used on it. Calls of the file's
    own model classes (`Net()`) and of names that hold a model (`model(x)`) are ML code."""
    signals: dict[int, int] = {}

    def mark(line: int, category: str | None) -> None:
        if category is None:
            return
        rank = _RANK.get(category)
        if rank is not None and rank < signals.get(line, _NO_SIGNAL):
            signals[line] = rank

    attributes: list[ast.Attribute] = index.nodes(ast.Attribute)
    # Attribute chains and names inside a longer chain (the chain decides), and type annotations
    # (`def f(frame: pd.DataFrame)` declares a type, it does not use pandas).
    inner: set[int] = {id(node) for annotation in _annotations(index) for node in ast.walk(annotation)}
    for node in attributes:
        inner.add(id(node.value))
    resolved: set[int] = set()
    for node in attributes:
        if id(node) in inner:
            continue
        qualified = names.qualified(node)
        if qualified is not None:
            resolved.add(id(node))
            mark(node.lineno, category_of_name(qualified))
    for name in index.nodes(ast.Name):
        if id(name) in inner or not isinstance(name.ctx, ast.Load):
            continue
        qualified = names.qualified(name)
        if qualified is not None:
            resolved.add(id(name))
            mark(name.lineno, category_of_name(qualified))
    for call in index.nodes(ast.Call):
        func = call.func
        if isinstance(func, ast.Attribute) and (
            id(func) not in resolved or category_of_name(names.qualified(func) or "") is None
        ):
            receiver = _receiver_name(func.value)
            mark(call.lineno, category_of_method(func.attr, receiver))
            if runs_a_model(func.attr):
                mark(call.lineno, table.ML)
        elif isinstance(func, ast.Name) and category_of_name(names.qualified(func) or "") is None:
            if func.id in model_classes or runs_a_model(func.id):
                mark(call.lineno, table.ML)
    for constant in constants:
        if is_upper_case(constant.name):
            mark(constant.line, table.CONFIGURATION)
    return signals


def _annotations(index: AstIndex) -> list[ast.expr]:
    found: list[ast.expr] = [node.annotation for node in index.nodes(ast.arg) if node.annotation is not None]
    found += [node.returns for node in index.nodes(ast.FunctionDef, ast.AsyncFunctionDef) if node.returns is not None]
    found += [node.annotation for node in index.nodes(ast.AnnAssign)]
    return found


def _receiver_name(node: ast.expr) -> str | None:
    """`self.logger` -> `self.logger`; `get_logger()` -> None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ".".join(reversed(parts)) if parts else None


def _model_classes(index: AstIndex, names: AstNames) -> dict[str, str]:
    """Classes deriving from a model class (`nn.Module`): their plain lines are ML code."""
    regions: dict[str, str] = {}
    for node in index.nodes(ast.ClassDef):
        for base in node.bases:
            qualified = names.qualified(base)
            if qualified is not None and category_of_name(qualified) == table.ML:
                regions[_scope_name(index, node)] = table.ML
                break
    return regions


def _handlers(index: AstIndex, signals: dict[int, int]) -> dict[str, str]:
    """Functions with a serving decorator (route handlers): their plain lines are serving."""
    regions: dict[str, str] = {}
    for node in index.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
        for decorator in node.decorator_list:
            if signals.get(decorator.lineno) == _RANK[table.SERVING]:
                regions[_scope_name(index, node)] = table.SERVING
                break
    return regions


def _scope_name(index: AstIndex, node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    outer = index.scope_of(node)
    return f"{outer}.{node.name}" if outer else node.name


# --- Lines ----------------------------------------------------------------------------------


def _cover(index: AstIndex, owner: dict[int, str | None], decide: object) -> None:
    """Give each statement's lines its category, outer statements first so that inner ones
    overwrite them: what is left to a compound statement is its header, `else:` and the like."""
    statements = [
        node for kind, nodes in index.by_type.items() if issubclass(kind, ast.stmt) for node in nodes
        if isinstance(node, ast.stmt)
    ]  # fmt: skip
    spans = []
    for statement in statements:
        start = statement.lineno
        decorators = getattr(statement, "decorator_list", None)
        if decorators:
            start = min(start, *(decorator.lineno for decorator in decorators))
        end = statement.end_lineno or statement.lineno
        spans.append((start, -end, statement))
    spans.sort(key=lambda item: (item[0], item[1]))
    for start, negative_end, statement in spans:
        end = -negative_end
        header_end = end
        if isinstance(statement, _COMPOUND):
            body = getattr(statement, "body", None) or getattr(statement, "cases", None)
            if body:
                first = body[0]  # a statement, or a `match` statement's first `case` (no position of its own)
                first_line = first.pattern.lineno if isinstance(first, ast.match_case) else first.lineno
                header_end = max(start, first_line - 1)
        category = decide(statement, (start, header_end))  # type: ignore[operator]
        for line in range(start, end + 1):
            owner[line] = category


def _code_lines(owner: dict[int, str | None], lines: list[str] | tuple[str, ...]) -> dict[int, str]:
    result: dict[int, str] = {}
    for line, category in owner.items():
        if category is None or line > len(lines):
            continue
        text = lines[line - 1].strip()
        if not text or text.startswith("#"):
            continue
        result[line] = category
    return dict(sorted(result.items()))


def classify_source(text: str, path: str = "module.py") -> dict[int, str]:
    """The category of every code line of one file's text, outside a run (tests, docs): the
    run computes the same in the per-file pass (`mldebt.facts.collect_facts`) from its own parse."""
    import libcst as cst

    from mldebt.analysis import module_name
    from mldebt.context import FileContext
    from mldebt.facts import AstIndex, AstNames, _imports, _module_level
    from mldebt.names import ImportAliases, collect_top_level
    from mldebt.source import split_lines

    lines = split_lines(text)
    tree = ast.parse(text)
    context = FileContext(path=path, module=module_name(path), in_package=False, lines=lines)
    context.aliases = ImportAliases(context.module, context.is_package_init)
    collect_top_level(cst.parse_module(text), context.aliases)
    index = AstIndex(tree)
    names = AstNames(context, _imports(index, context))
    constants = _module_level(tree, index, names)[1]
    return classify_lines(index, names, context, constants)
