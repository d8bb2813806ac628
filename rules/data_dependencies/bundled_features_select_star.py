"""MLD302 bundled-features-select-star: `SELECT *` queries that make every column an input."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import TypeAlias

import libcst as cst

from mldebt import FileContext, Invalid, Section, Severity, Valid, literal_value
from mldebt.constants import HOLE as _HOLE
from mldebt.constants import SHOWN_HOLE as _SHOWN_HOLE
from mldebt.constants import SettledByScope, Scope
from mldebt.knowledge.languages import (
    SQL_FUNCTIONS,
    SQL_KEYWORDS,
    SQL_METHODS,
    SQL_MIGRATION_OBJECTS,
    SQL_TEXT_WRAPPERS,
    sql_statement,
)
from mldebt.knowledge.models import name_words
from mldebt.knowledge.pipelines import (
    DATA_LOADER_VERBS,
    DATA_WORDS,
    ML_PACKAGE_PREFIXES,
    ML_PACKAGES,
    MODEL_INPUT_FUNCTIONS,
    MODEL_INPUT_METHODS,
    MODEL_METHODS,
    SPARK_ML_PREFIXES,
    SPARK_STAGE_METHODS,
    SQL_CATALOG_PREFIXES,
    SQL_METHODS_WITH_DECLARED_COLUMNS,
    VIEWING_FUNCTIONS,
    VIEWING_GLOBALS,
    VIEWING_METHODS,
    WHOLE_TABLE_READERS,
)
from mldebt.names import callee_spelling, dotted_name

_SUBQUERY_DEPTH = 6
_HOLE_NAME = "__hole__"  # how a hole reads once the text is tokenized: an unknown identifier
_CURSOR_METHODS = frozenset({"execute", "executemany"})  # DB-API: the rows stay in the cursor
# Example prefixes: a file that trains a model (scikit-learn, Spark ML), where the rule looks.
SK = "import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n"
SPARK = "from pyspark.ml.classification import LogisticRegression\n"


def _returned(call: str) -> str:
    """An example whose query rows leave a loader function (where the rule looks at the SQL)."""
    return f"{SK}def load(engine):\n    return {call}\n"


def _sk(code: str) -> str:
    """An example in a file that trains a scikit-learn model (where the rule looks)."""
    return SK + textwrap.dedent(code).lstrip("\n")


@dataclass
class _Frame:
    """What a function (or the module, or a class body) does with query rows."""

    # Reads of every column to decide at the end: (call, callee, the SQL argument or a table
    # name, the scope to read the argument in).
    pending: list[tuple[cst.Call, str, cst.BaseExpression | str, Scope]] = field(default_factory=list)
    # Where query results flow, in source order: the query calls (by id) each name holds now,
    # and the query calls whose rows reach a model call or leave the function by `return`.
    holds: dict[str, frozenset[int]] = field(default_factory=dict)
    reached: set[int] = field(default_factory=set)
    returned: set[int] = field(default_factory=set)
    loads_data: bool = False  # a function named as a data loader: `load_contracts`, `get_features`


@dataclass(eq=False)
class _Carried:
    """The query calls whose every column an expression carries, gathered while the traversal
    reads it: a query call in it, or a name that holds one.

    Attributes:
        owner: The node whose expression this is (an assignment, an argument, ...), a lambda
            (whose body carries nothing out), or a column selection.
        keep: Whether what is found here counts for the enclosing expression too: not in a
            lambda, nor in a column selection (`frame[FEATURES]`) unless a name in its last
            index holds rows itself (`frame[features]` with `features = frame.columns.tolist()`).
        index: The last index of a column selection, and how deep the traversal is in it.
    """

    owner: cst.CSTNode
    keep: bool = True
    found: set[int] = field(default_factory=set)
    index: cst.SubscriptElement | None = None
    in_index: int = 0


class BundledFeaturesSelectStar(SettledByScope[_Frame]):
    """
    ## What it does
    Finds `SELECT *` (also `SELECT t.*`, `SELECT DISTINCT *`, `SELECT TOP 10 *`, BigQuery's
    `SELECT * EXCEPT (...)`, in any case) in the result columns of an SQL query passed to
    `pd.read_sql*`, `pd.read_gbq`, `spark.sql`, a BigQuery client's `query`, a DB-API or
    SQLAlchemy `execute`, `duckdb.sql` and the like — and its table-name twins, which read
    every column just the same: `pd.read_sql_table("t", con)` without `columns=`,
    `spark.table("t")`, `spark.read.table("t")`. The query is a string literal, an f-string
    (its static parts: `SELECT * FROM {table}` counts), a concatenation, a string wrapped in
    `sqlalchemy.text(...)`, or a name assigned such a string in the same function or at
    module level (every assignment must be a select-star query; otherwise the rule is silent).

    A finding needs the rows to become a model's inputs, in the same function (or module
    body): the result, through assignments, `.drop(...)`, row filters, `.values`,
    `train_test_split(...)` and the like, reaches the arguments of `fit`, `predict`,
    `predict_proba`, `transform`, `cross_val_score`, `xgb.DMatrix(...)`, ... without being
    narrowed to named columns (`frame[FEATURES]`, `frame[["a", "b"]]`, `frame["label"]`) —
    a column list computed from the frame itself (`features = frame.columns.tolist()`) is no
    narrowing. A function that *returns* the whole table counts too, when the table is named by
    a literal, in a file that does ML (it imports a model package such as scikit-learn,
    xgboost, torch or `pyspark.ml`, or calls `fit`/`predict`) or when the function is named as
    a data loader (`load_contracts`, `fetch_rows`, `get_training_features`): its caller trains
    on whatever the table holds.

    Not flagged: `COUNT(*)`, a star inside a subquery or a common table expression that the
    outer query narrows, `EXISTS (SELECT * ...)`; schema probes (`LIMIT 0`, `WHERE 1 = 0`, the
    `information_schema`/`sqlite_master` catalogs); rows only shown (`display(...)`,
    `print(...)`, `.show()`), written elsewhere, or narrowed before any model sees them; a
    helper that returns whatever table its caller names; statements that copy tables
    (`INSERT INTO ... SELECT *`, `CREATE TABLE ... AS SELECT *`); Django's
    `Model.objects.raw("SELECT * ...")`, which maps the columns onto declared fields; Spark
    ML's `fit`/`transform` (its stages declare their input columns); and tests.

    ## Why is this bad?
    The paper's underutilized data dependencies (§3) include *bundled features*: columns
    that enter a model together, as a group, without anyone deciding that each of them is
    worth its cost. `SELECT *` is the bundle in its purest form: every column the table has
    today, and every column someone adds tomorrow, becomes an input nobody declared. The
    model quietly starts depending on a column that may be unstable, leaky or deprecated, and
    the dependency is invisible to anyone reading the code.

    ## Example
    ```python
    frame = pd.read_sql("SELECT * FROM customers", engine)
    model.fit(frame.drop(columns="churned"), frame["churned"])
    ```

    Use instead: name the columns the model uses, so that each input is declared, reviewed,
    and removable:
    ```python
    FEATURES = ["tenure_months", "plan", "monthly_charges"]
    frame = pd.read_sql(f"SELECT {', '.join(FEATURES)}, churned FROM customers", engine)
    ```

    ## References
    - Sculley et al. (2015), §3 "Data Dependencies Cost More than Code Dependencies",
      Underutilized Data Dependencies (bundled features)
    """

    CODE = "MLD302"
    NAME = "bundled-features-select-star"
    SEVERITY = Severity.INFO
    SECTION = Section.UNDERUTILIZED_DATA_DEPENDENCIES
    SUMMARY = "`SELECT *` in a query: every column of the table becomes an undeclared input"
    MESSAGE = "`{callee}(...)` {what}: every column becomes an undeclared input"

    VALID = [
        Valid(_returned('pd.read_sql("SELECT id, age, income FROM customers", engine)')),
        Valid(_returned('pd.read_sql("SELECT COUNT(*) FROM customers", engine)')),
        Valid(_returned('engine.execute("select count(*) as n, max(ts) from events")')),
        Valid(_returned('pd.read_sql("SELECT price * quantity AS revenue FROM sales", engine)')),
        Valid(
            _sk(
                """
                QUERY = '''
                    WITH recent AS (SELECT * FROM events WHERE day > '2024-01-01')
                    SELECT user_id, clicks FROM recent
                '''
                frame = pd.read_sql(QUERY, engine)
                """
            )
        ),
        Valid(_returned('spark.sql("SELECT user_id, n FROM (SELECT * FROM clicks) c").toPandas()')),
        Valid(_returned('engine.execute("SELECT id FROM users WHERE EXISTS (SELECT * FROM orders WHERE id = 1)")')),
        Valid(SPARK + 'frame = spark.sql(f"SELECT {columns} FROM {table}")\n'),
        Valid(_returned('engine.execute("INSERT INTO archive SELECT * FROM events")')),
        Valid(_returned("engine.execute(\"SELECT * FROM sqlite_master WHERE type = 'table'\")")),
        Valid(_returned('pd.read_sql("SELECT * FROM customers LIMIT 0", engine).columns')),
        Valid(_returned('Person.objects.raw("SELECT * FROM myapp_person")')),
        Valid(SK + 'log.info("SELECT * FROM customers")\n'),
        Valid(SK + 'adults = frame.query("age > 17")\n'),
        Valid(_returned("engine.execute(\"SELECT id, note FROM t WHERE note = 'select * from x'\")")),
        Valid(
            SPARK + 'display(spark.sql(f"select * from {catalog}.{db}.daily_scoring_output order by ds limit 10"))\n'
        ),
        Valid(SPARK + 'spark.sql("SELECT * FROM events").show(20)\n'),
        Valid(SK + 'print(con.execute("SELECT * FROM events").fetchall())\n'),
        Valid(
            SPARK
            + textwrap.dedent(
                """
                sdf = spark.sql(f"SELECT * FROM {catalog}.{schema}.rfm_analysis")
                frame = sdf.toPandas()
                rfm = frame[["customer_id", "frequency_score", "recency_score"]]
                """
            )
        ),
        Valid(
            """
            import pandas as pd
            def score(engine, model, day):
                data = pd.read_sql_query(f"SELECT * FROM sellers WHERE dt_ref = '{day}'", engine)
                return model["model"].predict_proba(data[model["num_features"]])
            """
        ),
        Valid(
            """
            import pandas as pd
            import streamlit as st
            history = pd.read_sql_query("SELECT * FROM analyses", conn)
            st.dataframe(history)
            """
        ),
        Valid(
            """
            import pandas as pd

            def view_attendance(con):
                return pd.read_sql("SELECT * FROM attendance", con)
            """
        ),
        Valid(
            _sk(
                """
                def load(table, day):
                    return pd.read_sql(f"SELECT * FROM {table} WHERE day = '{day}'", engine)
                """
            )
        ),
        Valid(
            """
            def load(cursor, sql):
                cursor.execute(sql)
                return model.predict(cursor.fetchall())
            """
        ),
        Valid(
            """
            def load(cursor, full):
                sql = "SELECT * FROM events"
                if not full:
                    sql = "SELECT id, ts FROM events"
                cursor.execute(sql)
                return model.predict(cursor.fetchall())
            """
        ),
        Valid(
            _sk(
                """
                abt = pd.read_sql_table("tb_abt_churn", engine, columns=["tenure", "plan", "churned"])
                model = LogisticRegression().fit(abt.drop(columns="churned"), abt.churned)
                """
            )
        ),
        Valid(
            _sk(
                """
                frame = pd.read_sql("SELECT * FROM customers", engine)
                model = LogisticRegression().fit(frame[FEATURES], frame["churned"])
                """
            )
        ),
        Valid(
            _sk(
                """
                frame = pd.read_sql("SELECT * FROM customers", engine)
                frame.to_parquet("snapshot.parquet")
                """
            )
        ),
        Valid(
            """
            from pyspark.ml.feature import VectorAssembler
            frame = spark.sql("SELECT * FROM events")
            assembler = VectorAssembler(inputCols=["a", "b"], outputCol="features")
            vectors = assembler.transform(frame)
            """
        ),
        Valid(SK + 'frame = pd.read_sql("SELECT * FROM customers", engine)\n', path="tests/test_io.py"),
    ]
    INVALID = [
        Invalid(
            _sk(
                """
                frame = pd.read_sql("SELECT * FROM customers", engine)
                X = frame.drop(columns=["churned", "customer_id"])
                model = LogisticRegression().fit(X, frame["churned"])
                """
            ),
            line=3,
            message="`pd.read_sql(...)` runs `SELECT *` on `customers`: every column becomes an undeclared input",
        ),
        Invalid(
            _sk(
                """
                def load_features(engine):
                    return pd.read_sql("SELECT * FROM vw_churn_training_features", engine)
                """
            )
        ),
        Invalid(
            """
            import sqlite3
            import pandas as pd

            def load_contracts(db_path):
                connection = sqlite3.connect(db_path)
                return pd.read_sql("SELECT * FROM contracts", connection)
            """,
            path="churn/data.py",
        ),
        Invalid(
            _sk(
                """
                def score(engine, model):
                    rows = pd.read_sql("select * from warehouse.events where day = '2024-01-01'", engine)
                    rows = rows.dropna()
                    return model.predict_proba(rows.values)[:, 1]
                """
            ),
            line=4,
        ),
        Invalid(
            '''
            from google.cloud import bigquery
            client = bigquery.Client()
            rows = client.query("""
                SELECT *
                FROM `project.dataset.sessions`
                WHERE day = @day
            """).to_dataframe()
            model.fit(rows.drop(columns="label"), rows.label)
            ''',
            line=3,
        ),
        Invalid(
            textwrap.dedent(
                """
                from sklearn.ensemble import IsolationForest
                frame = spark.sql(f"SELECT * FROM {catalog}.features WHERE day = '{day}'").toPandas()
                detector = IsolationForest().fit(frame.drop(columns=["device_id"]))
                """
            ),
            line=2,
            message="`spark.sql(...)` runs `SELECT *` on `{…}.features`: every column becomes an undeclared input",
        ),
        Invalid(
            _sk(
                """
                def load(project):
                    return pd.read_gbq("SELECT s.* FROM sessions s JOIN users u ON s.uid = u.id", project_id=project)
                """
            )
        ),
        Invalid(
            _sk(
                """
                def load(cursor):
                    cursor.execute("SELECT TOP 500 * FROM bmi")
                    return cursor
                """
            ),
            line=4,
        ),
        Invalid(
            _sk(
                """
                from sklearn.model_selection import cross_val_score, train_test_split
                data = client.query("SELECT * EXCEPT (ssn) FROM customers").to_dataframe()
                X_train, X_test, y_train, y_test = train_test_split(data.drop(columns="label"), data.label)
                print(cross_val_score(LogisticRegression(), X_train, y_train))
                """
            ),
            line=4,
        ),
        Invalid(
            _sk(
                """
                def load():
                    return spark.sql("WITH r AS (SELECT * FROM clicks WHERE d > 1) SELECT * FROM r").toPandas()
                """
            )
        ),
        Invalid(
            _sk(
                """
                FEATURES_SQL = "SELECT * FROM features_v3"

                def load(engine):
                    return pd.read_sql(FEATURES_SQL, engine)
                """
            )
        ),
        Invalid(
            _sk(
                """
                from sqlalchemy import text

                def load(engine, day):
                    query = text("SELECT * FROM events WHERE day = :day")
                    return pd.read_sql(query, engine, params={"day": day})
                """
            )
        ),
        Invalid(
            _sk(
                """
                abt = pd.read_sql_table("tb_abt_churn", engine)
                features = abt.columns.tolist()
                features.remove("flag_churn")
                model = LogisticRegression().fit(abt[features], abt["flag_churn"])
                """
            ),
            line=3,
            message=(
                "`pd.read_sql_table(...)` reads every column of `tb_abt_churn`: every column becomes an undeclared input"
            ),
        ),
        Invalid(
            """
            def predict(cursor, table):
                rows = cursor.execute("SELECT * FROM " + table + " WHERE active").fetchall()
                return model.predict(rows)
            """,
            line=2,
        ),
        Invalid(
            _sk(
                """
                def load(c):
                    return pd.read_sql_query(sql="SELECT a.* FROM (SELECT * FROM t) a", con=c)
                """
            )
        ),
    ]

    @classmethod
    def applies_to(cls, context: FileContext) -> bool:
        return not context.is_test  # silent in tests, and records nothing there

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._silent = self.context.is_test  # tests build and query fixture tables as they must
        self._viewed: set[int] = set()  # ids of calls whose rows are only shown to a person
        self._ml_code = False  # whether the file imports an ML package or fits/predicts
        self._found: list[tuple[cst.Call, str, str, bool]] = []
        self._spark_ml = False  # whether the file imports `pyspark.ml`
        self._carrying: list[_Carried] = []  # the expressions being read, innermost last
        self._model_inputs: set[int] = set()  # ids of the arguments of model calls

    # Scopes ---------------------------------------------------------------------------------
    def new_frame(self, node: cst.FunctionDef | cst.ClassDef | None) -> _Frame:
        if isinstance(node, cst.FunctionDef):
            return _Frame(loads_data=_names_a_loader(node.name.value))
        return _Frame()

    def leave_Module(self, original_node: cst.Module) -> None:
        super().leave_Module(original_node)
        for node, callee, what, feeds_features in self._found:
            # Outside ML code, only a loader of data hands its rows to a model elsewhere; a web
            # view or a dashboard that returns a table's rows feeds nobody's features.
            if self._ml_code or feeds_features:
                self.report(node, callee=callee, what=what)

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            self._note_module(dotted_name(alias.name))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if not node.relative and node.module is not None:
            self._note_module(dotted_name(node.module))

    def _note_module(self, module: str | None) -> None:
        if module and (module.split(".")[0] in ML_PACKAGES or module.startswith(ML_PACKAGE_PREFIXES)):
            self._ml_code = True
        if module and module.startswith(SPARK_ML_PREFIXES):
            self._spark_ml = True

    # Where the rows go: each expression's rows are gathered as the traversal reads it --------
    def visit_Assign_value(self, node: cst.Assign) -> None:
        self._start(node)

    def leave_Assign_value(self, node: cst.Assign) -> None:
        carried = self._finish(node)
        for target in node.targets:
            self._flow(target.target, carried)

    def visit_AnnAssign_value(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._start(node)

    def leave_AnnAssign_value(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._flow(node.target, self._finish(node))

    def visit_AugAssign_value(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name):
            self._start(node)

    def leave_AugAssign_value(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name):
            holds = self.frames[-1].holds
            holds[node.target.value] = holds.get(node.target.value, frozenset()) | self._finish(node)

    def visit_NamedExpr_value(self, node: cst.NamedExpr) -> None:
        self._start(node)

    def leave_NamedExpr_value(self, node: cst.NamedExpr) -> None:
        self._flow(node.target, self._finish(node))

    def visit_Return_value(self, node: cst.Return) -> None:
        if node.value is not None and len(self.frames) > 1:
            self._start(node)

    def leave_Return_value(self, node: cst.Return) -> None:
        if node.value is not None and len(self.frames) > 1:
            self.frames[-1].returned |= self._finish(node)  # the caller gets every column

    def visit_Arg_value(self, node: cst.Arg) -> None:
        if id(node) in self._model_inputs:
            self._start(node)

    def leave_Arg_value(self, node: cst.Arg) -> None:
        if id(node) in self._model_inputs:
            self._model_inputs.discard(id(node))
            self.frames[-1].reached |= self._finish(node)

    def visit_Lambda(self, node: cst.Lambda) -> None:
        super().visit_Lambda(node)
        if self._carrying:
            self._carrying.append(_Carried(node, keep=False))  # a function's body is not its value

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        super().leave_Lambda(original_node)
        if self._carrying and self._carrying[-1].owner is original_node:
            self._carrying.pop()

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if self._carrying and _selects_columns(node):
            self._carrying.append(_Carried(node, keep=False, index=node.slice[-1]))

    def leave_Subscript(self, original_node: cst.Subscript) -> None:
        if self._carrying and self._carrying[-1].owner is original_node:
            self._finish(original_node)

    def visit_SubscriptElement(self, node: cst.SubscriptElement) -> None:
        for carried in self._carrying:
            if carried.index is node:
                carried.in_index += 1

    def leave_SubscriptElement(self, original_node: cst.SubscriptElement) -> None:
        for carried in self._carrying:
            if carried.index is original_node:
                carried.in_index -= 1

    def visit_Name(self, node: cst.Name) -> None:
        if not self._carrying:
            return
        held = self.frames[-1].holds.get(node.value)
        if not held:
            return
        self._carrying[-1].found.update(held)
        for carried in self._carrying:
            if carried.in_index:
                # `frame[features]` where `features = frame.columns.tolist()`: still every column.
                carried.keep = True

    def _start(self, owner: cst.CSTNode) -> None:
        if not self._silent:
            self._carrying.append(_Carried(owner))

    def _finish(self, owner: cst.CSTNode) -> frozenset[int]:
        """The query calls the expression of `owner` carries (passed on to the enclosing one)."""
        if not self._carrying or self._carrying[-1].owner is not owner:
            return frozenset()
        carried = self._carrying.pop()
        if carried.keep and self._carrying:
            self._carrying[-1].found |= carried.found
        return frozenset(carried.found)

    def _flow(self, target: cst.BaseExpression, carried: frozenset[int]) -> None:
        """The names a statement binds now hold what its value carries (every name of a tuple
        target holds all of it: `X_train, X_test = train_test_split(frame)`)."""
        if isinstance(target, cst.Name):
            self.frames[-1].holds[target.value] = carried
        elif isinstance(target, cst.Tuple | cst.List):
            for element in target.elements:
                self._flow(element.value, carried)
        elif isinstance(target, cst.StarredElement):
            self._flow(target.value, carried)

    # Calls ----------------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        if self._silent:
            return
        self._note_viewing(node)
        self._note_model_input(node)
        if id(node) in self._viewed:
            return
        query = self._query(node)
        if query is None:
            return
        if self._carrying:
            self._carrying[-1].found.add(id(node))
        frame = self.frames[-1]
        frame.pending.append((node, callee_spelling(node.func), query, self.constants.scope))
        func = node.func
        cursor = func.value if isinstance(func, cst.Attribute) and func.attr.value in _CURSOR_METHODS else None
        if isinstance(cursor, cst.Name):
            # A DB-API cursor holds the rows it executed: `cursor.execute(q); cursor.fetchall()`.
            frame.holds[cursor.value] = frame.holds.get(cursor.value, frozenset()) | {id(node)}

    def _query(self, node: cst.Call) -> cst.BaseExpression | str | None:
        """What a call reads: its SQL text argument (an SQL function or method), or the name of
        the table it reads whole (`pd.read_sql_table`, `spark.table`); None for other calls."""
        if any(arg.star for arg in node.args):
            return None
        func = node.func
        qualified = self.qualified_name(func)
        whole = self._whole_table(node, qualified)
        if whole is not None:
            return whole
        if qualified not in SQL_FUNCTIONS:
            if not isinstance(func, cst.Attribute) or func.attr.value not in SQL_METHODS:
                return None
            if func.attr.value in SQL_METHODS_WITH_DECLARED_COLUMNS:
                return None
            if self.qualified_name(func.value) in SQL_MIGRATION_OBJECTS:
                return None
        positional = [arg.value for arg in node.args if arg.keyword is None]
        keywords = {arg.keyword.value: arg.value for arg in node.args if arg.keyword is not None}
        if positional:
            return positional[0]
        return next((keywords[k] for k in sorted(SQL_KEYWORDS) if k in keywords), None)

    def _whole_table(self, node: cst.Call, qualified: str | None) -> str | None:
        """`pd.read_sql_table("t", con)` without `columns=`, `spark.table("t")`,
        `spark.read.table("t")`: the table's name (or "") when the call reads every column."""
        func = node.func
        positional = [arg.value for arg in node.args if arg.keyword is None]
        keywords = {arg.keyword.value: arg.value for arg in node.args if arg.keyword is not None}
        if qualified in WHOLE_TABLE_READERS:
            if "columns" in keywords or len(positional) > WHOLE_TABLE_READERS[qualified]:
                return None
        elif not (
            isinstance(func, cst.Attribute)
            and func.attr.value == "table"
            and (
                _is_name(func.value, "spark")
                or (isinstance(func.value, cst.Attribute) and func.value.attr.value == "read")
            )
        ):
            return None
        name = positional[0] if positional else keywords.get("table_name", keywords.get("tableName"))
        if name is None:
            return None
        ok, text = literal_value(name)
        return text if ok and isinstance(text, str) else ""

    def _note_model_input(self, node: cst.Call) -> None:
        """A model call (`fit`, `predict`, `transform`, `cross_val_score`, `xgb.train`, ...): the
        query rows its arguments carry become the model's inputs."""
        func = node.func
        method = func.attr.value if isinstance(func, cst.Attribute) else None
        if method in MODEL_METHODS:
            self._ml_code = True
        if method in MODEL_INPUT_METHODS or self.qualified_name(func) in MODEL_INPUT_FUNCTIONS:
            if method in SPARK_STAGE_METHODS and self._spark_ml:
                return  # Spark ML stages declare their input columns (`VectorAssembler(inputCols=...)`)
            self._model_inputs.update(id(arg) for arg in node.args)  # read as the traversal reaches them

    def _note_viewing(self, node: cst.Call) -> None:
        """`display(spark.sql(...))`, `print(...)`, `spark.sql(...).show()`: rows shown to a person
        in a notebook or a console are not a model's inputs."""
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in VIEWING_METHODS:
            self._view_chain(func.value)
            return
        qualified = self.qualified_name(func)
        spelled = func.value if isinstance(func, cst.Name) else None
        if qualified in VIEWING_FUNCTIONS or (qualified is None and spelled in VIEWING_GLOBALS):
            for arg in node.args:
                self._view_chain(arg.value)

    def _view_chain(self, value: cst.BaseExpression) -> None:
        """Mark the calls of a method chain (`con.execute(...).fetchall()`) as viewed."""
        while isinstance(value, cst.Call):
            self._viewed.add(id(value))
            if not isinstance(value.func, cst.Attribute):
                return
            value = value.func.value

    # Deciding, once a scope's bindings are all known ----------------------------------------
    def settle(self, frame: _Frame) -> None:
        for node, callee, argument, scope in frame.pending:
            fed = id(node) in frame.reached
            if not fed and id(node) not in frame.returned:
                continue  # the rows reach no model here: shown, written, or narrowed to named columns
            if isinstance(argument, str):
                table = f"`{argument}`" if argument else None
                what = f"reads every column of {table or 'a table'}"
            else:
                table = self._star_table(argument, scope)
                if table is None:
                    continue
                what = f"runs `SELECT *` on {table}"
            if not fed and (table is None or not table.startswith("`") or _SHOWN_HOLE in table):
                continue  # a helper that returns whatever table its caller names: the caller decides
            self._found.append((node, callee, what, fed or frame.loads_data))

    def _star_table(self, argument: cst.BaseExpression, scope: Scope) -> str | None:
        """How to name the table a select-star query reads, when every value the argument may
        hold is one; else None."""
        # `sql += " WHERE ..."` keeps the select list: only how each value starts matters. What a
        # query selects does not depend on `exec(...)` rebinding its name (`dynamic=False`).
        values = self.constants.values(argument, scope, appends=True, dynamic=False)
        if not values:
            return None
        tables: list[str] = []
        for value, where in values:
            text = self.constants.text(value, where, wrappers=SQL_TEXT_WRAPPERS, dynamic=False)
            if text is None or sql_statement(text.value) not in ("SELECT", "WITH"):
                return None
            table = select_star_table(text.value)
            if table is None:
                return None
            tables.append(table)
        if len(set(tables)) == 1 and tables[0]:
            return f"`{tables[0]}`"
        return "a table named at run time" if len(set(tables)) == 1 or "" in tables else "its tables"


