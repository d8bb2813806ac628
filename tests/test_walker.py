"""The read-only walker (mldebt.walker) calls visitor methods exactly as libcst's `visit_batched` does.

A recording visitor with `visit_`/`leave_` for every libcst node class (and some
`visit_<Node>_<field>`/`leave_<Node>_<field>`) is run by libcst and by the walker over
varied sources; the two event sequences (method name and node identity) must be equal.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable

import libcst as cst
import pytest
from libcst.metadata import PositionProvider

from mldebt.analysis import RuleSetup, analyse_source
from mldebt.findings import Severity
from mldebt.paper import Section
from mldebt.rule import Rule
from mldebt.walker import ONE, _concrete_node_classes, _hears_attributes, field_plan, silent_classes, walk, walk_batched

Event = tuple[str, int]

# Attribute hooks, to check their places among the node events (incl. optional fields left
# empty, sentinels, sequences, and the conditional `format_spec`).
ATTRIBUTE_HOOKS = (
    "If_test",
    "If_body",
    "If_orelse",
    "Call_func",
    "Call_args",
    "Call_lpar",
    "Call_rpar",
    "Arg_value",
    "Arg_keyword",
    "Arg_comma",
    "Arg_equal",
    "FunctionDef_decorators",
    "FunctionDef_returns",
    "FunctionDef_type_parameters",
    "FunctionDef_asynchronous",
    "ClassDef_bases",
    "Assign_value",
    "Assign_targets",
    "Assign_semicolon",
    "AnnAssign_value",
    "AnnAssign_annotation",
    "ImportFrom_names",
    "ImportFrom_module",
    "ImportFrom_relative",
    "FormattedStringExpression_format_spec",
    "FormattedStringExpression_equal",
    "Try_handlers",
    "Try_finalbody",
    "TryStar_handlers",
    "With_items",
    "With_lpar",
    "WithItem_asname",
    "Lambda_params",
    "Subscript_slice",
    "Slice_step",
    "Comparison_comparisons",
    "Return_value",
    "NamedExpr_value",
    "Module_body",
    "Module_header",
    "Module_footer",
    "Match_cases",
    "MatchCase_guard",
    "Name_lpar",
    "Dict_elements",
    "DictComp_for_in",
    "CompFor_ifs",
    "Param_default",
    "Parameters_star_arg",
    "TypeParam_default",
)


class Recorder(cst.BatchableCSTVisitor):
    """Its generated methods append (method name, id(node)) to `events`."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[Event] = []


def _recorder_class(node_classes: Iterable[str], attribute_hooks: Iterable[str]) -> type[Recorder]:
    """A recorder class with `visit_`/`leave_` methods for the given node classes and `<Node>_<field>`s."""

    def method(name: str) -> Callable[[Recorder, cst.CSTNode], None]:
        def record(self: Recorder, node: cst.CSTNode) -> None:
            self.events.append((name, id(node)))

        record.__name__ = name
        return record

    namespace: dict[str, object] = {}
    for suffix in [*node_classes, *attribute_hooks]:
        for prefix in ("visit_", "leave_"):
            namespace[prefix + suffix] = method(prefix + suffix)
    return type("GeneratedRecorder", (Recorder,), namespace)


ALL_NODES = sorted(_concrete_node_classes())
EVERYTHING = _recorder_class(ALL_NODES, ATTRIBUTE_HOOKS)
# What rules typically look at (statements, calls, names), but no whitespace or operators:
# the walker skips subtrees where nothing is called, which must not change what is.
TYPICAL = _recorder_class(
    ["Module", "FunctionDef", "ClassDef", "Call", "Name", "Attribute", "Assign", "If", "Comment", "EmptyLine",
     "SimpleString", "Lambda", "Import", "ImportFrom", "Subscript", "With", "WithItem", "Param"],
    ["If_test", "Arg_value", "Return_value", "Call_func", "Assign_value"],
)
COMMENTS_ONLY = _recorder_class(["Comment", "Comma"], ["Comma_whitespace_after"])


def libcst_events(module: cst.Module, recorder_class: type[Recorder]) -> list[Event]:
    recorders = [recorder_class(), recorder_class()]
    shared: list[Event] = []
    for recorder in recorders:
        recorder.events = shared  # two visitors: their methods interleave per node, in visitor order
    cst.MetadataWrapper(module, unsafe_skip_copy=True).visit_batched(recorders)
    return shared


