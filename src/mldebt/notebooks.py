"""Jupyter notebooks as modules: their code cells joined into one source, and back.

The `.ipynb` JSON is read directly (nbformat 4, and 3's worksheets). Code cells
are joined in order, so names resolve across cells as they do in the kernel.
IPython syntax is masked line by line, keeping the line count, so that every
line of the joined source maps back to one cell and one line inside it:

- a line magic (`%matplotlib inline`), shell escape (`!pip install x`), help
  (`df.head?`, `?df`), an assignment from one (`files = !ls`) or a magic
  written without `%` that is not Python as it stands (`cd ..`) becomes `pass`
  at the same indentation — only where a statement starts: a `%` line inside
  open brackets or a string is Python;
- a cell magic whose body is Python (`%%time`, `%%capture`) masks its first
  line only; any other cell magic (`%%bash`, `%%sql`, `%%R`) turns the whole
  cell into one call on its first line, as IPython itself runs it and as a
  notebook exported to `.py` spells it (`get_ipython().run_cell_magic("bash",
  "", "...")`), then blank lines: rules see the other language (MLD509) at the
  magic's line, and no rule reads the body as Python (the body of a magic in no
  known language, `%%writefile`, `%%html`, is left out);
- a notebook whose metadata names another kernel language (R, Julia) has no
  Python code;
- `%run other.py` is remembered too: it imports that script's names, so it is
  an import of the notebook (`run_imports`).

The original lines are kept for the source shown under a finding, and a
`CellMap` (plain data, cached with the file's result) maps a finding's lines
back to its cell after the whole run, so that suppression, fingerprints and
project rules all work on the joined source's lines.

Cells are numbered from 1 over all cells, markdown included, as ruff and
Jupyter's own UI count them.
"""

from __future__ import annotations

import ast
import json
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from mldebt.findings import Finding
from mldebt.knowledge.languages import CELL_MAGICS


def is_notebook_path(path: str) -> bool:
    return path.endswith(".ipynb")


# Cell magics whose body is Python run by the kernel: only the magic line is masked.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "pypy", "python", "python3", "memit", "tensorboard"})


# Magics and shell aliases IPython runs without `%` (automagic, on by default): `cd data`,
# `pip install x`, `ls -la`. Masked only when the line is not Python as it stands.
AUTOMAGICS = frozenset(
    {
        "cd", "ls", "ll", "pwd", "pip", "conda", "mamba", "mkdir", "rmdir", "rm", "cp", "mv", "cat",
        "clear", "env", "history", "who", "whos", "reset", "load_ext", "reload_ext", "matplotlib",
        "autoreload", "time", "timeit", "run", "pylab", "alias", "pushd", "popd", "less", "more",
        "man", "pdb", "prun", "precision", "xmode", "config", "store", "sx", "sc", "bookmark",
    }
)  # fmt: skip

_LINE_MAGIC = re.compile(r"^(\s*)(?:[%!]|\?)")
_AUTOMAGIC = re.compile(r"^(\s*)([A-Za-z_]\w*)\s+[^\s=(\[,:;)\]}]")
_ASSIGNED_MAGIC = re.compile(r"^(\s*)[\w.\[\], ]+\s*=\s*[%!]")
_HELP = re.compile(r"^(\s*)[\w.\[\]()]+\?\??\s*$")
_CELL_MAGIC = re.compile(r"^\s*%%([\w-]+)")
_RUN = re.compile(r"^\s*%run\s+(?:-\w+\s+)*[\"']?([^\s\"']+\.(?:py|ipynb))")


@dataclass(frozen=True)
class CellMagic:
    """A cell magic that runs another language (`%%bash`), where it is in the joined source."""

    name: str
    cell: int
    line: int  # the line of the magic in the joined source


@dataclass(frozen=True)
class NotebookSource:
    """The joined code of a notebook and the way back from its lines to cells."""

    code: str
    cells: tuple[int, ...]  # per joined line (0-based index): the cell number
    cell_lines: tuple[int, ...]  # per joined line: the 1-based line inside the cell
    magics: tuple[CellMagic, ...] = ()
    runs: tuple[tuple[str, int], ...] = ()  # (`%run` target, joined line)
    original: tuple[str, ...] = ()  # per joined line: the line as written in the cell
    language: str = "python"  # the kernel's language, as the notebook's metadata names it

    def locate(self, line: int) -> tuple[int | None, int]:
        """(cell, line inside the cell) for a 1-based line of the joined source."""
        if 1 <= line <= len(self.cells):
            return self.cells[line - 1], self.cell_lines[line - 1]
        return None, line

    @cached_property
    def cell_map(self) -> CellMap:
        segments: list[tuple[int, int, int]] = []
        for index, cell in enumerate(self.cells):
            if segments and segments[-1][0] == cell:
                number, first, count = segments[-1]
                segments[-1] = (number, first, count + 1)
            else:
                segments.append((cell, index + 1, 1))
        code_lines = self.code.split("\n")
        masked = tuple(
            (index + 1, len(text))
            for index, text in enumerate(self.original)
            if index < len(code_lines) and code_lines[index] != text
        )
        return CellMap(tuple(segments), masked)


