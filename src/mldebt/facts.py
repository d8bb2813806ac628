"""Per-file facts: plain data that the project phase joins into the graph.

Facts are read from CPython's `ast` tree, which the engine builds anyway to
gate each file (it gives exact lines for free); the libcst traversal that the
rules share stays free of position metadata. Facts hold only str/int/bool,
tuples and dicts, so they can be cached and sent between processes.
"""

from __future__ import annotations

import ast
import dataclasses
import re
import types
import typing
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import cache, lru_cache
from typing import Any

import libcst as cst

from mldebt.context import FileContext
from mldebt.names import absolute_module, ast_dotted_name
from mldebt.rule import CachedVisitors

LiteralValue = str | int | float | bool | None


@dataclass(frozen=True)
class ImportFact:
    """One imported name: `from module import name as alias` (name "" for `import module`)."""

    module: str
    name: str
    alias: str
    line: int
    level: int = 0
    top_level: bool = True
    column: int = 1

    @property
    def qualified(self) -> str:
        return f"{self.module}.{self.name}" if self.name else self.module


@dataclass(frozen=True)
class Definition:
    """A function or class, at module level (`scope` "") or inside a class (`scope` its name)."""

    name: str
    kind: str  # "function" | "class"
    line: int
    scope: str = ""
    decorators: tuple[str, ...] = ()  # dotted names (`app.route`, `pytest.fixture`), as written


@dataclass(frozen=True)
class Constant:
    """A module-level name assigned a literal, how often the module binds it, and whether a
    function rebinds it through `global`."""

    name: str
    value: LiteralValue
    line: int
    assignments: int = 1
    rebound: bool = False


@dataclass(frozen=True)
class Container:
    """A module-level mutable container: `FEATURES = [...]`, `CONFIG = {}`, `df = pd.DataFrame()`."""

    name: str
    kind: str  # "list" | "dict" | "set" | "DataFrame"
    line: int


@dataclass(frozen=True)
class Mutation:
    """A change made through an imported name: `A.FEATURES.append(x)`, `CONFIG["k"] = v` after
    `from A import CONFIG`, `A.FLAG = True`. `target` is qualified (`pkg.a.FEATURES`)."""

    target: str
    operation: str  # a method name (`append`), "item assignment", "assignment", "deletion"
    line: int
    column: int


@dataclass(frozen=True)
class Reference:
    """A qualified name reached through an import (`pkg.a._state`), where it is used."""

    qualified: str
    line: int
    column: int


@dataclass(frozen=True)
class ArtifactAccess:
    """A file, table or URI read or written, with the path as far as it resolves statically.

    `path` is a sequence of segments joined by `/`; each segment is a sequence of pieces
    concatenated, each piece either a literal (`"=data"`) or a reference to a module-level
    constant (`"@pkg.config.DATA_DIR"`) that the project phase resolves. Tables are
    `kind="table"` with the table name as the single literal piece.
    """

    mode: str  # "read" | "write"
    path: tuple[tuple[str, ...], ...]
    line: int
    column: int
    call: str
    kind: str = "file"  # "file" | "table"
    label: str = "data"  # writes: "model" | "predictions" | "data"
    scope: str = ""


@dataclass(frozen=True)
class ColumnCreation:
    """A DataFrame column made in this file, and whether its frame may reach a consumer whole."""

    name: str
    line: int
    column: int
    carried: bool = False


@dataclass(frozen=True)
class FunctionShape:
    """A function's normalised shape (names and literals folded), for copy-paste detection."""

    name: str
    line: int
    digest: str
    statements: int
    scope: str = ""


@dataclass(frozen=True)
class PackageUse:
    """A black-box model package called directly in this file, and where it is imported."""

    package: str
    line: int
    column: int = 1