def walker_events(module: cst.Module, recorder_class: type[Recorder], prune: bool = True) -> list[Event]:
    recorders = [recorder_class(), recorder_class()]
    shared: list[Event] = []
    for recorder in recorders:
        recorder.events = shared
    walk_batched(module, recorders, prune=prune)
    return shared


SOURCES = {
    "decorators_comments": '''
        #!/usr/bin/env python
        # -*- coding: utf-8 -*-
        """Module docstring."""
        from __future__ import annotations

        import os, sys as system  # trailing comment
        from . import sibling
        from ..pkg.mod import (a as b,
                               c,  # comment inside parentheses
        )
        from x import *

        @decorator
        @decorator.attr(arg, key=value)  # why
        def function(a, b: int = 1, /, c=2, *args: str, d, e=3, **kwargs) -> dict[str, int]:
            """Docstring."""
            # a comment on its own line

            return {a: b}


        class Klass(Base, metaclass=Meta):
            attribute: int = 0
            other: "str"

            @property
            def value(self) -> int:
                return self.attribute
        # footer comment
    ''',
    "strings": '''
        name = "world"
        greeting = f"hello {name!r:>{width}} and {value=} {x:{'nested'}}" f'{a}' "plain"
        raw = rb"bytes\\n" + b'more'
        concatenated = ("one"
                        "two")
        triple = """triple
        quoted"""
        empty = f""
        templated = f"{'{'}" f"{{literal}}"
    ''',
    "match_statement": '''
        match command.split():
            case [action]:
                pass
            case [action, obj] if obj:
                pass
            case Point(x=0, y=0) | Point(x=1):
                pass
            case {"key": value, **rest}:
                pass
            case [1, 2, *others]:
                pass
            case str() as text:
                pass
            case -1 | 1.5 | 2j | None | True:
                pass
            case _:
                pass
    ''',
    "async_code": '''
        async def main(items):
            async with session() as s, other() as (a, b):
                async for item in s.stream(items):
                    await process(item)
            result = [x async for x in aiter() if await check(x)]
            return await gather(*result)
    ''',
    "expressions": '''
        square = lambda x, *, y=1, **kw: x * y
        no_args = lambda: None
        if (n := len(items)) > 10 and not done or flag:
            print(n)
        total = -a + ~b - c * d / e // f % g ** h @ m
        shifted = a << 1 | b >> 2 & c ^ d
        check = 0 < x <= 10 != y is not None in z not in w is q
        value = a if b else c
        items = [*first, *second]
        merged = {**one, **two, "k": 1}
        call(*args, **kwargs, key=1)
        data = {k: v for k, v in pairs if k}
        unique = {x for x in values}
        gen = (y for y in range(3) for z in range(y))
        first, *rest = sequence
        (a, b), c = pair, d
        x = y = z = 0
        counter += 1
        annotated: list[int] = []
        ellipsis = ...
        number = 1_000_000 + 0x1F + 1e-3 + 3.14j
        await_like = yield_ = None
    ''',
    "operators": '''
        a += 1; a -= 1; a *= 2; a /= 2; a //= 2; a %= 2; a **= 2; a @= m
        a <<= 1; a >>= 1; a &= 1; a |= 1; a ^= 1
        b = +a == -a >= a
        s = {1, 2, *rest}
        match point:
            case (x, y):
                pass
    ''',
    "slices": '''
        a = b[1:2]
        c = d[::2]
        e = f[1:2:3, ...]
        g = h[:, None]
        i = j[k][l:]
        m = n[o, p:q]
        del r[0], s.t
    ''',
    "try_except": '''
        try:
            risky()
        except (ValueError, TypeError) as error:
            raise RuntimeError("wrapped") from error
        except KeyError:
            pass
        except:
            raise
        else:
            fine()
        finally:
            cleanup()

        try:
            group()
        except* OSError as errors:
            handle(errors)
        except* ValueError:
            pass
        finally:
            done()
    ''',
    "with_items": '''
        with (
            open("a") as first,
            open("b") as second,
        ):
            pass
        with open("c") as (x, y), lock:
            pass
        with (yield):
            pass
    ''',
    "scopes": '''
        counter = 0

        def outer():
            global counter
            value = 1

            def inner():
                nonlocal value
                value += 1
                return value

            return inner

        class A:
            def method(self):
                super().method()
    ''',
    "semicolons_backslashes": '''
        import os; import sys; x = 1;
        total = 1 + \\
            2 + \\
            3
        if x: y = 2; z = 3
        while True: break
        for i in range(3): continue
        assert x, "message"
        del x
        pass
    ''',
    "control_flow": '''
        for index, item in enumerate(items):
            if index:
                continue
            elif item:
                break
            else:
                pass
        else:
            done()
        while condition:
            step()
        else:
            finish()

        def gen():
            yield 1
            yield from other()
            x = yield
            return
    ''',
    "type_annotations": '''
        from typing import Callable

        Alias = dict[str, list[int | None]]
        def f(cb: Callable[[int, str], bool] = None, *, flag: "Literal['a']" = False) -> tuple[int, ...]:
            var: Alias
            other: int = 3
            return (1,)

        class G:
            x: "G"
    ''',
    "type_params": '''
        type Point[T] = tuple[T, T]

        def first[T, *Ts, **P](items: list[T]) -> T:
            return items[0]

        class Box[T: int, U = str]:
            pass
    ''',
    "parentheses_and_empty_lines": '''


        # leading comment

        x = (((1)))
        y = ((a) + (b))
        z = (
            # comment in parentheses
            call(
                arg,  # trailing
            )
        )
        print((yield_value) if (cond) else (other))


        # final comment
    ''',
}


