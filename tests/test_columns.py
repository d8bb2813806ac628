"""Column facts: which assignments create DataFrame columns, and when their frame carries them on."""

from __future__ import annotations

import textwrap

import pytest

from mldebt.analysis import analyse_source

HEAD = "import pandas as pd\nimport numpy as np\n"


def columns(code: str, path: str = "example.py") -> dict[str, bool]:
    """{column: carried} for the file."""
    result = analyse_source(HEAD + textwrap.dedent(code), path, [], False)
    assert result.facts is not None
    return {column.name: column.carried for column in result.facts.columns}


def test_item_assign_and_insert_on_a_read_frame() -> None:
    found = columns(
        """
        df = pd.read_csv("x.csv")
        df["a"] = 1
        df[["b", "c"]] = 0
        df.insert(0, "d", 2)
        df = df.assign(e=3, f=4)
        X = df[["a"]]
        """
    )
    assert found == {"a": False, "b": False, "c": False, "d": False, "e": False, "f": False}


def test_positions_are_the_creating_statement() -> None:
    result = analyse_source(HEAD + "df = pd.DataFrame()\ndf['x'] = 1\n", "m.py", [], False)
    assert result.facts is not None
    [column] = result.facts.columns
    assert (column.line, column.column) == (4, 1)


@pytest.mark.parametrize(
    "code",
    [
        'config = {}\nconfig["learning_rate"] = 0.1\n',
        'import os\nos.environ["CUDA_VISIBLE_DEVICES"] = "0"\n',
        'def f(batch):\n    batch["labels"] = batch["input_ids"]\n    return batch\n',
        'items = []\nitems.insert(0, "x")\n',
        'import tensorflow as tf\nv = tf.Variable(1)\nv.assign(2)\n',
        'def f(df):\n    df[f"col_{1}"] = 1\n',
        'frame = pd.read_csv("x")\nframe["not an identifier"] = 1\n',
    ],
)
def test_not_column_creations(code: str) -> None:
    assert columns(code) == {}


def test_a_frame_known_by_its_pandas_methods_or_its_annotation() -> None:
    found = columns(
        """
        def by_method(data):
            data = data.fillna(0)
            data["x"] = 1

        def by_annotation(table: pd.DataFrame):
            table["y"] = 1

        train = load()
        train["z"] = train.groupby("k").v.transform("mean")
        other = load()
        other["w"] = 1
        """
    )
    assert set(found) == {"x", "y", "z"}  # `other` shows nothing of a frame


def test_a_file_without_a_dataframe_library_only_counts_frame_names() -> None:
    result = analyse_source('def f(df, data):\n    df["a"] = 1\n    data["b"] = 2\n', "m.py", [], False)
    assert result.facts is not None
    assert [c.name for c in result.facts.columns] == ["a"]


@pytest.mark.parametrize(
    "use",
    [
        'model.fit(df, y)',
        'model.fit(df.drop(columns="target"), df.target)',
        'X = df.drop("target", axis=1)\nmodel.fit(X, y)',
        'X = df.values\nmodel.fit(X, y)',
        'df.to_csv("out.csv")',
        'df.reset_index().to_parquet("out.parquet")',
        'pd.concat([df, df]).to_csv("out.csv")',
        'helper(df)',
        'print(df.head())',
        'print(f"{df}")',
        'STORE["frame"] = df',
        'frames.append(df)',
        'df.pipe(report)',
        'X = np.hstack([df, df])\nmodel.fit(X)',
        'for name in df.columns:\n    plot(df[name])',
        'cols = [c for c in df.columns if c != "y"]\nmodel.fit(df[cols], df.y)',
        'model.fit(df.loc[df.a > 0], y)',
        'X_train, X_test = train_test_split(df)',
        'df.head()',
        'df',
        'df[:5]',
    ],
)
def test_carried_to_a_whole_frame_consumer(use: str) -> None:
    code = 'def f():\n    df = pd.read_csv("x.csv")\n    df["new"] = 1\n' + textwrap.indent(use, "    ") + "\n"
    assert columns(code) == {"new": True}


@pytest.mark.parametrize(
    "use",
    [
        'model.fit(df[["a", "b"]], df["y"])',
        'FEATURES = ["a", "b"]\nmodel.fit(df[FEATURES], df.y)',
        'df[["a"]].to_csv("out.csv")',
        'df.loc[:, ["a"]].to_csv("out.csv")',
        'print(len(df), df.shape)',
        'df.groupby("a")["b"].mean().to_csv("x.csv")',
        'if df.empty:\n    raise ValueError("empty")',
        'df.fillna(0, inplace=True)',
        'model.predict(df.a.values.reshape(-1, 1))',
    ],
)
def test_not_carried_when_only_columns_leave(use: str) -> None:
    code = 'def f():\n    df = pd.read_csv("x.csv")\n    df["new"] = 1\n' + textwrap.indent(use, "    ") + "\n"
    assert columns(code) == {"new": False}


def test_returned_mutated_parameter_global_and_attribute_frames_are_carried() -> None:
    found = columns(
        """
        def returned():
            frame = pd.read_csv("x")
            frame["r"] = 1
            return frame

        def parameter(df):
            df["p"] = 1

        GLOBAL_DF = pd.DataFrame()
        def global_frame():
            GLOBAL_DF["g"] = 1

        class Holder:
            def method(self):
                self.df["s"] = 1

        def yielded():
            for chunk in pd.read_csv("x", chunksize=10):
                chunk["c"] = 1
                yield chunk
        """
    )
    assert found == {"r": True, "p": True, "g": True, "s": True, "c": True}


def test_assign_follows_the_new_frame_not_the_receiver() -> None:
    found = columns(
        """
        def kept():
            df = pd.read_csv("x")
            out = df.assign(k=1)
            out.to_csv("y.csv")

        def dropped():
            df = pd.read_csv("x")
            unused = df.assign(d=1)
            df.to_csv("y.csv")

        def shown():
            df = pd.read_csv("x")
            df.assign(s=1)

        def passed():
            df = pd.read_csv("x")
            model.fit(df.assign(p=1))
        """
    )
    assert found == {"k": True, "d": False, "s": True, "p": True}


def test_aliases_through_loops_carry_the_column_to_the_original_frames() -> None:
    found = columns(
        """
        def loop():
            train = pd.read_csv("a")
            test = pd.read_csv("b")
            for frame in [train, test]:
                frame["x"] = 1
            model.fit(train, y)

        def loop_selected():
            train = pd.read_csv("a")
            for frame in [train]:
                frame["z"] = 1
            model.fit(train[["a"]], y)
        """
    )
    assert found == {"x": True, "z": False}


def test_module_level_frames_used_inside_functions() -> None:
    found = columns(
        """
        train = pd.read_csv("a")
        train["m"] = 1

        def fit():
            model.fit(train, y)
        """
    )
    assert found == {"m": True}