def _names_a_loader(name: str) -> bool:
    """`load_contracts`, `fetch_training_rows`, `get_features`: a function that loads data."""
    words = name_words(name.lstrip("_"))
    if not words:
        return False
    return words[0] in DATA_LOADER_VERBS or any(word in DATA_WORDS for word in words[1:])


def _is_name(node: cst.BaseExpression, name: str) -> bool:
    return isinstance(node, cst.Name) and node.value == name


def _selects_columns(node: cst.Subscript) -> bool:
    """`frame["label"]`, `frame[FEATURES]`, `frame[["a", "b"]]`, `frame[cfg.cols]`,
    `frame[model["num_features"]]`, `frame.loc[:, cols]`: a selection of named columns. Row
    filters (`frame[frame.x > 0]`), slices and computed indexes (`frame[frame.columns[1:]]`) keep
    every column."""
    elements = list(node.slice)
    value = node.value
    if isinstance(value, cst.Attribute) and value.attr.value in ("loc", "iloc"):
        if len(elements) != 2:
            return False
        elements = elements[1:]
    if len(elements) != 1 or not isinstance(elements[0].slice, cst.Index):
        return False
    return _names_columns(elements[0].slice.value)


def _names_columns(index: cst.BaseExpression) -> bool:
    """A column name or a list of them: `"label"`, `FEATURES`, `cfg.cols`, `model["num_features"]`,
    `["a", "b"]`, `FEATURES + ["label"]`."""
    if isinstance(index, cst.List | cst.Tuple):
        return bool(index.elements) and all(
            isinstance(element.value, cst.SimpleString | cst.FormattedString) for element in index.elements
        )
    if isinstance(index, cst.Subscript):
        return all(
            isinstance(element.slice, cst.Index) and isinstance(element.slice.value, cst.SimpleString)
            for element in index.slice
        )
    if isinstance(index, cst.BinaryOperation) and isinstance(index.operator, cst.Add):
        return _names_columns(index.left) and _names_columns(index.right)
    return isinstance(index, cst.SimpleString | cst.FormattedString | cst.Name | cst.Attribute)


