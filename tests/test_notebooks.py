"""Reading notebooks: joining code cells, masking IPython syntax, and mapping lines back to cells."""

from __future__ import annotations

import ast
import json

import pytest

from mldebt.notebooks import NotebookError, read_notebook


def notebook(*cells: tuple[str, str | list[str]], nbformat: int = 4) -> str:
    items = [{"cell_type": kind, "source": source, "metadata": {}} for kind, source in cells]
    if nbformat == 3:
        for item in items:
            if item["cell_type"] == "code":
                item["input"] = item.pop("source")
        return json.dumps({"nbformat": 3, "worksheets": [{"cells": items}]})
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": items})


def test_code_cells_are_joined_and_lines_map_back_to_cells_counting_markdown() -> None:
    source = read_notebook(
        notebook(
            ("markdown", "# Title"),
            ("code", ["import pandas as pd\n", "frame = pd.read_csv('x.csv')"]),
            ("markdown", "text"),
            ("code", "frame.head()\nprint(frame)\n"),
        )
    )
    assert source.code == "import pandas as pd\nframe = pd.read_csv('x.csv')\nframe.head()\nprint(frame)\n"
    assert source.locate(1) == (2, 1)
    assert source.locate(2) == (2, 2)
    assert source.locate(3) == (4, 1)
    assert source.locate(4) == (4, 2)


def test_magics_shell_escapes_and_help_are_masked_keeping_the_line_count() -> None:
    source = read_notebook(
        notebook(
            ("code", "%matplotlib inline\n!pip install xgboost\nfiles = !ls\ndf.head?\n?df\nx = 1"),
            ("code", "if x:\n    %time f()\n    y = 2"),
            ("code", "%%time\nz = x + 1"),
        )
    )
    lines = source.code.splitlines()
    assert lines == ["pass", "pass", "pass", "pass", "pass", "x = 1", "if x:", "    pass", "    y = 2", "pass", "z = x + 1"]
    ast.parse(source.code)
    assert source.locate(11) == (3, 2)


def test_other_language_cell_magics_are_blanked_and_remembered() -> None:
    source = read_notebook(notebook(("code", "x = 1"), ("code", "%%bash\nls -la\necho 'done'"), ("code", "%%sql\nSELECT * FROM t")))
    assert [(magic.name, magic.cell, magic.line) for magic in source.magics] == [("bash", 2, 2), ("sql", 3, 5)]
    assert source.code.splitlines() == ["x = 1", "", "", "", "", ""]
    ast.parse(source.code)


def test_run_targets_are_remembered() -> None:
    source = read_notebook(notebook(("code", "%run helpers.py\n%run -i 'prep.ipynb'\nx = 1")))
    assert source.runs == (("helpers.py", 1), ("prep.ipynb", 2))


def test_nbformat_3_worksheets_are_read() -> None:
    source = read_notebook(notebook(("code", "a = 1"), ("code", "b = 2"), nbformat=3))
    assert source.code == "a = 1\nb = 2\n"


def test_a_notebook_without_code_cells_is_empty() -> None:
    assert read_notebook(notebook(("markdown", "only text"))).code == ""


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{not json", "invalid notebook JSON"),
        ("[]", "not an object"),
        ('{"nbformat": 4}', "no `cells` list"),
        (json.dumps({"cells": [{"cell_type": "code", "source": 3}]}), "cell 1: its source is not text"),
        (json.dumps({"cells": ["text"]}), "cell 1 is not an object"),
    ],
)
def test_broken_notebooks_say_why(text: str, reason: str) -> None:
    with pytest.raises(NotebookError, match=reason.replace("`", ".").replace("(", ".").replace(")", ".")):
        read_notebook(text)