@dataclass(frozen=True)
class CellMap:
    """The way back from the joined source's lines to cells, as plain data.

    `segments` are (cell number, first joined line, number of lines) in order; `masked` are
    (joined line, length of the line as written) for lines the masking changed, so that a
    finding on a masked magic does not reach past the line the user wrote.
    """

    segments: tuple[tuple[int, int, int], ...]
    masked: tuple[tuple[int, int], ...] = ()

    def locate(self, line: int) -> tuple[int, int, int] | None:
        """(cell, line inside the cell, the cell's last joined line) for a joined line, or None."""
        for cell, first, count in self.segments:
            if first <= line < first + count:
                return cell, line - first + 1, first + count - 1
        return None

    def map_finding(self, finding: Finding) -> Finding:
        """The finding with its cell, and its line and column inside the cell (the joined line
        kept in `joined_line`). A finding that ends in a later cell ends with its own cell."""
        if finding.cell is not None or finding.joined_line is not None:
            return finding  # already mapped
        where = self.locate(finding.line)
        if where is None:
            return finding
        cell, line, last = where
        end_joined = min(max(finding.end_line, finding.line), last)
        end_column = finding.end_column if end_joined == finding.end_line else 1
        widths = dict(self.masked)
        if end_joined in widths:
            end_column = min(end_column, widths[end_joined] + 1)
        column = min(finding.column, widths[finding.line] + 1) if finding.line in widths else finding.column
        return replace(
            finding,
            cell=cell,
            line=line,
            column=max(column, 1),
            end_line=line + end_joined - finding.line,
            end_column=max(end_column, 1),
            joined_line=finding.line,
        )

    def lines_in_message(self, message: str) -> str:
        """A message's mentions of the notebook's own lines (`on line 9`, `lines 3-5`), which
        rules write in joined lines, said as the user sees them: `on line 2 of cell 4`."""
        if "line" not in message:
            return message
        return _LINE_MENTION.sub(lambda match: self._mention(match), message)

    def _mention(self, match: re.Match[str]) -> str:
        numbers = [int(number) for number in re.findall(r"\d+", match.group("numbers"))]
        places = [self.locate(number) for number in numbers]
        if any(place is None for place in places):
            return match.group(0)
        cells = {place[0] for place in places if place is not None}
        if len(cells) == 1:
            local = iter(str(place[1]) for place in places if place is not None)
            spelled = re.sub(r"\d+", lambda _: next(local), match.group("numbers"))
            return f"{match.group('word')} {spelled} of cell {cells.pop()}"
        return ", ".join(f"line {place[1]} of cell {place[0]}" for place in places if place is not None)

    def to_data(self) -> dict[str, Any]:
        return {"segments": [list(item) for item in self.segments], "masked": [list(item) for item in self.masked]}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> CellMap:
        return cls(
            tuple((int(a), int(b), int(c)) for a, b, c in data["segments"]),
            tuple((int(a), int(b)) for a, b in data.get("masked", ())),
        )


# `line 9`, `lines 3-5`, `lines 3, 7 and 9` in a message.
_LINE_MENTION = re.compile(r"\b(?P<word>[Ll]ines?) (?P<numbers>\d+(?:(?:-|, | and )\d+)*)\b")


def lines_of_other_notebooks(message: str, maps: dict[str, CellMap]) -> str:
    """`other.ipynb:12` in a message, a place in another notebook of the project, as
    `other.ipynb:cell 3:2`."""
    if ".ipynb:" not in message:
        return message

    def spell(match: re.Match[str]) -> str:
        cells = maps.get(match.group("path"))
        place = cells.locate(int(match.group("line"))) if cells is not None else None
        if place is None:
            return match.group(0)
        return f"{match.group('path')}:cell {place[0]}:{place[1]}"

    return re.sub(r"(?P<path>[^\s`'\"(]+\.ipynb):(?P<line>\d+)\b", spell, message)


class NotebookError(ValueError):
    """A notebook that cannot be read as one; the message says why."""


