"""MLD511 prototype-leftover: fits on a sample of the data, and debugger stops, left in code."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

import libcst as cst

from mldebt import FileContext, Invalid, Section, Severity, Valid, literal_value
from mldebt.constants import SettledByScope, Scope
from mldebt.facts import has_data_argument
from mldebt.knowledge.models import name_words
from mldebt.knowledge.pipelines import (
    DATA_WRAPPER_NAMES,
    DEBUG_SWITCH_WORDS,
    DEBUGGER_CALLS,
    DEBUGGER_PACKAGES,
    FIT_DATA_KEYWORDS,
    HEAD_METHODS,
    NOT_ROW_SAMPLERS,
    PROTOTYPE_FOLDERS,
    ROW_PRESERVING_ATTRIBUTES,
    ROW_PRESERVING_METHODS,
    SAMPLE_METHODS,
    TRAIN_METHODS,
    TRAINER_WORDS,
    TRAINING_FUNCTIONS,
)
from mldebt.knowledge.training import BATCH_FIT_METHODS, FIT_METHODS, ROW_INDEXERS
from mldebt.names import dotted_name

_CODE = cst.Module([])
_MAX_SHOWN = 40
_RESOLVE_DEPTH = 3


@dataclass
class _Frame:
    """A function's (or the module's) fits to decide at its end (with the scope to read their
    arguments in), and the literal slice starts it uses (`X[800:]` makes `X[:800]` one half of
    a split, not a sample)."""

    fits: list[tuple[cst.Call, str, list[cst.BaseExpression], Scope]] = field(default_factory=list)
    slice_starts: set[int] = field(default_factory=set)
    indexed: set[str] = field(default_factory=set)  # names whose `.index` is read (`df.drop(sample.index)`)


def _exempt(context: FileContext) -> bool:
    """Tests, notebooks and prototype folders may keep a prototype's shortcuts."""
    parts = PurePosixPath(context.path).parts
    return context.is_test or context.is_notebook or any(part.lower() in PROTOTYPE_FOLDERS for part in parts[:-1])


