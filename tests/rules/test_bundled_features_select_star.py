"""MLD302 bundled-features-select-star beyond its own examples: the SQL reading, and where rows go."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import pytest

from mldebt.registry import load_registry
from mldebt.rule import Valid
from mldebt.testing import run_example

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD302")
select_star_table: Callable[[str], str | None] = inspect.getmodule(RULE).select_star_table  # type: ignore[union-attr]

SK = "import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n"


def lines(code: str, path: str = "example.py") -> list[int]:
    return [finding.line for finding in run_example(RULE, Valid(code, path=path)).findings]


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ("SELECT * FROM a", "a"),
        ("select t.* from warehouse.events t", "warehouse.events"),
        ("SELECT a.*, b.x FROM a JOIN b ON a.id = b.id", "a"),
        ("SELECT x, * FROM t", "t"),
        ("SELECT DISTINCT ON (a) * FROM t", "t"),
        ("SELECT TOP 500 * FROM bmi", "bmi"),
        ("SELECT TOP (10) PERCENT * FROM bmi", "bmi"),
        ("SELECT * EXCEPT (ssn) FROM customers", "customers"),
        ("SELECT * FROM (SELECT x FROM c) sub UNION ALL SELECT * FROM d", "d"),
        ("(SELECT * FROM a) UNION (SELECT b FROM c)", "a"),
        ("WITH r AS (SELECT * FROM clicks) SELECT * FROM r", "clicks"),
        ("WITH a AS (SELECT x FROM t), b AS (SELECT * FROM t2) SELECT * FROM b", "t2"),
        ("SELECT * FROM [dbo].[Sales] s", "dbo.Sales"),
        ('SELECT "t".* FROM "public"."t"', "public.t"),
        ("SELECT * FROM `project.dataset.sessions`", "project.dataset.sessions"),
        ("-- the day's rows\nSELECT *\n  FROM events /* all */ WHERE d = '2024'", "events"),
        ("SELECT * FROM \x00", ""),
    ],
)
def test_select_star_reads_the_table(sql: str, table: str) -> None:
    assert select_star_table(sql) == table


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT COUNT(*) FROM a",
        "SELECT count(*) AS n, max(ts) FROM events",
        "SELECT price * quantity AS revenue FROM sales",
        "SELECT id FROM t WHERE x IN (SELECT * FROM y)",
        "SELECT id FROM users u WHERE EXISTS (SELECT * FROM orders o WHERE o.uid = u.id)",
        "SELECT b.* FROM a JOIN (SELECT x, y FROM c) b ON 1 = 1",
        "SELECT user_id, n FROM (SELECT * FROM clicks) c",
        "WITH recent AS (SELECT * FROM events) SELECT user_id, clicks FROM recent",
        "WITH a AS (SELECT * FROM t), b AS (SELECT x FROM a) SELECT * FROM b",
        "SELECT q.* FROM t",
        "SELECT * FROM information_schema.columns",
        "SELECT * FROM sqlite_master WHERE type = 'table'",
        "SELECT * FROM t WHERE 1 = 0",
        "SELECT * FROM t LIMIT 0",
        "SELECT id, note FROM t WHERE note = 'select * from x'",
        "SELECT \x00 FROM t",
        "SELECT * FROM",
        "SELECT * FROM (unbalanced",
    ],
)
def test_no_select_star_in_the_result_columns(sql: str) -> None:
    assert select_star_table(sql) is None


def test_each_query_reported_once_where_it_runs() -> None:
    code = SK + (
        "def train(engine):\n"
        '    frame = pd.read_sql("SELECT * FROM a", engine)\n'
        '    extra = pd.read_sql("SELECT * FROM b", engine)\n'
        "    frame = frame.merge(extra, on='id')\n"
        "    return LogisticRegression().fit(frame.drop(columns='y'), frame.y)\n"
    )
    assert lines(code) == [4, 5]


def test_rows_narrowed_before_the_model_are_not_reported() -> None:
    code = SK + (
        'frame = pd.read_sql("SELECT * FROM a", engine)\n'
        "frame = frame[FEATURES + ['y']]\n"
        "model = LogisticRegression().fit(frame.drop(columns='y'), frame.y)\n"
    )
    assert lines(code) == []


def test_outside_ml_code_only_data_loaders_count() -> None:
    view = "import pandas as pd\n\ndef view_attendance(con):\n    return pd.read_sql('SELECT * FROM attendance', con)\n"
    assert lines(view) == []
    loader = "import pandas as pd\n\ndef load_contracts(con):\n    return pd.read_sql('SELECT * FROM contracts', con)\n"
    assert lines(loader) == [4]


def test_a_column_list_computed_from_the_table_is_every_column() -> None:
    code = SK + (
        'frame = pd.read_sql("SELECT * FROM a", engine)\n'
        "features = [c for c in frame.columns if c != 'y']\n"
        "model = LogisticRegression().fit(frame[features + ['z']], frame.y)\n"
    )
    assert lines(code) == [3]


def test_columns_listed_in_a_loaded_model_are_declared() -> None:
    code = SK + (
        "model = pd.read_pickle('model.pkl')\n"
        "frame = pd.read_sql_query(\"SELECT * FROM sellers WHERE day = '2018-06-01'\", engine)\n"
        "frame['score'] = model['model'].predict_proba(frame[model['features_fit']])[:, 1]\n"
    )
    assert lines(code) == []
