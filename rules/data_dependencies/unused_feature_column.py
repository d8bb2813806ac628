"""MLD303 unused-feature-column: a DataFrame column created and mentioned nowhere else."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from mldebt import FileFacts, Finding, Invalid, Project, ProjectRule, Section, Severity, Valid
from mldebt.context import is_test_path
from mldebt.facts import ColumnCreation


class UnusedFeatureColumn(ProjectRule):
    """
    ## What it does
    Finds DataFrame columns that first-party code creates — `df["x"] = ...`,
    `df.assign(x=...)`, `df.insert(i, "x", ...)` — and that nothing else in the
    project mentions: no string literal, attribute (`df.x`), keyword or column
    list anywhere holds the name `x` again.

    A column is used all the same when its frame may carry it whole to a
    consumer of every column: passed without a column selection to a model's
    `fit`/`predict`/`transform`, to a writer (`to_csv`, `to_parquet`, …), to
    any other function (a helper, `print`), returned, stored on an object, or
    mutated in place when the frame is a parameter or a global — then the
    caller, or a module that imports this one, may use it. Frames derived
    from it (`df.drop(columns="y")`, `pd.concat([df, other])`, `df.values`)
    carry it too; `df[["a", "b"]]`, `df["a"]` and `df.a` select columns and do
    not. When the analysis is unsure, the column counts as carried, so only
    columns whose frame provably stays inside its function are reported.
    Columns of a module that another module imports as a whole
    (`import features`, `from features import train_df`) count as carried;
    tests are not checked. Only columns named by an identifier-like string are
    followed.

    ## Why is this bad?
    The paper (§3, Underutilized Data Dependencies) calls these legacy and
    bundled features: inputs that were added once and no longer earn their
    keep, but still have to be computed, fed, and kept correct. A column made
    and never read costs work on every run and misleads the next reader about
    what the model uses.

    ## Example
    ```python
    train = pd.read_csv("train.csv")
    train["ratio"] = train.clicks / train.views
    train["legacy_score"] = train.clicks * 0.3  # read by nothing
    model.fit(train[["clicks", "views", "ratio"]], train.target)
    ```

    Use instead: delete the column (and whatever feeds it), or use it:
    ```python
    train = pd.read_csv("train.csv")
    train["ratio"] = train.clicks / train.views
    model.fit(train[["clicks", "views", "ratio"]], train.target)
    ```

    ## References
    - Sculley et al. (2015), §3 "Data Dependencies Cost More than Code Dependencies", Underutilized Data Dependencies
    """

    CODE = "MLD303"
    NAME = "unused-feature-column"
    SEVERITY = Severity.INFO
    SECTION = Section.UNDERUTILIZED_DATA_DEPENDENCIES
    SUMMARY = "A DataFrame column created and mentioned nowhere else in the project"
    MESSAGE = (
        "column `{name}` is created here{again} but nothing else in the project mentions it, and its frame "
        "never reaches a model or a writer whole: a feature nobody uses"
    )

    VALID = [
        # Selected by name in another module: used.
        Valid(
            """
            import pandas as pd
            def load():
                frame = pd.read_csv("raw.csv")
                frame["ratio"] = frame.clicks / frame.views
                frame.to_parquet("features.parquet")
            """,
            path="pipeline/features.py",
            files={"pipeline/train.py": 'import pandas as pd\nX = pd.read_parquet("features.parquet")[["ratio"]]\n'},
        ),
        # Mentioned nowhere else, but the frame is fitted on whole.
        Valid(
            """
            import pandas as pd
            from sklearn.linear_model import LinearRegression
            train = pd.read_csv("train.csv")
            train["clicks_squared"] = train.clicks ** 2
            X = train.drop(columns="target")
            LinearRegression().fit(X, train.target)
            """
        ),
        # A helper that adds columns to its caller's frame, or returns it: the caller decides.
        Valid(
            """
            import pandas as pd
            def add_features(df):
                df["hour"] = df.timestamp.dt.hour

            def with_weekday(frame: pd.DataFrame) -> pd.DataFrame:
                return frame.assign(weekday=frame.timestamp.dt.weekday)
            """,
            path="features.py",
        ),
        # A dict is not a frame.
        Valid(
            """
            import pandas as pd
            config = {}
            config["learning_rate_schedule"] = "cosine"
            """
        ),
        # Written as a whole, and created in a frame handed to a helper.
        Valid(
            """
            import pandas as pd
            def run():
                frame = pd.read_csv("x.csv")
                frame.insert(0, "row_number", range(len(frame)))
                report(frame)
            """
        ),
        # Tests build frames freely.
        Valid(
            """
            import pandas as pd
            def test_shape():
                df = pd.DataFrame({"a": [1]})
                df["unused_in_test"] = 2
                assert len(df) == 1
            """,
            path="tests/test_features.py",
        ),
        # A module that others import whole: its frames may be used there.
        Valid(
            """
            import pandas as pd
            train = pd.read_csv("train.csv")
            train["leftover"] = 0
            X = train[["a"]]
            """,
            path="prep.py",
            files={"train.py": "import prep\nmodel.fit(prep.train, y)\n"},
        ),
    ]
    INVALID = [
        # A module-level script: the column is selected by nothing and the model sees a column list.
        Invalid(
            """
            import pandas as pd
            from sklearn.ensemble import RandomForestClassifier
            train = pd.read_csv("train.csv")
            train["ratio"] = train.clicks / train.views
            train["legacy_score"] = train.clicks * 0.3
            FEATURES = ["clicks", "views", "ratio"]
            RandomForestClassifier(random_state=0).fit(train[FEATURES], train.target)
            """,
            line=5,
            path="train.py",
            message=(
                "column `legacy_score` is created here but nothing else in the project mentions it, and its frame "
                "never reaches a model or a writer whole: a feature nobody uses"
            ),
        ),
        # Inside a function, through `assign`; the other module selects other columns.
        Invalid(
            """
            import pandas as pd
            def build():
                frame = pd.read_csv("events.csv").assign(session_length=lambda d: d.end - d.start)
                frame[["user", "start"]].to_csv("features.csv")
            """,
            line=3,
            path="pipeline/build.py",
            files={"pipeline/__init__.py": "", "pipeline/use.py": "from pipeline.build import build\nbuild()\n"},
        ),
        # Created twice (train and test), used by neither: reported once, at the first.
        Invalid(
            """
            import pandas as pd
            train = pd.read_csv("train.csv")
            test = pd.read_csv("test.csv")
            for frame in (train,):
                frame["bucket"] = frame.age // 10
            test["bucket"] = test.age // 10
            model.fit(train[["age"]], train.y)
            """,
            line=5,
            path="fit.py",
        ),
        # `insert` on a frame whose selection goes to the writer.
        Invalid(
            """
            import pandas as pd
            def export():
                df = pd.read_parquet("scores.parquet")
                df.insert(1, "scored_at_utc", pd.Timestamp.now())
                df[["id", "score"]].to_csv("out.csv", index=False)
            """,
            line=4,
            path="export.py",
        ),
    ]

    def check(self, project: Project) -> Iterator[Finding]:
        mentions: Counter[str] = Counter()
        creations: Counter[str] = Counter()
        carried: set[str] = set()
        for facts in project.modules():
            mentions.update(facts.words)
            for column in facts.columns:
                creations[column.name] += 1
                if column.carried:
                    carried.add(column.name)
        if not creations:
            return
        shared = _modules_imported_whole(project)
        for facts in project.modules():
            if not facts.columns or is_test_path(facts.path) or facts.module in shared:
                continue
            unused: dict[str, list[ColumnCreation]] = {}
            for column in facts.columns:
                if column.name in carried or mentions[column.name] > creations[column.name]:
                    continue
                unused.setdefault(column.name, []).append(column)
            for name, places in unused.items():
                first = min(places, key=lambda place: (place.line, place.column))
                lines = sorted({place.line for place in places} - {first.line})
                again = f" (and on line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))})" if lines else ""
                yield self.finding(facts.path, first.line, first.column, name=name, again=again)


def _modules_imported_whole(project: Project) -> set[str]:
    """Modules another module imports as a module (`import m`, `from pkg import m`, `from m import *`)
    or takes a variable from (`from m import train_df`): their module-level frames are reachable."""
    shared: set[str] = set()
    for facts in project.modules():
        for fact in facts.imports:
            target = _imported(project, fact.qualified, fact.module)
            if target is None:
                continue
            module, name = target
            if name is None or name == "*" or not _defines(module, name):
                shared.add(module.module)
    return shared


def _imported(project: Project, qualified: str, module: str) -> tuple[FileFacts, str | None] | None:
    whole = project.module(qualified)
    if whole is not None:
        return whole, None
    owner = project.module(module)
    if owner is not None and qualified != module:
        return owner, qualified[len(module) + 1 :]
    return None


def _defines(facts: FileFacts, name: str) -> bool:
    return any(definition.name == name and not definition.scope for definition in facts.definitions)
