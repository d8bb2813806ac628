"""Artifact extraction and path resolution: what the data half of the project graph is made of."""

from __future__ import annotations

import textwrap

import pytest

from mldebt.artifacts import normalise, sql_tables
from mldebt.project import Project
from mldebt.runner import check_sources


def project_of(files: dict[str, str]) -> Project:
    result = check_sources({path: textwrap.dedent(text).lstrip("\n") for path, text in files.items()}, [])
    assert not result.errors
    assert result.project is not None
    return result.project


def accesses(files: dict[str, str]) -> set[tuple[str, str, str, int]]:
    """(mode, node, module path, line) of every access in the graph."""
    project = project_of(files)
    found = set()
    for node, kind in project.graph.nodes(data="kind"):
        if kind == "module":
            continue
        for module, data in project.writers(node):
            found.add(("write", node, project.graph.nodes[module]["path"], data["line"]))
        for module, data in project.readers(node):
            found.add(("read", node, project.graph.nodes[module]["path"], data["line"]))
    return found


def nodes(files: dict[str, str]) -> set[str]:
    return {node for _, node, _, _ in accesses(files)}


def labels(files: dict[str, str]) -> dict[str, str]:
    """artifact node -> label of its (last) write."""
    project = project_of(files)
    return {
        node: data["label"]
        for node, kind in project.graph.nodes(data="kind")
        if kind != "module"
        for _, data in project.writers(node)
    }


# --- Path resolution ----------------------------------------------------------------------


def test_a_string_literal() -> None:
    assert accesses({"train.py": 'import pandas as pd\nframe = pd.read_csv("./data//train.csv")\n'}) == {
        ("read", "artifact:data/train.csv", "train.py", 2)
    }


def test_os_path_join_with_a_constant_imported_from_a_config_module() -> None:
    files = {
        "config.py": 'DATA_DIR = "data"\n',
        "train.py": "import os\nimport pandas as pd\nfrom config import DATA_DIR\npd.read_csv(os.path.join(DATA_DIR, 'x.csv'))\n",
    }
    assert nodes(files) == {"artifact:data/x.csv"}


def test_a_constant_reached_as_an_attribute_of_an_imported_module() -> None:
    files = {
        "settings.py": 'import os\nROOT = "output"\nMODELS = os.path.join(ROOT, "models")\n',
        "train.py": "import joblib\nimport settings\njoblib.dump(model, settings.MODELS + '/model.pkl')\n",
    }
    assert nodes(files) == {"artifact:output/models/model.pkl"}


def test_pathlib_division_and_joinpath() -> None:
    files = {
        "train.py": """
            from pathlib import Path
            import pandas as pd
            DATA = Path("data")
            pd.read_parquet(DATA / "raw" / "events.parquet")
            pd.read_parquet(DATA.joinpath("clean", "events.parquet"))
            """
    }
    assert nodes(files) == {"artifact:data/raw/events.parquet", "artifact:data/clean/events.parquet"}


def test_f_strings_without_holes_resolve_and_with_unknown_holes_do_not() -> None:
    files = {
        "train.py": """
            import pandas as pd
            DATA = "data"
            NAME = "train"
            pd.read_csv(f"{DATA}/{NAME}.csv")
            pd.read_csv(f"{DATA}/fold_{fold}.csv")
            """
    }
    assert nodes(files) == {"artifact:data/train.csv"}


def test_percent_and_format_with_known_arguments() -> None:
    files = {
        "config.py": 'ROOT_DIR = ".."\nDATA_DIR = "%s/Data" % ROOT_DIR\nTRAIN_DATA = "%s/train.csv" % DATA_DIR\n',
        "prepare.py": """
            import pandas as pd
            import config
            pd.read_csv(config.TRAIN_DATA)
            pd.read_csv("{}/test.csv".format(config.DATA_DIR))
            pd.read_csv("{root}/x_{}.csv".format(fold, root=config.DATA_DIR))
            """,
    }
    assert nodes(files) == {"artifact:../Data/train.csv", "artifact:../Data/test.csv"}


