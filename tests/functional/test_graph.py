"""`mldebt graph`: the project's import and data graph as Mermaid, DOT and node-link JSON."""

from __future__ import annotations

import json

import networkx as nx

PROJECT = {
    "pkg/__init__.py": "",
    "pkg/config.py": """
        import os
        DATA_DIR = "data"
        MODEL_PATH = os.path.join(DATA_DIR, "model.pkl")
    """,
    "pkg/prepare.py": """
        import pandas as pd
        frame = pd.read_csv("data/raw.csv")
        frame.to_csv("data/clean.csv")
    """,
    "pkg/train.py": """
        import os
        import joblib
        import pandas as pd
        from sklearn.linear_model import LogisticRegression
        from pkg.config import DATA_DIR, MODEL_PATH

        def main():
            frame = pd.read_csv(os.path.join(DATA_DIR, "clean.csv"))
            model = LogisticRegression()
            model.fit(frame[["a"]], frame["y"])
            joblib.dump(model, MODEL_PATH)
    """,
    "serve.py": """
        import joblib
        model = joblib.load("./data/model.pkl")
    """,
}


def test_json_is_node_link_data_that_networkx_loads_back(write, mldebt) -> None:
    write(PROJECT)
    outcome = mldebt("graph", "--format", "json")
    assert outcome.exit_code == 0
    graph = nx.node_link_graph(json.loads(outcome.stdout), edges="edges")
    assert isinstance(graph, nx.MultiDiGraph)
    # "data/clean.csv" and os.path.join(DATA_DIR, "clean.csv") with DATA_DIR imported: one node.
    assert graph.has_edge("module:pkg.prepare", "artifact:data/clean.csv")
    assert graph.has_edge("artifact:data/clean.csv", "module:pkg.train")
    assert graph.has_edge("module:pkg.train", "artifact:data/model.pkl")
    assert graph.has_edge("artifact:data/model.pkl", "module:serve")
    writes = [data for _, _, data in graph.edges(data=True) if data["kind"] == "writes" and data.get("call") == "joblib.dump"]
    assert [data["label"] for data in writes] == ["model"]
    assert graph.nodes["module:pkg.train"]["roles"] == ["trains"]
    assert graph.has_edge("module:pkg.train", "module:pkg.config")


def test_mermaid_is_the_default_and_draws_data_flow(write, mldebt) -> None:
    write(PROJECT)
    outcome = mldebt("graph")
    assert outcome.exit_code == 0
    lines = outcome.stdout.splitlines()
    assert lines[0] == "flowchart LR"
    ids = {line.split("[", 1)[0].strip(): line for line in lines[1:] if "[" in line and "--" not in line}
    by_label = {line.split('"')[1]: node for node, line in ids.items()}
    assert f"    {by_label['pkg/train.py (trains)']} -->|writes model| {by_label['data/model.pkl']}" in lines
    assert f"    {by_label['pkg/train.py (trains)']} -.-> {by_label['pkg/config.py']}" in lines
    # two names imported from one module: one arrow
    assert sum(1 for line in lines if line.endswith(f"-.-> {by_label['pkg/config.py']}")) == 1


def test_show_data_and_show_imports(write, mldebt) -> None:
    write(PROJECT)
    data = nx.node_link_graph(json.loads(mldebt("graph", "--format", "json", "--show", "data").stdout), edges="edges")
    assert {kind for _, _, kind in data.edges(data="kind")} == {"reads", "writes"}
    assert "module:pkg.config" not in data  # no reads or writes
    imports = nx.node_link_graph(json.loads(mldebt("graph", "--format", "json", "--show", "imports").stdout), edges="edges")
    assert {kind for _, _, kind in imports.edges(data="kind")} == {"imports"}
    assert not any(node.startswith("artifact:") for node in imports)


def test_dot_quotes_names_and_writes_to_a_file(write, mldebt, tmp_path) -> None:
    write({**PROJECT, 'odd "name".py': "import pandas as pd\npd.read_csv('a.csv')\n"})
    outcome = mldebt("graph", "--format", "dot", "--output", "graph.dot")
    assert outcome.exit_code == 0 and outcome.stdout == ""
    text = (tmp_path / "graph.dot").read_text()
    assert text.startswith("digraph mldebt {") and text.rstrip().endswith("}")
    assert '[label="odd \\"name\\".py", shape=box]' in text
    assert '"artifact:a.csv" -> "module:odd \\"name\\"" [label="reads"];' in text


def test_graph_survives_a_broken_file(write, mldebt) -> None:
    write({**PROJECT, "broken.py": "def f(:\n"})
    outcome = mldebt("graph", "--format", "json")
    assert outcome.exit_code == 0
    assert "module:pkg.train" in json.dumps(json.loads(outcome.stdout))


JUNGLE = {
    "a.py": "import pandas as pd\npd.read_csv('raw.csv').to_csv('one.csv')\n",
    "b.py": "import pandas as pd\npd.read_csv('one.csv').to_csv('two.csv')\n",
    "c.py": "import pandas as pd\npd.read_csv('two.csv').to_csv('three.csv')\n",
    "d.py": "import pandas as pd\n\nframe = pd.read_csv('three.csv')\n",
}


def test_paths_on_the_command_line_report_there_but_read_the_whole_project(write, mldebt) -> None:
    write(JUNGLE)
    whole = [f for f in mldebt("check", "--select", "MLD503", "--format", "json", "--no-cache").json()["findings"]]
    assert [(f["path"], f["line"]) for f in whole] == [("d.py", 3)]
    only_d = mldebt("check", "d.py", "--select", "MLD503", "--format", "json").json()["findings"]
    assert [(f["path"], f["line"], f["message"]) for f in only_d] == [(f["path"], f["line"], f["message"]) for f in whole]
    assert mldebt("check", "a.py", "b.py", "--select", "MLD503", "--format", "json").json()["findings"] == []