def read_notebook(text: str) -> NotebookSource:
    """Join a notebook's code cells; raise NotebookError when the JSON is not a notebook."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookError(f"invalid notebook JSON: {error.msg} (line {error.lineno})") from error
    except RecursionError as error:
        raise NotebookError("invalid notebook JSON: nested too deeply to read") from error
    cells = _cells(document)
    language = _language(document)
    if not is_python(language):
        return NotebookSource("", (), (), language=language)  # an R or Julia notebook: not ours to read
    code_lines: list[str] = []
    original: list[str] = []
    cell_numbers: list[int] = []
    cell_lines: list[int] = []
    magics: list[CellMagic] = []
    runs: list[tuple[str, int]] = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict):
            raise NotebookError(f"cell {number} is not an object")
        kind = cell.get("cell_type")
        if kind != "code":
            continue
        source = cell.get("source", cell.get("input", ""))
        if isinstance(source, list) and all(isinstance(part, str) for part in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise NotebookError(f"cell {number}: its source is not text")
        lines = source.splitlines() or [""]
        masked = _mask(lines)
        first = len(code_lines) + 1
        cell_magic = _CELL_MAGIC.match(lines[0])
        if cell_magic is not None and cell_magic.group(1) not in PYTHON_CELL_MAGICS:
            magics.append(CellMagic(cell_magic.group(1), number, first))
        for index, line in enumerate(lines):
            run = _RUN.match(line)
            if run is not None:
                runs.append((run.group(1), first + index))
        code_lines.extend(masked)
        original.extend(lines)
        cell_numbers.extend([number] * len(masked))
        cell_lines.extend(range(1, len(masked) + 1))
    return NotebookSource(
        "\n".join(code_lines) + "\n" if code_lines else "",
        tuple(cell_numbers),
        tuple(cell_lines),
        tuple(magics),
        tuple(runs),
        tuple(original),
    )


def _language(document: dict[str, Any]) -> str:
    """The kernel's language from the notebook's metadata; Python when it says nothing."""
    metadata = document.get("metadata")
    if not isinstance(metadata, dict):
        return "python"
    for key, field in (("language_info", "name"), ("kernelspec", "language")):
        table = metadata.get(key)
        if isinstance(table, dict) and isinstance(table.get(field), str) and table[field].strip():
            return table[field].strip()
    return "python"


def is_python(language: str) -> bool:
    return language.lower().replace(" ", "").startswith(("python", "ipython", "pyspark"))


def _cells(document: object) -> list[object]:
    if not isinstance(document, dict):
        raise NotebookError("not a notebook: the JSON is not an object")
    cells = document.get("cells")
    if cells is None and isinstance(document.get("worksheets"), list):  # nbformat 3
        sheets = [sheet.get("cells", []) for sheet in document["worksheets"] if isinstance(sheet, dict)]
        if not all(isinstance(sheet, list) for sheet in sheets):
            raise NotebookError("not a notebook: a worksheet's `cells` is not a list")
        cells = [cell for sheet in sheets for cell in sheet]
    if not isinstance(cells, list):
        raise NotebookError("not a notebook: no `cells` list")
    return cells


def _mask(lines: list[str]) -> list[str]:
    """The cell's lines with IPython syntax replaced by `pass`, one line for one line."""
    cell_magic = _CELL_MAGIC.match(lines[0])
    if cell_magic is not None:
        if cell_magic.group(1) in PYTHON_CELL_MAGICS:
            return ["pass"] + _mask_lines(lines[1:])
        # Another language: one call on the magic's line, as IPython runs it; the body is data.
        arguments = lines[0].strip()[len(cell_magic.group(0).strip()) :].strip()
        # The body of another language is what MLD509 reads; any other magic's body (`%%writefile`,
        # `%%html`) is nothing a rule should read as a string of this module.
        body = "".join(line + "\n" for line in lines[1:]) if cell_magic.group(1) in CELL_MAGICS else ""
        call = f"get_ipython().run_cell_magic({cell_magic.group(1)!r}, {arguments!r}, {body!r})"
        return [call] + [""] * (len(lines) - 1)
    return _mask_lines(lines)


def _mask_lines(lines: list[str]) -> list[str]:
    masked = []
    continued = False  # a magic line ending in `\` continues on the next line
    python = _PythonLines()
    for line in lines:
        if continued:
            masked.append("")
            continued = line.rstrip().endswith("\\")
            continue
        if python.inside_statement:  # `%` or `!` inside an open bracket or string is Python
            masked.append(line)
            python.feed(line)
            continue
        match = _LINE_MAGIC.match(line) or _ASSIGNED_MAGIC.match(line) or _HELP.match(line) or _automagic(line)
        if match is not None and not line.lstrip().startswith("#"):
            masked.append(f"{match.group(1)}pass")
            continued = line.rstrip().endswith("\\")
        else:
            masked.append(line)
            python.feed(line)
    return masked


