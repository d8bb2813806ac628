"""MLD503 pipeline-jungle: scripts chained through intermediate files."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import cast

import networkx as nx

from mldebt import Finding, Invalid, Project, ProjectRule, Section, Severity, Valid
from mldebt.data_graph import DataGraph, Handoff, describe_chain, shown_artifact
from mldebt.knowledge.roles import ORCHESTRATOR_PACKAGES

# Chains are enumerated by a bounded search: a project whose scripts hand files to each other
# in very many ways still costs little, and the chains found are real (maybe not the longest).
_SEARCH_BUDGET = 50_000
# Inputs listed by name in a fan-in message; the rest are counted.
_LISTED_INPUTS = 6


class PipelineJungle(ProjectRule):
    """
    ## What it does
    Follows the data graph of the project — which module writes which file or table, and
    which module reads it — and reports scripts chained through intermediate artifacts:

    - a chain of 3 or more modules (configurable), each reading what the one before wrote
      (`prepare.py` writes `data/clean.csv`, `features.py` reads it and writes
      `data/features.csv`, `train.py` reads that). One finding per chain, at the read in its
      last module; only whole chains count (a chain that goes on into another module is
      reported where it ends, not at each module on the way), and when several chains end in
      one module, the longest is shown and the others counted;
    - a module that reads 4 or more artifacts that 3 or more other modules write (both
      configurable): the glue point of a jungle, reported at its first such read. Several
      files from one step (a model and its encoders, arrays of data, target and ids) are
      one step's output, not a jungle.

    Artifacts are the paths the analyzer resolves statically (literals, joins of constants,
    `__file__`-based paths, SQL tables); model registries (`models:/...`) and web URLs are
    declared interfaces, not intermediate files, and so is a model file handed from training
    to prediction (MLD202 undeclared-consumer watches who reads it): the jungle is the data
    preparation. A script that reads back what it has just written itself takes nothing from
    the others. Tests are left out. When the project uses a
    workflow orchestrator (it imports, or its dependency files list, Airflow, Kedro, DVC,
    Prefect, Dagster, Luigi, ZenML, Metaflow or Flyte), the finding is `info`: the steps may
    well be declared there.

    ## Why is this bad?
    Pipeline jungles (§5, ML-System Anti-Patterns) grow when data preparation is added
    one script at a time — scrape, join, sample, featurise — with intermediate files as
    the only interface: nobody can tell which step feeds which, detecting and recovering
    from a failure is manual, a change upstream breaks steps downstream silently, and
    testing the whole needs expensive end-to-end runs. The paper's remedy is to think
    about data collection and feature extraction holistically and declare the pipeline.

    ## Example
    ```python
    # prepare.py
    raw.dropna().to_csv("data/clean.csv")
    # features.py
    frame = pd.read_csv("data/clean.csv")
    add_ratios(frame).to_csv("data/features.csv")
    # train.py
    frame = pd.read_csv("data/features.csv")
    ```

    Use instead: one pipeline that declares its steps and their inputs and outputs, run by
    an orchestrator (a `dvc.yaml`, a Kedro/Prefect/Airflow pipeline) or at least by one
    entry point that calls the steps as functions and passes data in memory:
    ```python
    def pipeline(raw: pd.DataFrame) -> Model:
        frame = add_ratios(clean(raw))
        return train(frame)
    ```

    ## Options
    - `min-steps` (default `3`): the fewest modules in a reported chain.
    - `min-inputs` (default `4`): the fewest artifacts, written by other modules, that make
      one module a glue point.
    - `min-writers` (default `3`): the fewest other modules those artifacts come from.

    ## References
    - Sculley et al. (2015), §5 "ML-System Anti-Patterns", Pipeline Jungles
    """

    CODE = "MLD503"
    NAME = "pipeline-jungle"
    SEVERITY = Severity.WARNING
    SECTION = Section.PIPELINE_JUNGLES
    SUMMARY = "Scripts chained through intermediate files"
    MESSAGE = "{count} scripts are chained through intermediate files: {chain}{more}"

    @dataclass(frozen=True)
    class Options:
        min_steps: int = 3
        min_inputs: int = 4
        min_writers: int = 3

    VALID = [
        # Two steps: a script that prepares data and one that trains on it.
        Valid(
            'import pandas as pd\nframe = pd.read_csv("data/clean.csv")\n',
            path="train.py",
            files={"prepare.py": 'import pandas as pd\npd.read_csv("raw.csv").dropna().to_csv("data/clean.csv")\n'},
        ),
        # One entry point calls the steps as functions and passes the data in memory.
        Valid(
            """
            from features import add_ratios
            from prepare import clean
            from train import fit
            def pipeline(raw):
                return fit(add_ratios(clean(raw)))
            """,
            path="pipeline.py",
            files={
                "prepare.py": "def clean(raw):\n    return raw.dropna()\n",
                "features.py": "def add_ratios(frame):\n    return frame.assign(r=frame.a / frame.b)\n",
                "train.py": "def fit(frame):\n    return model.fit(frame)\n",
            },
        ),
        # Paths given on the command line cannot be followed: nothing is guessed.
        Valid(
            'import sys\nimport pandas as pd\nframe = pd.read_csv(sys.argv[1])\n',
            path="train.py",
            files={
                "prepare.py": 'import sys\nimport pandas as pd\npd.read_csv(sys.argv[1]).to_csv(sys.argv[2])\n',
                "features.py": 'import sys\nimport pandas as pd\npd.read_csv(sys.argv[1]).to_csv(sys.argv[2])\n',
            },
        ),
        # The model goes through a registry: a declared interface, not an intermediate file.
        Valid(
            'import mlflow\nmodel = mlflow.pyfunc.load_model("models:/churn/3")\n',
            path="serve.py",
            files={
                "prepare.py": 'import pandas as pd\npd.read_csv("raw.csv").to_csv("clean.csv")\n',
                "train.py": 'import pandas as pd\nframe = pd.read_csv("clean.csv")\n',
            },
        ),
        # A test reads what the scripts write: tests are not pipeline steps.
        Valid(
            'import pandas as pd\ndef test_features():\n    assert not pd.read_csv("features.csv").empty\n',
            path="tests/test_features.py",
            files={
                "prepare.py": 'import pandas as pd\npd.read_csv("raw.csv").to_csv("clean.csv")\n',
                "features.py": 'import pandas as pd\npd.read_csv("clean.csv").to_csv("features.csv")\n',
            },
        ),
        # Four files from one training script: the parts of one model, not a jungle.
        Valid(
            """
            import joblib
            encoder = joblib.load("models/encoder.pkl")
            scaler = joblib.load("models/scaler.pkl")
            columns = joblib.load("models/columns.pkl")
            model = joblib.load("models/model.pkl")
            """,
            path="predict.py",
            files={
                "train.py": (
                    "import joblib\n"
                    'joblib.dump(encoder, "models/encoder.pkl")\njoblib.dump(scaler, "models/scaler.pkl")\n'
                    'joblib.dump(columns, "models/columns.pkl")\njoblib.dump(model, "models/model.pkl")\n'
                )
            },
        ),
        # Train, score, serve: a model file is the interface between training and prediction.
        Valid(
            'import pandas as pd\nscores = pd.read_sql("SELECT * FROM churn_scores", con)\n',
            path="api.py",
            files={
                "train.py": 'import joblib\nimport pandas as pd\nframe = pd.read_csv("abt.csv")\njoblib.dump(model, "model.pkl")\n',
                "score.py": (
                    "import joblib\nmodel = joblib.load(\"model.pkl\")\n"
                    'frame.assign(score=model.predict(frame)).to_sql("churn_scores", con)\n'
                ),
            },
        ),
        # The same file name in unrelated script folders: each script runs in its own folder.
        Valid(
            'import pandas as pd\nframe = pd.read_csv("features.csv")\n',
            path="chapter_3/train.py",
            files={
                "chapter_1/prepare.py": 'import pandas as pd\npd.read_csv("raw.csv").to_csv("clean.csv")\n',
                "chapter_2/features.py": 'import pandas as pd\npd.read_csv("clean.csv").to_csv("features.csv")\n',
            },
        ),
    ]
    INVALID = [
        Invalid(
            'import pandas as pd\nframe = pd.read_csv("data/features.csv")\n',
            path="train.py",
            line=2,
            column=9,
            message=(
                "3 scripts are chained through intermediate files: `prepare.py` writes `data/clean.csv` → "
                "`features.py` reads it, writes `data/features.csv` → `train.py` reads it"
            ),
            files={
                "prepare.py": 'import pandas as pd\npd.read_csv("raw.csv").dropna().to_csv("data/clean.csv")\n',
                "features.py": (
                    "import pandas as pd\n"
                    'frame = pd.read_csv("data/clean.csv")\nframe.assign(r=frame.a / frame.b).to_csv("data/features.csv")\n'
                ),
            },
        ),
        # A longer chain is reported once, where it ends; paths are joined from a config module.
        Invalid(
            """
            import os
            import pandas as pd
            from config import DATA_DIR
            frame = pd.read_parquet(os.path.join(DATA_DIR, "features.parquet"))
            """,
            path="pipeline/train.py",
            line=4,
            files={
                "pipeline/config.py": 'DATA_DIR = "data"\nMODEL_DIR = "models"\n',
                "pipeline/ingest.py": (
                    "import os\nimport pandas as pd\nfrom config import DATA_DIR\n"
                    'pd.read_sql("SELECT * FROM events", con).to_parquet(os.path.join(DATA_DIR, "events.parquet"))\n'
                ),
                "pipeline/clean.py": (
                    "import pandas as pd\n"
                    'frame = pd.read_parquet("data/events.parquet")\nframe.dropna().to_parquet("data/clean.parquet")\n'
                ),
                "pipeline/features.py": (
                    "import pandas as pd\n"
                    'frame = pd.read_parquet("data/clean.parquet")\nframe.to_parquet("data/features.parquet")\n'
                ),
            },
        ),
        # Through database tables written and read with SQL.
        Invalid(
            'import pandas as pd\nabt = pd.read_sql("SELECT * FROM abt_churn", con)\n',
            path="train.py",
            files={
                "load.py": 'con.execute("INSERT INTO raw_orders SELECT * FROM staging_orders")\n',
                "build_abt.py": 'con.execute("CREATE TABLE abt_churn AS SELECT * FROM raw_orders")\n',
            },
        ),
        # `__file__`-anchored paths and a package's modules meet in one folder.
        Invalid(
            """
            from pathlib import Path
            import pandas as pd
            DATA = Path(__file__).resolve().parents[2] / "data"
            frame = pd.read_csv(DATA / "features.csv")
            """,
            path="src/churn/train.py",
            line=4,
            files={
                "src/churn/__init__.py": "",
                "src/churn/prepare.py": 'import pandas as pd\npd.read_csv("data/raw.csv").to_csv("data/clean.csv")\n',
                "src/churn/features.py": 'import pandas as pd\npd.read_csv("data/clean.csv").to_csv("data/features.csv")\n',
            },
        ),
        # A glue module reading what four other scripts write.
        Invalid(
            """
            import pandas as pd
            users = pd.read_pickle("../features/users.p")
            items = pd.read_pickle("../features/items.p")
            orders = pd.read_pickle("../features/orders.p")
            times = pd.read_pickle("../features/times.p")
            """,
            path="py_model/concat.py",
            line=2,
            files={
                "py_feature/users.py": 'import pandas as pd\nframe.to_pickle("../features/users.p")\n',
                "py_feature/items.py": 'import pandas as pd\nframe.to_pickle("../features/items.p")\n',
                "py_feature/orders.py": (
                    'import pandas as pd\nframe.to_pickle("../features/orders.p")\nframe.to_pickle("../features/times.p")\n'
                ),
            },
        ),
    ]

    def check(self, project: Project) -> Iterator[Finding]:
        options = cast(PipelineJungle.Options, self.options)
        data = DataGraph(project)
        handoffs = data.module_handoffs(_carries_data)
        if not handoffs:
            return
        orchestrated = uses_orchestrator(project)
        chains = _chains_by_last_module(data, handoffs, options.min_steps)
        inputs = _inputs_by_module(data, handoffs)
        for module in sorted(set(chains) | set(inputs), key=data.path):
            found, ended = chains.get(module, ([], 0))
            glue = inputs.get(module, [])
            writers = {handoff.write.module for handoff in glue}
            is_glue = len({handoff.write.artifact for handoff in glue}) >= options.min_inputs and len(writers) >= options.min_writers
            if found:
                hops = [handoffs[(found[index], found[index + 1])] for index in range(len(found) - 1)]
                read = min((handoff.read for handoff in hops[-1]), key=lambda access: (access.line, access.column))
                more = f"; {ended - 1} more chains end here" if ended > 2 else "; 1 more chain ends here" if ended == 2 else ""
                if is_glue:
                    more += f"; it reads {_glue(data, glue)}"
                finding = self.finding(
                    data.path(module), read.line, read.column, count=len(found), chain=describe_chain(data, hops), more=more
                )
            elif is_glue:
                read = min((handoff.read for handoff in glue), key=lambda access: (access.line, access.column))
                message = f"`{data.path(module)}` glues together the outputs of other scripts: it reads {_glue(data, glue)}"
                finding = self.finding(data.path(module), read.line, read.column, message=message)
            else:
                continue
            yield replace(finding, severity=Severity.INFO) if orchestrated else finding


def _carries_data(handoff: Handoff) -> bool:
    """A model file handed from training to prediction is the usual interface between two
    steps (MLD202 undeclared-consumer watches who reads it), not data preparation."""
    return handoff.write.label != "model"


def _chains_by_last_module(
    data: DataGraph, handoffs: dict[tuple[str, str], list[Handoff]], min_steps: int
) -> dict[str, tuple[list[str], int]]:
    """For each module where a maximal chain of `min_steps` or more modules ends: the longest
    such chain (then the first by paths) and how many distinct chains end there."""
    graph = nx.DiGraph()
    graph.add_edges_from(handoffs)
    order = {node: data.path(node) for node in graph}
    starts = [node for node in graph if graph.in_degree(node) == 0]
    condensation = nx.condensation(graph)
    for component in condensation:
        members = condensation.nodes[component]["members"]
        if condensation.in_degree(component) == 0 and len(members) > 1:
            starts.append(min(members, key=order.__getitem__))  # a loop with no way in: followed once around
    best: dict[str, list[str]] = {}
    counts: dict[str, set[tuple[str, ...]]] = {}
    budget = _SEARCH_BUDGET
    for start in sorted(starts, key=order.__getitem__):
        stack: list[tuple[list[str], list[str]]] = [([start], sorted(graph.successors(start), key=order.__getitem__))]
        while stack and budget > 0:
            budget -= 1
            path, pending = stack[-1]
            on_path = set(path)
            extended = False
            while pending:
                successor = pending.pop(0)
                if successor not in on_path:
                    following = sorted(graph.successors(successor), key=order.__getitem__)
                    stack.append((path + [successor], following))
                    extended = True
                    break
            if extended:
                continue
            stack.pop()
            if any(successor not in on_path for successor in graph.successors(path[-1])) or len(path) < min_steps:
                continue  # not the end of a chain: recorded where it ends
            last = path[-1]
            counts.setdefault(last, set()).add(tuple(path))
            current = best.get(last)
            if current is None or _rank(path, order) < _rank(current, order):
                best[last] = path
    return {last: (path, len(counts[last])) for last, path in best.items()}


def _rank(path: list[str], order: dict[str, str]) -> tuple[int, list[str]]:
    """Longer chains first, then the first by module paths."""
    return -len(path), [order[node] for node in path]


def _inputs_by_module(data: DataGraph, handoffs: dict[tuple[str, str], list[Handoff]]) -> dict[str, list[Handoff]]:
    """Reader -> the handoffs into it (each artifact once, from its first writer by path)."""
    result: dict[str, dict[str, Handoff]] = {}
    for (_, reader), between in sorted(handoffs.items(), key=lambda item: (data.path(item[0][0]), data.path(item[0][1]))):
        for handoff in between:
            result.setdefault(reader, {}).setdefault(handoff.write.artifact, handoff)
    return {
        reader: sorted(by_artifact.values(), key=lambda handoff: (handoff.read.line, handoff.read.column))
        for reader, by_artifact in result.items()
    }


def _glue(data: DataGraph, glue: list[Handoff]) -> str:
    writers = {handoff.write.module for handoff in glue}
    shown = [f"{shown_artifact(handoff.write.artifact)} (from `{data.path(handoff.write.module)}`)" for handoff in glue]
    listed = ", ".join(shown[:_LISTED_INPUTS]) + (f" and {len(shown) - _LISTED_INPUTS} more" if len(shown) > _LISTED_INPUTS else "")
    return f"{len(shown)} artifacts that {len(writers)} other modules write: {listed}"


def uses_orchestrator(project: Project) -> bool:
    """The project imports a workflow orchestrator, or its dependency files list one."""
    for facts in project.modules():
        if any(fact.module.split(".", 1)[0] in ORCHESTRATOR_PACKAGES for fact in facts.imports if fact.level == 0):
            return True
    for dependency_file in project.dependency_files:
        for requirement in dependency_file.requirements:
            name = requirement.name.lower().replace("_", "-").removeprefix("apache-")
            if name in ORCHESTRATOR_PACKAGES or name.split("-", 1)[0] in ORCHESTRATOR_PACKAGES:
                return True
    return False