class PrototypeLeftover(SettledByScope[_Frame]):
    """
    ## What it does
    Finds prototype shortcuts left in code:
    - a model fit on a few rows of its data: `.fit(...)`, `.partial_fit(...)`, `.train(data)`,
      `trainer.fit(model, loader)`, `xgb.train(...)` given `df.head(n)`, `df.sample(n=...)`
      or `df.sample(frac=<1)` (with literal sizes), or a literal slice `X[:1000]`,
      `X.iloc[:1000]` — directly, through column selections and conversions
      (`df.head(500)[FEATURES].values`), through a `DataLoader(...)`/`DMatrix(...)` wrapper,
      or through a local variable assigned such an expression in the same function;
    - a debugger stop: `breakpoint()`, `pdb.set_trace()`, `ipdb.set_trace()`,
      `pudb.set_trace()`, `IPython.embed()`; and an `import ipdb` (or pudb, ...) that no call
      uses — a debugger only a developer's machine has.

    Not flagged: a slice whose bound is a variable (`X[:n_train]`) or negative
    (`X[:-1000]`, a hold-out), a literal slice that is one half of a split (the function
    also slices from the same number: `X[:800]` with `X[800:]`), a sample drawn with
    replacement (a bootstrap), samples passed as evaluation data (`eval_set=`,
    `validation_data=`), `fit_transform`/`fit_predict` on a sample (a t-SNE or clustering of a
    sample drawn for a plot is deliberate), debugger stops that are opt-in (inside
    `if args.debug:`/`if cfg.pdb:`, or in a function or module named for debugging),
    `import pdb` alone (the standard library's debugger is harmless to import),
    tests, and prototype folders (`scratch/`, `sandbox/`, `playground/`, `prototype(s)/`).

    ## Why is this bad?
    The paper's prototype smell (§5): small-scale prototypes are useful, but relying on
    them in the full system is debt — the prototype's shortcuts end up in production. A
    model trained on `df.head(1000)` silently learns from a sliver of the data (often the
    oldest rows, in file order) and nobody notices the metrics are those of a toy; a
    forgotten `pdb.set_trace()` hangs a training job or a server the first time it runs
    unattended.

    ## Example
    ```python
    frame = pd.read_parquet("events.parquet")
    model.fit(frame.head(1000)[FEATURES], frame.head(1000)["label"])
    ```

    Use instead: train on the data the system is meant to learn from, and make any
    sampling an explicit, named, configurable step:
    ```python
    frame = pd.read_parquet("events.parquet")
    if config.sample_rows:
        frame = frame.sample(n=config.sample_rows, random_state=config.seed)
    model.fit(frame[FEATURES], frame["label"])
    ```
    and remove debugger stops before committing (or guard them behind a `--debug` flag).

    ## References
    - Sculley et al. (2015), §5 "ML-System Anti-Patterns", Prototype Smell
    """

    CODE = "MLD511"
    NAME = "prototype-leftover"
    SEVERITY = Severity.WARNING
    CLASS_SCOPES = False  # a class body's fits are decided with the module's
    SECTION = Section.PROTOTYPE_SMELL
    SUMMARY = "A model fit on a few rows of its data, or a debugger stop, left in the code"
    MESSAGE = "{what}"

    VALID = [
        Valid("model.fit(X_train, y_train)\n"),
        Valid(
            """
            def train(X, y, n_train):
                model.fit(X[:n_train], y[:n_train])
            """
        ),
        Valid("model.fit(X[:-1000], y[:-1000])\n"),
        Valid(
            """
            X_train, X_test = X[:60000], X[60000:]
            y_train, y_test = y[:60000], y[60000:]
            model.fit(X_train, y_train)
            """
        ),
        Valid("preview = X[:1000]\nprint(preview)\n"),
        Valid("model.fit(X, y, eval_set=[(X_val[:1000], y_val[:1000])])\n"),
        Valid("embedding = TSNE().fit_transform(features[:2000])\n"),
        Valid("boot = frame.sample(frac=1.0)\nmodel.fit(boot[FEATURES], boot.label)\n"),
        Valid("boot = frame.sample(n=len(frame), replace=True)\nmodel.fit(boot[FEATURES], boot.label)\n"),
        Valid("model.train()\nmodel.train(False)\n"),
        Valid(
            """
            X = df.iloc[0:100, [0, 2]].values
            y = np.where(df.iloc[0:100, 4].values == "Iris-setosa", -1, 1)
            perceptron.fit(X, y)
            """
        ),
        Valid(
            """
            def make_solution(df, encoder):
                X_encode = df.sample(frac=0.20, random_state=0)
                X_pretrain = df.drop(X_encode.index)
                encoder.fit(X_encode, X_encode.pop("SalePrice"))
                return encoder.transform(X_pretrain)
            """
        ),
        Valid("import random\nmodel.fit(random.sample(rows, 100))\n"),
        Valid(
            """
            def main(args):
                if args.debug:
                    import pdb; pdb.set_trace()
            """
        ),
        Valid("import pdb\n\ndef crash_hook():\n    pdb.post_mortem()\n"),
        Valid(
            """
            try:
                import ipdb as debugger
            except ImportError:
                import pdb as debugger
            """
        ),
        Valid("model.fit(df.head(100), y[:100])\nbreakpoint()\n", path="tests/test_model.py"),
        Valid("model.fit(df.head(100), y[:100])\n", path="scratch/try_model.py"),
    ]
    INVALID = [
        Invalid(
            """
            frame = pd.read_parquet("events.parquet")
            model.fit(frame.head(1000)[FEATURES], frame.head(1000)["label"])
            """,
            message="`model.fit(...)` trains on `frame.head(1000)`, a few rows of the data: a prototype's shortcut",
        ),
        Invalid("clf.fit(X[:1000], y[:1000])\n"),
        Invalid("clf.fit(X.iloc[0:5000], y.iloc[0:5000])\n"),
        Invalid("clf.fit(X[:1000, :], y[:1000])\n"),
        Invalid(
            """
            def train(frame):
                small = frame.sample(frac=0.1, random_state=0)
                X = small[FEATURES].values
                model.fit(X, small["label"])
            """,
            line=4,
        ),
        Invalid(
            """
            def train(frame):
                sample = frame.sample(n=5000)
                model.fit(sample.drop(columns="label"), sample.label)
            """
        ),
        Invalid("trainer.fit(model, DataLoader(train_set[:100], batch_size=8))\n"),
        Invalid("import xgboost as xgb\nbooster = xgb.train(params, xgb.DMatrix(X[:1000], label=y[:1000]))\n"),
        Invalid(
            """
            def fit(model, X, y):
                import pdb; pdb.set_trace()
                model.fit(X, y)
            """,
            line=2,
            message="`pdb.set_trace()` stops the program in a debugger",
        ),
        Invalid("for batch in loader:\n    breakpoint()\n"),
        Invalid("import ipdb\nipdb.set_trace()\n"),
        Invalid(
            """
            import ipdb
            def train():
                pass
            """,
            line=1,
            message="`import ipdb` imports a debugger that only a developer's machine has",
        ),
        Invalid("from IPython import embed\nembed()\n"),
    ]

    @classmethod
    def applies_to(cls, context: FileContext) -> bool:
        return not _exempt(context)  # silent there, and records nothing

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        context = self.context
        self._silent = _exempt(context)
        self._debug_module = _names_debugging(PurePosixPath(context.path).stem)
        self._debug_functions: list[bool] = []
        self._switch_tests: list[bool] = []  # for each `if` test being read: whether it reads a debug switch
        self._debug_ifs: set[int] = set()  # ids of `if <debug switch>:` statements
        self._opt_in = 0  # > 0 inside the body of an `if <debug switch>:`
        self._in_try = 0  # > 0 inside the body of a `try` (an optional import)
        self._debugger_imports: list[tuple[cst.CSTNode, str]] = []
        self._handled_imports: set[int] = set()  # imports inside `try` (optional) or an opt-in `if`
        self._debugger_packages_called: set[str] = set()

    # Scopes -------------------------------------------------------------------------------
    def new_frame(self, node: cst.FunctionDef | cst.ClassDef | None) -> _Frame:
        return _Frame()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        super().visit_FunctionDef(node)
        self._debug_functions.append(_names_debugging(node.name.value))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        super().leave_FunctionDef(original_node)
        self._debug_functions.pop()

    def leave_Module(self, original_node: cst.Module) -> None:
        super().leave_Module(original_node)
        for node, package in self._debugger_imports:
            if package not in self._debugger_packages_called and id(node) not in self._handled_imports:
                self.report(node, what=f"`import {package}` imports a debugger that only a developer's machine has")

    # Slices: literal starts mark splits ----------------------------------------------------
    def visit_Slice(self, node: cst.Slice) -> None:
        if node.lower is not None:
            ok, start = literal_value(node.lower)
            if ok and isinstance(start, int) and not isinstance(start, bool) and start > 0:
                self.frames[-1].slice_starts.add(start)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == "index" and isinstance(node.value, cst.Name):
            self.frames[-1].indexed.add(node.value.value)

    # Debugger switches and imports --------------------------------------------------------
    def visit_If_test(self, node: cst.If) -> None:
        self._switch_tests.append(False)

    def leave_If_test(self, node: cst.If) -> None:
        if self._switch_tests.pop():
            self._debug_ifs.add(id(node))

    def visit_Name(self, node: cst.Name) -> None:
        if self._switch_tests and not self._switch_tests[-1] and _names_debugging(node.value):
            self._switch_tests[-1] = True  # `if args.debug:`, `if cfg.pdb:`

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if self._switch_tests and not self._switch_tests[-1]:
            ok, text = literal_value(node)
            self._switch_tests[-1] = ok and isinstance(text, str) and _names_debugging(text)  # `os.environ.get("DEBUG")`

    def visit_If_body(self, node: cst.If) -> None:
        if id(node) in self._debug_ifs:
            self._opt_in += 1

    def leave_If_body(self, node: cst.If) -> None:
        if id(node) in self._debug_ifs:
            self._opt_in -= 1

    def visit_Try_body(self, node: cst.Try) -> None:
        self._in_try += 1

    def leave_Try_body(self, node: cst.Try) -> None:
        self._in_try -= 1

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            package = (dotted_name(alias.name) or "").split(".")[0]
            if package in DEBUGGER_PACKAGES:
                self._note_import(node, package)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None:
            return
        package = (dotted_name(node.module) or "").split(".")[0]
        if package in DEBUGGER_PACKAGES:
            self._note_import(node, package)

    def _note_import(self, node: cst.CSTNode, package: str) -> None:
        self._debugger_imports.append((node, package))
        if self._silent or self._in_try or self._opt_in or self._debug_module or any(self._debug_functions):
            self._handled_imports.add(id(node))

    # Calls ----------------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        qualified = self.qualified_name(node.func)
        if qualified in DEBUGGER_CALLS:
            self._debugger_packages_called.add(qualified.split(".")[0])
            if not (self._silent or self._opt_in or self._debug_module or any(self._debug_functions)):
                self.report(node, what=f"`{_shown(node.func)}()` stops the program in a debugger")
            return
        if self._silent:
            return
        data = self._training_data(node, qualified)
        if data:
            self.frames[-1].fits.append((node, _shown(node.func), data, self.constants.scope))

    def _training_data(self, node: cst.Call, qualified: str | None) -> list[cst.BaseExpression]:
        """The arguments of a fit/train call that carry its training data (none if not one)."""
        func = node.func
        method = func.attr.value if isinstance(func, cst.Attribute) else None
        if qualified in TRAINING_FUNCTIONS:
            pass
        elif method in FIT_METHODS and method not in BATCH_FIT_METHODS:
            pass  # (a batch is a few rows by design)
        elif method in TRAIN_METHODS and isinstance(func, cst.Attribute):
            receiver = (dotted_name(func.value) or "").rsplit(".", 1)[-1]
            if not any(word in TRAINER_WORDS for word in name_words(receiver)) and not has_data_argument(node):
                return []
        else:
            return []
        if any(arg.star for arg in node.args):
            return []
        return [
            arg.value
            for arg in node.args
            if arg.keyword is None or arg.keyword.value in FIT_DATA_KEYWORDS
        ]

    # Deciding, once a scope's bindings are all known ----------------------------------------
    def settle(self, frame: _Frame) -> None:
        for node, callee, arguments, scope in frame.fits:
            for argument in arguments:
                subset = self._subset(argument, frame, scope, 0)
                if subset is not None:
                    self.report(
                        node,
                        what=f"`{callee}(...)` trains on `{subset}`, a few rows of the data: a prototype's shortcut",
                    )
                    break

    def _subset(self, value: cst.BaseExpression, frame: _Frame, scope: Scope, depth: int) -> str | None:
        """How a prototype's sample is spelled, when `value` is (derived from) one; else None."""
        while True:
            direct = self._sample(value, frame)
            if direct is not None:
                return direct
            if isinstance(value, cst.Attribute) and value.attr.value in ROW_PRESERVING_ATTRIBUTES:
                value = value.value
            elif isinstance(value, cst.Subscript):
                value = value.value  # a column selection, or rows chosen by a mask or indices
                if isinstance(value, cst.Attribute) and value.attr.value in ROW_INDEXERS:
                    value = value.value
            elif isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and (
                value.func.attr.value in ROW_PRESERVING_METHODS
            ):
                value = value.func.value
            elif isinstance(value, cst.Call) and _wrapper_name(value.func) in DATA_WRAPPER_NAMES:
                positional = [arg.value for arg in value.args if arg.keyword is None and not arg.star]
                if not positional:
                    return None
                value = positional[0]
            elif isinstance(value, cst.Name):
                if depth >= _RESOLVE_DEPTH or value.value in frame.indexed:
                    return None  # `df.drop(sample.index)` takes the rest: a split, not a sample
                # A local variable: every value the function assigns it must be a sample.
                assigned = self.constants.assigned(value.value, scope, enclosing=False, dynamic=False)
                if assigned is None:
                    return None
                items, where = assigned
                found = [self._subset(item, frame, where, depth + 1) for item in items]
                if any(item is None for item in found):
                    return None
                return found[0]
            else:
                return None

    def _sample(self, value: cst.BaseExpression, frame: _Frame) -> str | None:
        """`df.head(1000)`, `df.sample(n=500)`, `df.sample(frac=0.1)`, `X[:1000]`, `X.iloc[:1000]`."""
        if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute):
            method = value.func.attr.value
            if method in HEAD_METHODS and _head_size(value):
                return _shown(value)
            if method in SAMPLE_METHODS and self.qualified_name(value.func) not in NOT_ROW_SAMPLERS:
                if _is_row_sample(value):
                    return _shown(value)
            return None
        if isinstance(value, cst.Subscript) and value.slice:
            first = value.slice[0].slice
            if any(_picks_columns(element.slice) for element in value.slice[1:]):
                return None  # `df.iloc[0:100, [0, 2]]`: rows and columns chosen together build a data set
            if not isinstance(first, cst.Index) and isinstance(first, cst.Slice):
                stop = _head_slice_stop(first)
                if stop is not None and stop not in frame.slice_starts:
                    return _shown(value)
        return None


