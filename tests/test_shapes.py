"""Function shapes (MLD805's facts): which functions get one, and what the digest folds."""

from __future__ import annotations

import textwrap

from mldebt.analysis import analyse_source
from mldebt.facts import FunctionShape

TRAIN = """
from sklearn.ensemble import RandomForestClassifier
import pandas as pd

def run(path, target="label"):
    '''Train on one file.'''
    frame = pd.read_csv(path)
    frame = frame.dropna()
    features = frame.drop(columns=[target])
    labels = frame[target]
    model = RandomForestClassifier(n_estimators=100)
    model.fit(features, labels)
    predictions = model.predict(features)
    print((predictions == labels).mean())
    return model
"""


def shapes(source: str, path: str = "pkg/train.py") -> tuple[FunctionShape, ...]:
    facts = analyse_source(textwrap.dedent(source), path, []).facts
    assert facts is not None
    return facts.shapes


def digest(source: str) -> str:
    [shape] = shapes(source)
    return shape.digest


def test_a_training_function_of_eight_statements_has_a_shape() -> None:
    [shape] = shapes(TRAIN)
    assert (shape.name, shape.line, shape.statements, shape.scope) == ("run", 5, 9, "")


def test_small_and_non_ml_functions_have_none() -> None:
    small = "def fit(m, X, y):\n    m.fit(X, y)\n    return m.predict(X)\n"
    plain = TRAIN.replace("model.fit(features, labels)", "model.save(features)").replace(
        "model.predict(features)", "model.transform(features)"
    )
    assert shapes(small) == ()
    assert shapes(plain) == ()


def test_names_literals_docstrings_and_annotations_are_folded() -> None:
    renamed = (
        TRAIN.replace("frame", "df")
        .replace("model", "clf")
        .replace("RandomForestClassifier", "XGBClassifier")
        .replace("100", "300")
        .replace('"label"', '"churned"')
        .replace("    '''Train on one file.'''\n", "")
        .replace("def run(path, ", "def train_v2(path: str, ")
    )
    assert digest(renamed) == digest(TRAIN)


def test_methods_keep_the_shape_of_the_function_they_were_copied_from() -> None:
    body = TRAIN.split("\n\n", 1)[1].replace("(path,", "(self, path,")
    method = "class Experiment:\n" + textwrap.indent(body, "    ")
    [shape] = shapes("from sklearn.ensemble import RandomForestClassifier\nimport pandas as pd\n" + method)
    assert shape.scope == "Experiment"
    assert shape.digest == digest(TRAIN)


def test_attribute_names_keywords_statements_and_data_flow_are_kept() -> None:
    base = digest(TRAIN)
    assert digest(TRAIN.replace(".dropna()", ".fillna(0)")) != base
    assert digest(TRAIN.replace("n_estimators=100", "max_depth=100")) != base
    assert digest(TRAIN.replace("    return model", "    model.save(path)\n    return model")) != base
    # The same names, used in another order, are another computation.
    assert digest(TRAIN.replace("model.fit(features, labels)", "model.fit(labels, features)")) != base


def test_nested_functions_count_once_and_are_judged_alone() -> None:
    source = """
    def outer(model, X, y):
        def helper(a):
            return a
        a = 1
        b = 2
        c = 3
        d = 4
        e = 5
        model.fit(X, y)
        return helper(a + b + c + d + e)
    """
    [shape] = shapes(source)
    assert (shape.name, shape.statements) == ("outer", 8)


def test_a_training_loop_is_backward_with_a_step() -> None:
    loop = """
    def train_epoch(net, batches, opt, loss_fn):
        net.train()
        running = 0.0
        for x, y in batches:
            opt.zero_grad()
            out = net(x)
            loss = loss_fn(out, y)
            loss.backward()
            opt.step()
            running += loss.item()
        return running / len(batches)
    """
    assert [shape.name for shape in shapes(loop)] == ["train_epoch"]
    assert shapes(loop.replace("            opt.step()\n", "            opt.zero_grad()\n")) == ()


def test_metrics_and_evaluation_calls_count_as_evaluating() -> None:
    evaluation = """
    from sklearn.metrics import f1_score

    def report(truth, guesses):
        a = 1
        b = 2
        c = 3
        d = 4
        e = 5
        f = 6
        g = 7
        return f1_score(truth, guesses)
    """
    assert [shape.name for shape in shapes(evaluation)] == ["report"]
