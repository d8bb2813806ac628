"""Name resolution through a file's imports: what a spelling at a call site really names.

Rules match qualified names (`numpy.random.rand`), never the spelling
(`np.random.rand`). This is the one helper that does the mapping. It is an
import-alias map, not full scope analysis: cheap, and silent (None) whenever a
name is ambiguous — imported and also defined in the file, say.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterable, Sequence

import libcst as cst

_BUILTINS = frozenset(dir(builtins))


def dotted_name(node: cst.BaseExpression) -> str | None:
    """`a.b.c` for a chain of names and attributes, else None."""
    # Asked of most calls and attributes by several rules: libcst's node classes are ABCs,
    # and `isinstance` against an ABC is a slow Python-level check, so classes are told once.
    parts: list[str] = []
    kind = _CHAIN_KIND.get(type(node)) or _chain_kind(type(node))
    while kind is _ATTRIBUTE:
        parts.append(node.attr.value)  # type: ignore[attr-defined]
        node = node.value  # type: ignore[attr-defined]
        kind = _CHAIN_KIND.get(type(node)) or _chain_kind(type(node))
    if kind is not _NAME:
        return None
    if not parts:
        return node.value  # type: ignore[attr-defined]
    parts.append(node.value)  # type: ignore[attr-defined]
    return ".".join(reversed(parts))


_NAME, _ATTRIBUTE, _OTHER = "name", "attribute", "other"
_CHAIN_KIND: dict[type, str] = {}


def _chain_kind(node_class: type) -> str:
    kind = _ATTRIBUTE if issubclass(node_class, cst.Attribute) else _NAME if issubclass(node_class, cst.Name) else _OTHER
    _CHAIN_KIND[node_class] = kind
    return kind


def ast_dotted_name(node: ast.expr) -> str | None:
    """`a.b.c` for a chain of names and attributes in CPython's `ast`, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def absolute_module(module: str | None, level: int, importer: str, is_package: bool) -> str:
    """Resolve `from ..x import y`'s module against the importing module's name."""
    if level == 0:
        return module or ""
    parts = importer.split(".") if importer else []
    if not is_package:
        parts = parts[:-1]
    if level > 1:
        parts = parts[: len(parts) - (level - 1)] if level - 1 <= len(parts) else []
    base = ".".join(parts)
    if module:
        return f"{base}.{module}" if base else module
    return base


class ImportAliases:
    """Maps the names bound by a file's imports to the qualified names they stand for."""

    def __init__(self, module_name: str = "", is_package: bool = False) -> None:
        self.module_name = module_name
        self.is_package = is_package
        self._aliases: dict[str, str] = {}
        self._ambiguous: set[str] = set()
        self._local: set[str] = set()
        # Answers by node: rules ask about the same call's function many times over. Each entry
        # keeps its node alive, so its id cannot be reused; any new binding empties it.
        self._answers: dict[int, tuple[cst.BaseExpression, str | None]] = {}

    def bind(self, alias: str, qualified: str) -> None:
        """Record that `alias` names `qualified`; a second, different binding makes it ambiguous."""
        self._answers.clear()
        known = self._aliases.get(alias)
        if known is not None and known != qualified:
            self._ambiguous.add(alias)
        self._aliases[alias] = qualified

    def extended(self, bindings: Iterable[tuple[str, str]]) -> ImportAliases:
        """A copy of this map with more bindings (which leave this one unchanged)."""
        copy = ImportAliases(self.module_name, self.is_package)
        copy._aliases = dict(self._aliases)
        copy._ambiguous = set(self._ambiguous)
        copy._local = set(self._local)
        for alias, qualified in bindings:
            if alias not in copy._aliases:
                copy.bind(alias, qualified)
        return copy

    def define_local(self, name: str) -> None:
        """Record a name the file itself defines (def, class, assignment)."""
        self._answers.clear()
        self._local.add(name)

    def add_import(self, node: cst.Import | cst.ImportFrom) -> None:
        """Bind every name an import statement introduces."""
        if isinstance(node, cst.Import):
            for alias in node.names:
                full = dotted_name(alias.name)
                if full is None:
                    continue
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    self.bind(alias.asname.name.value, full)
                else:
                    # `import a.b.c` binds `a`, and `a.b.c` then resolves to itself.
                    head = full.split(".")[0]
                    self.bind(head, head)
            return
        if isinstance(node.names, cst.ImportStar):
            return
        source = dotted_name(node.module) if node.module is not None else None
        base = absolute_module(source, len(node.relative), self.module_name, self.is_package)
        for alias in node.names:
            if not isinstance(alias.name, cst.Name):
                continue
            name = alias.name.value
            bound = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                bound = alias.asname.name.value
            self.bind(bound, f"{base}.{name}" if base else name)

    def resolve_name(self, name: str) -> str | None:
        if name in self._ambiguous:
            return None
        if name in self._aliases:
            return None if name in self._local else self._aliases[name]
        if name in self._local:
            return f"{self.module_name}.{name}" if self.module_name else name
        if name in _BUILTINS:
            return f"builtins.{name}"
        return None

    def qualified_name(self, node: cst.BaseExpression) -> str | None:
        """The qualified name an expression such as `np.random.rand` refers to, or None."""
        known = self._answers.get(id(node))
        if known is not None and known[0] is node:
            return known[1]
        dotted = dotted_name(node)
        answer = self.qualified_dotted(dotted) if dotted is not None else None
        self._answers[id(node)] = (node, answer)
        return answer

    def qualified_dotted(self, dotted: str) -> str | None:
        """The qualified name a dotted spelling (`np.random.rand`) refers to, or None."""
        head, _, rest = dotted.partition(".")
        resolved = self.resolve_name(head)
        if resolved is None:
            return None
        return f"{resolved}.{rest}" if rest else resolved

    @property
    def aliases(self) -> dict[str, str]:
        return {k: v for k, v in self._aliases.items() if k not in self._ambiguous}


