"""Constants: what a name holds when the file shows it, for the rules that follow a name to
the string or number bound to it (`query = "SELECT * FROM t"; pd.read_sql(query, con)`,
`URL = "https://..."` at module level, `cmd = ["Rscript", "fit.R"]`, `small = df.head(100)`).

Used by MLD301 (unpinned-external-data), MLD302 (bundled-features-select-star), MLD509
(multiple-language-smell), MLD511 (prototype-leftover) and MLD701 (fixed-decision-threshold).

Scopes are the module, each class body, and each function and lambda. Every binding of a name
is recorded in its scope, in source order:

- a value: `x = v`, `x: T = v`, `x := v`, each name of `a = b = v`, each name of
  `a, b = v1, v2` its own value;
- `x += v` as an append (the text `x` starts with is kept; the rest is unknown);
- a parameter (with its default), a loop variable (with what it iterates; a comprehension's
  loop variable is bound in the scope around it, which only makes that name less known);
- everything else that binds a name, without a value: unpacking (`a, b = pair`), `with ... as`,
  `except ... as`, imports, `def` and `class`, `nonlocal`, and a module name that a function
  declares `global` (the function may rebind it).

A name is read where Python reads it: in the nearest scope that binds it (the scope itself,
then enclosing functions, never a class body around a method, then the module; a name declared
`global` at module level). A module-level name is unknown in a file that calls `exec`,
`globals` or `vars`, which may rebind it at run time. A name holds a constant only when every
binding in that scope gives one; `text` and `literal` need exactly one. A parameter, a loop
variable, or a name reassigned to something unknown is unknown: the readers return None and
the rules stay silent.

It runs inside the rules' one shared traversal, never walking the tree itself: a rule
subclasses `ConstantsRule`, whose `visit_*`/`leave_*` methods feed the file's one `Constants`
(shared through `FileContext.shared`, so bindings are recorded once per file whatever the
number of rules). A scope's bindings are complete once it is left; a rule that decides at the
end of a function sees the function's bindings and the enclosing scopes' bindings so far, and a
rule that decides at `leave_Module` sees them all. A rule keeps `self.constants.scope` with
what it will decide later, and reads with it.
"""

from __future__ import annotations

import re
from typing import ClassVar, Generic, TypeVar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import libcst as cst

from mldebt.context import FileContext
from mldebt.facts import LiteralValue, literal_value
from mldebt.rule import Rule

# Stands for a part of a text that cannot be known statically: an f-string hole, an unknown
# operand of `+`, a `%s` or `{}` field, what `+=` appends.
HOLE = "\x00"
SHOWN_HOLE = "{…}"
# How many names (and nested expressions) a value is followed through before giving up.
MAX_DEPTH = 6

MODULE, CLASS, FUNCTION = "module", "class", "function"
# Kinds of binding.
ASSIGNED = "assigned"  # `value`: what the name is assigned
APPENDED = "appended"  # `x += value`
PARAMETER = "parameter"  # `value`: the default, if any
LOOP = "loop"  # `value`: what the loop iterates
UNKNOWN = "unknown"

# Calls that read or rebind module globals by name at run time.
_DYNAMIC_GLOBALS = frozenset({"exec", "globals", "vars"})
_STRIP_METHODS = frozenset({"strip", "lstrip", "rstrip"})
_LITERAL_NAMES = frozenset({"True", "False", "None"})
_PRINTF_FIELD = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]")
_FORMAT_FIELD = re.compile(r"\{\{|\}\}|\{[^{}]*\}")


@dataclass(frozen=True)
class Binding:
    """One binding of a name: its kind (ASSIGNED, APPENDED, PARAMETER, LOOP, UNKNOWN) and the
    expression that goes with it (see the kinds), if any."""

    kind: str
    value: cst.BaseExpression | None = None