@dataclass(frozen=True)
class FileFacts:
    """Everything the project phase needs to know about one file.

    `words` counts every identifier the file mentions outside definitions — names read,
    attributes, keyword arguments, and identifier-like words inside string literals — for
    "referenced nowhere in the project". `rule_data` holds what an F+P rule recorded for its
    own project phase, by rule code.
    """

    path: str
    module: str
    in_package: bool
    imports: tuple[ImportFact, ...] = ()
    definitions: tuple[Definition, ...] = ()
    constants: tuple[Constant, ...] = ()
    has_main_guard: bool = False
    lines: int = 0
    exports: tuple[str, ...] | None = None
    exports_dynamic: bool = False  # `__all__` is also built or changed in ways `exports` cannot read
    words: dict[str, int] = field(default_factory=dict)
    containers: tuple[Container, ...] = ()
    mutations: tuple[Mutation, ...] = ()
    private_references: tuple[Reference, ...] = ()
    artifacts: tuple[ArtifactAccess, ...] = ()
    path_constants: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    roles: tuple[str, ...] = ()
    training_scopes: tuple[str, ...] = ()  # where it trains: dotted function names, "" for module level
    columns: tuple[ColumnCreation, ...] = ()
    shapes: tuple[FunctionShape, ...] = ()
    packages: tuple[PackageUse, ...] = ()
    rule_data: dict[str, Any] = field(default_factory=dict)
    composition: dict[str, int] = field(default_factory=dict)  # code lines per category (`mldebt.composition`)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FileFacts:
        return _from_dict(cls, data)

    @property
    def trains(self) -> bool:
        return "trains" in self.roles

    @property
    def predicts(self) -> bool:
        return "predicts" in self.roles


def _from_dict(kind: Any, data: Any) -> Any:
    """Rebuild a facts dataclass (and the dataclasses inside its tuples) from `asdict` output."""
    return _builder(kind)(data)


def _identity(value: Any) -> Any:
    return value


@cache
def _builder(kind: Any) -> Callable[[Any], Any]:
    """A function that rebuilds `kind` from its dict: the type hints are read once per class,
    not once per value (the cache reads thousands of files' facts)."""
    hints = typing.get_type_hints(kind)
    converters = [(item.name, _converter(hints[item.name])) for item in dataclasses.fields(kind)]

    def build(data: Any) -> Any:
        return kind(**{name: convert(data[name]) for name, convert in converters if name in data})

    return build


@cache
def _converter(hint: Any) -> Callable[[Any], Any]:
    """How a value of type `hint` comes back from JSON: lists become tuples, dicts dataclasses."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _converter(options[0]) if len(options) == 1 else _identity
    if origin is dict:
        args = typing.get_args(hint)
        value_of = _converter(args[1] if len(args) == 2 else Any)
        if value_of is _identity:
            return lambda value: None if value is None else dict(value)
        return lambda value: None if value is None else {key: value_of(item) for key, item in value.items()}
    if origin is tuple:
        args = typing.get_args(hint)
        item_of = _converter(args[0] if args else Any)
        if item_of is _identity:
            return lambda value: None if value is None else tuple(value)
        return lambda value: None if value is None else tuple(item_of(item) for item in value)
    if hint is Any:
        return _identity
    if dataclasses.is_dataclass(hint):
        build = _builder(hint)
        return lambda value: build(value) if isinstance(value, dict) else value
    return _identity


def literal_value(node: cst.BaseExpression) -> tuple[bool, LiteralValue]:
    """(True, value) for a plain literal (`3`, `-0.5`, `"x"`, `True`, `None`), else (False, None)."""
    if isinstance(node, cst.Integer | cst.Float):
        try:
            return True, node.evaluated_value
        except ValueError:
            return False, None
    if isinstance(node, cst.SimpleString):
        source = node.value
        return _cached_string_literal(source) if len(source) <= _CACHED_STRING_LENGTH else _string_literal(source)
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return True, {"True": True, "False": False, "None": None}[node.value]
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus | cst.Plus):
        ok, value = literal_value(node.expression)
        if ok and isinstance(value, int | float) and not isinstance(value, bool):
            return True, -value if isinstance(node.operator, cst.Minus) else value
    return False, None


def has_data_argument(call: cst.Call) -> bool:
    """`.train(data)`, `.train(params, dtrain)`: anything but `train()`, `train(False)` or
    `train(mode=...)`, PyTorch's switch between training and evaluation mode."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "mode":
            continue
        ok, value = literal_value(arg.value)
        if ok and (isinstance(value, bool) or value is None):
            continue
        return True
    return False


def _string_literal(source: str) -> tuple[bool, LiteralValue]:
    """`literal_value` of a string literal, by its source text (`SimpleString.evaluated_value`)."""
    try:
        text = ast.literal_eval(source)  # what `SimpleString.evaluated_value` does
    except Exception:  # odd prefixes: not a literal we can know
        return False, None
    return (True, text) if isinstance(text, str) else (False, None)


