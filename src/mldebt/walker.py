"""A read-only batched traversal: libcst's `visit_batched`, without rebuilding the tree.

libcst visits a node by calling its `_visit_and_replace_children`, which visits each
child and then builds a new node from the results -- running every `__post_init__`
validation -- even for a `CSTVisitor`, which then throws the new node away. Our
visitors only read, so that rebuilding was most of the time of a whole check.

`walk_batched` calls the same methods in the same order: `visit_<Node>` on entering
a node; for each child field, `visit_<Node>_<field>`, the child or children,
`leave_<Node>_<field>`; then `leave_<Node>` with the original node. Like libcst's
batched visitor it ignores what `visit_<Node>` returns (batched visitors cannot stop
the descent), and it hands visitors the module's own nodes, so positions looked up by
node identity afterwards find them.

Which fields are visited, in which order, and how (a node, an optional node, a
`MaybeSentinel`, a sequence) is read once per node class from the source of its
`_visit_and_replace_children` -- the order there is not always the dataclass field
order (parentheses, whitespace, commas). A class whose method does not have the
one shape all of libcst's have (return `Node(field=visit_*(self, "field",
self.field, visitor), ...)`) is not guessed at: its subtrees are visited by libcst
itself, with the same methods. tests/test_walker.py holds the event sequence to
libcst's, node by node.

A subtree is skipped when no visitor has a method for any node class that can occur
in it (by the field annotations, which libcst's parser keeps to): nothing would be
called there. Whitespace, names' empty parentheses and literals are many of a tree's
nodes, and few visitors look inside them.
"""

from __future__ import annotations

import ast
import inspect
import linecache
import sys
import textwrap
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import Any

import libcst as cst
from libcst._batched_visitor import _BatchedCSTVisitor  # the fallback for a class we cannot read

VisitorMethod = Callable[[cst.CSTNode], None]
# What the traversal needs of one node class: its visit methods, its fields (name, kind,
# only_when_present, attribute visit methods, attribute leave methods), its leave methods,
# and whether its visiting order could not be read (then libcst visits its subtrees).
ClassEntry = tuple[tuple[VisitorMethod, ...], tuple[Any, ...], tuple[VisitorMethod, ...], bool]

# How a field's value is visited, by the `libcst._nodes.internal` helper that visits it.
ONE = 0  # visit_required / visit_optional / visit_sentinel: a node, or None / MaybeSentinel (no child)
MANY = 1  # visit_sequence / visit_iterable / visit_body_sequence / visit_body_iterable
ONE_OR_MANY = 2  # `visit_required(...) if isinstance(names, ImportStar) else visit_sequence(...)`

_KIND_OF_HELPER = {
    "visit_required": ONE,
    "visit_optional": ONE,
    "visit_sentinel": ONE,
    "visit_sequence": MANY,
    "visit_iterable": MANY,
    "visit_body_sequence": MANY,
    "visit_body_iterable": MANY,
}


class UnreadableNode(Exception):
    """A `_visit_and_replace_children` whose visiting order cannot be read from its source."""


# A field as visited: (name, kind, only_when_present). `only_when_present` is for
# `visit_sequence(...) if format_spec is not None else None`: no attribute events at all when None.
FieldPlan = tuple[str, int, bool]


def field_plan(node_class: type[cst.CSTNode]) -> tuple[FieldPlan, ...] | None:
    """The fields `node_class._visit_and_replace_children` visits, in its order; None when unreadable."""
    return _plan_of(node_class._visit_and_replace_children)


@cache
def _plan_of(method: Callable[..., Any]) -> tuple[FieldPlan, ...] | None:
    try:
        return _read_plan(_source_of(method))
    except (UnreadableNode, OSError, TypeError, SyntaxError, ValueError):
        return None


