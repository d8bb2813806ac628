"""MLD402 hidden-feedback-loop: models that train on each other's predictions through files."""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from mldebt import Finding, Invalid, Project, ProjectRule, Section, Severity, Valid
from mldebt.data_graph import DataGraph, PredictionPath, describe_prediction_paths

# The longest loop looked for, in training modules: enough for any loop a reader can follow,
# and it keeps the cycle search cheap on large projects.
_MAX_LOOP = 6

_RANKER = """
import joblib
import pandas as pd
from lightgbm import LGBMRanker
clicks = pd.read_csv("data/predicted_clicks.csv")
ranker = LGBMRanker().fit(clicks[FEATURES], clicks["click_probability"], group=clicks.groups)
clicks["rank_score"] = ranker.predict(clicks[FEATURES])
clicks.to_csv("data/ranked.csv")
"""
_CLICKS = """
import joblib
import pandas as pd
from sklearn.linear_model import LogisticRegression
ranked = pd.read_csv("data/ranked.csv")
model = LogisticRegression().fit(ranked[["rank_score", "position"]], ranked["clicked"])
joblib.dump(model, "models/clicks.joblib")
"""
_CLICKS_PREDICT = """
import joblib
import pandas as pd
model = joblib.load("models/clicks.joblib")
frame = pd.read_csv("data/candidates.csv")
frame["click_probability"] = model.predict_proba(frame[["rank_score", "position"]])[:, 1]
frame.to_csv("data/predicted_clicks.csv")
"""