# Short strings recur (keys, paths, options, flags), and evaluating one is a parse; docstrings
# and other long texts are rarely asked about twice and are not kept.
_CACHED_STRING_LENGTH = 256
_cached_string_literal = lru_cache(maxsize=1 << 14)(_string_literal)


def _ast_literal(node: ast.expr | None) -> tuple[bool, LiteralValue]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str | int | float | bool | type(None)):
        return True, node.value
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub | ast.UAdd)
        and isinstance(node.operand, ast.Constant)
        and isinstance(node.operand.value, int | float)
        and not isinstance(node.operand.value, bool)
    ):
        value = node.operand.value
        return True, -value if isinstance(node.op, ast.USub) else value
    return False, None


def _target_names(target: ast.expr) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Tuple | ast.List):
        return [name for element in target.elts for name in _target_names(element)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return []




# --- Collection -------------------------------------------------------------------------------

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MAX_WORD_STRING = 2_000  # longer strings are documents, not names or column lists
_CONTAINER_CALLS = {
    "builtins.list": "list",
    "builtins.dict": "dict",
    "builtins.set": "set",
    "collections.defaultdict": "dict",
    "collections.OrderedDict": "dict",
    "collections.Counter": "dict",
    "collections.deque": "list",
    "pandas.DataFrame": "DataFrame",
    "polars.DataFrame": "DataFrame",
}
_CONTAINER_LITERALS = {ast.List: "list", ast.ListComp: "list", ast.Dict: "dict", ast.DictComp: "dict",
                       ast.Set: "set", ast.SetComp: "set"}  # fmt: skip
# Methods that change a list, dict, set or DataFrame in place.
MUTATING_METHODS = frozenset(
    {
        "append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse",  # list
        "update", "setdefault", "popitem",  # dict
        "add", "discard", "difference_update", "intersection_update", "symmetric_difference_update",  # set
        "drop", "rename", "fillna", "set_index", "reset_index", "replace",  # DataFrame with inplace
    }
)  # fmt: skip
# Of those, the ones that change a DataFrame only with `inplace=True` (else they return a copy).
INPLACE_KEYWORD_METHODS = frozenset({"drop", "rename", "fillna", "set_index", "reset_index", "replace"})


# Fields that hold only an expression context (`Load`, `Store`) or an operator (`Add`, `Eq`,
# `And`): nobody asks the index for those, and they are a third of a tree's nodes.
_LEAF_FIELDS = frozenset({"ctx", "op", "ops"})
_INDEXED_FIELDS: dict[type, tuple[str, ...]] = {}


class AstIndex:
    """One walk over a file's `ast` tree: every node by type (contexts and operators left out),
    in source order, with the dotted scope (`Trainer.fit`) it sits in. Fact collectors read
    this instead of walking again."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.by_type: dict[type, list[ast.AST]] = {}
        self.scope: dict[int, str] = {}
        by_type = self.by_type
        scopes = self.scope
        stack: list[tuple[ast.AST, str]] = [(tree, "")]
        pop, push = stack.pop, stack.append
        node_type = ast.AST
        while stack:
            node, where = pop()
            kind = type(node)
            bucket = by_type.get(kind)
            if bucket is None:
                by_type[kind] = [node]
            else:
                bucket.append(node)
            scopes[id(node)] = where
            if isinstance(node, _SCOPES):
                name = getattr(node, "name", "<lambda>")
                inner = f"{where}.{name}" if where else name
            else:
                inner = where
            # `ast.iter_child_nodes`, inlined (a generator per node was a third of this walk).
            fields = _INDEXED_FIELDS.get(kind)
            if fields is None:
                fields = _INDEXED_FIELDS[kind] = tuple(name for name in kind._fields if name not in _LEAF_FIELDS)
            children: list[ast.AST] = []
            for field in fields:
                value = getattr(node, field, None)
                if isinstance(value, node_type):
                    children.append(value)
                elif isinstance(value, list):
                    children.extend(item for item in value if isinstance(item, node_type))
            for child in reversed(children):
                push((child, inner))

    def nodes(self, *kinds: type) -> list[Any]:
        if len(kinds) == 1:
            return self.by_type.get(kinds[0], [])
        found = [node for kind in kinds for node in self.by_type.get(kind, [])]
        found.sort(key=lambda node: (getattr(node, "lineno", 0), getattr(node, "col_offset", 0)))
        return found

    def scope_of(self, node: ast.AST) -> str:
        return self.scope.get(id(node), "")


class AstNames:
    """Qualified names for `ast` expressions, through the file's import-alias map (with the
    imports made inside functions added: facts are gathered before the traversal binds them)."""

    def __init__(self, context: FileContext, imports: tuple[ImportFact, ...] = ()) -> None:
        self.aliases = context.aliases.extended(
            (fact.alias, fact.qualified) for fact in imports if not fact.top_level and fact.name != "*"
        )

    def qualified(self, node: ast.expr) -> str | None:
        dotted = ast_dotted_name(node)
        return self.aliases.qualified_dotted(dotted) if dotted is not None else None


def collect_facts(tree: ast.Module, context: FileContext, line_count: int) -> FileFacts:
    """The facts of one file, from its `ast` tree (one walk, shared by every collector)."""
    # Imported here: the collectors import this module's dataclasses.
    from mldebt.artifacts import PathReader, collect_artifacts, path_constants
    from mldebt.columns import collect_columns
    from mldebt.composition import classify_lines, composition_counts
    from mldebt.shapes import collect_shapes

    index = AstIndex(tree)
    imports = _imports(index, context)
    names = AstNames(context, imports)
    local_names = FunctionLocals(index)
    definitions, constants, containers, exports, has_main_guard = _module_level(tree, index, names)
    paths = PathReader(index, names, context.module, context.path)
    return FileFacts(
        path=context.path,
        module=context.module,
        in_package=context.in_package,
        imports=imports,
        definitions=definitions,
        constants=constants,
        has_main_guard=has_main_guard,
        lines=line_count,
        exports=exports,
        exports_dynamic=exports is not None and _exports_dynamic(tree, index),
        words=_words(index),
        containers=containers,
        mutations=_mutations(index, names, context, local_names),
        private_references=_private_references(index, names, context, local_names),
        artifacts=collect_artifacts(index, names, paths),
        path_constants=path_constants(paths),
        roles=_roles(index, names),
        training_scopes=_training_scopes(index, names),
        columns=collect_columns(index, names, context),
        shapes=collect_shapes(index, names, context),
        packages=_packages(index, names, imports),
        composition=composition_counts(classify_lines(index, names, context, constants)),
    )


def _imports(index: AstIndex, context: FileContext) -> tuple[ImportFact, ...]:
    imports: list[ImportFact] = []
    top_level = {id(statement) for statement in index.tree.body}
    for node in index.nodes(ast.Import, ast.ImportFrom):
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                imports.append(
                    ImportFact(alias.name, "", bound, node.lineno, 0, id(node) in top_level, node.col_offset + 1)
                )
        else:
            module = absolute_module(node.module, node.level, context.module, context.is_package_init)
            for alias in node.names:
                imports.append(
                    ImportFact(
                        module,
                        alias.name,
                        alias.asname or alias.name,
                        node.lineno,
                        node.level,
                        id(node) in top_level,
                        node.col_offset + 1,
                    )
                )
    return tuple(imports)


def _module_level(
    tree: ast.Module, index: AstIndex, names: AstNames
) -> tuple[tuple[Definition, ...], tuple[Constant, ...], tuple[Container, ...], tuple[str, ...] | None, bool]:
    definitions: list[Definition] = []
    drafts: dict[str, list[Any]] = {}  # name -> [is_literal, value, line, count]
    containers: dict[str, Container] = {}
    exports: list[str] | None = None
    has_main_guard = False
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            definitions.append(Definition(statement.name, "function", statement.lineno, "", _decorators(statement)))
        elif isinstance(statement, ast.ClassDef):
            definitions.append(Definition(statement.name, "class", statement.lineno, "", _decorators(statement)))
            for member in statement.body:
                if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef):
                    definitions.append(
                        Definition(member.name, "function", member.lineno, statement.name, _decorators(member))
                    )
                elif isinstance(member, ast.ClassDef):
                    definitions.append(
                        Definition(member.name, "class", member.lineno, statement.name, _decorators(member))
                    )
        elif isinstance(statement, ast.If) and _is_main_guard(statement.test):
            has_main_guard = True
        exported = _exports(statement)
        if exported is not None:
            exports = (exports or []) + exported
        for target, value in _module_bindings(statement):
            for name in _target_names(target):
                draft = drafts.get(name)
                if draft is None:
                    is_literal, literal = _ast_literal(value) if isinstance(target, ast.Name) else (False, None)
                    drafts[name] = [is_literal, literal, statement.lineno, 1]
                else:
                    draft[3] += 1
                kind = _container_kind(value, names) if isinstance(target, ast.Name) else None
                if kind is not None and name not in containers:
                    containers[name] = Container(name, kind, statement.lineno)
    rebound = _globally_rebound(index)
    constants = tuple(
        Constant(name, draft[1], draft[2], draft[3], name in rebound) for name, draft in drafts.items() if draft[0]
    )
    return tuple(definitions), constants, tuple(containers.values()), (tuple(exports) if exports is not None else None), has_main_guard


def _decorators(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> tuple[str, ...]:
    """The dotted names of a definition's decorators (`@app.route("/")` -> `app.route`); "" when
    a decorator is not a dotted name. A registering decorator is a reference the name never shows."""
    found = []
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        found.append(ast_dotted_name(target) or "")
    return tuple(found)


def _exports(statement: ast.stmt) -> list[str] | None:
    """The names of `__all__ = [...]` / `__all__ += [...]`, when they are literals."""
    if isinstance(statement, ast.Assign):
        targets, value = statement.targets, statement.value
    elif isinstance(statement, ast.AugAssign | ast.AnnAssign) and statement.value is not None:
        targets, value = [statement.target], statement.value
    else:
        return None
    if not any(isinstance(target, ast.Name) and target.id == "__all__" for target in targets):
        return None
    if isinstance(value, ast.List | ast.Tuple):
        return [element.value for element in value.elts if isinstance(element, ast.Constant) and isinstance(element.value, str)]
    return []


def _container_kind(value: ast.expr | None, names: AstNames) -> str | None:
    if value is None:
        return None
    literal = _CONTAINER_LITERALS.get(type(value))
    if literal is not None:
        return literal
    if isinstance(value, ast.Call):
        return _CONTAINER_CALLS.get(names.qualified(value.func) or "")
    return None


def _globally_rebound(index: AstIndex) -> set[str]:
    """Module names that a function declares `global` and then binds."""
    rebound: set[str] = set()
    for declaration in index.nodes(ast.Global):
        rebound.update(declaration.names)
    return rebound


def _words(index: AstIndex) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for node in index.nodes(ast.Name):
        counts[node.id] += 1
    for node in index.nodes(ast.Attribute):
        counts[node.attr] += 1
    for node in index.nodes(ast.keyword):
        if node.arg is not None:
            counts[node.arg] += 1
    for node in index.nodes(ast.alias):
        counts[node.name.rsplit(".", 1)[-1]] += 1
    for node in index.nodes(ast.Constant):
        if isinstance(node.value, str) and len(node.value) <= _MAX_WORD_STRING:
            counts.update(_WORD.findall(node.value))
    return dict(counts)


def _exports_dynamic(tree: ast.Module, index: AstIndex) -> bool:
    """Whether `__all__` is more than module-level assignments of literal string lists: built by an
    expression, changed by `.append`/`.extend`, or bound inside a block (`if`, `try`, a function)."""
    literal_statements = 0
    for statement in tree.body:
        if _exports(statement) is None:
            continue
        value = statement.value  # type: ignore[attr-defined]
        if not isinstance(value, ast.List | ast.Tuple) or not all(
            isinstance(element, ast.Constant) and isinstance(element.value, str) for element in value.elts
        ):
            return True
        literal_statements += 1
    bindings = 0
    for node in index.nodes(ast.Name):
        if node.id == "__all__" and not isinstance(node.ctx, ast.Load):
            bindings += 1
    if bindings != literal_statements:
        return True
    return any(
        isinstance(node.value, ast.Name) and node.value.id == "__all__" for node in index.nodes(ast.Attribute)
    )


class FunctionLocals:
    """Names that functions bind for themselves (parameters, assignment and loop targets, `with`/`except`
    ... `as`): inside such a function the name is a local, not the import of the same spelling."""

    def __init__(self, index: AstIndex) -> None:
        self.index = index
        bound: set[tuple[str, str]] = set()
        for node in index.nodes(ast.Name):
            if not isinstance(node.ctx, ast.Load):
                scope = index.scope_of(node)
                if scope:
                    bound.add((scope, node.id))
        for node in index.nodes(ast.arg):
            bound.add((index.scope_of(node), node.arg))
        for node in index.nodes(ast.ExceptHandler):
            if node.name:
                bound.add((index.scope_of(node), node.name))
        self.bound = bound

    def shadows(self, node: ast.expr) -> bool:
        """Whether the head name of `node` (`a` in `a.b.c`) is a function local where `node` is."""
        head = node
        while isinstance(head, ast.Attribute | ast.Subscript | ast.Call):
            head = head.func if isinstance(head, ast.Call) else head.value
        if not isinstance(head, ast.Name) or not self.bound:
            return False
        scope = self.index.scope_of(node)
        while scope:
            if (scope, head.id) in self.bound:
                return True
            scope = scope.rpartition(".")[0]
        return False


def _mutations(
    index: AstIndex, names: AstNames, context: FileContext, local_names: FunctionLocals
) -> tuple[Mutation, ...]:
    """Changes made through imported names: only names that resolve through an import can
    belong to another module, so locals are never mistaken for shared state (nor a function's
    own variable that happens to share an imported name)."""
    found: list[Mutation] = []

    def imported(node: ast.expr) -> str | None:
        qualified = names.qualified(node)
        if qualified is None or qualified.startswith("builtins."):
            return None
        dotted = ast_dotted_name(node)
        if dotted is None or qualified == f"{context.module}.{dotted}":
            return None  # the file's own name
        if local_names.shadows(node):
            return None
        return qualified

    for call in index.nodes(ast.Call):
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in MUTATING_METHODS:
            if func.attr in INPLACE_KEYWORD_METHODS and not _inplace(call):
                continue  # `frame.drop(...)` returns a changed copy
            target = imported(func.value)
            if target is not None and "." in target:
                found.append(Mutation(target, func.attr, call.lineno, call.col_offset + 1))
    for statement in index.nodes(ast.Assign, ast.AugAssign, ast.Delete):
        targets = statement.targets if isinstance(statement, ast.Assign | ast.Delete) else [statement.target]
        for target in targets:
            if isinstance(target, ast.Subscript):
                owner = imported(target.value)
                operation = "deletion" if isinstance(statement, ast.Delete) else "item assignment"
            elif isinstance(target, ast.Attribute):
                owner = imported(target)
                operation = "deletion" if isinstance(statement, ast.Delete) else "assignment"
            else:
                continue
            if owner is not None and "." in owner:
                found.append(Mutation(owner, operation, statement.lineno, statement.col_offset + 1))
    return tuple(found)


def _inplace(call: ast.Call) -> bool:
    return any(
        item.arg == "inplace" and isinstance(item.value, ast.Constant) and item.value.value is True
        for item in call.keywords
    )


def _private_references(
    index: AstIndex, names: AstNames, context: FileContext, local_names: FunctionLocals
) -> tuple[Reference, ...]:
    """`pkg.a._state`-style reach-ins through an imported module (the outermost attribute only)."""
    found: list[Reference] = []
    for node in index.nodes(ast.Attribute):
        if not node.attr.startswith("_") or node.attr.startswith("__"):
            continue
        base = ast_dotted_name(node.value)
        if base is None or local_names.shadows(node):
            continue
        qualified = names.qualified(node)
        if qualified is None or qualified.startswith("builtins.") or qualified.startswith(f"{context.module}."):
            continue
        found.append(Reference(qualified, node.lineno, node.col_offset + 1))
    return tuple(found)


def _roles(index: AstIndex, names: AstNames) -> tuple[str, ...]:
    from mldebt.knowledge.roles import PREDICTING_METHODS

    trains = predicts = backward = step = False
    for call in index.nodes(ast.Call):
        kind = training_call_kind(call, names)
        if kind == "train":
            trains = True
        elif kind == "backward":
            backward = True
        elif kind == "step":
            step = True
        elif isinstance(call.func, ast.Attribute) and call.func.attr in PREDICTING_METHODS:
            predicts = True
    roles = []
    if trains or (backward and step):
        roles.append("trains")
    if predicts:
        roles.append("predicts")
    return tuple(roles)


def _training_scopes(index: AstIndex, names: AstNames) -> tuple[str, ...]:
    """The scopes of the calls that make the module train (as `_roles` decides), so that a project
    rule can tell whether what a function reads is what it trains on."""
    scopes: set[str] = set()
    backwards: set[str] = set()
    steps: set[str] = set()
    for call in index.nodes(ast.Call):
        kind = training_call_kind(call, names)
        if kind is not None:
            {"train": scopes, "backward": backwards, "step": steps}[kind].add(index.scope_of(call))
    return tuple(sorted(scopes | (backwards & steps)))


def training_call_kind(call: ast.Call, names: AstNames) -> str | None:
    """`train` for a call that trains a model (`lightgbm.train(...)`, `model.fit(X, y)`,
    `trainer.fit()`), `backward` or `step` for the two halves of a hand-written training step
    (a scope with both trains), else None."""
    from mldebt.knowledge.roles import TRAINING_CALLS, TRAINING_METHODS

    func = call.func
    if (names.qualified(func) or "") in TRAINING_CALLS:
        return "train"
    if isinstance(func, ast.Attribute):
        if func.attr in TRAINING_METHODS and (call.args or call.keywords or is_trainer(func.value)):
            return "train"
        if func.attr in ("backward", "step"):
            return func.attr
    return None


def is_trainer(receiver: ast.expr) -> bool:
    """Whether a receiver is named like a trainer (`trainer`, `self.lit_trainer`), whose `fit()`
    trains without arguments."""
    from mldebt.knowledge.roles import TRAINER_WORDS

    dotted = ast_dotted_name(receiver) or ""
    last = dotted.rsplit(".", 1)[-1].lower()
    return any(word in last for word in TRAINER_WORDS)


def _packages(index: AstIndex, names: AstNames, imports: tuple[ImportFact, ...]) -> tuple[PackageUse, ...]:
    """Black-box model packages this file calls directly, at their first import."""
    from mldebt.knowledge.roles import BLACK_BOX_PACKAGES

    used: set[str] = set()
    for call in index.nodes(ast.Call):
        qualified = names.qualified(call.func)
        if qualified is not None:
            top = qualified.split(".", 1)[0]
            if top in BLACK_BOX_PACKAGES:
                used.add(top)
    result: dict[str, PackageUse] = {}
    for fact in imports:
        top = fact.module.split(".", 1)[0]
        if top in used and top not in result and fact.level == 0:
            result[top] = PackageUse(top, fact.line, fact.column)
    return tuple(sorted(result.values(), key=lambda use: use.package))


def _module_bindings(statement: ast.stmt) -> list[tuple[ast.expr, ast.expr | None]]:
    """(target, value) for each name a module-level statement binds; value None when not a plain assignment."""
    if isinstance(statement, ast.Assign):
        single = len(statement.targets) == 1
        return [(target, statement.value if single else None) for target in statement.targets]
    if isinstance(statement, ast.AnnAssign) and statement.value is not None:
        return [(statement.target, statement.value)]
    if isinstance(statement, ast.AugAssign):
        return [(statement.target, None)]
    if isinstance(statement, ast.For | ast.AsyncFor):
        return [(statement.target, None)]
    if isinstance(statement, ast.With | ast.AsyncWith):
        return [(item.optional_vars, None) for item in statement.items if item.optional_vars is not None]
    return []


def _is_main_guard(test: ast.expr) -> bool:
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = (test.left, test.comparators[0])
    names = {side.id for side in sides if isinstance(side, ast.Name)}
    strings = {side.value for side in sides if isinstance(side, ast.Constant)}
    return names == {"__name__"} and strings == {"__main__"}


class ScopeTracker(CachedVisitors):
    """The engine's own visitor, first in every batch: keeps the enclosing scope and
    function-local imports current, so rules resolve names and report scopes correctly."""

    def __init__(self, context: FileContext) -> None:
        super().__init__()
        self.context = context

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.context.scope.append(node.name.value)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.context.scope.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.context.scope.append(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.context.scope.pop()

    def visit_Import(self, node: cst.Import) -> None:
        if self.context.scope:
            self.context.aliases.add_import(node)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if self.context.scope:
            self.context.aliases.add_import(node)
