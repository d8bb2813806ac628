"""Per-file facts: plain data that the project phase joins into the graph.

Facts are read from CPython's `ast` tree, which the engine builds anyway to
gate each file (it gives exact lines for free); the libcst traversal that the
rules share stays free of position metadata. Facts hold only str/int/bool and
tuples, so they can be cached and sent between processes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import ast

import libcst as cst

from mldebt.context import FileContext
from mldebt.names import absolute_module
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

    @property
    def qualified(self) -> str:
        return f"{self.module}.{self.name}" if self.name else self.module


@dataclass(frozen=True)
class Definition:
    """A function or class defined at module level."""

    name: str
    kind: str  # "function" | "class"
    line: int


@dataclass(frozen=True)
class Constant:
    """A module-level name assigned a literal, and how often the module binds it."""

    name: str
    value: LiteralValue
    line: int
    assignments: int = 1


@dataclass(frozen=True)
class FileFacts:
    """Everything the project phase needs to know about one file."""

    path: str
    module: str
    in_package: bool
    imports: tuple[ImportFact, ...] = ()
    definitions: tuple[Definition, ...] = ()
    constants: tuple[Constant, ...] = ()
    has_main_guard: bool = False
    lines: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FileFacts:
        return cls(
            path=data["path"],
            module=data["module"],
            in_package=data["in_package"],
            imports=tuple(ImportFact(**item) for item in data["imports"]),
            definitions=tuple(Definition(**item) for item in data["definitions"]),
            constants=tuple(Constant(**item) for item in data["constants"]),
            has_main_guard=data["has_main_guard"],
            lines=data["lines"],
        )


def literal_value(node: cst.BaseExpression) -> tuple[bool, LiteralValue]:
    """(True, value) for a plain literal (`3`, `-0.5`, `"x"`, `True`, `None`), else (False, None)."""
    if isinstance(node, cst.Integer | cst.Float):
        try:
            return True, node.evaluated_value
        except ValueError:
            return False, None
    if isinstance(node, cst.SimpleString):
        try:
            text = node.evaluated_value
        except Exception:  # odd prefixes: not a literal we can know
            return False, None
        return (True, text) if isinstance(text, str) else (False, None)
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return True, {"True": True, "False": False, "None": None}[node.value]
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus | cst.Plus):
        ok, value = literal_value(node.expression)
        if ok and isinstance(value, int | float) and not isinstance(value, bool):
            return True, -value if isinstance(node.operator, cst.Minus) else value
    return False, None


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


def collect_facts(tree: ast.Module, context: FileContext, line_count: int) -> FileFacts:
    """The facts of one file, from its `ast` tree."""
    imports: list[ImportFact] = []
    top_level = {id(statement) for statement in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                imports.append(ImportFact(alias.name, "", bound, node.lineno, 0, id(node) in top_level))
        elif isinstance(node, ast.ImportFrom):
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
                    )
                )
    definitions: list[Definition] = []
    drafts: dict[str, list[Any]] = {}  # name -> [is_literal, value, line, count]
    has_main_guard = False
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            definitions.append(Definition(statement.name, "function", statement.lineno))
        elif isinstance(statement, ast.ClassDef):
            definitions.append(Definition(statement.name, "class", statement.lineno))
        elif isinstance(statement, ast.If) and _is_main_guard(statement.test):
            has_main_guard = True
        for target, value in _module_bindings(statement):
            for name in _target_names(target):
                draft = drafts.get(name)
                if draft is None:
                    is_literal, literal = _ast_literal(value) if isinstance(target, ast.Name) else (False, None)
                    drafts[name] = [is_literal, literal, statement.lineno, 1]
                else:
                    draft[3] += 1
    constants = tuple(
        Constant(name, draft[1], draft[2], draft[3]) for name, draft in drafts.items() if draft[0]
    )
    return FileFacts(
        path=context.path,
        module=context.module,
        in_package=context.in_package,
        imports=tuple(imports),
        definitions=tuple(definitions),
        constants=constants,
        has_main_guard=has_main_guard,
        lines=line_count,
    )


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
