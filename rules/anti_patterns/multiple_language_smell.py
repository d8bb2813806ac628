"""MLD509 multiple-language-smell: code in another language run from Python."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst

from mldebt import FileContext, Invalid, Section, Severity, Valid, literal_value
from mldebt.constants import SettledByScope, Scope
from mldebt.knowledge.languages import (
    CELL_MAGICS,
    COMMAND_SPLITTERS,
    INTERPRETERS,
    NOTEBOOK_FRONTEND_WORDS,
    PACKAGE_MANAGERS,
    PROCESS_ARGS_FUNCTIONS,
    PROCESS_FUNCTIONS,
    R_EVALUATORS,
    R_IMPORTERS,
    SCRIPT_EXTENSIONS,
    SHELL_FUNCTIONS,
    SQL_FUNCTIONS,
    SQL_KEYWORDS,
    SQL_METHODS,
    SQL_MIGRATION_OBJECTS,
    SQL_TEXT_WRAPPERS,
    sql_statement,
)
from mldebt.names import callee_spelling
from mldebt.walker import walk

SHELL = "a shell command"

# Cell magics written in a notebook itself (`%%bash` as a cell's first line) reach the rule
# as the engine masks them: the call IPython makes, `get_ipython().run_cell_magic(...)`, on
# the magic's line (`CELL_MAGICS` in the knowledge base says which magics count).


@dataclass(frozen=True)
class _Pending:
    """A call to decide once the enclosing scope's assignments are all known."""

    node: cst.CSTNode
    callee: str
    kind: str  # "sql", "shell", "process", "program"
    argument: cst.BaseExpression | None
    scope: Scope  # where the argument is read
    shell: bool = False


@dataclass
class _Frame:
    """The calls of a function (or the module, or a class body) to decide once it is read."""

    pending: list[_Pending] = field(default_factory=list)


