"""What a file rule knows about the file it is visiting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from pathlib import PurePosixPath

from mldebt.names import ImportAliases

CONFIG_MODULE_PREFIXES = ("config", "settings", "params", "hparams")
CONFIG_FOLDERS = frozenset({"conf", "config", "configs"})
TEST_FOLDERS = frozenset({"tests", "test", "testing"})
# Folders of code that is not the project's own: installed or vendored third-party packages.
# A folder whose name starts with a dot (`.ipynb_checkpoints`, `.cache`, `.venv`) counts too.
FOREIGN_CODE_FOLDERS = frozenset(
    {
        "site-packages", "dist-packages", "node_modules", "vendor", "vendored", "_vendor",
        "third_party", "thirdparty", "third-party", "external", "externals",
    }
)  # fmt: skip


@cache  # asked per node by some rules (`self.context.is_test`); a path's answer never changes
def is_config_path(path: str) -> bool:
    """Config modules (`config*`, `settings*`, `params*`, `hparams*`, anything under `conf/`)."""
    pure = PurePosixPath(path)
    if any(part in CONFIG_FOLDERS for part in pure.parts[:-1]):
        return True
    return pure.stem.lower().startswith(CONFIG_MODULE_PREFIXES)


@cache
def is_test_path(path: str) -> bool:
    """Test modules: under a tests folder, `test_*.py`, `*_test.py`, or `conftest.py`."""
    pure = PurePosixPath(path)
    if any(part in TEST_FOLDERS for part in pure.parts[:-1]):
        return True
    stem = pure.stem
    return stem.startswith("test_") or stem.endswith("_test") or stem == "conftest"


def is_foreign_code_path(path: str) -> bool:
    """Whether a project path lies in vendored, installed or hidden-folder code."""
    folders = path.split("/")[:-1]
    return any(folder in FOREIGN_CODE_FOLDERS or folder.startswith(".") for folder in folders)


# Where the lines asked for by `FileContext.recorded_line` wait for the traversal to end (in the
# shared state, so a traversal redone after a crash starts clean).
RECORDED_LINES = "recorded_lines"


class RecordedLine:
    """A node's line in data a rule records: filled in after the traversal, in the same pass
    that locates the reported nodes, and replaced by the plain number before the data leaves
    the file (`resolve_recorded_lines`)."""

    __slots__ = ("node", "line")

    def __init__(self, node: Any) -> None:
        self.node = node
        self.line = 0

    def __repr__(self) -> str:
        return f"RecordedLine({self.line})"


def resolve_recorded_lines(data: Any) -> Any:
    """`data` with every `RecordedLine` in it (in dicts, lists and tuples) replaced by its line."""
    if isinstance(data, RecordedLine):
        return data.line
    if isinstance(data, dict):
        return {key: resolve_recorded_lines(value) for key, value in data.items()}
    if isinstance(data, list):
        return [resolve_recorded_lines(value) for value in data]
    if isinstance(data, tuple):
        return tuple(resolve_recorded_lines(value) for value in data)
    return data


@dataclass
class FileContext:
    """The file under analysis, shared by every rule in its one traversal.

    Attributes:
        path: Relative to the project root, with forward slashes.
        module: The dotted module name (`pkg.train`).
        in_package: Whether the file's folder has an `__init__.py`.
        aliases: The file's import-alias map.
        lines: The source, split into lines (no line endings).
    """

    path: str
    module: str
    in_package: bool = False
    aliases: ImportAliases = field(default_factory=ImportAliases)
    lines: list[str] = field(default_factory=list)
    scope: list[str] = field(default_factory=list)
    locate: Callable[[Any], int] | None = None  # set by the engine: node -> 1-based line
    # Notebooks: the lines of the joined code cells where a cell begins (a comment block or a
    # run of lines that a rule reads as one stops there).
    cell_starts: frozenset[int] = frozenset()
    # Helpers that several rules feed in the one traversal keep their state here, so it is
    # computed once per file (e.g. `mldebt.dataflow`); emptied before each traversal.
    shared: dict[str, Any] = field(default_factory=dict)

    def line_of(self, node: Any) -> int:
        """The 1-based line of a node. Notes every node's position on first use (about what
        regenerating the file's code costs), so call it only when about to report."""
        return self.locate(node) if self.locate is not None else 0

    def recorded_line(self, node: Any) -> RecordedLine:
        """A node's 1-based line for data given to `Rule.record` (and only there): known once the
        traversal is over, at no cost now -- `line_of` regenerates the file's code to answer at once."""
        line = RecordedLine(node)
        self.shared.setdefault(RECORDED_LINES, []).append(line)
        return line

    @property
    def is_package_init(self) -> bool:
        return PurePosixPath(self.path).name == "__init__.py"

    @property
    def is_config(self) -> bool:
        return is_config_path(self.path)

    @property
    def is_test(self) -> bool:
        return is_test_path(self.path)

    @property
    def is_notebook(self) -> bool:
        return self.path.endswith(".ipynb")

    def qualified_name(self, node: object) -> str | None:
        import libcst as cst

        if not isinstance(node, cst.BaseExpression):
            return None
        return self.aliases.qualified_name(node)
