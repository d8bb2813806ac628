"""MLD803 machine-specific-path: data or model paths that exist on one machine only."""

from __future__ import annotations

import re

import libcst as cst

from mldebt import FileContext, Invalid, Rule, Section, Severity, Valid, literal_value
from mldebt.constants import concatenated_pieces
from mldebt.knowledge import paths as known
from mldebt.names import dotted_name

_SEPARATORS = re.compile(r"[\\/]+")
_HOME_OF_WHOEVER_RUNS_IT = (
    "points into the home folder of whoever runs the code: the data is there only if someone put it there"
)
_ONE_MACHINE = ", which exists on one machine only"
_BUILDER, _FILE_IO, _OTHER = "builder", "io", "other"


class MachineSpecificPath(Rule):
    """
    ## What it does
    Finds absolute paths that exist on one machine only, written into code that reads or
    writes data or models: string literals (also the static start of an f-string, the
    first part of a concatenation, `Path("...")`, `os.path.join("/home/alice", ...)`)
    that start with a user's home folder (`/home/<user>/`, `/Users/<user>/`,
    `C:\\Users\\<user>\\` in any case, with either slash), a Colab Google Drive mount
    (`/content/drive/...`), Kaggle's input folder (`/kaggle/input/...`) or a Windows drive
    mounted in WSL (`/mnt/c/...`); and paths in the home folder of whoever runs the code,
    expanded from `~`: `os.path.expanduser("~/data")`, `Path("~/data").expanduser()`,
    `Path.home() / "data"`, `os.path.join(os.path.expanduser("~"), "data")`, and `~/...`
    given to a pandas reader or writer (pandas expands it).

    An absolute literal is taken as used for data or models wherever code uses it: as an
    argument, an assigned value (module constant or local), a default, a dict or list
    entry; a path that starts in one user's home folder is wrong on every other machine,
    whatever it is used for. Not flagged: docstrings and other bare strings, help and
    description texts (`help=`, `description=`), messages (`print`, logging,
    `warnings.warn`, exception messages), comparisons and string tests
    (`path.startswith("/home/alice")`), `if` conditions, `sys.path` edits (code, not data),
    the branches of an `if` that tells Kaggle or Colab apart from elsewhere, placeholder
    users (`/home/user/`, `/home/<user>/`, `/Users/xxx/`), the users of container images
    and CI runners (`/home/jovyan/`, `/home/ray/`, `/home/runner/`), Databricks workspace
    folders (`/Users/alice@example.com/...`), interpreter and environment paths
    (`.../bin/...`, `.../site-packages/...`), `/home/` alone, `/tmp/`, `/usr/`, `/etc/`,
    URLs, and test files.

    A path under `~` is flagged only where it is read or written: given (directly or
    through `os.path.join`, `Path(...)`, `/`) to a file read or write (`open`, `pd.read_*`,
    `np.load`, `torch.save`, `.from_pretrained`, `.to_csv`, ...), passed as a keyword
    argument, or assigned to a variable, whose name does not say it holds something else
    than data (`log`, `lock`, `config`, `cache`, `token`, ...). It is not flagged inside
    hidden folders (`~/.cache/...`, `~/.keras/...`: tool conventions), nor as a default
    users override (`default=` of an option, a parameter default, the fallback of
    `os.environ.get`), nor when unexpanded (`"~/data"` in a string that nothing expands is
    a bug of another kind).

    ## Why is this bad?
    The code runs only where that folder exists, with that content. Anyone else (a
    colleague, CI, the production job, the author on a new laptop) gets a file-not-found,
    or worse, another file at the same path. Results cannot be re-derived, which is the
    reproducibility debt of the paper (§8).

    ## Example
    ```python
    frame = pd.read_csv("/home/alice/projects/churn/data/train.csv")
    model.save("/content/drive/MyDrive/models/churn.keras")
    ```

    Use instead: paths relative to the project, or given by configuration or the
    environment:
    ```python
    DATA_DIR = Path(os.environ.get("CHURN_DATA", Path(__file__).parent / "data"))
    frame = pd.read_csv(DATA_DIR / "train.csv")
    ```

    ## References
    - Sculley et al. (2015), §8 "Other Areas of ML-related Debt", Reproducibility Debt
    """

    CODE = "MLD803"
    NAME = "machine-specific-path"
    SEVERITY = Severity.WARNING
    SECTION = Section.REPRODUCIBILITY_DEBT
    SUMMARY = "An absolute path that exists on one machine only, used for data or models"
    MESSAGE = "`{path}` {where}"

    VALID = [
        Valid('import pandas as pd\nframe = pd.read_csv("data/train.csv")\n'),
        Valid('def load():\n    """Reads /home/alice/data/train.csv by default."""\n'),
        Valid(
            """
            import argparse
            parser = argparse.ArgumentParser()
            parser.add_argument("--data", required=True, help="e.g. /home/alice/data/train.csv")
            """
        ),
        Valid('print("saved to /home/alice/out/model.pt")\n'),
        Valid('import logging\nlogging.info("reading /Users/bob/data.csv")\n'),
        Valid('CACHE = "/tmp/cache"\nPREFIX = "/usr/share/data"\nROOT = "/home/"\n'),
        Valid('URL = "https://example.com/home/alice/data.csv"\n'),
        Valid('DATA = "/home/user/app/data.csv"\nOTHER = "/home/<user>/data"\n'),
        Valid('import sys\nsys.path.append("/home/alice/libs")\n'),
        Valid('if path.startswith("/home/alice/"):\n    path = path[12:]\n'),
        Valid(
            """
            import os
            CACHE = os.path.expanduser("~/.cache/models")
            """
        ),
        Valid(
            """
            import argparse, os
            parser = argparse.ArgumentParser()
            parser.add_argument("--root", default=os.path.expanduser("~/datasets"))
            """
        ),
        Valid(
            """
            import os
            if "KAGGLE_KERNEL_RUN_TYPE" in os.environ:
                DATA = "/kaggle/input/titanic/train.csv"
            else:
                DATA = "data/train.csv"
            """
        ),
        Valid('import pandas as pd\nframe = pd.read_csv("/home/alice/data.csv")\n', path="tests/test_io.py"),
        Valid('PYTHON = "/home/alice/miniconda3/envs/ml/bin/python"\n'),
        Valid('from google.colab import drive\ndrive.mount("/content/drive")\n'),
        Valid('def f(name):\n    return f"/home/{name}/data"\n'),
        Valid('from filelock import FileLock\nimport os\nlock = FileLock(os.path.expanduser("~/data.lock"))\n'),
        Valid('import os\nLOG_DIR = os.path.expanduser("~/logs")\n'),
        Valid('import os\ndef run(root=os.path.expanduser("~/data")):\n    return root\n'),
        Valid('import os\nROOT = os.environ.get("DATA_ROOT", os.path.expanduser("~/data"))\n'),
        Valid('raise FileNotFoundError("put the data in /home/alice/data first")\n'),
        Valid('EXAMPLE = "https://kaggle.com/kaggle/input/x"\nMOUNT = "/content/drive"\n'),
        Valid('RAY_RESULTS = "/home/ray/ray_results"\nCI = "/home/runner/work/data"\n'),
        Valid('import mlflow\nmlflow.set_experiment("/Users/alice@example.com/churn")\n'),
    ]
    INVALID = [
        Invalid(
            'import pandas as pd\nframe = pd.read_csv("/home/alice/projects/churn/train.csv")\n',
            message="`/home/alice/projects/churn/train.csv` is in user `alice`'s home folder, "
            "which exists on one machine only",
        ),
        Invalid('DATA_DIR = "/Users/bob/Documents/data"\n'),
        Invalid('MODEL = r"C:\\Users\\Carol\\models\\model.pkl"\n'),
        Invalid('MODEL = "c:/users/carol/models/model.pkl"\n'),
        Invalid('import torch\ntorch.save(model.state_dict(), "/content/drive/MyDrive/ckpt/model.pt")\n'),
        Invalid('import pandas as pd\ntrain = pd.read_csv("/kaggle/input/titanic/train.csv")\n'),
        Invalid('import numpy as np\nX = np.load("/mnt/c/Users/dan/data/X.npy")\n'),
        Invalid('from pathlib import Path\nROOT = Path("/home/alice/data")\n'),
        Invalid('import os\npath = os.path.join("/home/alice", "data", "train.csv")\n'),
        Invalid('def load(epoch):\n    return torch.load(f"/home/alice/ckpt/epoch_{epoch}.pt")\n'),
        Invalid(
            """
            import argparse
            parser = argparse.ArgumentParser()
            parser.add_argument("--data", default="/home/alice/imagenet")
            """
        ),
        Invalid(
            """
            import os
            import pandas as pd
            frame = pd.read_csv(os.path.expanduser("~/data/train.csv"))
            """
        ),
        Invalid(
            """
            from pathlib import Path
            DATA_DIR = Path.home() / "datasets" / "coco"
            """
        ),
        Invalid('from pathlib import Path\nckpt = Path("~/models/best.pt").expanduser()\n'),
        Invalid('import pandas as pd\nframe.to_csv("~/results/predictions.csv")\n'),
        Invalid('import os\nfrom pathlib import Path\nfiles = os.listdir(Path.home() / "datasets" / "coco")\n'),
        Invalid(
            """
            import socket
            if socket.gethostname() == "alice-laptop":
                DATA = "/home/alice/data"
            """
        ),
    ]

    @classmethod
    def applies_to(cls, context: FileContext) -> bool:
        return not context.is_test  # silent in tests, and records nothing there

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._silent = self.context.is_test
        self._muted = 0  # > 0 inside docstrings, messages, help texts, tests of conditions
        self._inner_strings: set[cst.CSTNode] = set()  # strings that do not start a path
        self._calls: list[str] = []  # the kind of each enclosing call, outermost first
        self._message_calls: list[bool] = []  # whether each enclosing call is a message call
        self._keywords: list[tuple[int, str]] = []  # (call depth, keyword) of enclosing arguments
        self._assigned: list[tuple[int, list[str]]] = []  # (call depth, target names) of enclosing assignments
        # For each `if` test being read: whether it names Kaggle or Colab (`if "KAGGLE_..." in os.environ:`).
        self._switch_tests: list[bool] = []
        self._switches: set[int] = set()  # ids of the `if` statements whose test does

    # --- contexts where a string is not a data location --------------------------------------
    def visit_Expr(self, node: cst.Expr) -> None:
        if isinstance(node.value, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
            self._muted += 1  # a docstring or a bare string

    def leave_Expr(self, original_node: cst.Expr) -> None:
        if isinstance(original_node.value, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
            self._muted -= 1

    def visit_Arg(self, node: cst.Arg) -> None:
        keyword = node.keyword.value if node.keyword is not None else ""
        self._keywords.append((len(self._calls), keyword))
        if keyword in known.DOCUMENTING_KEYWORDS:
            self._muted += 1

    def leave_Arg(self, original_node: cst.Arg) -> None:
        _, keyword = self._keywords.pop()
        if keyword in known.DOCUMENTING_KEYWORDS:
            self._muted -= 1

    def _is_message_call(self, node: cst.Call) -> bool:
        func = node.func
        qualified = self.qualified_name(func)
        if qualified is not None and (
            qualified in known.MESSAGE_FUNCTIONS or qualified.split(".")[0] in known.MESSAGE_MODULE_ROOTS
        ):
            return True
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            if method in known.STRING_METHODS:
                return True
            receiver = dotted_name(func.value)
            if method in known.MESSAGE_METHODS and receiver is not None:
                last = receiver.split(".")[-1].lower()
                return "log" in last or last in known.MESSAGE_RECEIVERS
        return False

    def visit_Call(self, node: cst.Call) -> None:
        message = self._is_message_call(node)
        self._message_calls.append(message)  # asked once per call, answered again on leaving
        if message:
            self._muted += 1
        elif not self._silent and not self._muted:
            self._home_call(node)
        self._calls.append(self._call_kind(node))

    def leave_Call(self, original_node: cst.Call) -> None:
        self._calls.pop()
        if self._message_calls.pop():
            self._muted -= 1

    def visit_Assign(self, node: cst.Assign) -> None:
        names = [name for target in node.targets for name in _target_names(target.target)]
        self._assigned.append((len(self._calls), names))

    def leave_Assign(self, original_node: cst.Assign) -> None:
        self._assigned.pop()

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._assigned.append((len(self._calls), _target_names(node.target)))

    def leave_AnnAssign(self, original_node: cst.AnnAssign) -> None:
        self._assigned.pop()

    def visit_Comparison(self, node: cst.Comparison) -> None:
        self._muted += 1

    def leave_Comparison(self, original_node: cst.Comparison) -> None:
        self._muted -= 1

    def visit_Raise(self, node: cst.Raise) -> None:
        self._muted += 1

    def leave_Raise(self, original_node: cst.Raise) -> None:
        self._muted -= 1

    def visit_Assert(self, node: cst.Assert) -> None:
        self._muted += 1

    def leave_Assert(self, original_node: cst.Assert) -> None:
        self._muted -= 1

    def visit_If_test(self, node: cst.If) -> None:
        self._muted += 1
        self._switch_tests.append(False)

    def leave_If_test(self, node: cst.If) -> None:
        self._muted -= 1
        if self._switch_tests.pop():
            self._switches.add(id(node))
            self._muted += 1  # both branches of an `if` that tells Kaggle or Colab from elsewhere

    def leave_If(self, original_node: cst.If) -> None:
        if id(original_node) in self._switches:
            self._muted -= 1

    def visit_Name(self, node: cst.Name) -> None:
        self._note_environment(node.value)  # `IN_COLAB`, `os.environ.get("KAGGLE_URL_BASE")`: names and attributes

    def visit_While_test(self, node: cst.While) -> None:
        self._muted += 1

    def leave_While_test(self, node: cst.While) -> None:
        self._muted -= 1

    def visit_IfExp_test(self, node: cst.IfExp) -> None:
        self._muted += 1

    def leave_IfExp_test(self, node: cst.IfExp) -> None:
        self._muted -= 1

    def _note_environment(self, text: str) -> None:
        """Within an `if` test, note a word that names Kaggle or Colab."""
        if self._switch_tests and not self._switch_tests[-1]:
            lowered = text.lower()
            self._switch_tests[-1] = any(word in lowered for word in known.ENVIRONMENT_WORDS)

    # --- absolute paths ----------------------------------------------------------------------
    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if isinstance(node.operator, cst.Add):
            self._inner_strings.add(node.right)  # `BASE + "/home/..."` does not start a path
        elif isinstance(node.operator, cst.Divide) and not self._silent and not self._muted:
            if self._is_home(node.left) and _first_folder(node.right) is not None and self._used_for_data():
                self.report(node, path=_shown_code(node), where=_HOME_OF_WHOEVER_RUNS_IT)

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> None:
        pieces = concatenated_pieces(node)
        if node in self._inner_strings:
            self._inner_strings.update(pieces)
            return
        self._inner_strings.update(pieces)
        head, complete = "", True
        for piece in pieces:
            text, piece_complete = _static_head(piece)
            head += text
            if not piece_complete:
                complete = False
                break
        self._consider(node, head, complete)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if self._switch_tests:
            self._note_environment(_evaluated(node) or "")
        if node not in self._inner_strings:
            value = _evaluated(node)
            if value is not None:
                self._consider(node, value, True)

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        if node not in self._inner_strings:
            head, complete = _static_head(node)
            self._consider(node, head, complete)

    def _consider(self, node: cst.CSTNode, text: str, complete: bool) -> None:
        if self._silent or self._muted:
            return
        where = _machine_specific(text, complete)
        if where is not None:
            self.report(node, path=_shown_path(text, complete), where=where)

    # --- paths under `~` ---------------------------------------------------------------------
    def _call_kind(self, node: cst.Call) -> str:
        func = node.func
        qualified = self.qualified_name(func)
        method = func.attr.value if isinstance(func, cst.Attribute) else None
        if qualified in known.PATH_BUILDERS or method in known.PATH_BUILDER_METHODS:
            return _BUILDER
        if (
            qualified in known.FILE_IO_FUNCTIONS
            or (qualified is not None and qualified.startswith(known.FILE_IO_PREFIXES))
            or method in known.FILE_IO_METHODS
        ):
            return _FILE_IO
        return _OTHER

    def _used_for_data(self) -> bool:
        """Whether the expression being visited is a path that code reads or writes: an
        argument of a file read or write (through path-building calls), a keyword argument
        or an assigned name that says it holds data (`data_dir=`, `DATA_ROOT =`)."""
        depth = len(self._calls)
        while depth > 0 and self._calls[depth - 1] == _BUILDER:
            depth -= 1
        if depth > 0:
            if self._calls[depth - 1] == _FILE_IO:
                return True
            keyword = next((word for at, word in reversed(self._keywords) if at == depth), "")
            return bool(keyword) and keyword not in known.DEFAULT_KEYWORDS and _data_name(keyword)
        if self._assigned and self._assigned[-1][0] <= depth:
            names = self._assigned[-1][1]
            return bool(names) and all(_data_name(name) for name in names)
        return False

    def _home_call(self, node: cst.Call) -> None:
        qualified = self.qualified_name(node.func)
        func = node.func
        path: str | None = None
        kind = self._call_kind(node)
        method = func.attr.value if isinstance(func, cst.Attribute) else None
        if qualified in known.EXPANDUSER_FUNCTIONS and node.args:
            path = _tilde_path(node.args[0].value)
        elif method == "expanduser" and isinstance(func, cst.Attribute) and isinstance(func.value, cst.Call):
            inner = func.value
            if self.qualified_name(inner.func) in known.PATH_CLASSES and inner.args:
                path = _tilde_path(inner.args[0].value)
        elif qualified in known.JOIN_FUNCTIONS and len(node.args) >= 2 and self._is_home(node.args[0].value):
            path = _first_folder(node.args[1].value)
        elif method == "joinpath" and isinstance(func, cst.Attribute) and self._is_home(func.value) and node.args:
            path = _first_folder(node.args[0].value)
        elif node.args and (
            (qualified is not None and qualified.startswith("pandas.read_"))
            or (isinstance(func, cst.Attribute) and func.attr.value in known.PANDAS_WRITER_METHODS)
        ):
            literal = node.args[0].value
            if isinstance(literal, cst.SimpleString) and _tilde_path(literal) is not None:
                self.report(node, path=_shown_code(node), where=_HOME_OF_WHOEVER_RUNS_IT)
            return
        if path is not None and (kind == _FILE_IO or self._used_for_data()):
            self.report(node, path=_shown_code(node), where=_HOME_OF_WHOEVER_RUNS_IT)

    def _is_home(self, node: cst.BaseExpression) -> bool:
        """`Path.home()`, `os.path.expanduser("~")`."""
        if not isinstance(node, cst.Call):
            return False
        qualified = self.qualified_name(node.func)
        if qualified in known.HOME_FUNCTIONS:
            return True
        if qualified in known.EXPANDUSER_FUNCTIONS and node.args:
            return _evaluated_arg(node.args[0].value) in ("~", "~/")
        return False


def _target_names(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for element in target.elements for name in _target_names(element.value)]
    name = dotted_name(target)
    return [name.split(".")[-1]] if name is not None else []


def _data_name(name: str) -> bool:
    """A variable or keyword that may hold a data or model location: anything but logs,
    locks, configuration, credentials, caches and tools."""
    lowered = name.lower()
    return not any(part in lowered for part in known.NON_DATA_NAME_PARTS)


def _shown_code(node: cst.CSTNode) -> str:
    text = " ".join(cst.Module([]).code_for_node(node).split())
    return text if len(text) <= 80 else text[:79] + "…"


def _evaluated(node: cst.SimpleString) -> str | None:
    ok, value = literal_value(node)  # None for odd prefixes and bytes: not a string we can know
    return value if ok and isinstance(value, str) else None


def _evaluated_arg(node: cst.BaseExpression) -> str | None:
    return _evaluated(node) if isinstance(node, cst.SimpleString) else None


def _static_head(node: cst.CSTNode) -> tuple[str, bool]:
    """The text a string starts with that is known statically, and whether that is all of it."""
    if isinstance(node, cst.SimpleString):
        value = _evaluated(node)
        return (value, True) if value is not None else ("", False)
    if isinstance(node, cst.FormattedString):
        raw = "r" in node.prefix.lower()
        head = ""
        for part in node.parts:
            if not isinstance(part, cst.FormattedStringText):
                return head, False
            text = part.value.replace("{{", "{").replace("}}", "}")
            head += text if raw else text.replace("\\\\", "\\")
        return head, True
    return "", False


def _machine_specific(text: str, complete: bool) -> str | None:
    """Why a path exists on one machine only, or None."""
    for pattern, reason in known.HOME_FOLDER_PATTERNS:
        match = pattern.match(text)
        if match is None or (match.group("end") == "" and not complete):
            continue
        user = match.group("user")
        if user.lower() in known.PLACEHOLDER_USERS or set(user) & known.PLACEHOLDER_CHARACTERS:
            return None
        if any(segment.lower() in known.TOOL_SEGMENTS for segment in _SEPARATORS.split(text)):
            return None
        return reason.format(user=user) + _ONE_MACHINE
    for pattern, reason in known.MOUNT_PATTERNS:
        match = pattern.match(text)
        if match is not None:
            return reason.format(**match.groupdict())
    return None


def _shown_path(text: str, complete: bool) -> str:
    shown = text if complete else text + "{…}"
    return shown if len(shown) <= 80 else shown[:79] + "…"


def _tilde_path(node: cst.BaseExpression) -> str | None:
    """`"~/data/x.csv"` -> the path, when its first folder is not hidden (`~/.cache`)."""
    value = _evaluated_arg(node)
    if value is None and isinstance(node, cst.FormattedString):
        value, _ = _static_head(node)
    if value is None or not value.startswith("~/"):
        return None
    first = value[2:].split("/")[0]
    return value if first and not first.startswith(".") and not first.startswith("{") else None


def _first_folder(node: cst.BaseExpression) -> str | None:
    """The first folder below the home (`"data"` in `Path.home() / "data" / "x"`), unless hidden."""
    while isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
        node = node.left
    value = _evaluated_arg(node)
    if value is None:
        return None
    first = value.strip("/").split("/")[0]
    return first if first and not first.startswith(".") else None

