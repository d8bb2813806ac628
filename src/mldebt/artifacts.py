"""Artifacts a file reads and writes, from its `ast` tree, and how their paths resolve.

A path is kept symbolically (`mldebt.facts.ArtifactAccess.path`): literal pieces
and references to module-level constants, which the project phase resolves with
the constants of every module, so that `"data/x.csv"` in one file and
`os.path.join(DATA_DIR, "x.csv")` in another, with `DATA_DIR = "data"` imported
from a config module, are one artifact. What cannot be resolved is ignored,
never guessed.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Callable, Iterable
from typing import Any

from mldebt.facts import ArtifactAccess, AstIndex, AstNames, FileFacts
from mldebt.knowledge import artifacts as known
from mldebt.knowledge.languages import SQL_FUNCTIONS, SQL_KEYWORDS, SQL_METHODS, sql_statement
from mldebt.knowledge.roles import PREDICTING_METHODS, TRAINING_METHODS
from mldebt.knowledge.training import MODEL_FACTORIES, MODEL_PACKAGES
from mldebt.names import ast_dotted_name

Segments = tuple[tuple[str, ...], ...]
LITERAL = "="
REFERENCE = "@"
_MAX_DEPTH = 8
_SELF_FILE = "__file__"


def literal(text: str) -> Segments:
    return ((LITERAL + text,),)


class PathReader:
    """Reads path expressions in one file: literals, f-strings, `os.path.join`, pathlib `/`,
    `+`, local variables bound once, module constants, and imported constants (as references)."""

    def __init__(self, index: AstIndex, names: AstNames, module: str, path: str) -> None:
        self.index = index
        self.names = names
        self.module = module
        self.file_path = path
        self.bindings: dict[tuple[str, str], list[ast.expr | None]] = {}
        for node in index.nodes(ast.Assign):
            scope = index.scope_of(node)
            for target in node.targets:
                self._bind(scope, target, node.value if len(node.targets) == 1 else None)
        for node in index.nodes(ast.AnnAssign):
            if node.value is not None:
                self._bind(index.scope_of(node), node.target, node.value)
        for node in index.nodes(ast.withitem):
            if node.optional_vars is not None:
                self._bind(index.scope_of(node.context_expr), node.optional_vars, node.context_expr)
        for node in index.nodes(ast.AugAssign, ast.For, ast.AsyncFor, ast.NamedExpr, ast.comprehension):
            target = node.target
            self._bind(index.scope_of(node), target, None)
        for node in index.nodes(ast.arg):
            self.bindings.setdefault((index.scope_of(node), node.arg), []).append(None)
        self.consumed_opens: set[int] = set()

    def _bind(self, scope: str, target: ast.expr, value: ast.expr | None) -> None:
        if isinstance(target, ast.Name):
            self.bindings.setdefault((scope, target.id), []).append(value)
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self._bind(scope, element, None)
        elif isinstance(target, ast.Starred):
            self._bind(scope, target.value, None)

    def binding(self, name: str, scope: str) -> tuple[bool, ast.expr | None, str]:
        """(found, the one value bound, the scope it was found in) for `name` seen in `scope`."""
        while True:
            values = self.bindings.get((scope, name))
            if values is not None:
                return True, (values[0] if len(values) == 1 else None), scope
            if not scope:
                return False, None, ""
            scope = scope.rsplit(".", 1)[0] if "." in scope else ""

    def path(self, node: ast.expr | None, scope: str, depth: int = 0) -> Segments | None:
        """The symbolic path of an expression, or None when it cannot be known."""
        if node is None or depth > _MAX_DEPTH:
            return None
        if isinstance(node, ast.Constant):
            return literal(node.value) if isinstance(node.value, str) and node.value else None
        if isinstance(node, ast.JoinedStr):
            return self._fstring(node, scope, depth)
        if isinstance(node, ast.Name):
            return self._name(node.id, scope, depth)
        if isinstance(node, ast.Attribute):
            if node.attr == "parent":
                return _parent(self.path(node.value, scope, depth + 1))
            return self._reference(node)
        if isinstance(node, ast.BinOp):
            left = self.path(node.left, scope, depth + 1)
            right = self.path(node.right, scope, depth + 1)
            if left is None or right is None:
                return None
            if isinstance(node.op, ast.Add):
                return _concatenate(left, right)
            if isinstance(node.op, ast.Div):
                return left + right
            return None
        if isinstance(node, ast.Call):
            return self._call(node, scope, depth)
        return None

    def _fstring(self, node: ast.JoinedStr, scope: str, depth: int) -> Segments | None:
        result: Segments = ((),)
        for value in node.values:
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

    def _name(self, name: str, scope: str, depth: int) -> Segments | None:
        if name == _SELF_FILE:
            return literal(self.file_path)
        found, value, where = self.binding(name, scope)
        if found:
            if value is None:
                return None
            if where == "":
                return self.path(value, "", depth + 1)
            return self.path(value, where, depth + 1)
        qualified = self.names.qualified(ast.Name(id=name))
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
        if qualified == "builtins.open" and node.args:
            self.consumed_opens.add(id(node))
            return self.path(node.args[0], scope, depth + 1)
        if isinstance(func, ast.Attribute):
            if func.attr in known.PATH_IDENTITY_METHODS and not node.args:
                return self.path(func.value, scope, depth + 1)
            if func.attr == "joinpath" and node.args:
                base = self.path(func.value, scope, depth + 1)
                parts = [self.path(argument, scope, depth + 1) for argument in node.args]
                if base is None or any(part is None for part in parts):
                    return None
                return base + tuple(segment for part in parts if part for segment in part)
            if func.attr in known.PATH_OPEN_METHODS:
                self.consumed_opens.add(id(node))
                return self.path(func.value, scope, depth + 1)
        return None

    def text(self, node: ast.expr | None, scope: str) -> str | None:
        """A string whose every piece is literal (SQL text, a table name), else None."""
        segments = self.path(node, scope)
        if segments is None or len(segments) != 1:
            return None
        if any(not piece.startswith(LITERAL) for piece in segments[0]):
            return None
        return "".join(piece[1:] for piece in segments[0])


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
            return segments[:-1] + ((LITERAL + text.rsplit("/", 1)[0],),)
        return segments[:-1] if len(segments) > 1 else literal(".")
    return None


def _is_absolute(segments: Segments) -> bool:
    first = segments[0] if segments else ()
    return bool(first) and first[0].startswith(LITERAL + "/")


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
    """What a written value is: a fitted model, predictions, or plain data (per scope, flow-insensitive)."""

    def __init__(self, index: AstIndex, names: AstNames) -> None:
        self.names = names
        self.models: set[tuple[str, str]] = set()
        self.predictions: set[tuple[str, str]] = set()
        assignments: list[tuple[str, str, ast.expr]] = []
        for node in index.nodes(ast.Assign):
            scope = index.scope_of(node)
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assignments.append((scope, target.id, node.value))
                elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                    assignments.append((scope, target.value.id, node.value))  # df["pred"] = ...
        for call in index.nodes(ast.Call):
            func = call.func
            if isinstance(func, ast.Attribute) and func.attr in TRAINING_METHODS and isinstance(func.value, ast.Name):
                if call.args or call.keywords:
                    self.models.add((index.scope_of(call), func.value.id))
        for _ in range(3):  # a few rounds carry labels through `y = pred.round()` chains
            for scope, name, value in assignments:
                if self._is_model_value(value, scope):
                    self.models.add((scope, name))
                elif self._mentions_predictions(value, scope):
                    self.predictions.add((scope, name))

    def _is_model_value(self, value: ast.expr, scope: str) -> bool:
        if not isinstance(value, ast.Call):
            return False
        qualified = self.names.qualified(value.func) or ""
        if qualified in MODEL_FACTORIES:
            return True
        top, _, rest = qualified.partition(".")
        last = qualified.rsplit(".", 1)[-1]
        return top in MODEL_PACKAGES and bool(rest) and last[:1].isupper() and "Dataset" not in last and "Loader" not in last

    def _mentions_predictions(self, value: ast.expr, scope: str) -> bool:
        for node in ast.walk(value):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in PREDICTING_METHODS:
                    return True
            elif isinstance(node, ast.Name) and (scope, node.id) in self.predictions:
                return True
        return False

    def label(self, value: ast.expr | None, scope: str) -> str:
        if value is None:
            return "data"
        base = value
        while isinstance(base, ast.Subscript | ast.Attribute) and not isinstance(base, ast.Call):
            base = base.value
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "state_dict":
            return "model"
        if isinstance(base, ast.Name):
            if (scope, base.id) in self.models or ("", base.id) in self.models:
                return "model"
            if (scope, base.id) in self.predictions or ("", base.id) in self.predictions:
                return "predictions"
        if self._is_model_value(value, scope):
            return "model"
        if self._mentions_predictions(value, scope):
            return "predictions"
        word = (ast_dotted_name(base) or "").rsplit(".", 1)[-1].lower()
        if any(part in word for part in known.MODEL_NAME_WORDS):
            return "model"
        if any(part in word for part in known.PREDICTION_NAME_WORDS):
            return "predictions"
        return "data"


def collect_artifacts(index: AstIndex, names: AstNames, reader: PathReader) -> tuple[ArtifactAccess, ...]:
    """Every read and write of a file or table this file makes, in source order."""
    labeller = _Labeller(index, names)
    found: list[ArtifactAccess] = []
    opens: list[ast.Call] = []

    def add(mode: str, call: ast.Call, segments: Segments | None, name: str, scope: str, label: str = "data") -> None:
        if segments is not None:
            found.append(ArtifactAccess(mode, segments, call.lineno, call.col_offset + 1, name, "file", label, scope))

    def table(mode: str, call: ast.Call, table_name: str, name: str, scope: str) -> None:
        found.append(ArtifactAccess(mode, literal(table_name), call.lineno, call.col_offset + 1, name, "table", "data", scope))

    for call in index.nodes(ast.Call):
        scope = index.scope_of(call)
        func = call.func
        qualified = names.qualified(func) or ""
        method = func.attr if isinstance(func, ast.Attribute) else ""
        if qualified == "builtins.open":
            opens.append(call)
            continue
        if qualified in known.READ_FUNCTIONS:
            slot = known.READ_FUNCTIONS[qualified]
            add("read", call, reader.path(argument(call, *slot), scope), qualified, scope)
            continue
        if qualified in known.WRITE_FUNCTIONS:
            path_slot, value_slot = known.WRITE_FUNCTIONS[qualified]
            value = argument(call, *value_slot)
            add("write", call, reader.path(argument(call, *path_slot), scope), qualified, scope, labeller.label(value, scope))
            continue
        prefix = next((p for p in known.READ_FUNCTION_PREFIXES if qualified.startswith(p)), None)
        if prefix is not None:
            if qualified in known.TABLE_READERS:
                name = reader.text(argument(call, 0, "table_name"), scope)
                if name:
                    table("read", call, _table_name(name), qualified, scope)
            elif qualified in known.SQL_READERS or "sql" in qualified.rsplit(".", 1)[-1]:
                _sql_tables(reader.text(argument(call, 0, "sql"), scope), call, qualified, scope, table)
            else:
                add("read", call, reader.path(argument(call, *known.READ_FUNCTION_PREFIXES[prefix]), scope), qualified, scope)
            continue
        if not method:
            if qualified in SQL_FUNCTIONS:
                _sql_tables(reader.text(_sql_argument(call), scope), call, qualified, scope, table)
            continue
        receiver = func.value  # type: ignore[attr-defined]
        chain = _chain(receiver)
        if "write" in chain and method in known.SPARK_WRITE_METHODS:
            if method in ("saveAsTable", "insertInto"):
                name = reader.text(argument(call, 0, "name" if method == "saveAsTable" else "tableName"), scope)
                if name:
                    table("write", call, _table_name(name), f".write.{method}", scope)
            else:
                add("write", call, reader.path(argument(call, 0, "path"), scope), f".write.{method}", scope, labeller.label(_frame_of(receiver), scope))
        elif "read" in chain and method in known.SPARK_READ_METHODS:
            add("read", call, reader.path(argument(call, 0, "path"), scope), f".read.{method}", scope)
        elif method == "table" and any("spark" in part.lower() for part in chain):
            name = reader.text(argument(call, 0, "tableName"), scope)
            if name:
                table("read", call, _table_name(name), ".table", scope)
        elif method in known.FRAME_WRITE_METHODS:
            target = argument(call, 0, "path_or_buf") or argument(call, -1, "path") or argument(call, -1, "file")
            add("write", call, reader.path(target, scope), f".{method}", scope, labeller.label(receiver, scope))
        elif method in known.TABLE_WRITE_METHODS:
            name = reader.text(argument(call, 0, "name"), scope)
            if name:
                table("write", call, _table_name(name), f".{method}", scope)
        elif method in known.MODEL_WRITE_METHODS:
            target = argument(call, 0, "save_directory") or argument(call, -1, "fname") or argument(call, -1, "filepath")
            add("write", call, reader.path(target, scope), f".{method}", scope, "model")
        elif method in known.GENERIC_SAVE_METHODS and labeller.label(receiver, scope) == "model":
            add("write", call, reader.path(argument(call, 0, "filepath"), scope), f".{method}", scope, "model")
        elif method in known.READ_METHODS:
            add("read", call, reader.path(argument(call, *known.READ_METHODS[method]), scope), f".{method}", scope)
        elif method in known.PRETRAINED_READ_METHODS:
            add("read", call, reader.path(argument(call, 0, "pretrained_model_name_or_path"), scope), f".{method}", scope)
        elif method in known.PATH_READ_METHODS and not call.args:
            add("read", call, reader.path(receiver, scope), f".{method}", scope)
        elif method in known.PATH_WRITE_METHODS:
            add("write", call, reader.path(receiver, scope), f".{method}", scope)
        elif method in known.PATH_OPEN_METHODS and isinstance(receiver, ast.Call | ast.Name | ast.BinOp):
            mode = _mode(argument(call, 0, "mode"))
            segments = reader.path(receiver, scope)
            if mode is not None and segments is not None and _looks_like_pathlib(receiver, reader, scope):
                opens_mode = "write" if mode else "read"
                add(opens_mode, call, segments, ".open", scope)
        elif method in SQL_METHODS:
            _sql_tables(reader.text(_sql_argument(call), scope), call, f".{method}", scope, table)

    for call in opens:
        if id(call) in reader.consumed_opens:
            continue  # read or written by the call it is passed to, with a better label
        mode = _mode(argument(call, 1, "mode"))
        if mode is None:
            continue
        scope = index.scope_of(call)
        add("write" if mode else "read", call, reader.path(argument(call, 0, "file"), scope), "open", scope)
    found.sort(key=lambda access: (access.line, access.column))
    return tuple(found)


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
        _, node, _ = reader.binding(node.id, scope)
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
_SQL_READ = re.compile(r"\b(?:FROM|JOIN)\s+" + _IDENTIFIER, re.IGNORECASE)
_SQL_WRITE = re.compile(
    r"\b(?:INSERT\s+(?:OVERWRITE\s+TABLE|INTO(?:\s+TABLE)?)|CREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:GLOBAL|LOCAL|TEMP|TEMPORARY"
    r"|UNLOGGED|TRANSIENT)\s+)*(?:TABLE|VIEW)(?:\s+IF\s+NOT\s+EXISTS)?)\s+" + _IDENTIFIER,
    re.IGNORECASE,
)
_CTE_NAME = re.compile(r"(?:\bWITH|,)\s*(?:RECURSIVE\s+)?([\w$]+)\s*(?:\([^)]*\)\s*)?AS\s*\(", re.IGNORECASE)
_NOT_TABLES = frozenset({"select", "unnest", "lateral", "values", "table", "dual"})


def sql_tables(text: str) -> tuple[list[str], list[str]]:
    """(tables read, tables written) by SQL text; `DELETE`/`UPDATE` targets are neither."""
    if sql_statement(text) is None:
        return [], []
    clean = _SQL_FUNCTIONS_WITH_FROM.sub(" ", _SQL_QUOTED.sub("''", _SQL_COMMENTS.sub(" ", text)))
    ctes = {match.group(1).lower() for match in _CTE_NAME.finditer(clean)}
    written = [_table_name(match.group(1)) for match in _SQL_WRITE.finditer(clean)]
    read = []
    for match in _SQL_READ.finditer(clean):
        before = clean[: match.start()].rstrip().upper()
        if before.endswith("DELETE"):
            continue
        name = _table_name(match.group(1))
        if name in ctes or name in _NOT_TABLES or "{" in name:
            continue
        read.append(name)
    return list(dict.fromkeys(read)), list(dict.fromkeys(written))


def _table_name(raw: str) -> str:
    return ".".join(part.strip("\"`[]") for part in raw.split(".")).lower()


def _sql_tables(
    text: str | None, call: ast.Call, name: str, scope: str, table: Callable[[str, ast.Call, str, str, str], None]
) -> None:
    if not text:
        return
    read, written = sql_tables(text)
    for table_name in read:
        table("read", call, table_name, name, scope)
    for table_name in written:
        table("write", call, table_name, name, scope)


# --- Resolution (project phase) -----------------------------------------------------------


def path_constants(reader: PathReader) -> dict[str, Segments]:
    """Module-level names bound once to a path expression: what other modules' references resolve to."""
    result: dict[str, Segments] = {}
    for (scope, name), values in reader.bindings.items():
        if scope or len(values) != 1 or values[0] is None:
            continue
        segments = reader.path(values[0], "")
        if segments is not None:
            result[name] = segments
    return result