class HiddenFeedbackLoop(ProjectRule):
    """
    ## What it does
    Follows models' predictions through the project's data graph and reports a loop that
    passes through two or more distinct training modules: A's predictions train B, and B's
    predictions (perhaps through more models) train A. A model's predictions reach another
    module when they are written to a file or table — by the module that trains the model,
    or by a module that loads the model file it writes and predicts with it — and that
    module reads them where it trains (a training call in the same function as the read, or
    both at module level).

    There is one finding per training module in the loop, at its read that closes the loop,
    and the message prints the whole loop file by file, starting and ending there.

    Not flagged: a model trained on its own predictions (MLD401 direct-feedback-loop);
    predictions read where a module does not train (reports, evaluations); cluster
    assignments, transforms and encoder outputs, which are features rather than
    predictions; a module that reads back a file it has just written itself (copies of one
    notebook that each re-read their own submission); test modules; paths the analyzer cannot
    resolve (nothing is guessed).

    ## Why is this bad?
    Hidden feedback loops (§4, Feedback Loops) are the hardest kind to detect: two systems
    influence each other through the world — or, visibly here, through each other's output
    files — so improving one changes the other's training data, and neither can be
    evaluated or changed alone. The paper's example is two systems independently setting
    prices or choosing content that each learn from what the other did.

    ## Example
    ```python
    # ranker.py: trains on the click model's predictions, writes its ranking
    clicks = pd.read_csv("data/predicted_clicks.csv")
    # clicks.py: trains on the ranking, writes the click model
    ranked = pd.read_csv("data/ranked.csv")
    ```

    Use instead: train each model on outcomes observed in the world, log which model
    produced the data a model learns from and hold such rows out (or weight them), and
    document the dependency between the two systems where both teams see it:
    ```python
    clicks = pd.read_csv("data/observed_clicks.csv")  # logged outcomes, not predictions
    ```

    ## References
    - Sculley et al. (2015), §4 "Feedback Loops", Hidden Feedback Loops
    """

    CODE = "MLD402"
    NAME = "hidden-feedback-loop"
    SEVERITY = Severity.WARNING
    SECTION = Section.HIDDEN_FEEDBACK_LOOPS
    SUMMARY = "Models that train on each other's predictions"
    MESSAGE = "A hidden feedback loop through {count} training modules closes here: {loop}"

    VALID = [
        # One way only: the click model learns from the ranking, the ranker from observed clicks.
        Valid(
            _RANKER.replace("predicted_clicks", "observed_clicks"),
            path="ranker.py",
            files={"clicks.py": _CLICKS, "clicks_predict.py": _CLICKS_PREDICT},
        ),
        # A model and its own predictions: MLD401 direct-feedback-loop, not a hidden loop.
        Valid(
            """
            import joblib
            import pandas as pd
            frame = pd.read_csv("data/scored.csv")
            model = make_model().fit(frame[["a"]], frame["label"])
            joblib.dump(model, "models/model.pkl")
            """,
            path="train.py",
            files={
                "score.py": (
                    "import joblib\nimport pandas as pd\n"
                    'model = joblib.load("models/model.pkl")\nframe = pd.read_csv("data/new.csv")\n'
                    'frame["label"] = model.predict(frame[["a"]])\nframe.to_csv("data/scored.csv")\n'
                )
            },
        ),
        # The ranking is read back only for a report, away from the training code.
        Valid(
            _CLICKS.replace('ranked = pd.read_csv("data/ranked.csv")\n', "ranked = pd.read_csv(\"data/logs.csv\")\n")
            + 'def report():\n    print(pd.read_csv("data/ranked.csv").describe())\n',
            path="clicks.py",
            files={"ranker.py": _RANKER, "clicks_predict.py": _CLICKS_PREDICT},
        ),
        # Segments from a clusterer feed a model whose scores feed the clusterer: features, not predictions.
        Valid(
            """
            import pandas as pd
            from sklearn.cluster import KMeans
            frame = pd.read_csv("data/scored.csv")
            kmeans = KMeans(4).fit(frame[["score"]])
            frame["segment"] = kmeans.predict(frame[["score"]])
            frame.to_csv("data/segments.csv")
            """,
            path="segment.py",
            files={
                "score.py": (
                    "import pandas as pd\n"
                    'frame = pd.read_csv("data/segments.csv")\nmodel = make_model().fit(frame[["segment"]], frame.y)\n'
                    'frame["score"] = model.predict(frame[["segment"]])\nframe.to_csv("data/scored.csv")\n'
                )
            },
        ),
    ]
    INVALID = [
        # The ranker trains on the click model's predictions; the click model on the ranking.
        Invalid(
            _RANKER,
            path="ranker.py",
            line=4,
            column=10,
            message=(
                "A hidden feedback loop through 2 training modules closes here: `ranker.py` writes "
                "`data/ranked.csv` → `clicks.py` reads it, writes `models/clicks.joblib` → `clicks_predict.py` "
                "reads it, writes `data/predicted_clicks.csv` → `ranker.py` reads it"
            ),
            files={"clicks.py": _CLICKS, "clicks_predict.py": _CLICKS_PREDICT},
        ),
        # The same loop, reported in the other training module too.
        Invalid(
            _CLICKS,
            path="clicks.py",
            line=4,
            files={"ranker.py": _RANKER, "clicks_predict.py": _CLICKS_PREDICT},
        ),
        # Two pricing models that each learn from the other's prices, through database tables.
        Invalid(
            """
            import pandas as pd
            def train(con):
                rivals = pd.read_sql("SELECT * FROM competitor_price_forecasts", con)
                model = make_model().fit(rivals[["forecast", "day"]], rivals["our_price"])
                rivals.assign(price=model.predict(rivals[["forecast", "day"]])).to_sql("our_prices", con)
            """,
            path="pricing/our_prices.py",
            line=3,
            files={
                "pricing/competitors.py": (
                    "import pandas as pd\n"
                    "def train(con):\n"
                    '    ours = pd.read_sql("SELECT * FROM our_prices", con)\n'
                    '    model = make_model().fit(ours[["price", "day"]], ours["competitor_price"])\n'
                    '    ours.assign(forecast=model.predict(ours[["price", "day"]])).to_sql("competitor_price_forecasts", con)\n'
                )
            },
        ),
    ]

    def check(self, project: Project) -> Iterator[Finding]:
        data = DataGraph(project)
        edges: dict[tuple[str, str], PredictionPath] = {}
        for path in data.prediction_paths():
            trainee = path.predictions.read.module
            if path.trainer and path.trainer != trainee:
                edges.setdefault((path.trainer, trainee), path)
        if not edges:
            return
        graph = nx.DiGraph()
        graph.add_edges_from(edges)
        order = {node: data.path(node) for node in graph}
        reported: set[tuple[str, int, int]] = set()
        cycles = sorted(
            (list(cycle) for cycle in nx.simple_cycles(graph, length_bound=_MAX_LOOP) if len(cycle) >= 2),
            key=lambda cycle: (len(cycle), sorted(order[node] for node in cycle)),
        )
        for cycle in cycles:
            for index, module in enumerate(cycle):
                # Start the loop at this module: its edges out, around, and back into its read.
                rotated = cycle[index:] + cycle[:index]
                paths = [edges[(rotated[step], rotated[(step + 1) % len(rotated)])] for step in range(len(rotated))]
                read = paths[-1].predictions.read
                where = (module, read.line, read.column)
                if where in reported:
                    continue
                reported.add(where)
                loop = describe_prediction_paths(data, paths)
                yield self.finding(data.path(module), read.line, read.column, count=len(cycle), loop=loop)