# --- Reading the SQL --------------------------------------------------------------------------

_Item: TypeAlias = "str | list[_Item]"  # a token, or a parenthesized group of items

_NOISE = re.compile(r"--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'", re.DOTALL)
_TOKEN = re.compile(r'"[^"]*"|`[^`]*`|\[[^\]]*\]|[A-Za-z_][\w$]*|\d+(?:\.\d+)?|\S')
_SELECT_MODIFIERS = frozenset(
    {"DISTINCT", "ALL", "DISTINCTROW", "STRAIGHT_JOIN", "SQL_NO_CACHE", "SQL_CALC_FOUND_ROWS"}
)
_FROM_END = frozenset(
    {"WHERE", "GROUP", "ORDER", "HAVING", "LIMIT", "UNION", "INTERSECT", "EXCEPT", "MINUS", "QUALIFY",
     "WINDOW", "OFFSET", "FETCH", "FOR", "SELECT"}
)  # fmt: skip
_JOIN_WORDS = frozenset(
    {"JOIN", "LEFT", "RIGHT", "INNER", "OUTER", "FULL", "CROSS", "NATURAL", "LATERAL", "SEMI", "ANTI"}
)
_SOURCE_END = frozenset({"ON", "USING"})
_NOT_ALIASES = (
    frozenset({"AS", "TABLESAMPLE", "WITH", "FINAL", "SAMPLE", "PARTITION", "FOR"}) | _JOIN_WORDS | _SOURCE_END
)


