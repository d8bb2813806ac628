"""Notebooks end to end: discovered, checked as one module, and every finding back in its cell."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import networkx as nx

from mldebt.notebooks import percent_notebook

ANALYSIS = """
# %% [markdown]
# # Churn analysis
# %%
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
%matplotlib inline
# %% [markdown]
# Load and shuffle
# %%
frame = pd.read_csv("data/clean.csv")
rows = frame.to_numpy()
np.random.shuffle(rows)
# %%
!pip install -q lightgbm
model = LogisticRegression(random_state=0).fit(rows[:, :-1], rows[:, -1])
if False:
    model = None
"""


def nb(text: str) -> str:
    """A notebook file from percent-format text."""
    return percent_notebook(textwrap.dedent(text).strip("\n") + "\n")[0]


def cells(*sources: tuple[str, str]) -> str:
    return json.dumps({"nbformat": 4, "cells": [{"cell_type": kind, "source": source} for kind, source in sources]})


def test_a_notebook_is_found_checked_and_its_findings_point_into_cells(write, mldebt) -> None:
    write({"analysis.ipynb": nb(ANALYSIS)})
    outcome = mldebt("check", "--format", "json", "--no-cache")
    found = {(f["code"], f["cell"], f["line"], f["column"]) for f in outcome.json()["findings"]}
    # Cells count from 1 over all cells, markdown included; lines and columns inside the cell.
    assert ("MLD801", 4, 3, 1) in found  # np.random.shuffle(rows), the 3rd line of the 4th cell
    assert ("MLD504", 5, 3, 1) in found  # if False:, after the masked `!pip` line
    text = mldebt("check", "--no-cache").stdout
    assert "analysis.ipynb:cell 4:3:1 MLD801 unseeded-randomness" in text
    assert "    np.random.shuffle(rows)" in text


def test_json_sarif_github_and_gitlab_say_where_in_the_notebook(write, mldebt) -> None:
    write({"analysis.ipynb": nb(ANALYSIS)})
    finding = next(f for f in mldebt("check", "--format", "json").json()["findings"] if f["code"] == "MLD801")
    assert (finding["cell"], finding["line"], finding["end_line"]) == (4, 3, 3)
    sarif = json.loads(mldebt("check", "--format", "sarif").stdout)
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "MLD801")
    region = result["locations"][0]["physicalLocation"]["region"]
    # The joined code cells: 4 lines of cell 2, then cell 4's third line is line 7.
    assert (region["startLine"], region["endLine"], region["startColumn"]) == (7, 7, 1)
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "analysis.ipynb"
    assert result["properties"]["cell"] == 4 and result["properties"]["cell_line"] == 3
    github = mldebt("check", "--format", "github").stdout
    assert "::warning file=analysis.ipynb,title=MLD801 unseeded-randomness::cell 4, line 3, col 1: " in github
    gitlab = json.loads(mldebt("check", "--format", "gitlab").stdout)
    assert any("cell 4, line 3: " in issue["description"] for issue in gitlab)


def test_noqa_in_a_cell_suppresses_on_its_line_only(write, mldebt) -> None:
    source = ANALYSIS.replace("np.random.shuffle(rows)", "np.random.shuffle(rows)  # noqa: MLD801")
    write({"analysis.ipynb": nb(source)})
    codes = {f["code"] for f in mldebt("check", "--format", "json", "--select", "MLD801,MLD504").json()["findings"]}
    assert "MLD801" not in codes and "MLD504" in codes
    write({"analysis.ipynb": nb(source.replace("if False:", "if False:  # noqa: MLD504"))})
    outcome = mldebt("check", "--format", "json", "--select", "MLD801,MLD504")
    assert outcome.json()["findings"] == [] and outcome.json()["summary"]["suppressed"] == 2


def test_an_unused_noqa_in_a_cell_is_reported_in_its_cell(write, mldebt) -> None:
    write({"eda.ipynb": cells(("markdown", "x"), ("code", "import pandas as pd\nx = 1  # noqa: MLD504"))})
    [finding] = mldebt("check", "--format", "json", "--select", "MLD002,MLD504").json()["findings"]
    assert (finding["code"], finding["cell"], finding["line"], finding["column"]) == ("MLD002", 2, 2, 8)


def test_broken_notebooks_are_mld001_and_the_run_goes_on(write, mldebt) -> None:
    write(
        {
            "invalid.ipynb": "{not json",
            "nocells.ipynb": '{"nbformat": 4, "metadata": {}}',
            "badsource.ipynb": json.dumps({"nbformat": 4, "cells": [{"cell_type": "code", "source": 42}]}),
            "python2.ipynb": cells(("markdown", "old"), ("code", "import os"), ("code", "x = 1\nprint 'hello'")),
            "dead.py": "if False:\n    old()\n",
        }
    )
    outcome = mldebt("check", "--format", "json")
    assert outcome.exit_code == 1
    found = {f["path"]: f for f in outcome.json()["findings"]}
    assert found["dead.py"]["code"] == "MLD504"
    assert "invalid notebook JSON" in found["invalid.ipynb"]["message"]
    assert "no `cells` list" in found["nocells.ipynb"]["message"]
    assert "cell 1: its source is not text" in found["badsource.ipynb"]["message"]
    assert all(found[name]["code"] == "MLD001" and "cell" not in found[name] for name in ("invalid.ipynb", "nocells.ipynb"))
    syntax = found["python2.ipynb"]
    assert (syntax["code"], syntax["cell"], syntax["line"]) == ("MLD001", 3, 2)
    assert "SyntaxError" in syntax["message"]


def test_ipython_syntax_and_notebook_idioms_are_not_findings(write, mldebt) -> None:
    source = """
    # %%
    %load_ext autoreload
    %autoreload 2
    import pandas as pd
    import asyncio
    # %%
    %%time
    frame = pd.read_csv("data.csv")
    # %%
    frame.describe?
    files = !ls data
    _ = frame.plot()
    display(frame)
    # %%
    result = await asyncio.sleep(0)
    frame.head()
    """
    write({"eda.ipynb": nb(source)})
    outcome = mldebt("check", "--format", "json", "--select", "MLD")
    assert outcome.json()["findings"] == []


def test_explicit_paths_gitignore_and_checkpoints(write, mldebt) -> None:
    dead = nb("# %%\nif False:\n    old()\n")
    write(
        {
            "a.ipynb": dead,
            "ignored/b.ipynb": dead,
            ".ipynb_checkpoints/a-checkpoint.ipynb": dead,
            ".gitignore": "ignored/\n",
        }
    )
    assert [f["path"] for f in mldebt("check", "--format", "json").json()["findings"]] == ["a.ipynb"]
    explicit = mldebt("check", "ignored/b.ipynb", "--format", "json").json()["findings"]
    assert [(f["path"], f["cell"], f["line"]) for f in explicit] == [("ignored/b.ipynb", 1, 1)]


def test_stdin_with_a_notebook_name(write, mldebt) -> None:
    outcome = mldebt("check", "-", "--stdin-filename", "eda.ipynb", "--format", "json", stdin=nb("# %%\nif False:\n    old()\n"))
    [finding] = outcome.json()["findings"]
    assert (finding["path"], finding["cell"], finding["line"]) == ("eda.ipynb", 1, 1)


def test_fingerprints_hold_when_cells_are_added_above(write, mldebt) -> None:
    write({"analysis.ipynb": nb(ANALYSIS)})
    before = {f["code"]: f["fingerprint"] for f in mldebt("check", "--format", "json").json()["findings"]}
    moved = ANALYSIS.replace("# %% [markdown]\n# # Churn", "# %%\nimport os\nprint(os.getcwd())\n# %% [markdown]\n# # Churn")
    write({"analysis.ipynb": nb(moved)})
    after = mldebt("check", "--format", "json").json()["findings"]
    assert {f["code"]: f["fingerprint"] for f in after} == before
    assert {f["code"]: f["cell"] for f in after}["MLD801"] == 5


def test_baseline_keeps_notebook_findings_across_moves(write, mldebt) -> None:
    write({"analysis.ipynb": nb(ANALYSIS)})
    assert mldebt("check", "--write-baseline", "base.json").exit_code in (0, 1)
    moved = ANALYSIS.replace("# %% [markdown]\n# Load", "# %%\nx = 1\n# %% [markdown]\n# Load")
    write({"analysis.ipynb": nb(moved)})
    assert mldebt("check", "--baseline", "base.json", "--format", "json").json()["findings"] == []


def test_a_warm_cache_gives_the_same_notebook_findings(write, mldebt) -> None:
    write({"analysis.ipynb": nb(ANALYSIS), "prep.py": "if False:\n    pass\n"})
    cold = mldebt("check", "--format", "json").json()["findings"]
    warm = mldebt("check", "--format", "json").json()["findings"]
    assert warm == cold and any("cell" in f for f in cold)


def test_notebooks_take_part_in_the_project_graph(write, mldebt) -> None:
    write(
        {
            "prepare.py": """
                import pandas as pd
                pd.read_csv("data/raw.csv").to_csv("data/clean.csv")
            """,
            "helpers.py": "def plot(frame):\n    return frame\n",
            "analysis.ipynb": nb(ANALYSIS.replace("!pip install -q lightgbm", "%run helpers.py")),
            "eda.ipynb": nb("# %%\nimport pandas as pd\n"),
            "eda.py": "import pandas as pd\n",
            "report.py": "import eda\n",
        }
    )
    outcome = mldebt("graph", "--format", "json")
    graph = nx.node_link_graph(json.loads(outcome.stdout), edges="edges")
    # A notebook that reads a file a script writes, and a notebook that runs a script.
    assert graph.has_edge("module:prepare", "artifact:data/clean.csv")
    assert graph.has_edge("artifact:data/clean.csv", "module:analysis")
    assert graph.has_edge("module:analysis", "module:helpers")
    # A notebook beside its own export: `import eda` is the `.py` file.
    assert graph.has_edge("module:report", "module:eda")
    assert graph.nodes["module:eda"]["path"] == "eda.py"
    assert graph.nodes["module:eda.ipynb"]["path"] == "eda.ipynb"


def test_a_notebook_may_be_larger_than_max_file_size_by_its_outputs(write, mldebt) -> None:
    dead = {"cell_type": "code", "source": "if False:\n    old()\n", "outputs": [{"data": {"image/png": "A" * 400}}]}
    write(
        {
            "mldebt.toml": "max-file-size = 100\n",
            "plots.ipynb": json.dumps({"nbformat": 4, "cells": [dead]}),
            "huge.ipynb": json.dumps({"nbformat": 4, "cells": [dead], "metadata": {"x": "B" * 1000}}),
        }
    )
    outcome = mldebt("check", "--format", "json")
    assert [f["path"] for f in outcome.json()["findings"]] == ["plots.ipynb"]
    assert [n["path"] for n in outcome.json()["notices"]] == ["huge.ipynb"]


def test_a_notebook_in_another_language_is_skipped_quietly(write, mldebt) -> None:
    r_notebook = {"nbformat": 4, "metadata": {"kernelspec": {"language": "R"}}, "cells": [{"cell_type": "code", "source": "x <- 1"}]}
    write({"analysis.ipynb": json.dumps(r_notebook)})
    outcome = mldebt("check", "--format", "json")
    assert outcome.exit_code == 0 and outcome.json()["findings"] == [] and outcome.json()["notices"] == []