@dataclass(eq=False)
class Scope:
    """The names bound in one module, class or function body (compared by identity)."""

    kind: str
    parent: Scope | None = None
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    declared_global: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Text:
    """A string known statically, with `HOLE` for each part that is not.

    Attributes:
        value: The text, `HOLE` standing for each unknown part (adjacent unknown parts are one).
        holes: The expressions of the unknown parts, in source order (inner ones included).
    """

    value: str
    holes: tuple[cst.BaseExpression, ...] = ()

    @property
    def static(self) -> bool:
        """Whether the whole text is known."""
        return HOLE not in self.value

    def shown(self, hole: str = SHOWN_HOLE) -> str:
        """The text for a message, each unknown part written `hole`."""
        return self.value.replace(HOLE, hole)


def joined(parts: Iterable[Text | cst.BaseExpression]) -> Text:
    """Texts one after the other; an expression stands for a part that is not known (a hole:
    `HOLE` in the text, the expression in its holes; adjacent holes are one)."""
    value = ""
    holes: list[cst.BaseExpression] = []
    for part in parts:
        if isinstance(part, Text):
            piece = part.value
            holes.extend(part.holes)
        else:
            piece = HOLE
            holes.append(part)
        if piece.startswith(HOLE) and value.endswith(HOLE):
            piece = piece[1:]
        value += piece
    return Text(value, tuple(holes))