def _names_debugging(name: str) -> bool:
    return any(word in DEBUG_SWITCH_WORDS for word in name_words(name))


def _head_size(call: cst.Call) -> bool:
    """`head()` or `head(<positive int literal>)`, the only argument."""
    if not call.args:
        return True
    if len(call.args) != 1 or call.args[0].star or (call.args[0].keyword and call.args[0].keyword.value != "n"):
        return False
    ok, value = literal_value(call.args[0].value)
    return ok and isinstance(value, int) and not isinstance(value, bool) and value > 0


def _is_row_sample(call: cst.Call) -> bool:
    """`sample(n=<int>)`, `sample(<int>)`, `sample(frac=<float below 1>)`, without replacement."""
    if any(arg.star for arg in call.args):
        return False
    keywords = {arg.keyword.value: arg.value for arg in call.args if arg.keyword is not None}
    positional = [arg.value for arg in call.args if arg.keyword is None]
    replace = keywords.get("replace", positional[2] if len(positional) > 2 else None)
    if replace is not None and not (isinstance(replace, cst.Name) and replace.value == "False"):
        return False  # a bootstrap, or unknown
    size = keywords.get("n", positional[0] if positional else None)
    if size is not None:
        ok, value = literal_value(size)
        return ok and isinstance(value, int) and not isinstance(value, bool) and value > 0
    fraction = keywords.get("frac", positional[1] if len(positional) > 1 else None)
    if fraction is not None:
        ok, value = literal_value(fraction)
        return ok and isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 1
    return False


def _head_slice_stop(item: cst.Slice) -> int | None:
    """The stop of `[:N]` / `[0:N]` (no step) with N a positive int literal, else None."""
    if item.step is not None or item.upper is None:
        return None
    if item.lower is not None:
        ok, start = literal_value(item.lower)
        if not (ok and start == 0 and not isinstance(start, bool)):
            return None
    ok, stop = literal_value(item.upper)
    if ok and isinstance(stop, int) and not isinstance(stop, bool) and stop > 0:
        return stop
    return None


def _picks_columns(item: cst.BaseSlice) -> bool:
    """A column selection in a 2-D index: anything but the full slice `:`."""
    return not (isinstance(item, cst.Slice) and item.lower is None and item.upper is None and item.step is None)


def _wrapper_name(func: cst.BaseExpression) -> str:
    if isinstance(func, cst.Attribute):
        return func.attr.value
    if isinstance(func, cst.Name):
        return func.value
    return ""


def _shown(node: cst.BaseExpression) -> str:
    text = " ".join(_CODE.code_for_node(node).split())
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"