class MultipleLanguageSmell(SettledByScope[_Frame]):
    """
    ## What it does
    Finds code in another language run from Python:
    - SQL text (a string that starts, after whitespace and comments, with `SELECT`, `WITH`,
      `INSERT`, `UPDATE`, `DELETE`, `CREATE` or `MERGE` and has a `FROM`, `INTO`, `TABLE` or
      `SET`) passed to `execute`/`executemany`, `read_sql*`, `spark.sql`, `query`,
      `pd.read_gbq`, `duckdb.sql` and the like, or read from a `.sql` file and passed to them;
    - shell command strings: `os.system`, `os.popen`, `subprocess.getoutput`, and
      `subprocess.*` with `shell=True` or a whole command line given as one string;
    - other interpreters started through `subprocess` (`Rscript`, `R`, `java`, `scala`,
      `spark-submit`, `julia`, `node`, `matlab`, `octave`, `bash`, SQL clients, ...) or
      script files (`fit.R`, `run.sh`, `mountain.pl`) as the first element of an argv list
      or the first word of a command string;
    - R through rpy2: `robjects.r(...)`, `ro.r["lm"]`, `importr("stats")`;
    - cell magics that run another language (`%%bash`, `%%sh`, `%%sql`, `%%R`,
      `%%javascript`): in a notebook's cells, and as a notebook exported to `.py` spells
      them, `get_ipython().run_cell_magic("bash", ...)`.

    A variable holding the SQL text or the command is followed to a literal assigned in the
    same function or at module level; anything else stays silent. Not flagged: argv lists
    that start another program without a shell (`subprocess.run(["git", "rev-parse",
    "HEAD"])`), Python itself (`[sys.executable, ...]`), pandas `DataFrame.query("a > 1")`,
    Alembic migrations (`op.execute(...)`, where SQL is the point), tests (which set up
    databases and run tools as they must), shell commands that only install packages
    (`os.system("pip install -q timm")`, `%%sh` with `pip`/`conda`/`apt-get` lines:
    environment setup, not the system's logic), and `%%javascript` cells that tweak the
    notebook's own front end (`IPython.OutputArea...`).

    ## Why is this bad?
    The paper lists the multiple-language smell among the ML-system anti-patterns (§5):
    pieces of a system written in SQL, shell, R or a JVM language and glued in as strings
    are invisible to Python's tools: they are not type-checked, linted, unit-tested or
    refactored with the rest, their errors surface only at run time, and every engineer has
    to know every language to change the system. Each one is a seam that costs testing and
    ownership.

    ## Example
    ```python
    frame = pd.read_sql("SELECT user_id, clicks FROM events WHERE day = '2024-01-01'", engine)
    os.system("Rscript fit_survival.R data.csv")
    ```

    Use instead: keep the foreign code in its own files with its own tests and owners, and
    call it through one typed interface (a query builder such as SQLAlchemy Core, a versioned
    `.sql` file loaded by a small tested module, a library API instead of a shell command),
    or port small pieces to Python.

    ## References
    - Sculley et al. (2015), §5 "ML-System Anti-Patterns", Multiple-Language Smell
    """

    CODE = "MLD509"
    NAME = "multiple-language-smell"
    SEVERITY = Severity.INFO
    SECTION = Section.MULTIPLE_LANGUAGE_SMELL
    SUMMARY = "SQL, shell, R or another language run from Python as strings"
    MESSAGE = "`{callee}(...)` runs {language} from Python"

    VALID = [
        Valid('import subprocess\nsubprocess.run(["git", "rev-parse", "HEAD"], check=True)\n'),
        Valid('import subprocess, sys\nsubprocess.run([sys.executable, "-m", "pip", "install", "x"])\n'),
        Valid('import subprocess\nsubprocess.check_output("nvidia-smi")\n'),
        Valid('adults = frame.query("age > 17 and country == \'FR\'")\n'),
        Valid('answer = index.query("Select the best model from the leaderboard")\n'),
        Valid('answer = engine.query("With the data from last week, what changed?")\n'),
        Valid(
            """
            def load(cursor, sql):
                cursor.execute(sql)
                return cursor.fetchall()
            """
        ),
        Valid(
            """
            def load(cursor, table):
                query = build_query(table)
                cursor.execute(query)
            """
        ),
        Valid('cursor.execute("PRAGMA journal_mode=WAL")\n'),
        Valid('log.info("SELECT * FROM events")\n'),
        Valid('import subprocess\nsubprocess.run(["python", "train.py"], check=True)\n'),
        Valid('import subprocess\nsubprocess.run(command, shell=use_shell)\n'),
        Valid('frame = pd.read_sql_table("events", engine)\n'),
        Valid('r = Rscript("x")\nr("summary(fit)")\n'),
        Valid('from alembic import op\nop.execute("UPDATE evaluations SET value = stochastic_value")\n'),
        Valid('cursor.execute("CREATE TABLE t (a INT)")\n', path="tests/test_db.py"),
        Valid('get_ipython().system("pip install -q lightgbm")\nget_ipython().run_cell_magic("time", "", "fit()")\n'),
        Valid('import subprocess\nsubprocess.run(["./train.py", "--epochs", "3"])\n'),
        Valid('import os\nos.system("pip install -q timm && sudo apt-get install -y graphviz")\n'),
        Valid('import os\nos.system("python -m pip install --no-index --find-links=../input/wheels transformers")\n'),
        Valid('get_ipython().run_cell_magic("sh", "", "pip install -q timm\\npip install -q albumentations\\n")\n'),
        Valid(
            'get_ipython().run_cell_magic("javascript", "", "IPython.OutputArea.prototype._should_scroll = '
            'function(lines) { return false; }")\n'
        ),
        # A notebook: Python cell magics, line magics, and a cell that only installs packages.
        Valid(
            """
            # %%
            %matplotlib inline
            !pip install -q lightgbm
            # %%
            %%time
            model.fit(X, y)
            # %%
            %%sh
            pip install -q timm
            """,
            path="explore.ipynb",
        ),
    ]
    INVALID = [
        Invalid(
            'frame = pd.read_sql("SELECT user_id, clicks FROM events", engine)\n',
            message="`pd.read_sql(...)` runs SQL (`SELECT`) from Python",
        ),
        Invalid(
            """
            import sqlite3
            cursor = sqlite3.connect("db.sqlite").cursor()
            cursor.executemany(\"\"\"
                -- load the day's clicks
                INSERT INTO clicks (user_id, n) VALUES (?, ?)
            \"\"\", rows)
            """,
            line=3,
        ),
        Invalid('frame = spark.sql(f"select * from {table} where day = \'{day}\'")\n'),
        Invalid('rows = client.query("WITH recent AS (SELECT * FROM t) SELECT id FROM recent").result()\n'),
        Invalid(
            """
            from sqlalchemy import text
            with engine.connect() as con:
                con.execute(text("DELETE FROM tb_churn WHERE dt_ref = :day"), {"day": day})
            """
        ),
        Invalid(
            """
            FEATURES_SQL = "SELECT id, age, income FROM customers"
            def load(engine):
                return pd.read_sql(FEATURES_SQL, engine)
            """
        ),
        Invalid(
            """
            def load(cursor, day):
                sql = "UPDATE runs SET done = 1 WHERE day = %s"
                cursor.execute(sql, (day,))
            """
        ),
        Invalid('frame = pd.read_sql(open("queries/features.sql").read(), engine)\n'),
        Invalid(
            'import os\nos.system("wget -q https://example.com/data.zip && unzip data.zip")\n',
            message="`os.system(...)` runs a shell command from Python",
        ),
        Invalid('import os\nfree = os.popen(command).read()\n'),
        Invalid('import subprocess\nsubprocess.run("ls data/*.csv | wc -l", shell=True)\n'),
        Invalid('from subprocess import check_output\nsha = check_output("git rev-parse HEAD").strip()\n'),
        Invalid(
            'import subprocess\nsubprocess.run(["Rscript", "fit_survival.R", "data.csv"], check=True)\n',
            message="`subprocess.run(...)` runs R (`Rscript`) from Python",
        ),
        Invalid('import subprocess as sp\nsp.Popen(["/opt/spark/bin/spark-submit", "--master", "yarn", "job.jar"])\n'),
        Invalid('import subprocess, shlex\nsubprocess.call(shlex.split("java -jar tika.jar in.pdf"))\n'),
        Invalid(
            """
            import subprocess
            def export():
                cmd = ["node", "render.js"]
                subprocess.check_call(cmd)
            """
        ),
        Invalid(
            'import rpy2.robjects as ro\nfit = ro.r("lm(y ~ x, data = df)")\n',
            message="`ro.r(...)` runs R (through rpy2) from Python",
        ),
        Invalid('import rpy2.robjects as ro\nlm = ro.r["lm"]\n'),
        Invalid('from rpy2.robjects.packages import importr\nsurvival = importr("survival")\n'),
        Invalid('import subprocess\nout = subprocess.check_output("./mountain.pl dot.ps", shell=True)\n'),
        Invalid('import subprocess\nsubprocess.run(["scripts/fit_model.R", "--fast"], check=True)\n'),
        Invalid(
            'get_ipython().run_cell_magic("bash", "", "wget -q https://example.com/x.zip\\nunzip x.zip\\n")\n',
            message="`get_ipython().run_cell_magic(...)` runs a shell script (`%%bash`) from Python",
        ),
        # A notebook's own cell magics, at the magic's line.
        Invalid(
            """
            # %% [markdown]
            # Fetch the data
            # %%
            import pandas as pd
            # %%
            %%bash
            wget -q https://example.com/x.zip
            unzip x.zip
            """,
            line=6,
            column=1,
            message="a `%%bash` cell runs a shell script in the notebook",
            path="explore.ipynb",
        ),
        Invalid(
            """
            # %%
            %%sql
            SELECT user_id, count(*) FROM clicks GROUP BY user_id
            """,
            line=2,
            path="notebooks/report.ipynb",
        ),
    ]

    @classmethod
    def applies_to(cls, context: FileContext) -> bool:
        return not context.is_test  # silent in tests, and records nothing there

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Tests set up databases and run tools as they must; the smell is in the system itself.
        self._silent = self.context.is_test

    # Scopes -------------------------------------------------------------------------------
    def new_frame(self, node: cst.FunctionDef | cst.ClassDef | None) -> _Frame:
        return _Frame()

    # Calls and subscripts -----------------------------------------------------------------
    def visit_Subscript(self, node: cst.Subscript) -> None:
        if self._silent:
            return
        if self.qualified_name(node.value) in R_EVALUATORS:
            self.report(node, message=f"`{callee_spelling(node)}` runs R (through rpy2) from Python")

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        if self._silent:
            return
        func = node.func
        qualified = self.qualified_name(func) or ""
        if qualified in R_EVALUATORS or qualified.startswith(_R_EVALUATOR_PREFIXES):
            self.report(node, callee=callee_spelling(func), language="R (through rpy2)")
            return
        if qualified in R_IMPORTERS:
            self.report(node, callee=callee_spelling(func), language="R (through rpy2)")
            return
        magic = _cell_magic(node)
        if magic is not None:
            if self.context.is_notebook:  # the engine hands a notebook's cell magic over as this call
                self.report(node, message=f"a `%%{magic}` cell runs {CELL_MAGICS[magic]} in the notebook")
            else:
                self.report(node, callee=callee_spelling(func), language=f"{CELL_MAGICS[magic]} (`%%{magic}`)")
            return
        # Most calls run no other language: decide that before looking at the arguments.
        if qualified in SHELL_FUNCTIONS:
            kind = "shell"
        elif qualified in PROCESS_FUNCTIONS:
            kind = "process"
        elif qualified in PROCESS_ARGS_FUNCTIONS:
            kind = "program"
        elif qualified in SQL_FUNCTIONS or (
            isinstance(func, cst.Attribute)
            and func.attr.value in SQL_METHODS
            and self.qualified_name(func.value) not in SQL_MIGRATION_OBJECTS
        ):
            kind = "sql"
        else:
            return
        if any(arg.star for arg in node.args):
            return  # the command or query may hide in the unpacked arguments
        positional = [arg.value for arg in node.args if arg.keyword is None]
        keywords = {arg.keyword.value: arg.value for arg in node.args if arg.keyword is not None}
        first = positional[0] if positional else None
        scope = self.constants.scope
        pending: _Pending | None = None
        if kind == "shell":
            pending = _Pending(node, callee_spelling(func), "shell", first if first is not None else keywords.get("cmd"), scope)
        elif kind == "process":
            command = first if first is not None else keywords.get("args")
            shell = keywords.get("shell")
            pending = _Pending(node, callee_spelling(func), "process", command, scope, _is_true(shell))
        elif kind == "program":
            pending = _Pending(node, callee_spelling(func), "program", first, scope)
        else:
            sql = first
            if sql is None:
                sql = next((keywords[k] for k in sorted(SQL_KEYWORDS) if k in keywords), None)
            if sql is not None:
                pending = _Pending(node, callee_spelling(func), "sql", sql, scope)
        if pending is not None:
            self.frames[-1].pending.append(pending)

    # Deciding, once a scope's bindings are all known ----------------------------------------
    def settle(self, frame: _Frame) -> None:
        for pending in frame.pending:
            language = self._language(pending)
            if language is not None:
                self.report(pending.node, callee=pending.callee, language=language)

    def _language(self, pending: _Pending) -> str | None:
        # `sql += " WHERE ..."`, `cmd += " --fast"` keep how the text starts, which is what decides;
        # so does a name that `exec(...)` may rebind (`dynamic=False`): the language is the question.
        argument = pending.argument
        values = (
            self.constants.values(argument, pending.scope, appends=True, dynamic=False) if argument is not None else None
        )
        if pending.kind == "sql":
            return self._sql(values)
        if pending.kind == "shell" or pending.shell:
            texts = [self._text(value, where) for value, where in values or []]
            if texts and all(text is not None and _only_installs_packages(text) for text in texts):
                return None  # `os.system("pip install -q timm")`: environment setup
            # The call runs a shell whatever the command: name its program when we know it.
            languages = {self._command_language(value, where) for value, where in values or []}
            languages.discard(None)
            return languages.pop() if len(languages) == 1 else SHELL
        if not values:
            return None
        languages = set()
        for value, where in values:
            if pending.kind == "program":
                program = self._string(value, where)
                languages.add(_interpreter(program) if program is not None else None)
            else:
                languages.add(self._command_language(value, where, as_process=True))
        if len(languages) != 1:
            return None
        return languages.pop()

    def _sql(self, values: list[tuple[cst.BaseExpression, Scope]] | None) -> str | None:
        if not values:
            return None
        statements = set()
        for value, where in values:
            text = self._text(value, where)
            if text is not None:
                statements.add(sql_statement(text))
            elif _reads_sql_file(value):
                statements.add("file")
            else:
                return None
        if None in statements or not statements:
            return None
        statements.discard("file")
        if len(statements) == 1:
            return f"SQL (`{statements.pop()}`)"
        return "SQL"

    def _command_language(self, value: cst.BaseExpression, scope: Scope, as_process: bool = False) -> str | None:
        """The language of a command: an interpreter's, a shell's for a command line, else None."""
        program = self._argv_program(value, scope)
        if program is not None:
            return _interpreter(program)
        text = self._text(value, scope)
        if text is None:
            return None
        words = text.split()
        if not words:
            return None
        language = _interpreter(words[0])
        if language is not None:
            return language
        if as_process and len(words) == 1:
            return None  # `subprocess.run("nvidia-smi")`: one program, no command line
        return SHELL

    def _argv_program(self, value: cst.BaseExpression, scope: Scope) -> str | None:
        """The program of an argv list (`["Rscript", ...]`, `shlex.split("java ...")`), else None."""
        if isinstance(value, cst.List | cst.Tuple):
            if not value.elements or isinstance(value.elements[0], cst.StarredElement):
                return None
            first = value.elements[0].value
            return self._string(first, scope)
        if isinstance(value, cst.Call):
            func = value.func
            positional = [arg.value for arg in value.args if arg.keyword is None and not arg.star]
            split_string = isinstance(func, cst.Attribute) and func.attr.value == "split" and not value.args
            if self.qualified_name(func) in COMMAND_SPLITTERS and positional:
                text = self._text(positional[0], scope)
            elif split_string and isinstance(func, cst.Attribute):
                text = self._text(func.value, scope)
            else:
                return None
            words = text.split() if text is not None else []
            return words[0] if words else None
        return None

    def _string(self, value: cst.BaseExpression, scope: Scope) -> str | None:
        """A plain string value (following names to their one literal), else None."""
        ok, text = self.constants.literal(value, scope, dynamic=False)
        return text if ok and isinstance(text, str) else None

    def _text(self, value: cst.BaseExpression, scope: Scope) -> str | None:
        """The text of a string expression, with holes for what is not known, else None."""
        text = self.constants.text(value, scope, wrappers=SQL_TEXT_WRAPPERS, dynamic=False)
        return None if text is None else text.value