def test_path_of_this_file_and_its_parents_are_anchored_at_the_project_root() -> None:
    files = {
        "src/churn/__init__.py": "",
        "src/churn/paths.py": """
            import os
            from pathlib import Path
            HERE = Path(__file__).parent
            ROOT = Path(__file__).resolve().parents[2]
            BASE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
            """,
        "src/churn/train.py": """
            import pandas as pd
            from churn.paths import BASE, HERE, ROOT
            pd.read_csv(HERE / "schema.csv")
            pd.read_csv(ROOT / "data" / "train.csv")
            pd.read_csv(BASE + "/raw.csv")
            """,
    }
    assert nodes(files) == {"artifact:src/churn/schema.csv", "artifact:data/train.csv", "artifact:src/raw.csv"}


def test_sql_tables_read_and_written() -> None:
    files = {
        "etl.py": """
            import pandas as pd
            con.execute("INSERT INTO features SELECT * FROM raw.events e JOIN users u ON e.id = u.id")
            frame = pd.read_sql(f"SELECT * FROM features WHERE day = '{day}'", con)
            frame.to_sql("scores", con)
            pd.read_sql_table("scores", con)
            """
    }
    assert accesses(files) == {
        ("read", "table:raw.events", "etl.py", 2),
        ("read", "table:users", "etl.py", 2),
        ("write", "table:features", "etl.py", 2),
        ("read", "table:features", "etl.py", 3),
        ("write", "table:scores", "etl.py", 4),
        ("read", "table:scores", "etl.py", 5),
    }


def test_sql_table_names_cut_by_a_placeholder_are_not_tables() -> None:
    assert sql_tables("SELECT * FROM events_{} JOIN {}.users ON 1 = 1") == ([], [])
    assert sql_tables("SELECT * FROM events WHERE day = {}") == (["events"], [])


def test_the_same_file_written_as_a_literal_and_joined_from_an_imported_constant_is_one_node() -> None:
    files = {
        "config.py": 'DATA_DIR = "data"\n',
        "prepare.py": 'import pandas as pd\npd.read_csv("raw.csv").to_csv("data/x.csv")\n',
        "train.py": "import os\nimport pandas as pd\nfrom config import DATA_DIR\nframe = pd.read_csv(os.path.join(DATA_DIR, 'x.csv'))\n",
    }
    project = project_of(files)
    artifacts = [node for node, kind in project.graph.nodes(data="kind") if kind == "artifact"]
    assert sorted(artifacts) == ["artifact:data/x.csv", "artifact:raw.csv"]
    assert [project.graph.nodes[module]["path"] for module, _ in project.writers("artifact:data/x.csv")] == ["prepare.py"]
    assert [project.graph.nodes[module]["path"] for module, _ in project.readers("artifact:data/x.csv")] == ["train.py"]


def test_a_constant_imported_from_the_importing_files_own_folder() -> None:
    files = {
        "pipeline/config.py": 'from pathlib import Path\nMODELS = Path("models")\n',
        "pipeline/train.py": "import joblib\nfrom config import MODELS\njoblib.dump(model, MODELS / 'model.pkl')\n",
    }
    assert nodes(files) == {"artifact:pipeline/models/model.pkl"}


def test_a_constant_re_exported_by_a_package() -> None:
    files = {
        "pkg/__init__.py": "from pkg.paths import DATA\n",
        "pkg/paths.py": 'DATA = "data/frame.parquet"\n',
        "pkg/train.py": "import pandas as pd\nfrom pkg import DATA\npd.read_parquet(DATA)\n",
    }
    assert nodes(files) == {"artifact:data/frame.parquet"}


def test_class_attributes_hold_paths() -> None:
    files = {
        "train.py": """
            import pandas as pd
            class CFG:
                train_path = "../input/train.csv"
            frame = pd.read_csv(CFG.train_path)
            """
    }
    assert nodes(files) == {"artifact:../input/train.csv"}