class Constants:
    """The bindings of one file's names, fed by the shared traversal, and what they hold."""

    SHARED_KEY = "mldebt.constants"

    def __init__(self, context: FileContext) -> None:
        self.context = context
        self.module = Scope(MODULE)
        self._stack: list[Scope] = [self.module]
        self._scopes: dict[int, Scope] = {}  # id of a function, lambda or class node -> its scope
        self._last_event: tuple[str, cst.CSTNode] | None = None
        # `exec`, `globals()` or `vars()` called somewhere (so far): module names may change at run time.
        self.dynamic_globals = False

    @classmethod
    def of(cls, context: FileContext) -> Constants:
        """The file's one `Constants`, shared by every rule of the traversal."""
        shared = context.shared.get(cls.SHARED_KEY)
        if not isinstance(shared, Constants):
            shared = cls(context)
            context.shared[cls.SHARED_KEY] = shared
        return shared

    def first(self, event: str, node: cst.CSTNode) -> bool:
        """Whether this traversal event is new: every rule sharing these constants forwards each
        event, one after the other, and only the first of them feeds it."""
        last = self._last_event
        if last is not None and last[0] == event and last[1] is node:
            return False
        self._last_event = (event, node)
        return True

    @property
    def scope(self) -> Scope:
        """The scope the traversal is in."""
        return self._stack[-1]

    def scope_of(self, node: cst.CSTNode) -> Scope:
        """The scope a function, lambda or class node opened (the module's for anything else)."""
        return self._scopes.get(id(node), self.module)

    # Feeding ----------------------------------------------------------------------------------

    def enter_function(self, node: cst.FunctionDef | cst.Lambda) -> None:
        if isinstance(node, cst.FunctionDef):
            self._bind_name(node.name.value, Binding(UNKNOWN))
        scope = self._push(node, FUNCTION)
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            scope.bindings.setdefault(param.name.value, []).append(Binding(PARAMETER, param.default))
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                scope.bindings.setdefault(star.name.value, []).append(Binding(PARAMETER))

    def enter_class(self, node: cst.ClassDef) -> None:
        self._bind_name(node.name.value, Binding(UNKNOWN))
        self._push(node, CLASS)

    def leave_scope(self) -> None:
        if len(self._stack) > 1:
            self._stack.pop()

    def assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target, node.value)

    def annotated_assign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:  # `x: int` alone binds nothing
            self._bind(node.target, node.value)

    def augmented_assign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name):
            kind = APPENDED if isinstance(node.operator, cst.AddAssign) else UNKNOWN
            self._bind_name(node.target.value, Binding(kind, node.value if kind == APPENDED else None))

    def named_expression(self, node: cst.NamedExpr) -> None:
        self._bind(node.target, node.value)

    def loop(self, target: cst.BaseExpression, iterated: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            self._bind_name(target.value, Binding(LOOP, iterated))
        else:
            self._bind(target, None)

    def bind_unknown(self, target: cst.BaseExpression) -> None:
        """`with ... as target`, `except ... as target`: the name holds something unknown."""
        self._bind(target, None)

    def import_alias(self, node: cst.ImportAlias) -> None:
        bound: cst.BaseExpression = node.asname.name if node.asname is not None else node.name
        while isinstance(bound, cst.Attribute):
            bound = bound.value  # `import os.path` binds `os`
        if isinstance(bound, cst.Name):
            self._bind_name(bound.value, Binding(UNKNOWN))

    def declare_global(self, node: cst.Global) -> None:
        for item in node.names:
            self.scope.declared_global.add(item.name.value)
            self.module.bindings.setdefault(item.name.value, []).append(Binding(UNKNOWN))  # set from elsewhere

    def declare_nonlocal(self, node: cst.Nonlocal) -> None:
        for item in node.names:
            self._bind_name(item.name.value, Binding(UNKNOWN))

    def call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value in _DYNAMIC_GLOBALS:
            self.dynamic_globals = True

    def _push(self, node: cst.CSTNode, kind: str) -> Scope:
        scope = Scope(kind, self.scope)
        self._scopes[id(node)] = scope
        self._stack.append(scope)
        return scope

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        """Bind the names of an assignment target; a tuple target takes a tuple value element
        by element when both have the same length and no starred part, else unknown values."""
        if isinstance(target, cst.Name):
            self._bind_name(target.value, Binding(ASSIGNED, value) if value is not None else Binding(UNKNOWN))
        elif isinstance(target, cst.Tuple | cst.List):
            values: Sequence[cst.BaseElement] = ()
            if isinstance(value, cst.Tuple | cst.List) and len(value.elements) == len(target.elements):
                values = value.elements
            if any(isinstance(element, cst.StarredElement) for element in (*target.elements, *values)):
                values = ()
            for index, element in enumerate(target.elements):
                self._bind(element.value, values[index].value if values else None)
        elif isinstance(target, cst.StarredElement):
            self._bind(target.value, None)

    def _bind_name(self, name: str, binding: Binding) -> None:
        scope = self.module if name in self.scope.declared_global else self.scope
        scope.bindings.setdefault(name, []).append(binding)

    # Reading ----------------------------------------------------------------------------------
    # Each reader takes `dynamic`: whether module names are unknown in a file that calls `exec`,
    # `globals` or `vars` (as a configurator script may rebind them). A rule that asks only what
    # kind of value a name holds (SQL or not), or for which unknown would mean less silence,
    # passes False.

    def lookup(
        self, name: str, scope: Scope, *, enclosing: bool = True, dynamic: bool = True
    ) -> tuple[list[Binding], Scope] | None:
        """The bindings of `name` where `scope` reads it, and the scope that holds them; None
        when no scope binds it (a builtin, a name from a star import) or, with `dynamic`, a
        module name may be rebound at run time. With `enclosing=False`, only `scope` itself (or
        the module, for a name it declares `global`) is looked at."""
        current: Scope | None = scope
        while current is not None:
            if current.kind == CLASS and current is not scope:
                current = current.parent  # a class body does not enclose its methods
                continue
            if name in current.declared_global:
                current = self.module
            bound = current.bindings.get(name)
            if bound is not None:
                if dynamic and current is self.module and self.dynamic_globals:
                    return None
                return bound, current
            if not enclosing:
                return None
            current = current.parent
        return None

    def bindings(
        self, name: str, scope: Scope, *, enclosing: bool = True, dynamic: bool = True
    ) -> list[Binding] | None:
        """Every binding of `name` where `scope` reads it (see `lookup`)."""
        found = self.lookup(name, scope, enclosing=enclosing, dynamic=dynamic)
        return None if found is None else found[0]

    def assigned(
        self, name: str, scope: Scope, *, enclosing: bool = True, appends: bool = False, dynamic: bool = True
    ) -> tuple[list[cst.BaseExpression], Scope] | None:
        """The values `name` is assigned where `scope` reads it (one step: a value may itself be
        a name), and the scope they belong to; None unless every binding assigns a value.
        With `appends`, `x += ...` bindings are passed over: the caller asks how the value starts."""
        found = self.lookup(name, scope, enclosing=enclosing, dynamic=dynamic)
        if found is None:
            return None
        bound, where = found
        values: list[cst.BaseExpression] = []
        for binding in bound:
            if binding.kind == APPENDED and appends:
                continue
            if binding.kind != ASSIGNED or binding.value is None:
                return None
            values.append(binding.value)
        return (values, where) if values else None

    def values(
        self,
        node: cst.BaseExpression,
        scope: Scope,
        *,
        enclosing: bool = True,
        appends: bool = False,
        dynamic: bool = True,
    ) -> list[tuple[cst.BaseExpression, Scope]] | None:
        """Every expression `node` may hold, each with the scope to read it in: `node` itself,
        or, for a name, the values of each of its assignments (followed through names); None
        when one of them is not known (see `assigned` for `appends`)."""
        pending = [(node, scope, 0)]
        result: list[tuple[cst.BaseExpression, Scope]] = []
        while pending:
            current, where, depth = pending.pop()
            if not isinstance(current, cst.Name):
                result.append((current, where))
                continue
            found = None
            if depth < MAX_DEPTH:
                found = self.assigned(current.value, where, enclosing=enclosing, appends=appends, dynamic=dynamic)
            if found is None:
                return None
            bound, holder = found
            pending.extend((value, holder, depth + 1) for value in reversed(bound))
        return result

    def literal(self, node: cst.BaseExpression, scope: Scope, *, dynamic: bool = True) -> tuple[bool, LiteralValue]:
        """(True, value) for a literal (`3`, `-0.5`, `"x"`, `True`, `None`) or a name assigned
        exactly one (followed through names), else (False, None)."""
        for _ in range(MAX_DEPTH):
            if not isinstance(node, cst.Name) or node.value in _LITERAL_NAMES:
                return literal_value(node)
            found = self.assigned(node.value, scope, dynamic=dynamic)
            if found is None or len(found[0]) != 1:
                return False, None
            node, scope = found[0][0], found[1]
        return False, None

    def text(
        self,
        node: cst.BaseExpression,
        scope: Scope,
        *,
        wrappers: frozenset[str] = frozenset(),
        dynamic: bool = True,
    ) -> Text | None:
        """The string an expression holds, as far as the file shows it, with `HOLE` for the
        parts it does not; None when it is not a string or nothing of it is known.

        Reads string literals, implicit concatenation, f-strings (a hole holding a constant
        is filled in), `+`, `%` and `.format(...)` (their fields are holes), `.strip()`, calls
        to `wrappers` (qualified names of functions whose first argument is the text, such as
        `sqlalchemy.text`), and names assigned exactly one such value (`x += ...` keeps how
        the text starts and makes the rest a hole).
        """
        return _TextReader(self, wrappers, dynamic).read(node, scope, 0)


@dataclass(frozen=True)
class _TextReader:
    """`Constants.text` with its options."""

    constants: Constants
    wrappers: frozenset[str]
    dynamic: bool

    def read(self, node: cst.BaseExpression, scope: Scope, depth: int) -> Text | None:
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, cst.SimpleString):
            ok, value = literal_value(node)
            return Text(value) if ok and isinstance(value, str) else None
        if isinstance(node, cst.ConcatenatedString):
            pieces = [self.read(piece, scope, depth + 1) for piece in concatenated_pieces(node)]
            known = [piece for piece in pieces if piece is not None]
            return joined(known) if len(known) == len(pieces) else None
        if isinstance(node, cst.FormattedString):
            return self._formatted(node, scope, depth)
        if isinstance(node, cst.BinaryOperation):
            if isinstance(node.operator, cst.Add):
                sides = _added(node)
                texts = [self.read(side, scope, depth + 1) for side in sides]
                if all(text is None for text in texts):
                    return None
                return joined(side if text is None else text for side, text in zip(sides, texts))
            if isinstance(node.operator, cst.Modulo):
                left = self.read(node.left, scope, depth + 1)
                return None if left is None else _filled(left, _PRINTF_FIELD, "%%", "%", (node.right,))
            return None
        if isinstance(node, cst.Call):
            return self._called(node, scope, depth)
        if isinstance(node, cst.Name):
            return self._name(node, scope, depth)
        return None

    def _name(self, node: cst.Name, scope: Scope, depth: int) -> Text | None:
        found = self.constants.lookup(node.value, scope, dynamic=self.dynamic)
        if found is None:
            return None
        bound, where = found
        values = [binding.value for binding in bound if binding.kind == ASSIGNED and binding.value is not None]
        appended = [binding.value for binding in bound if binding.kind == APPENDED and binding.value is not None]
        if len(values) != 1 or len(values) + len(appended) != len(bound):
            return None
        inner = self.read(values[0], where, depth + 1)
        if inner is None or not appended:
            return inner
        return joined([inner, *appended])  # read before or after `x += ...`: only its start is known

    def _formatted(self, node: cst.FormattedString, scope: Scope, depth: int) -> Text:
        parts: list[Text | cst.BaseExpression] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                parts.append(Text(part.value.replace("{{", "{").replace("}}", "}")))
                continue
            assert isinstance(part, cst.FormattedStringExpression)
            inner: Text | None = None
            if part.conversion is None and part.format_spec is None:
                inner = self.read(part.expression, scope, depth + 1)
                if inner is None:
                    ok, value = self.constants.literal(part.expression, scope, dynamic=self.dynamic)
                    if ok and isinstance(value, int | float) and not isinstance(value, bool):
                        inner = Text(str(value))
            parts.append(part.expression if inner is None else inner)
        return joined(parts)

    def _called(self, node: cst.Call, scope: Scope, depth: int) -> Text | None:
        func = node.func
        positional = [arg.value for arg in node.args if arg.keyword is None and not arg.star]
        if isinstance(func, cst.Attribute) and func.attr.value in _STRIP_METHODS:
            receiver = self.read(func.value, scope, depth + 1)
            if receiver is None or len(node.args) > 1 or (node.args and not positional):
                return None
            characters: str | None = None
            if positional:
                ok, value = self.constants.literal(positional[0], scope, dynamic=self.dynamic)
                if not ok or not isinstance(value, str | type(None)):
                    return None
                characters = value
            return Text(getattr(receiver.value, func.attr.value)(characters), receiver.holes)
        if isinstance(func, cst.Attribute) and func.attr.value == "format":
            receiver = self.read(func.value, scope, depth + 1)
            if receiver is None:
                return None
            return _filled(receiver, _FORMAT_FIELD, None, None, tuple(arg.value for arg in node.args))
        if self.wrappers and positional and self.constants.context.qualified_name(func) in self.wrappers:
            return self.read(positional[0], scope, depth + 1)
        return None