def _dedent(source: str) -> str:
    return textwrap.dedent(source).lstrip("\n")


@pytest.mark.parametrize("name", sorted(SOURCES))
@pytest.mark.parametrize("recorder_class", [EVERYTHING, TYPICAL, COMMENTS_ONLY], ids=["all", "typical", "comments"])
def test_events_match_libcst(name: str, recorder_class: type[Recorder]) -> None:
    module = cst.parse_module(_dedent(SOURCES[name]))
    expected = libcst_events(module, recorder_class)
    assert expected or recorder_class is not EVERYTHING
    assert walker_events(module, recorder_class) == expected
    assert walker_events(module, recorder_class, prune=False) == expected


def test_every_source_parses_as_written() -> None:
    """The walker sees the tree libcst sees: sources round-trip, and every recorded node is the module's own."""
    for source in SOURCES.values():
        module = cst.parse_module(_dedent(source))
        assert module.code == _dedent(source)
        own = set()

        class Collect(cst.CSTVisitor):
            def on_visit(self, node: cst.CSTNode) -> bool:
                own.add(id(node))
                return True

        module.visit(Collect())
        assert {node for _, node in walker_events(module, EVERYTHING)} <= own


def test_sources_cover_most_node_classes() -> None:
    """The sources hold enough variety to mean something: most node classes occur in them."""
    seen: set[str] = set()
    for source in SOURCES.values():
        module = cst.parse_module(_dedent(source))
        events = walker_events(module, EVERYTHING)
        seen |= {name.removeprefix("visit_") for name, _ in events if name.startswith("visit_")}
    missing = set(ALL_NODES) - seen
    assert len(missing) < len(ALL_NODES) // 5, sorted(missing)


def test_every_node_class_is_readable() -> None:
    """Every libcst node class's visiting order was read from its source (no class falls back to libcst)."""
    unreadable = [name for name, node_class in _concrete_node_classes().items() if field_plan(node_class) is None]
    assert unreadable == []
    # With no methods at all, every class is silent: the children of every class were told by its annotations.
    assert set(_concrete_node_classes().values()) <= silent_classes(frozenset())


def test_silent_classes() -> None:
    """Only subtrees where no method can be called are skipped."""
    silent = silent_classes(frozenset({"Comment"}))
    for heard in (cst.Comment, cst.EmptyLine, cst.TrailingWhitespace, cst.ParenthesizedWhitespace, cst.Comma,
                  cst.Name, cst.Module, cst.If, cst.Else, cst.Call, cst.SimpleStatementLine):
        assert heard not in silent, heard
    for quiet in (cst.SimpleWhitespace, cst.Newline, cst.ImportStar):
        assert quiet in silent, quiet
    assert cst.Integer not in silent_classes(frozenset({"LeftParen"}))  # `(1)`