def test_straight_line_rebinding_takes_the_value_in_effect() -> None:
    files = {
        "train.py": """
            import os
            import pandas as pd
            BASE = os.path.join(os.path.abspath("."), "src")
            BASE = "data"
            pd.read_csv(os.path.join(BASE, "a.csv"))
            if __name__ == "__main__":
                path = "first.csv"
                pd.read_csv(path)
                path = "second.csv"
                pd.read_csv(path)
            """
    }
    assert accesses(files) == {
        ("read", "artifact:data/a.csv", "train.py", 5),
        ("read", "artifact:first.csv", "train.py", 8),
        ("read", "artifact:second.csv", "train.py", 10),
    }


def test_a_name_bound_under_a_condition_is_unknown() -> None:
    files = {
        "train.py": """
            import pandas as pd
            path = "a.csv"
            if debug:
                path = "small.csv"
            pd.read_csv(path)
            """
    }
    assert nodes(files) == set()


def test_paths_from_the_command_line_or_the_environment_are_ignored() -> None:
    files = {
        "train.py": """
            import os
            import sys
            import pandas as pd
            pd.read_csv(sys.argv[1])
            pd.read_csv(os.environ["DATA"])
            pd.read_csv(os.path.join(args.data_dir, "x.csv"))
            """
    }
    assert nodes(files) == set()


# --- Where relative paths point -------------------------------------------------------------


def test_scripts_side_by_side_share_relative_paths() -> None:
    files = {
        "jobs/prepare.py": 'import pandas as pd\npd.read_csv("raw.csv").to_csv("clean.csv")\n',
        "jobs/train.py": 'import pandas as pd\nframe = pd.read_csv("clean.csv")\n',
    }
    assert nodes(files) == {"artifact:jobs/raw.csv", "artifact:jobs/clean.csv"}


def test_scripts_in_unrelated_deep_folders_do_not_share_a_relative_name() -> None:
    files = {
        "course/week_1/train.py": 'import joblib\njoblib.dump(model, "model.bin")\n',
        "course/week_4/serve.py": 'import joblib\nmodel = joblib.load("model.bin")\n',
    }
    assert nodes(files) == {"artifact:course/week_1/model.bin", "artifact:course/week_4/model.bin"}


def test_a_parent_relative_path_starts_from_the_scripts_folder() -> None:
    files = {
        "src/create_folds.py": 'import pandas as pd\npd.read_csv("../input/train.csv").to_csv("../input/folds.csv")\n',
        "src/__init__.py": "",
        "src/train.py": 'import pandas as pd\nframe = pd.read_csv("input/folds.csv")\n',
    }
    assert nodes(files) == {"artifact:input/train.csv", "artifact:input/folds.csv"}


def test_a_package_module_runs_from_the_folder_that_holds_the_package() -> None:
    files = {
        "src/churn/__init__.py": "",
        "src/churn/data/__init__.py": "",
        "src/churn/data/load.py": 'import pandas as pd\nframe = pd.read_csv("data/raw.csv")\n',
    }
    assert nodes(files) == {"artifact:data/raw.csv"}


def test_absolute_paths_and_uris_stay_as_they_are() -> None:
    files = {
        "etl.py": """
            import pandas as pd
            pd.read_parquet("/mnt/datalake/events")
            pd.read_parquet("s3://bucket/raw//events.parquet")
            """
    }
    assert nodes(files) == {"artifact:/mnt/datalake/events", "artifact:s3://bucket/raw/events.parquet"}


def test_normalise() -> None:
    assert normalise("./data//x.csv") == "data/x.csv"
    assert normalise("data\\x.csv") == "data/x.csv"
    assert normalise("S3://bucket/a/../b") == "s3://bucket/b"
    assert normalise(".") is None
    assert normalise("") is None


# --- Reads, writes and helpers ----------------------------------------------------------------


def test_files_opened_in_a_with_block_and_handed_to_a_reader_or_writer() -> None:
    files = {
        "train.py": """
            import json
            import pickle
            with open("models/model.pkl", "wb") as handle:
                pickle.dump(model, handle)
            with open("config.json") as handle:
                settings = json.load(handle)
            """
    }
    assert accesses(files) == {
        ("write", "artifact:models/model.pkl", "train.py", 3),
        ("read", "artifact:config.json", "train.py", 5),
    }