def collect_top_level(module: cst.Module, aliases: ImportAliases) -> None:
    """Prime the alias map from the module's top level before the one traversal.

    Imports at module level (also inside top-level `try`/`if`/`with`) bind
    before any call is visited, so a call above an import still resolves, as
    it does at run time for functions. Top-level definitions mark local names.
    """
    for statement, in_handler in _top_level_statements(module.body):
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, (cst.Import, cst.ImportFrom)):
                    aliases.add_import(small)
                elif in_handler:
                    continue  # `except ImportError: np = None` is a fallback, not a new meaning
                elif isinstance(small, (cst.Assign, cst.AnnAssign, cst.AugAssign)):
                    targets = (
                        [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
                    )
                    for target in targets:
                        for name in _bound_names(target):
                            aliases.define_local(name)
        elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            aliases.define_local(statement.name.value)


def _top_level_statements(
    body: Sequence[cst.BaseStatement] | Sequence[cst.BaseSmallStatement], in_handler: bool = False
) -> list[tuple[cst.CSTNode, bool]]:
    """Module-level statements, looking inside top-level `try`/`if`/`with` blocks."""
    result: list[tuple[cst.CSTNode, bool]] = []
    for statement in body:
        if isinstance(statement, (cst.Try, cst.If, cst.With)):
            result.extend(_top_level_statements(_suite(statement.body), in_handler))
            if isinstance(statement, cst.Try):
                for handler in statement.handlers:
                    result.extend(_top_level_statements(_suite(handler.body), True))
                if statement.orelse is not None:
                    result.extend(_top_level_statements(_suite(statement.orelse.body), in_handler))
            elif isinstance(statement, cst.If) and statement.orelse is not None:
                orelse = statement.orelse
                if isinstance(orelse, cst.If):
                    result.extend(_top_level_statements([orelse], in_handler))
                else:
                    result.extend(_top_level_statements(_suite(orelse.body), in_handler))
        else:
            result.append((statement, in_handler))
    return result


def _suite(block: cst.BaseSuite) -> Sequence[cst.BaseStatement] | Sequence[cst.BaseSmallStatement]:
    return block.body


def _bound_names(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        names: list[str] = []
        for element in target.elements:
            names.extend(_bound_names(element.value))
        return names
    return []


_EMPTY_MODULE = cst.Module([])
CALLEE_LENGTH = 40  # characters of a callee shown in a message


def callee_spelling(node: cst.BaseExpression, limit: int = CALLEE_LENGTH) -> str:
    """How a call site spells its callee, on one line, shortened to its last part when long
    (`….read_sql`): for messages that name the call."""
    text = " ".join(_EMPTY_MODULE.code_for_node(node).split())
    if len(text) <= limit:
        return text
    if isinstance(node, cst.Attribute):
        return f"….{node.attr.value}"
    return text[: limit - 1] + "…"