def _interpreter(program: str) -> str | None:
    """The language that `program` runs: an interpreter (a path, maybe with `.exe`), or a
    script file named by its extension."""
    name = program.replace("\\", "/").rsplit("/", 1)[-1]
    if name.lower().endswith(".exe"):
        name = name[:-4]
    language = INTERPRETERS.get(name)
    if language is not None:
        return f"{language} (`{name}`)"
    stem, dot, extension = name.rpartition(".")
    if stem and dot:
        language = SCRIPT_EXTENSIONS.get("." + extension)
        if language is not None:
            return f"{language} (`{name}`)"
    return None


def _cell_magic(call: cst.Call) -> str | None:
    """The magic of `get_ipython().run_cell_magic("bash", "", "...")` (a notebook exported to
    `.py`) when it runs another language, else None."""
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "run_cell_magic"):
        return None
    owner = func.value
    if not (isinstance(owner, cst.Call) and isinstance(owner.func, cst.Name) and owner.func.value == "get_ipython"):
        return None
    if len(call.args) < 3:
        return None
    ok, magic = literal_value(call.args[0].value)
    if not (ok and isinstance(magic, str) and magic in CELL_MAGICS):
        return None
    ok, body = literal_value(call.args[2].value)
    if ok and isinstance(body, str):
        if CELL_MAGICS[magic].startswith("a shell") and _only_installs_packages(body):
            return None
        if "JavaScript" in CELL_MAGICS[magic] and any(word in body.lower() for word in NOTEBOOK_FRONTEND_WORDS):
            return None
    return magic