def select_star_table(text: str) -> str | None:
    """For an SQL query whose result columns include a star over a table (`SELECT *`,
    `SELECT t.*`), the table's name ("" when it is an f-string hole); else None."""
    cleaned = _NOISE.sub(lambda m: "''" if m.group().startswith("'") else " ", text)
    cleaned = cleaned.replace(_HOLE, f" {_HOLE_NAME} ")
    tokens = _TOKEN.findall(cleaned)
    items = _group(tokens)
    if items is None:
        return None
    return _query_star(items, {}, 0)


def _group(tokens: list[str]) -> list[_Item] | None:
    """Nest the tokens at their parentheses; None when they do not balance."""
    stack: list[list[_Item]] = [[]]
    for token in tokens:
        if token == "(":
            stack.append([])
        elif token == ")":
            if len(stack) == 1:
                return None
            inner = stack.pop()
            stack[-1].append(inner)
        else:
            stack[-1].append(token)
    return stack[0] if len(stack) == 1 else None


def _word(item: _Item | None) -> str:
    return item.upper() if isinstance(item, str) else ""


def _query_star(items: list[_Item], ctes: dict[str, list[_Item]], depth: int) -> str | None:
    """The star table of a query (`WITH ... SELECT ...`, set operations included), else None."""
    if depth > _SUBQUERY_DEPTH:
        return None
    while len(items) == 1 and isinstance(items[0], list):
        items = items[0]  # `(SELECT ...)`
    ctes = dict(ctes)
    index = 0
    if _word(items[0] if items else None) == "WITH":
        index = 1
        if _word(items[index] if index < len(items) else None) == "RECURSIVE":
            index += 1
        while index < len(items):
            name = items[index]
            if not isinstance(name, str):
                return None
            index += 1
            if index < len(items) and isinstance(items[index], list):
                index += 1  # the CTE's column list
            if _word(items[index] if index < len(items) else None) != "AS":
                return None
            index += 1
            while _word(items[index] if index < len(items) else None) in ("NOT", "MATERIALIZED"):
                index += 1
            body = items[index] if index < len(items) else None
            if not isinstance(body, list):
                return None
            ctes[_unquote(name).lower()] = body
            index += 1
            if index < len(items) and items[index] == ",":
                index += 1
                continue
            break
    main = items[index:]
    selects = [i for i, item in enumerate(main) if _word(item) == "SELECT"]
    if not selects:
        # `(SELECT ...) UNION (SELECT ...)`: each parenthesized branch is a query of its own.
        for item in main:
            if isinstance(item, list) and _word(item[0] if item else None) in ("SELECT", "WITH"):
                table = _query_star(item, ctes, depth + 1)
                if table is not None:
                    return table
        return None
    bounds = [*selects, len(main)]
    for start, end in zip(bounds, bounds[1:]):
        table = _select_star(main[start + 1 : end], ctes, depth)
        if table is not None:
            return table
    return None


