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


def test_other_language_cell_magics_become_one_call_on_the_magic_line_and_are_remembered() -> None:
    source = read_notebook(notebook(("code", "x = 1"), ("code", "%%bash\nls -la\necho 'done'"), ("code", "%%sql\nSELECT * FROM t")))
    assert [(magic.name, magic.cell, magic.line) for magic in source.magics] == [("bash", 2, 2), ("sql", 3, 5)]
    assert source.code.splitlines() == [
        "x = 1",
        "get_ipython().run_cell_magic('bash', '', \"ls -la\\necho 'done'\\n\")",
        "",
        "",
        "get_ipython().run_cell_magic('sql', '', 'SELECT * FROM t\\n')",
        "",
    ]
    ast.parse(source.code)
    assert source.original[1:3] == ("%%bash", "ls -la")


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


def test_cell_map_locates_joined_lines_and_keeps_a_finding_in_its_cell() -> None:
    from mldebt.findings import Finding, Severity

    source = read_notebook(
        notebook(("markdown", "# T"), ("code", "import os\n%time f()\nx = 1"), ("code", "%%bash\necho hi"), ("code", "y = 2"))
    )
    cells = source.cell_map
    assert cells.segments == ((2, 1, 3), (3, 4, 2), (4, 6, 1))
    assert cells.locate(5) == (3, 2, 5) and cells.locate(9) is None

    def at(line: int, column: int, end_line: int, end_column: int) -> Finding:
        return Finding("MLD504", "x", Severity.INFO, "§5", "nb.ipynb", line, column, end_line, end_column, "m")

    mapped = cells.map_finding(at(3, 1, 6, 6))  # ends in a later cell: it ends with its own
    assert (mapped.cell, mapped.line, mapped.end_line, mapped.end_column, mapped.joined_line) == (2, 3, 3, 1, 3)
    magic = cells.map_finding(at(4, 1, 4, 80))  # the call standing for `%%bash`: no wider than `%%bash`
    assert (magic.cell, magic.line, magic.column, magic.end_column) == (3, 1, 1, 7)
    assert cells.map_finding(magic) == magic


def test_run_targets_become_module_names_from_the_notebooks_folder() -> None:
    from mldebt.notebooks import run_imports

    source = read_notebook(notebook(("code", "%run helpers.py\n%run ../src/prep.py\n%run ../../outside.py\n%run sub/other.ipynb")))
    assert run_imports(source, "notebooks/eda.ipynb") == (("notebooks.helpers", 1), ("prep", 2), ("notebooks.sub.other", 4))


def test_percent_text_becomes_a_notebook_with_its_lines_mapped() -> None:
    from mldebt.notebooks import percent_notebook

    text = "# %% [markdown]\n# # Title\n# %%\nimport os\n\n# %%\nx = 1\ny = 2\n"
    document, lines = percent_notebook(text)
    data = json.loads(document)
    assert [cell["cell_type"] for cell in data["cells"]] == ["markdown", "code", "code"]
    assert data["cells"][0]["source"] == ["# Title"]
    assert data["cells"][2]["source"] == ["x = 1\n", "y = 2"]
    assert lines[(2, 1)] == 4 and lines[(3, 2)] == 8
    assert read_notebook(document).code == "import os\nx = 1\ny = 2\n"


def test_line_mentions_in_messages_are_said_in_cells() -> None:
    from mldebt.notebooks import CellMap, lines_of_other_notebooks

    cells = CellMap(((2, 1, 4), (4, 5, 3)))
    assert cells.lines_in_message("loaded by `read_csv(...)` on line 6, with no check") == (
        "loaded by `read_csv(...)` on line 2 of cell 4, with no check"
    )
    assert cells.lines_in_message("Comment lines 5-7 are 3 lines of code") == "Comment lines 1-3 of cell 4 are 3 lines of code"
    assert cells.lines_in_message("(and on lines 2, 6)") == "(and on line 2 of cell 2, line 2 of cell 4)"
    assert cells.lines_in_message("on line 99") == "on line 99"
    assert lines_of_other_notebooks("set at `eda.ipynb:6` and `x.py:3`", {"eda.ipynb": cells}) == (
        "set at `eda.ipynb:cell 4:2` and `x.py:3`"
    )


def test_automagics_without_percent_are_masked_when_they_are_not_python() -> None:
    source = read_notebook(notebook(("code", "cd RNAPro\ncd ..\npip install -q timm\nls -la data/\ncd = 3\ntime.sleep(1)\nls")))
    assert source.code.splitlines() == ["pass", "pass", "pass", "pass", "cd = 3", "time.sleep(1)", "ls"]


def test_ipython_syntax_is_masked_only_where_a_statement_starts() -> None:
    cells = (
        "share = (cards == 0).mean() \\\n      %(total)\nrun = wandb.init(\n    project='x',\n)\n"
        "history = model.fit(\n    X,\n    !y,\n)\ntext = '''\n%not a magic\n'''\n%time f()"
    )
    source = read_notebook(notebook(("code", cells)))
    lines = source.code.splitlines()
    assert lines[1] == "      %(total)" and lines[2] == "run = wandb.init(" and lines[7] == "    !y,"
    assert lines[10] == "%not a magic" and lines[12] == "pass"


def test_the_body_of_a_cell_magic_in_no_known_language_is_not_kept() -> None:
    source = read_notebook(notebook(("code", "%%writefile train.py\nDATA = '/home/ann/data.csv'\n")))
    assert source.code.splitlines() == ["get_ipython().run_cell_magic('writefile', 'train.py', '')", ""]


def test_a_notebook_in_another_language_is_not_read_as_python() -> None:
    r_cells = {"cells": [{"cell_type": "code", "source": "library(ggplot2)\nx <- c(1, 2)"}], "nbformat": 4}
    for metadata in ({"kernelspec": {"language": "R", "name": "ir"}}, {"language_info": {"name": "julia"}}):
        source = read_notebook(json.dumps({**r_cells, "metadata": metadata}))
        assert source.code == "" and source.language in ("R", "julia")
    python = {"language_info": {"name": "python", "version": "3.11"}, "kernelspec": {"language": "python"}}
    assert read_notebook(json.dumps({**r_cells, "metadata": python})).language == "python"
