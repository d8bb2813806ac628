"""Jupyter notebooks as modules: their code cells joined into one source, and back.

The `.ipynb` JSON is read directly (nbformat 4, and 3's worksheets). Code cells
are joined in order, so names resolve across cells as they do in the kernel.
IPython syntax is masked line by line, keeping the line count, so that every
line of the joined source maps back to one cell and one line inside it:

- a line magic (`%matplotlib inline`), shell escape (`!pip install x`), help
  (`df.head?`, `?df`) or an assignment from one (`files = !ls`) becomes `pass`
  at the same indentation;
- a cell magic whose body is Python (`%%time`, `%%capture`) masks its first
  line only; any other cell magic (`%%bash`, `%%sql`, `%%R`) masks the whole
  cell, and is remembered for MLD509;
- `%run other.py` is remembered too: it imports that script's names.

Cells are numbered from 1 over all cells, markdown included, as ruff and
Jupyter's own UI count them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

# Cell magics whose body is Python run by the kernel: only the magic line is masked.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "pypy", "python", "python3", "memit", "tensorboard"})

_LINE_MAGIC = re.compile(r"^(\s*)(?:[%!]|\?)")
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

    def locate(self, line: int) -> tuple[int | None, int]:
        """(cell, line inside the cell) for a 1-based line of the joined source."""
        if 1 <= line <= len(self.cells):
            return self.cells[line - 1], self.cell_lines[line - 1]
        return None, line


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
    code_lines: list[str] = []
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
        cell_numbers.extend([number] * len(masked))
        cell_lines.extend(range(1, len(masked) + 1))
    return NotebookSource(
        "\n".join(code_lines) + "\n" if code_lines else "",
        tuple(cell_numbers),
        tuple(cell_lines),
        tuple(magics),
        tuple(runs),
    )


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
        return [""] * len(lines)  # another language: nothing here is Python
    return _mask_lines(lines)


def _mask_lines(lines: list[str]) -> list[str]:
    masked = []
    continued = False  # a magic line ending in `\` continues on the next line
    for line in lines:
        if continued:
            masked.append("")
            continued = line.rstrip().endswith("\\")
            continue
        match = _LINE_MAGIC.match(line) or _ASSIGNED_MAGIC.match(line) or _HELP.match(line)
        if match is not None and not line.lstrip().startswith("#"):
            masked.append(f"{match.group(1)}pass")
            continued = line.rstrip().endswith("\\")
        else:
            masked.append(line)
    return masked