def test_a_modules_own_helper_that_reads_or_writes_the_path_it_is_given() -> None:
    files = {
        "train.py": """
            import pickle
            import pandas as pd
            def read_dataframe(filename):
                return pd.read_parquet(filename)
            def dump_pickle(obj, filename):
                with open(filename, "wb") as f_out:
                    pickle.dump(obj, f_out)
            def save(obj, name):
                dump_pickle(obj, name)
            frame = read_dataframe("data/train.parquet")
            model = make_model().fit(frame, frame.y)
            save(model, "models/model.pkl")
            """
    }
    assert accesses(files) == {
        ("read", "artifact:data/train.parquet", "train.py", 10),
        ("write", "artifact:models/model.pkl", "train.py", 12),
    }
    assert labels(files) == {"artifact:models/model.pkl": "model"}


def test_h5py_files_are_read_or_written_by_their_mode() -> None:
    files = {"a.py": 'import h5py\nh5py.File("x.h5", "w")\nh5py.File("y.h5")\n'}
    assert accesses(files) == {("write", "artifact:x.h5", "a.py", 2), ("read", "artifact:y.h5", "a.py", 3)}


# --- Labels -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ('model = RandomForestClassifier().fit(X, y)\njoblib.dump(model, "out.pkl")', "model"),
        ('model = train(X)\nmodel.fit(X, y)\njoblib.dump({"model": model, "features": cols}, "out.pkl")', "model"),
        ('lr.fit(X, y)\npickle.dump((vectorizer, lr), open("out.pkl", "wb"))', "model"),
        ('torch.save(net.state_dict(), "out.pkl")', "model"),
        ('frame["score"] = model.predict_proba(frame[cols])[:, 1]\nframe.to_csv("out.pkl")', "predictions"),
        ('pd.DataFrame({"id": ids, "target": clf.predict(X)}).to_csv("out.pkl")', "predictions"),
        ('scores.to_sql("out.pkl", con)\nscores = model.predict(X)', "data"),
        ('frame["segment"] = kmeans.predict(frame)\nframe.to_csv("out.pkl")', "data"),
        ('frame["cluster"] = KMeans(4).fit(frame).predict(frame)\nframe.to_csv("out.pkl")', "data"),
        ('auc = roc_auc_score(y, model.predict_proba(X)[:, 1])\njson.dump({"auc": auc}, open("out.pkl", "w"))', "data"),
        ('frame.to_csv("out.pkl")', "data"),
    ],
)
def test_what_a_write_carries(code: str, label: str) -> None:
    header = (
        "import json\nimport pickle\nimport joblib\nimport torch\nimport pandas as pd\n"
        "from sklearn.cluster import KMeans\nfrom sklearn.ensemble import RandomForestClassifier\n"
        "from sklearn.metrics import roc_auc_score\n"
    )
    found = labels({"a.py": header + code + "\n"})
    node = next(node for node in found if node.endswith("out.pkl"))
    assert found[node] == label


def test_a_helper_that_returns_predictions_makes_its_callers_value_predictions() -> None:
    files = {
        "predict.py": """
            import joblib
            import pandas as pd
            def predict(frame):
                model = joblib.load("models/model.pkl")
                return pd.DataFrame({"id": frame.id, "target": model.predict(frame)})
            submission = predict(pd.read_csv("data/test.csv"))
            submission.to_csv("submission.csv")
            """
    }
    assert labels(files)["artifact:submission.csv"] == "predictions"


def test_training_scopes_are_facts() -> None:
    project = project_of(
        {
            "train.py": """
                def fit(frame):
                    return model.fit(frame, frame.y)
                def loop(net, loader):
                    for batch in loader:
                        net(batch).sum().backward()
                        optimizer.step()
                model.fit(X, y)
                """
        }
    )
    assert project.facts["train.py"].training_scopes == ("", "fit", "loop")
