"""MLD509 multiple-language-smell beyond its own examples: one finding per call, the SQL test."""

from __future__ import annotations

import pytest

from mldebt.knowledge.languages import sql_statement
from mldebt.registry import load_registry
from mldebt.rule import Valid
from mldebt.testing import run_example

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD509")


def lines(code: str, path: str = "example.py") -> list[int]:
    return [finding.line for finding in run_example(RULE, Valid(code, path=path)).findings]


@pytest.mark.parametrize(
    "text",
    [
        "SELECT a FROM t",
        "select * from events where day = ?",
        "  \n -- comment\n /* block */ SELECT 1 AS x FROM dual",
        "(SELECT id FROM a) UNION (SELECT id FROM b)",
        "INSERT INTO t VALUES (?)",
        "UPDATE t SET a = 1",
        "DELETE FROM t",
        "CREATE TABLE IF NOT EXISTS t (a INT)",
        "create or replace temp view v as select * from t",
        "WITH x AS (SELECT 1 FROM t) SELECT * FROM x",
        "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET a = s.a",
    ],
)
def test_sql_text(text: str) -> None:
    assert sql_statement(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "a > 1 and b == 'x'",
        "Select the best model from the leaderboard",
        "with the data from last week",
        "create a table of results",
        "SELECT 1",
        "PRAGMA table_info(t)",
        "select_all_from_table",
        "selection FROM t",
        "",
    ],
)
def test_not_sql_text(text: str) -> None:
    assert sql_statement(text) is None


def test_one_finding_per_call() -> None:
    code = """
    import subprocess
    from sqlalchemy import text
    subprocess.run("Rscript fit.R && echo done", shell=True)
    con.execute(text("SELECT a FROM t"))
    """
    assert lines(code) == [3, 4]


def test_a_name_assigned_twice_must_be_sql_both_times() -> None:
    code = """
    def load(cursor, fast):
        sql = "SELECT a FROM t"
        if fast:
            sql = cached_query()
        cursor.execute(sql)
    """
    assert lines(code) == []


def test_a_parameter_shadows_a_module_constant() -> None:
    code = """
    QUERY = "SELECT a FROM t"
    def load(cursor, QUERY):
        cursor.execute(QUERY)
    """
    assert lines(code) == []


def test_appending_to_sql_keeps_it_sql() -> None:
    code = """
    def load(cursor, day):
        sql = "SELECT a FROM t"
        sql += " WHERE day = %s"
        cursor.execute(sql, (day,))
    """
    assert lines(code) == [4]


def test_messages_name_the_language() -> None:
    code = """
    import os, subprocess
    os.system("bash scripts/download.sh")
    subprocess.run(["julia", "solve.jl"])
    """
    messages = [f.message for f in run_example(RULE, Valid(code)).findings]
    assert messages == [
        "`os.system(...)` runs a shell script (`bash`) from Python",
        "`subprocess.run(...)` runs Julia (`julia`) from Python",
    ]