class _PythonLines:
    """Just enough of Python's tokenizer to know whether the next line starts a statement:
    open brackets, open triple-quoted strings, and `\\` continuations."""

    def __init__(self) -> None:
        self.depth = 0
        self.string = ""  # the open triple quote, if any
        self.backslash = False

    @property
    def inside_statement(self) -> bool:
        return self.depth > 0 or bool(self.string) or self.backslash

    def feed(self, line: str) -> None:
        index, length = 0, len(line)
        self.backslash = False
        while index < length:
            char = line[index]
            if self.string:
                if char == "\\":
                    index += 2
                    continue
                if line.startswith(self.string, index):
                    index += len(self.string)
                    self.string = ""
                    continue
                index += 1
                continue
            if char == "#":
                return
            if char in "\"'":
                triple = line[index : index + 3]
                if triple in ('"""', "'''"):
                    self.string = triple
                    index += 3
                    continue
                index = _end_of_string(line, index)
                continue
            if char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(self.depth - 1, 0)
            elif char == "\\" and index == length - 1:
                self.backslash = True
            index += 1


def _end_of_string(line: str, start: int) -> int:
    """The index after a one-line string literal that opens at `start` (or the line's end)."""
    quote = line[start]
    index = start + 1
    while index < len(line):
        if line[index] == "\\":
            index += 2
            continue
        if line[index] == quote:
            return index + 1
        index += 1
    return index


def _automagic(line: str) -> re.Match[str] | None:
    """`cd data` or `pip install x` written without `%`: a magic IPython runs, not Python."""
    match = _AUTOMAGIC.match(line)
    if match is None or match.group(2) not in AUTOMAGICS:
        return None
    try:
        ast.parse(line.strip())
    except SyntaxError:
        return match
    return None  # `time.sleep(1)`, `cd = 3`, `ls -x` (a subtraction): Python after all


def run_imports(source: NotebookSource, path: str) -> tuple[tuple[str, int], ...]:
    """(dotted module name, joined line) for each `%run script.py` / `%run other.ipynb` of the
    notebook at `path` (relative to the project root): the kernel runs the script with the
    notebook's folder as working directory and takes its names, as `from script import *` would.
    A target outside the project is left out."""
    from mldebt.analysis import module_name  # the one place that turns paths into module names

    folder = posixpath.dirname(path)
    found = []
    for target, line in source.runs:
        joined = posixpath.normpath(posixpath.join(folder, target))
        if joined.startswith("../") or joined == ".." or posixpath.isabs(joined):
            continue
        found.append((module_name(joined), line))
    return tuple(found)


# --- Notebooks written as text (rule examples, tests) ----------------------------------------

_PERCENT_MARKER = re.compile(r"^# %%(?P<rest>.*)$")


def percent_notebook(text: str) -> tuple[str, dict[tuple[int, int], int]]:
    """A notebook (JSON) from percent-format text, as Jupytext writes it: `# %%` starts a code
    cell, `# %% [markdown]` a markdown cell (its `# ` comment prefixes dropped); the marker lines
    belong to no cell, and text before the first marker is a code cell when it is not blank.

    Returns the JSON and, for every (cell, line inside the cell), the 1-based line of `text`.
    """
    cells: list[tuple[str, list[str], list[int]]] = []
    kind, lines, numbers = "code", [], []
    for number, line in enumerate(text.split("\n"), start=1):
        marker = _PERCENT_MARKER.match(line)
        if marker is None:
            lines.append(line)
            numbers.append(number)
            continue
        if cells or any(item.strip() for item in lines):
            cells.append((kind, lines, numbers))
        kind = "markdown" if "[markdown]" in marker.group("rest") else "code"
        lines, numbers = [], []
    cells.append((kind, lines, numbers))
    document: list[dict[str, Any]] = []
    where: dict[tuple[int, int], int] = {}
    for index, (kind, lines, numbers) in enumerate(cells, start=1):
        while lines and not lines[-1].strip():  # trailing blank lines separate cells
            lines, numbers = lines[:-1], numbers[:-1]
        if kind == "markdown":
            lines = [line[2:] if line.startswith("# ") else line.lstrip("#") for line in lines]
        for position, number in enumerate(numbers, start=1):
            where[(index, position)] = number
        source = [line + "\n" for line in lines[:-1]] + lines[-1:]
        cell: dict[str, Any] = {"cell_type": kind, "metadata": {}, "source": source}
        if kind == "code":
            cell.update({"execution_count": None, "outputs": []})
        document.append(cell)
    notebook = {"cells": document, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(notebook, indent=1) + "\n", where


def original_lines(text: str) -> Sequence[str]:
    """The code cells' lines as written, joined as the analysis joins them ([] when unreadable)."""
    try:
        return read_notebook(text).original
    except NotebookError:
        return []