def test_field_order_is_libcst_order_not_field_order() -> None:
    """`Call` visits `lpar` first and `rpar` last; its dataclass declares `func` first."""
    plan = [field for field, _, _ in field_plan(cst.Call) or ()]
    assert plan[0] == "lpar" and plan[-1] == "rpar"
    assert plan != [field for field in cst.Call.__dataclass_fields__ if field in plan]
    assert ("equal", ONE, False) in (field_plan(cst.FormattedStringExpression) or ())


def test_a_wrong_order_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison can fail: a walker with two of `Call`'s fields swapped gives another sequence."""
    import mldebt.walker as walker

    module = cst.parse_module("x = call(a, b=1)\n")
    expected = libcst_events(module, EVERYTHING)
    real = walker.field_plan
    original = real(cst.Call)
    assert original is not None
    swapped = (original[1], original[0], *original[2:])
    monkeypatch.setattr(walker, "field_plan", lambda cls: swapped if cls is cst.Call else real(cls))
    assert walker_events(module, EVERYTHING, prune=False) != expected


def test_leave_receives_the_original_node_and_visit_cannot_stop_descent() -> None:
    class Stopper(cst.BatchableCSTVisitor):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[str] = []
            self.left: list[cst.CSTNode] = []

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return False  # ignored by batched traversal

        def visit_Name(self, node: cst.Name) -> None:
            self.seen.append(node.value)

        def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
            self.left.append(original_node)

    module = cst.parse_module("def f():\n    inner = 1\n")
    stopper = Stopper()
    walk_batched(module, [stopper])
    assert stopper.seen == ["f", "inner"]
    assert stopper.left == [module.body[0]] and stopper.left[0] is module.body[0]


class _MetadataRule(Rule):
    """Reports every call, with the line libcst's own `PositionProvider` metadata gives it."""

    CODE = "MLD998"
    NAME = "metadata-user"
    SECTION = Section.TOOL
    METADATA_DEPENDENCIES = (PositionProvider,)

    def visit_Call(self, node: cst.Call) -> None:
        self.report(node, message=f"line {self.get_metadata(PositionProvider, node).start.line}")


def test_engine_resolves_metadata_for_a_rule_that_declares_it() -> None:
    """No rule declares libcst metadata today; the engine's traversal still resolves it for one that does."""
    source = "x = f()\n\ny = g(\n    h(),\n)\n"
    result = analyse_source(source, "example.py", [RuleSetup(_MetadataRule, _MetadataRule.Options(), Severity.WARNING)])
    assert result.errors == ()
    assert [(finding.line, finding.message) for finding in result.findings] == [
        (1, "line 1"),
        (3, "line 3"),
        (4, "line 4"),
    ]


class _PlainRecorder(cst.CSTVisitor):
    """A plain visitor recording every hook; it does not descend into function bodies or lambdas."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[Event] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.events.append(("visit", id(node)))
        return not isinstance(node, (cst.IndentedBlock, cst.Lambda))

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.events.append(("leave", id(original_node)))

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        self.events.append((f"visit_{attribute}", id(node)))

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        self.events.append((f"leave_{attribute}", id(original_node)))


class _NamesOutsideCalls(cst.CSTVisitor):
    """The usual shape of a rule's helper visitor: typed methods, one stopping the descent."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[int] = []

    def visit_Call(self, node: cst.Call) -> bool:
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(id(node))


class _KeywordsToo(_NamesOutsideCalls):
    def visit_Arg_keyword(self, node: cst.Arg) -> None:
        self.names.append(-id(node))


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_plain_walk_matches_libcst_visit(name: str) -> None:
    """`walk(node, visitor)` is `node.visit(visitor)` for a plain `CSTVisitor`, descent stopping included."""
    module = cst.parse_module(_dedent(SOURCES[name]))
    for visitor_class in (_PlainRecorder, _NamesOutsideCalls, _KeywordsToo):
        expected, got = visitor_class(), visitor_class()
        module.visit(expected)
        walk(module, got)
        assert vars(got) == vars(expected)
    expected_events = _PlainRecorder()
    module.visit(expected_events)
    assert len(expected_events.events) > 10


def test_plain_walk_skips_attribute_calls_only_when_nothing_hears_them() -> None:
    assert not _hears_attributes(_NamesOutsideCalls)
    assert _hears_attributes(_KeywordsToo)
    assert _hears_attributes(_PlainRecorder)