def _select_star(items: list[_Item], ctes: dict[str, list[_Item]], depth: int) -> str | None:
    """The star table of one `SELECT <list> FROM <sources> ...` (the items after SELECT)."""
    index = 0
    while index < len(items):
        word = _word(items[index])
        if word in _SELECT_MODIFIERS:
            index += 1
            if word == "DISTINCT" and _word(items[index] if index < len(items) else None) == "ON":
                index += 2  # DISTINCT ON (columns)
        elif word == "TOP":
            index += 2  # TOP 10, TOP (10)
            if _word(items[index] if index < len(items) else None) == "PERCENT":
                index += 1
        else:
            break
    from_at = next((i for i in range(index, len(items)) if _word(items[i]) == "FROM"), None)
    if from_at is None:
        return None
    qualifiers = map(_star_qualifier, _split(items[index:from_at], ","))
    stars = [qualifier for qualifier in qualifiers if qualifier is not None]
    if not stars:
        return None
    end = next((i for i in range(from_at + 1, len(items)) if _word(items[i]) in _FROM_END), len(items))
    if _is_schema_probe(items[end:]):
        return None
    sources = _sources(items[from_at + 1 : end])
    for qualifier in stars:
        chosen = [s for s in sources if qualifier == "" or qualifier in (s[0].lower(), s[2].lower())]
        if not chosen:
            return None  # a qualifier we cannot place: stay silent
        for alias, body, name in chosen:
            if body is not None:
                table = _query_star(body, ctes, depth + 1)
            elif not name:
                table = None  # a parenthesized join: too rare to read
            elif name.lower() in ctes:
                table = _query_star(ctes[name.lower()], {k: v for k, v in ctes.items() if k != name.lower()}, depth + 1)
            elif name.lower().startswith(SQL_CATALOG_PREFIXES):
                table = None
            else:
                table = "" if name == _HOLE_NAME else name.replace(_HOLE_NAME, _SHOWN_HOLE)
            if table is not None:
                return table
    return None


