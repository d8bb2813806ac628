"""The shared constants helper (`mldebt.constants`), on its own: what a name holds where it is
read, fed through `ConstantsRule`s in the engine's one traversal."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper

from mldebt.constants import APPENDED, ASSIGNED, HOLE, LOOP, PARAMETER, UNKNOWN, Constants, ConstantsRule, Scope
from mldebt.context import FileContext
from mldebt.facts import ScopeTracker
from mldebt.names import ImportAliases, collect_top_level

SQL_WRAPPERS = frozenset({"sqlalchemy.text"})


class _Probes(ConstantsRule):
    """Records the argument of each `probe(...)` call with the scope it is read in."""

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.probes: list[tuple[cst.BaseExpression, Scope]] = []

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        if isinstance(node.func, cst.Name) and node.func.value == "probe":
            self.probes.append((node.args[0].value, self.constants.scope))


def probed(code: str, rules: int = 1) -> tuple[Constants, list[tuple[cst.BaseExpression, Scope]]]:
    """Run the code through `rules` probing rules (sharing one `Constants`), to its end."""
    source = textwrap.dedent(code).strip("\n") + "\n"
    module = cst.parse_module(source)
    context = FileContext(path="example.py", module="example")
    context.aliases = ImportAliases(context.module, False)
    collect_top_level(module, context.aliases)
    recorders = [_Probes(context) for _ in range(rules)]
    MetadataWrapper(module, unsafe_skip_copy=True).visit_batched([ScopeTracker(context), *recorders])
    assert all(recorder.constants is recorders[0].constants for recorder in recorders)
    return recorders[0].constants, recorders[0].probes


def text_of(code: str) -> str | None:
    """The text the last `probe(...)` argument holds (None when unknown)."""
    constants, probes = probed(code)
    node, scope = probes[-1]
    text = constants.text(node, scope, wrappers=SQL_WRAPPERS)
    return None if text is None else text.value


def literal_of(code: str) -> object:
    constants, probes = probed(code)
    node, scope = probes[-1]
    ok, value = constants.literal(node, scope)
    return value if ok else "<unknown>"


# --- Where a name is read -------------------------------------------------------------------


def test_module_constant_read_in_a_function() -> None:
    assert (
        text_of(
            """
            URL = "https://example.com/data.csv"
            def load():
                return probe(URL)
            """
        )
        == "https://example.com/data.csv"
    )


def test_function_local_constant() -> None:
    assert (
        text_of(
            """
            def load(con):
                query = "SELECT * FROM t"
                return probe(query)
            """
        )
        == "SELECT * FROM t"
    )


def test_a_local_shadows_the_module_constant() -> None:
    code = """
        QUERY = "SELECT a FROM t"
        def load():
            QUERY = "SELECT b FROM t"
            return probe(QUERY)
        """
    assert text_of(code) == "SELECT b FROM t"


def test_reassigned_to_something_unknown_is_unknown() -> None:
    assert text_of('MODEL = "gpt2"\nMODEL = parse_args().model\nprobe(MODEL)\n') is None


def test_reassigned_to_another_constant_has_no_single_text_but_two_values() -> None:
    code = 'SQL = "SELECT a FROM t"\nif full:\n    SQL = "SELECT * FROM t"\nprobe(SQL)\n'
    assert text_of(code) is None
    constants, probes = probed(code)
    node, scope = probes[-1]
    values = constants.values(node, scope)
    assert values is not None
    assert [constants.literal(value, where)[1] for value, where in values] == ["SELECT a FROM t", "SELECT * FROM t"]


def test_shadowing_parameter_is_unknown() -> None:
    code = """
        URL = "https://example.com/a.csv"
        def load(URL="https://example.com/b.csv"):
            return probe(URL)
        """
    assert text_of(code) is None
    constants, probes = probed(code)
    bindings = constants.bindings("URL", probes[-1][1])
    assert bindings is not None and [binding.kind for binding in bindings] == [PARAMETER]


def test_lambda_parameter_shadows_too() -> None:
    assert text_of('q = "SELECT 1"\nrun = lambda q: probe(q)\n') is None


def test_class_body_does_not_enclose_its_methods() -> None:
    code = """
        class Loader:
            SQL = "SELECT * FROM t"
            def load(self):
                return probe(SQL)
        """
    assert text_of(code) is None
    assert text_of('class Loader:\n    SQL = "SELECT * FROM t"\n    probe(SQL)\n') == "SELECT * FROM t"


def test_enclosing_function_is_read_from_a_nested_one() -> None:
    code = """
        def outer():
            path = "s3://bucket/x.csv"
            def inner():
                return probe(path)
        """
    assert text_of(code) == "s3://bucket/x.csv"


def test_local_only_lookup() -> None:
    constants, probes = probed('SAMPLE = "x"\ndef f():\n    probe(SAMPLE)\n')
    node, scope = probes[-1]
    assert constants.assigned("SAMPLE", scope) is not None
    assert constants.assigned("SAMPLE", scope, enclosing=False) is None


def test_global_declaration_makes_the_module_name_unknown() -> None:
    code = """
        DATA = "/data/train.csv"
        def configure(args):
            global DATA
            DATA = args.data
        probe(DATA)
        """
    assert text_of(code) is None


def test_exec_makes_module_constants_unknown_but_not_locals() -> None:
    assert text_of('init_from = "gpt2"\nexec(open("configurator.py").read())\nprobe(init_from)\n') is None
    assert text_of('exec(code)\ndef f():\n    name = "gpt2"\n    probe(name)\n') == "gpt2"


def test_rules_that_ask_what_kind_of_value_may_read_through_exec() -> None:
    constants, probes = probed('QUERY = "SELECT * FROM t"\nbind_exercises(globals())\nprobe(QUERY)\n')
    node, scope = probes[-1]
    assert constants.text(node, scope) is None
    text = constants.text(node, scope, dynamic=False)
    assert text is not None and text.value == "SELECT * FROM t"


def test_loop_variables_imports_and_definitions_are_unknown() -> None:
    assert text_of('for name in ["a", "b"]:\n    probe(name)\n') is None
    assert text_of('name = "a"\nfrom config import name\nprobe(name)\n') is None
    assert text_of('load = "a"\ndef load(): ...\nprobe(load)\n') is None
    constants, probes = probed('for name in names:\n    probe(name)\n')
    bindings = constants.bindings("name", probes[-1][1])
    assert bindings is not None and bindings[0].kind == LOOP


def test_tuple_assignment_pairs_its_elements_and_unpacking_is_unknown() -> None:
    assert text_of('a, b = "x", "y"\nprobe(b)\n') == "y"
    assert text_of("a, b = pair\nprobe(b)\n") is None
    assert text_of('a, *b = "x", "y", "z"\nprobe(a)\n') is None


def test_chained_and_annotated_and_walrus_assignments() -> None:
    assert text_of('a = b = "x"\nprobe(b)\n') == "x"
    assert text_of('a: str\na = "x"\nprobe(a)\n') == "x"
    assert text_of('a: str = "x"\nprobe(a)\n') == "x"
    assert text_of('if (a := "x"):\n    probe(a)\n') == "x"


def test_names_are_followed_through_names() -> None:
    assert text_of('A = "x"\nB = A\nC = B\nprobe(C)\n') == "x"


# --- What a text is -------------------------------------------------------------------------


def test_fstring_without_holes() -> None:
    assert text_of('probe(f"SELECT * FROM events")\n') == "SELECT * FROM events"
    assert text_of('probe(f"{{literal}} braces")\n') == "{literal} braces"


def test_fstring_holes_filled_with_constants_or_left_as_holes() -> None:
    assert text_of('ORG = "openai"\nprobe(f"{ORG}/clip")\n') == "openai/clip"
    assert text_of('VERSION = 2\nprobe(f"https://x/v{VERSION}/a.csv")\n') == "https://x/v2/a.csv"
    assert text_of('probe(f"https://x/{version}/a.csv")\n') == f"https://x/{HOLE}/a.csv"
    assert text_of('ORG = "openai"\nprobe(f"{ORG!r}/clip")\n') == f"{HOLE}/clip"  # a conversion: not the text


def test_holes_keep_their_expressions() -> None:
    constants, probes = probed('probe(f"https://x/{release}/{split}.csv")\n')
    node, scope = probes[-1]
    text = constants.text(node, scope)
    assert text is not None and not text.static
    assert [cst.Module([]).code_for_node(hole) for hole in text.holes] == ["release", "split"]
    assert text.shown() == "https://x/{…}/{…}.csv"


def test_concatenation_of_constants() -> None:
    assert text_of('BASE = "https://x/"\nprobe(BASE + "data/" + "a.csv")\n') == "https://x/data/a.csv"
    assert text_of('probe("SELECT * " "FROM a " "JOIN b " "ON a.id = b.id " "WHERE 1")\n') == (
        "SELECT * FROM a JOIN b ON a.id = b.id WHERE 1"
    )
    assert text_of('BASE = "https://x/"\nprobe(BASE + name + suffix)\n') == f"https://x/{HOLE}"
    assert text_of("probe(a + b)\n") is None


def test_appending_keeps_how_the_text_starts() -> None:
    code = 'sql = "SELECT * FROM t"\nsql += " WHERE a = 1"\nprobe(sql)\n'
    assert text_of(code) == f"SELECT * FROM t{HOLE}"
    constants, probes = probed(code)
    node, scope = probes[-1]
    assert constants.values(node, scope) is None
    values = constants.values(node, scope, appends=True)
    assert values is not None and [constants.literal(v, w)[1] for v, w in values] == ["SELECT * FROM t"]
    bindings = constants.bindings("sql", scope)
    assert bindings is not None and [binding.kind for binding in bindings] == [ASSIGNED, APPENDED]
    assert text_of('n = "a"\nn *= 2\nprobe(n)\n') is None


def test_format_and_percent_fields_are_holes() -> None:
    assert text_of('probe("SELECT * FROM {} WHERE d = {day}".format(t, day=d))\n') == (
        f"SELECT * FROM {HOLE} WHERE d = {HOLE}"
    )
    assert text_of('probe("SELECT * FROM %s WHERE p = %d%%" % (t, p))\n') == f"SELECT * FROM {HOLE} WHERE p = {HOLE}%"


def test_strip_and_wrappers() -> None:
    assert text_of('probe("  SELECT 1\\n".strip())\n') == "SELECT 1"
    assert text_of('from sqlalchemy import text\nprobe(text("SELECT * FROM t"))\n') == "SELECT * FROM t"
    assert text_of('probe(other("SELECT * FROM t"))\n') is None


def test_numbers_and_other_literals() -> None:
    assert literal_of("N = 3\nprobe(N)\n") == 3
    assert literal_of("THRESHOLD = -0.5\ndef f():\n    probe(THRESHOLD)\n") == -0.5
    assert literal_of("FLAG = True\nprobe(FLAG)\n") is True
    assert literal_of("N = 3\nN = 4\nprobe(N)\n") == "<unknown>"
    assert literal_of("def f(n=3):\n    probe(n)\n") == "<unknown>"


# --- Fed once, in the one traversal ---------------------------------------------------------


def test_rules_sharing_the_constants_feed_them_once() -> None:
    constants, probes = probed('q = "a"\nq += "b"\nfor x in y:\n    pass\nprobe(q)\n', rules=3)
    bindings = constants.bindings("q", probes[-1][1])
    assert bindings is not None and len(bindings) == 2
    loop = constants.bindings("x", probes[-1][1])
    assert loop is not None and len(loop) == 1


def test_scopes_of_definitions() -> None:
    code = "def f(a):\n    probe(a)\nclass C:\n    probe(1)\n"
    constants, probes = probed(code)
    function_scope, class_scope = probes[0][1], probes[1][1]
    assert function_scope.kind == "function" and function_scope.parent is constants.module
    assert class_scope.kind == "class"
    module = cst.parse_module(textwrap.dedent(code))
    assert constants.scope_of(module) is constants.module


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("with open(p) as handle:\n    probe(handle)\n", UNKNOWN),
        ("try:\n    pass\nexcept E as error:\n    probe(error)\n", UNKNOWN),
        ("[probe(item) for item in items]\n", LOOP),
    ],
)
def test_other_bindings(code: str, kind: str) -> None:
    constants, probes = probed(code)
    node, scope = probes[-1]
    assert isinstance(node, cst.Name)
    bindings = constants.bindings(node.value, scope)
    assert bindings is not None and [binding.kind for binding in bindings] == [kind]