class PathResolver:
    """Resolves symbolic paths against every module's path constants, and normalises them."""

    def __init__(self, facts: Iterable[FileFacts]) -> None:
        self.constants: dict[str, Segments] = {}
        for item in facts:
            for name, segments in item.path_constants.items():
                self.constants[f"{item.module}.{name}"] = segments

    def resolve(self, segments: Segments, depth: int = 0) -> str | None:
        """The normalised path (relative to the project root, or absolute, or a URI), or None."""
        text = self._text(segments, depth)
        return normalise(text) if text is not None else None

    def _text(self, segments: Segments, depth: int) -> str | None:
        if depth > _MAX_DEPTH:
            return None
        parts: list[str] = []
        for segment in segments:
            pieces: list[str] = []
            for piece in segment:
                if piece.startswith(LITERAL):
                    pieces.append(piece[1:])
                    continue
                target = self.constants.get(piece[1:])
                if target is None:
                    return None
                value = self._text(target, depth + 1)
                if value is None:
                    return None
                pieces.append(value)
            part = "".join(pieces)
            if part.startswith("/") or "://" in part:
                parts = [part]  # an absolute component replaces what came before, as os.path.join does
            else:
                parts.append(part)
        return "/".join(part.rstrip("/") if index < len(parts) - 1 else part for index, part in enumerate(parts))


def normalise(path: str) -> str | None:
    """One spelling per file: `./data//x.csv` -> `data/x.csv`; URIs keep their scheme."""
    path = path.strip()
    if not path or "\n" in path:
        return None
    if "://" in path:
        scheme, _, rest = path.partition("://")
        return f"{scheme.lower()}://{posixpath.normpath(rest) if rest else ''}"
    path = path.replace("\\", "/")
    normal = posixpath.normpath(path)
    if normal in (".", "/"):
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
        path = resolver.resolve(access.path)
        if path is not None:
            result.append((access, f"artifact:{path}"))
    return result