def _split(items: list[_Item], separator: str) -> list[list[_Item]]:
    parts: list[list[_Item]] = [[]]
    for item in items:
        if item == separator:
            parts.append([])
        else:
            parts[-1].append(item)
    return parts


def _star_qualifier(item: list[_Item]) -> str | None:
    """"" for a bare `*`, the qualifier for `t.*` (`schema.t.*` -> `t`), else None (an expression)."""
    if not item:
        return None
    if item[0] == "*":
        return "" if len(item) == 1 or _word(item[1]) in ("EXCEPT", "EXCLUDE", "REPLACE", "RENAME") else None
    for index in range(1, len(item) - 1):
        if item[index] == "." and item[index + 1] == "*":
            head = item[:index]
            if all(isinstance(part, str) for part in head) and all(
                part == "." if position % 2 else part != "." for position, part in enumerate(head)
            ):
                rest = item[index + 2 :]
                if not rest or _word(rest[0]) in ("EXCEPT", "EXCLUDE", "REPLACE", "RENAME"):
                    return _unquote(str(head[-1])).lower()
            return None
    return None


def _sources(items: list[_Item]) -> list[tuple[str, list[_Item] | None, str]]:
    """(alias, subquery items or None, table name) for each source of a FROM clause."""
    chunks: list[list[_Item]] = [[]]
    for item in items:
        word = _word(item)
        if item == "," or word == "JOIN":
            chunks.append([])
        elif word in _JOIN_WORDS:
            continue
        else:
            chunks[-1].append(item)
    sources = []
    for chunk in chunks:
        cut = next((i for i, item in enumerate(chunk) if _word(item) in _SOURCE_END), len(chunk))
        chunk = chunk[:cut]
        if not chunk:
            continue
        head = chunk[0]
        if isinstance(head, list):
            body = head if _word(head[0] if head else None) in ("SELECT", "WITH") else None
            rest = chunk[1:]
            name = ""  # a subquery, or a parenthesized join
        else:
            parts = [str(head)]
            position = 1
            while position + 1 < len(chunk) and chunk[position] == "." and isinstance(chunk[position + 1], str):
                parts.append(str(chunk[position + 1]))
                position += 2
            if position < len(chunk) and isinstance(chunk[position], list):
                position += 1  # a table function: read_parquet('...'), UNNEST(...)
            name = ".".join(_unquote(part) for part in parts)
            body = None
            rest = chunk[position:]
        if rest and _word(rest[0]) == "AS":
            rest = rest[1:]
        alias = ""
        if rest and isinstance(rest[0], str) and _word(rest[0]) not in _NOT_ALIASES and re.match(r'[\w"`\[]', rest[0]):
            alias = _unquote(rest[0])
        sources.append((alias, body, name))
    # A source without an alias is qualified by its table's last name part (`events.*` for
    # `warehouse.events`); the full name is kept for the message.
    return [(alias or name.rsplit(".", 1)[-1], body, name) for alias, body, name in sources]


def _is_schema_probe(tail: list[_Item]) -> bool:
    """`... LIMIT 0`, `... WHERE 1 = 0`, `... WHERE FALSE`: a query for the columns, not the rows."""
    words = [_word(item) if isinstance(item, str) else "(" for item in tail]
    text = " ".join(words)
    return bool(re.search(r"\bLIMIT 0\b|\bWHERE (?:1 = 0|0 = 1|1 = 2|FALSE)\b|\bTOP 0\b", text))


def _unquote(name: str) -> str:
    if len(name) >= 2 and name[0] + name[-1] in ('""', "``", "[]"):
        return name[1:-1]
    return name