def _source_of(function: Callable[..., Any]) -> str:
    """A function's source, by indentation from its first line.

    `inspect.getsource` tokenizes to find the end, which for libcst's classes was a third of a
    second per process; a body this reader gets wrong does not parse or read, and falls back."""
    code = function.__code__
    lines = linecache.getlines(code.co_filename)
    first = code.co_firstlineno - 1
    if not 0 <= first < len(lines):
        raise UnreadableNode("no source")
    indent = len(lines[first]) - len(lines[first].lstrip())
    end, depth = first, 0
    while end < len(lines):  # the signature, up to its closing parenthesis
        depth += lines[end].count("(") - lines[end].count(")")
        end += 1
        if depth <= 0:
            break
    while end < len(lines):  # the body: until a line indented no deeper than `def`
        line = lines[end]
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        end += 1
    return textwrap.dedent("".join(lines[first:end]))


def _read_plan(source: str) -> tuple[FieldPlan, ...]:
    tree = ast.parse(source)
    function = tree.body[0]
    if not isinstance(function, ast.FunctionDef):
        raise UnreadableNode("not a function")
    body = list(function.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # docstring
    aliases: dict[str, str] = {}  # `names = self.names`
    built: ast.Call | None = None
    built_name = ""
    for position, statement in enumerate(body):
        last = position == len(body) - 1
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and not last:
            target = statement.targets[0]
            if not isinstance(target, ast.Name):
                raise UnreadableNode("assignment to something other than a name")
            if _self_attribute(statement.value, {}) is not None:
                aliases[target.id] = _self_attribute(statement.value, {}) or ""
            elif isinstance(statement.value, ast.Call) and built is None:
                built, built_name = statement.value, target.id  # `ret = Node(...)`; `return ret`
            else:
                raise UnreadableNode("unexpected assignment")
        elif isinstance(statement, ast.Return) and last:
            value = statement.value
            if isinstance(value, ast.Name) and value.id == "self" and built is None:
                return ()  # a leaf: no children
            if isinstance(value, ast.Call) and built is None:
                built = value
            elif not (isinstance(value, ast.Name) and built is not None and value.id == built_name):
                raise UnreadableNode("unexpected return")
        else:
            raise UnreadableNode(f"unexpected statement {type(statement).__name__}")
    if built is None:
        raise UnreadableNode("no node built")
    if any(isinstance(argument, ast.Starred) for argument in built.args) or any(
        keyword.arg is None for keyword in built.keywords
    ):
        raise UnreadableNode("*args or **kwargs")
    plan: list[FieldPlan] = []
    # Arguments are evaluated left to right, positional ones first.
    for expression in [*built.args, *(keyword.value for keyword in built.keywords)]:
        field = _field_of(expression, aliases)
        if field is not None:
            plan.append(field)
    return tuple(plan)


def _field_of(expression: ast.expr, aliases: Mapping[str, str]) -> FieldPlan | None:
    """The field one constructor argument visits, or None when it visits nothing."""
    if isinstance(expression, ast.Call):
        helper = _helper_call(expression, aliases)
        if helper is not None:
            return (helper[1], helper[0], False)
    if isinstance(expression, ast.IfExp):
        body = _helper_call(expression.body, aliases) if isinstance(expression.body, ast.Call) else None
        if body is not None:
            kind, name = body
            test = expression.test
            # `visit_sequence(self, "f", f, visitor) if f is not None else None`
            if (
                isinstance(test, ast.Compare)
                and len(test.ops) == 1
                and isinstance(test.ops[0], ast.IsNot)
                and _self_attribute(test.left, aliases) == name
                and isinstance(test.comparators[0], ast.Constant)
                and test.comparators[0].value is None
                and isinstance(expression.orelse, ast.Constant)
                and expression.orelse.value is None
            ):
                return (name, kind, True)
            # `visit_required(self, "f", f, visitor) if isinstance(f, X) else visit_sequence(self, "f", f, visitor)`
            orelse = _helper_call(expression.orelse, aliases) if isinstance(expression.orelse, ast.Call) else None
            if (
                orelse is not None
                and orelse[1] == name
                and isinstance(test, ast.Call)
                and isinstance(test.func, ast.Name)
                and test.func.id == "isinstance"
                and test.args
                and _self_attribute(test.args[0], aliases) == name
                and {kind, orelse[0]} == {ONE, MANY}
            ):
                return (name, ONE_OR_MANY, False)
    if _visits_anything(expression):
        raise UnreadableNode(f"cannot read {ast.unparse(expression)}")
    return None


def _helper_call(call: ast.Call, aliases: Mapping[str, str]) -> tuple[int, str] | None:
    """(kind, field) of `visit_*(self, "field", self.field, visitor)`."""
    if not (isinstance(call.func, ast.Name) and call.func.id in _KIND_OF_HELPER):
        return None
    arguments = call.args
    if (
        len(arguments) == 4
        and not call.keywords
        and isinstance(arguments[0], ast.Name)
        and arguments[0].id == "self"
        and isinstance(arguments[1], ast.Constant)
        and isinstance(arguments[1].value, str)
        and _self_attribute(arguments[2], aliases) == arguments[1].value
        and isinstance(arguments[3], ast.Name)
    ):
        return _KIND_OF_HELPER[call.func.id], arguments[1].value
    raise UnreadableNode(f"cannot read {ast.unparse(call)}")


def _self_attribute(expression: ast.expr, aliases: Mapping[str, str]) -> str | None:
    """`self.name` (or a local alias of it) -> "name"."""
    if isinstance(expression, ast.Attribute) and isinstance(expression.value, ast.Name):
        return expression.attr if expression.value.id == "self" else None
    if isinstance(expression, ast.Name):
        return aliases.get(expression.id)
    return None


def _visits_anything(expression: ast.expr) -> bool:
    for inner in ast.walk(expression):
        if isinstance(inner, ast.Call):
            function = inner.func
            if isinstance(function, ast.Name) and function.id.startswith("visit"):
                return True
            if isinstance(function, ast.Attribute) and function.attr.startswith(("visit", "on_")):
                return True
        if isinstance(inner, ast.Name) and inner.id == "visitor":
            return True
    return False


# ---------------------------------------------------------------------------------------------
# Which node classes can occur under a node of a class (for skipping silent subtrees).


@cache
def _concrete_node_classes() -> dict[str, type[cst.CSTNode]]:
    """Every concrete libcst node class, by name (the name is what visitor methods are looked up by)."""
    return {
        node_class.__name__: node_class
        for node_class in _concrete_subclasses(cst.CSTNode)
        if getattr(sys.modules.get(node_class.__module__), node_class.__name__, None) is node_class
    }


@cache
def _concrete_subclasses(base: type) -> frozenset[type[cst.CSTNode]]:
    """Concrete subclasses of `base` (and itself), as `__subclasses__` tells: this includes the
    classes libcst's `add_slots` replaced (they never occur in a tree; counting them is harmless)."""
    found: set[type[cst.CSTNode]] = set()
    pending: list[type] = [base]
    while pending:
        current = pending.pop()
        if not inspect.isabstract(current):
            found.add(current)
        pending.extend(current.__subclasses__())
    return frozenset(found)


def _node_classes_in(annotation: object) -> frozenset[type[cst.CSTNode]] | None:
    """Concrete node classes a field annotation admits; None when it cannot be told."""
    if isinstance(annotation, type):
        if issubclass(annotation, cst.CSTNode):
            return _concrete_subclasses(annotation)
        if annotation in (str, int, bool, float, bytes, type(None), cst.MaybeSentinel):
            return frozenset()
        return None
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return frozenset()
    if origin in (typing.Union, types.UnionType) or (isinstance(origin, type) and issubclass(origin, Sequence)):
        found: set[type[cst.CSTNode]] = set()
        for argument in typing.get_args(annotation):
            inner = frozenset() if argument is Ellipsis else _node_classes_in(argument)
            if inner is None:
                return None
            found |= inner
        return frozenset(found)
    return None


@cache
def _field_classes(node_class: type[cst.CSTNode]) -> dict[str, frozenset[type[cst.CSTNode]] | None] | None:
    """Node classes each visited field of `node_class` can hold (by its annotation; None for a field
    when unknown); None when the class's visiting order cannot be read."""
    plan = field_plan(node_class)
    fields = getattr(node_class, "__dataclass_fields__", None)
    if plan is None or fields is None:
        return None
    found: dict[str, frozenset[type[cst.CSTNode]] | None] = {}
    resolved: dict[str, Any] | None = None
    for name, _, _ in plan:
        inner = _node_classes_in(fields[name].type) if name in fields else None
        if inner is None:  # a string or forward reference (`orelse: Union[If, Else, None]` in `If`)
            if resolved is None:
                try:
                    resolved = typing.get_type_hints(node_class)
                except Exception:  # noqa: BLE001 - an unresolvable annotation: anything can occur there
                    resolved = {}
            inner = _node_classes_in(resolved.get(name))
        found[name] = inner
    return found


@cache
def _children_classes(node_class: type[cst.CSTNode]) -> frozenset[type[cst.CSTNode]] | None:
    """Node classes that can be direct children of `node_class` (by its field annotations); None when unknown."""
    fields = _field_classes(node_class)
    if fields is None or any(inner is None for inner in fields.values()):
        return None
    return frozenset().union(*fields.values())


@cache
def silent_classes(hooked: frozenset[str]) -> frozenset[type[cst.CSTNode]]:
    """Node classes under which no method is called, given the node class names that have methods.

    A class is heard when it has a method or a class that can occur below it is heard (or
    could not be read: then anything may occur below it); the others are silent."""
    classes = set(_concrete_subclasses(cst.CSTNode))
    parents: dict[type, list[type]] = {}
    heard = [node_class for node_class in classes if node_class.__name__ in hooked]
    pending = list(classes)
    while pending:
        node_class = pending.pop()
        children = _children_classes(node_class)
        if children is None:
            heard.append(node_class)
            continue
        for child in children:
            parents.setdefault(child, []).append(node_class)
            if child not in classes:
                classes.add(child)
                pending.append(child)
                if child.__name__ in hooked:
                    heard.append(child)
    reached = set(heard)
    while heard:
        for parent in parents.get(heard.pop(), ()):
            if parent not in reached:
                reached.add(parent)
                heard.append(parent)
    return frozenset(classes - reached)


# ---------------------------------------------------------------------------------------------
# The traversal.


def visitor_methods(visitors: Iterable[cst.BatchableCSTVisitor]) -> dict[str, list[VisitorMethod]]:
    """Method name -> the visitors' methods of that name, in visitor order (as libcst gathers them)."""
    methods: dict[str, list[VisitorMethod]] = {}
    for visitor in visitors:
        for name, method in visitor.get_visitors().items():
            methods.setdefault(name, []).append(method)
    return methods


def walk_batched(node: cst.CSTNode, visitors: Iterable[cst.BatchableCSTVisitor], prune: bool = True) -> None:
    """Call the visitors' methods over `node`'s tree exactly as `libcst.visit_batched` would.

    Metadata is not resolved here (the caller does that, as `MetadataWrapper.visit_batched` does).
    `prune=False` walks every node even where no method would be called (for tests)."""
    methods = visitor_methods(visitors)
    hooked = frozenset(name.split("_", 2)[1] for name in methods if "_" in name)  # class names with methods
    silent = silent_classes(hooked) if prune else frozenset()
    fallback = _BatchedCSTVisitor(methods)
    sentinel = cst.MaybeSentinel.DEFAULT
    table: dict[type, ClassEntry] = {}  # built per node class on first meeting

    def first_meeting(node_class: type) -> ClassEntry:
        name = node_class.__name__
        plan = field_plan(node_class)
        admitted = _field_classes(node_class) or {}
        fields = tuple(
            (
                field,
                kind,
                only_when_present,
                tuple(methods.get(f"visit_{name}_{field}", ())),
                tuple(methods.get(f"leave_{name}_{field}", ())),
            )
            for field, kind, only_when_present in plan or ()
        )
        # A field with no methods of its own that can hold only silent nodes is not even read.
        fields = tuple(
            entry
            for entry in fields
            if entry[3] or entry[4] or (classes := admitted.get(entry[0])) is None or not classes <= silent
        )
        entry = (tuple(methods.get(f"visit_{name}", ())), fields, tuple(methods.get(f"leave_{name}", ())), plan is None)
        table[node_class] = entry
        return entry

    def walk(node: cst.CSTNode) -> None:
        entry = table.get(type(node))
        if entry is None:
            entry = first_meeting(type(node))
        visits, fields, leaves, unreadable = entry
        if unreadable:
            node.visit(fallback)  # libcst's own traversal of this subtree, with the same methods
            return
        for method in visits:
            method(node)
        for field, kind, only_when_present, before, after in fields:
            value = getattr(node, field)
            if only_when_present and value is None:
                continue
            for method in before:
                method(node)
            if kind == ONE:
                if value is not None and value is not sentinel and type(value) not in silent:
                    walk(value)
            elif kind == MANY or not isinstance(value, cst.CSTNode):
                for child in value:
                    if type(child) not in silent:
                        walk(child)
            elif type(value) not in silent:
                walk(value)
            for method in after:
                method(node)
        for method in leaves:
            method(node)

    if type(node) not in silent:
        walk(node)


@cache
def _hears_attributes(visitor_class: type[cst.CSTVisitor]) -> bool:
    """Whether a plain visitor does anything on entering or leaving a field (most do not: then
    the two calls per field, each a failed method lookup in libcst's `CSTVisitor`, are skipped)."""
    if (
        visitor_class.on_visit_attribute is not cst.CSTVisitor.on_visit_attribute
        or visitor_class.on_leave_attribute is not cst.CSTVisitor.on_leave_attribute
        or "__getattr__" in dir(visitor_class)
    ):
        return True
    for name in dir(visitor_class):
        if name.startswith(("visit_", "leave_")) and name.count("_") >= 2:
            member = getattr(visitor_class, name)
            if callable(member) and not getattr(member, "_is_no_op", False):
                return True
    return False


def walk(node: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    """`node.visit(visitor)` for a plain `CSTVisitor`, without rebuilding the tree.

    The same calls in the same order: `on_visit` (children are skipped when it returns
    False), `on_visit_attribute`/`on_leave_attribute` around each field, `on_leave`."""
    attributes = _hears_attributes(type(visitor))
    on_visit, on_leave = visitor.on_visit, visitor.on_leave
    on_visit_attribute, on_leave_attribute = visitor.on_visit_attribute, visitor.on_leave_attribute
    sentinel = cst.MaybeSentinel.DEFAULT
    plans: dict[type, tuple[FieldPlan, ...] | None] = {}

    def visit(node: cst.CSTNode) -> None:
        if on_visit(node):
            node_class = type(node)
            plan = plans[node_class] if node_class in plans else plans.setdefault(node_class, field_plan(node_class))
            if plan is None:
                node._visit_and_replace_children(visitor)  # libcst's own, for a class we cannot read
            else:
                for field, kind, only_when_present in plan:
                    value = getattr(node, field)
                    if only_when_present and value is None:
                        continue
                    if attributes:
                        on_visit_attribute(node, field)
                    if kind == ONE:
                        if value is not None and value is not sentinel:
                            visit(value)
                    elif kind == MANY or not isinstance(value, cst.CSTNode):
                        for child in value:
                            visit(child)
                    else:
                        visit(value)
                    if attributes:
                        on_leave_attribute(node, field)
        on_leave(node)

    visit(node)
