"""Entry points that run code written in another language from Python (SQL, shell, R, JVM, ...).

Plain tables, plus one small text test (`sql_statement`) that every rule reading SQL
strings shares, so that "is this string SQL?" has one answer in the whole tool.
"""

from __future__ import annotations

import re

# --- SQL ---------------------------------------------------------------------------

# The statement keywords an SQL string starts with (after whitespace and comments).
SQL_STATEMENT_KEYWORDS = frozenset({"SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "CREATE", "MERGE"})

# The clause keywords an SQL statement contains: a string must have one of them too, so
# that "Select a model" or "Update the weights" is prose, not SQL.
SQL_CLAUSE_KEYWORDS = frozenset({"FROM", "INTO", "TABLE", "SET"})

# Methods that take SQL text as their first argument, whatever the receiver: DB-API
# cursors and connections, SQLAlchemy connections and sessions, pandas, Spark
# (`spark.sql`), Snowflake/DuckDB (`.sql`, `.query`), BigQuery (`client.query`),
# Django (`Model.objects.raw`). A generic name such as `query` (pandas `DataFrame.query`
# takes an expression) is only SQL when the string itself is SQL text.
SQL_METHODS = frozenset(
    {
        "execute",
        "executemany",
        "executescript",
        "exec_driver_sql",
        "read_sql",
        "read_sql_query",
        "read_gbq",
        "sql",
        "query",
        "raw",
    }
)

# Objects whose SQL methods run schema migrations (Alembic's `op.execute("ALTER ...")`): a
# migration is SQL's own home, not SQL smuggled into Python.
SQL_MIGRATION_OBJECTS = frozenset({"alembic.op"})

# Functions, by qualified name, that take SQL text as their first argument.
SQL_FUNCTIONS = frozenset(
    {
        "pandas.read_sql",
        "pandas.read_sql_query",
        "pandas.read_gbq",
        "pandas_gbq.read_gbq",
        "pandasql.sqldf",
        "duckdb.sql",
        "duckdb.query",
        "duckdb.execute",
    }
)

# Keyword arguments that carry the SQL text when it is not the first positional argument.
SQL_KEYWORDS = frozenset({"sql", "query", "statement", "operation", "stmt"})

# Calls that wrap SQL text without changing it: looked through to find the string.
SQL_TEXT_WRAPPERS = frozenset(
    {
        "sqlalchemy.text",
        "sqlalchemy.sql.text",
        "sqlalchemy.sql.expression.text",
        "textwrap.dedent",
        "inspect.cleandoc",
    }
)

_SQL_COMMENT = re.compile(r"\A(?:\s+|--[^\n]*(?:\n|\Z)|/\*.*?\*/|\()*", re.DOTALL)
_FIRST_WORD = re.compile(r"[A-Za-z]+")
_CLAUSE = re.compile(r"\b(?:FROM|INTO|TABLE|SET)\b", re.IGNORECASE)
# `WITH` starts a common table expression: `WITH name [(columns)] AS (`; anything else is prose.
_CTE = re.compile(r"\AWITH\s+(?:RECURSIVE\s+)?[\w\"`\[\]]+\s*(?:\([^)]*\)\s*)?AS\s*(?:NOT\s+)?(?:MATERIALIZED\s+)?\(", re.IGNORECASE)
# `CREATE` must create an SQL object: `CREATE [OR REPLACE] [TEMP] [EXTERNAL] TABLE|VIEW|...`.
_CREATE = re.compile(
    r"\ACREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:GLOBAL|LOCAL|TEMP|TEMPORARY|UNLOGGED|EXTERNAL|TRANSIENT|VOLATILE"
    r"|MATERIALIZED|UNIQUE|VIRTUAL)\s+)*(?:TABLE|VIEW|INDEX|SCHEMA|DATABASE|SEQUENCE|TRIGGER|FUNCTION|PROCEDURE)\b",
    re.IGNORECASE,
)


def sql_statement(text: str) -> str | None:
    """The statement keyword (`SELECT`, `INSERT`, ...) when `text` is SQL text, else None.

    SQL text starts, after whitespace, `--`/`/* */` comments and opening parentheses,
    with a statement keyword, and has a `FROM`/`INTO`/`TABLE`/`SET` clause keyword.
    The statement keyword is written in upper or lower case (a capitalised `Select ...` is
    a sentence), and `WITH` and `CREATE` must also have their SQL shape (`WITH x AS (`,
    `CREATE TABLE`), which tells them from sentences such as "with the data from ...".
    """
    body = text[_SQL_COMMENT.match(text).end() :]  # type: ignore[union-attr]
    first = _FIRST_WORD.match(body)
    if first is None:
        return None
    spelled = first.group()
    keyword = spelled.upper()
    if keyword not in SQL_STATEMENT_KEYWORDS:
        return None
    if spelled not in (keyword, spelled.lower()):
        return None  # "Select the best model from ...": a sentence; SQL keywords are upper or lower case
    after = body[first.end() :]
    if after and not after[0].isspace() and after[0] not in "*(":
        return None  # `select_all`, `update2`: an identifier, not the keyword
    if _CLAUSE.search(body) is None:
        return None
    if keyword == "WITH" and _CTE.match(body) is None:
        return None
    if keyword == "CREATE" and _CREATE.match(body) is None:
        return None
    return keyword


# --- Shell and other interpreters -----------------------------------------------------

# Functions that always hand their command string to a shell.
SHELL_FUNCTIONS = frozenset(
    {
        "os.system",
        "os.popen",
        "subprocess.getoutput",
        "subprocess.getstatusoutput",
        "commands.getoutput",  # Python 2
        "commands.getstatusoutput",
        "asyncio.create_subprocess_shell",
    }
)

# Functions that start a process from an argv list, or from one command string (which
# is a shell command line with `shell=True`, or a whole command line on Windows).
PROCESS_FUNCTIONS = frozenset(
    {
        "subprocess.run",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.Popen",
    }
)

# Functions that take the program and its arguments as separate positional arguments.
PROCESS_ARGS_FUNCTIONS = frozenset({"asyncio.create_subprocess_exec", "os.execlp", "os.execvp"})

# Calls that turn one command string into an argv list: their string's first word is the program.
COMMAND_SPLITTERS = frozenset({"shlex.split"})

# Programs (first element of an argv list, first word of a command string; a path's
# last segment, `.exe` dropped) that run code in another language, and that language.
INTERPRETERS: dict[str, str] = {
    # R
    "Rscript": "R",
    "R": "R",
    # JVM languages and Spark
    "java": "Java",
    "scala": "Scala",
    "sbt": "Scala",
    "spark-submit": "a Spark job",
    "spark-shell": "Scala (Spark)",
    # Scientific languages
    "julia": "Julia",
    "matlab": "MATLAB",
    "octave": "Octave",
    "octave-cli": "Octave",
    # JavaScript
    "node": "JavaScript (Node.js)",
    "nodejs": "JavaScript (Node.js)",
    # Shell scripts
    "bash": "a shell script",
    "sh": "a shell script",
    "zsh": "a shell script",
    # Other scripting languages
    "perl": "Perl",
    "ruby": "Ruby",
    # SQL command-line clients
    "psql": "SQL",
    "mysql": "SQL",
    "sqlite3": "SQL",
    "bq": "SQL (BigQuery)",
    "hive": "SQL (Hive)",
    "beeline": "SQL (Hive)",
    "spark-sql": "SQL (Spark)",
}

# Script files run directly (`./mountain.pl in.ps`, `["scripts/fit.R"]`): their extension
# names the language.
SCRIPT_EXTENSIONS: dict[str, str] = {
    ".R": "R",
    ".r": "R",
    ".sh": "a shell script",
    ".bash": "a shell script",
    ".pl": "Perl",
    ".rb": "Ruby",
    ".js": "JavaScript (Node.js)",
    ".jl": "Julia",
    ".scala": "Scala",
    ".jar": "Java",
}

# Jupyter cell magics that run another language, and that language. In a `.py` export a
# cell magic reads `get_ipython().run_cell_magic("bash", "", "...")`; notebooks themselves
# arrive with notebook support. Line escapes (`!pip install ...`) are not cell magics.
CELL_MAGICS: dict[str, str] = {
    "bash": "a shell script",
    "sh": "a shell script",
    "sql": "SQL",
    "R": "R",
    "javascript": "JavaScript",
    "js": "JavaScript",
    "perl": "Perl",
    "ruby": "Ruby",
    "julia": "Julia",
    "octave": "Octave",
    "matlab": "MATLAB",
}

# Package managers: a shell command that only installs packages (`pip install -q timm`,
# `apt-get install -y graphviz`) sets up the environment; it is not part of the system's
# logic written in another language.
PACKAGE_MANAGERS = frozenset({"pip", "pip3", "conda", "mamba", "micromamba", "apt", "apt-get", "yum", "brew", "uv"})

# Words in a JavaScript cell that mark it as a tweak of the notebook's own front end
# (`IPython.OutputArea.prototype._should_scroll = ...`), not code of the system.
NOTEBOOK_FRONTEND_WORDS = ("ipython", "jupyter")

# --- R through rpy2 --------------------------------------------------------------------

# Objects whose call (`r("...")`) or subscript (`r["lm"]`) evaluates R code.
R_EVALUATORS = frozenset({"rpy2.robjects.r"})

# Functions that load an R package to call it from Python.
R_IMPORTERS = frozenset({"rpy2.robjects.packages.importr"})