def concatenated_pieces(node: cst.ConcatenatedString) -> list[cst.BaseExpression]:
    """The strings of an implicit concatenation (`"a" "b" f"{c}"`), in order."""
    pieces: list[cst.BaseExpression] = []
    current: cst.BaseExpression = node
    while isinstance(current, cst.ConcatenatedString):
        pieces.append(current.left)
        current = current.right
    pieces.append(current)
    return pieces


def _added(node: cst.BinaryOperation) -> list[cst.BaseExpression]:
    """The operands of a chain of `+` (`a + b + c`), in order."""
    sides: list[cst.BaseExpression] = [node.right]
    current: cst.BaseExpression = node.left
    while isinstance(current, cst.BinaryOperation) and isinstance(current.operator, cst.Add):
        sides.append(current.right)
        current = current.left
    sides.append(current)
    return sides[::-1]


def _filled(
    text: Text, fields: re.Pattern[str], escape: str | None, unescaped: str | None, holes: tuple[cst.BaseExpression, ...]
) -> Text:
    """A template's text with each of its fields (`%s`, `{name}`) a hole; the values given to
    fill them are the holes' expressions."""

    def field(match: re.Match[str]) -> str:
        found = match.group()
        if escape is not None and found == escape:
            return unescaped or ""
        if found in ("{{", "}}"):
            return found[0]
        return HOLE

    value = fields.sub(field, text.value)
    while HOLE + HOLE in value:
        value = value.replace(HOLE + HOLE, HOLE)
    return Text(value, text.holes + holes)