def _only_installs_packages(command: str) -> bool:
    """Whether every command of a shell text installs packages (`pip install -q x && apt-get ...`)."""
    commands = [part.strip() for part in re.split(r"\n|&&|\|\||;", command)]
    commands = [part for part in commands if part and not part.startswith("#")]
    if not commands:
        return False
    for part in commands:
        words = part.split()
        while words and (words[0] == "sudo" or "=" in words[0]):
            words = words[1:]  # `sudo apt-get ...`, `PIP_NO_CACHE=1 pip ...`
        if not words:
            return False
        program = words[0].rsplit("/", 1)[-1]
        if program in PACKAGE_MANAGERS:
            continue
        if program.startswith("python") and words[1:3] == ["-m", "pip"]:
            continue
        return False
    return True


def _reads_sql_file(value: cst.BaseExpression) -> bool:
    """Whether an expression reads a `.sql` file: `open("q.sql").read()`, `load_query("q.sql")`."""
    if not isinstance(value, cst.Call):
        return False
    found = False

    class _Finder(cst.CSTVisitor):
        def visit_SimpleString(self, node: cst.SimpleString) -> None:
            nonlocal found
            ok, text = literal_value(node)
            if ok and isinstance(text, str) and text.lower().endswith(".sql"):
                found = True

    walk(value, _Finder())
    return found


_R_EVALUATOR_PREFIXES = tuple(f"{name}." for name in R_EVALUATORS)


def _is_true(node: cst.BaseExpression | None) -> bool:
    return isinstance(node, cst.Name) and node.value == "True"