class ConstantsRule(Rule):
    """A file rule that follows names to their constants.

    Its `visit_*`/`leave_*` methods feed `self.constants` in the shared traversal; a subclass
    that needs one of them itself calls `super()` first.
    """

    def __init__(self, context: FileContext, options: object = None) -> None:
        super().__init__(context, options)
        self.constants = Constants.of(context)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self.constants.first("enter", node):
            self.constants.enter_function(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        if self.constants.first("leave", original_node):
            self.constants.leave_scope()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        if self.constants.first("enter", node):
            self.constants.enter_function(node)

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        if self.constants.first("leave", original_node):
            self.constants.leave_scope()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if self.constants.first("enter", node):
            self.constants.enter_class(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        if self.constants.first("leave", original_node):
            self.constants.leave_scope()

    def visit_Assign(self, node: cst.Assign) -> None:
        if self.constants.first("enter", node):
            self.constants.assign(node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if self.constants.first("enter", node):
            self.constants.annotated_assign(node)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if self.constants.first("enter", node):
            self.constants.augmented_assign(node)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        if self.constants.first("enter", node):
            self.constants.named_expression(node)

    def visit_For(self, node: cst.For) -> None:
        if self.constants.first("enter", node):
            self.constants.loop(node.target, node.iter)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        if self.constants.first("enter", node):
            self.constants.loop(node.target, node.iter)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None and self.constants.first("enter", node):
            self.constants.bind_unknown(node.asname.name)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None and self.constants.first("enter", node):
            self.constants.bind_unknown(node.name.name)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        if self.constants.first("enter", node):
            self.constants.import_alias(node)

    def visit_Global(self, node: cst.Global) -> None:
        if self.constants.first("enter", node):
            self.constants.declare_global(node)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        if self.constants.first("enter", node):
            self.constants.declare_nonlocal(node)

    def visit_Call(self, node: cst.Call) -> None:
        if self.constants.first("enter", node):
            self.constants.call(node)


FrameT = TypeVar("FrameT")


class SettledByScope(ConstantsRule, Generic[FrameT]):
    """A constants rule that gathers work per scope (the module, each function, and each class
    unless `CLASS_SCOPES` is False) and decides it when the scope ends, once every constant the
    scope binds is known.

    A subclass gives `new_frame(node)` (node None for the module) and `settle(frame)`;
    `self.frames[-1]` is the innermost scope's frame.
    """

    CLASS_SCOPES: ClassVar[bool] = True

    def __init__(self, context: FileContext, options: object = None) -> None:
        super().__init__(context, options)
        self.frames: list[FrameT] = [self.new_frame(None)]

    def new_frame(self, node: cst.FunctionDef | cst.ClassDef | None) -> FrameT:
        raise NotImplementedError

    def settle(self, frame: FrameT) -> None:
        raise NotImplementedError

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        super().visit_FunctionDef(node)
        self.frames.append(self.new_frame(node))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        super().leave_FunctionDef(original_node)
        self.settle(self.frames.pop())

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        super().visit_ClassDef(node)
        if self.CLASS_SCOPES:
            self.frames.append(self.new_frame(node))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        super().leave_ClassDef(original_node)
        if self.CLASS_SCOPES:
            self.settle(self.frames.pop())

    def leave_Module(self, original_node: cst.Module) -> None:
        self.settle(self.frames[0])
