"""MLD504 dead-experimental-codepath: branches that can never run, or always run."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from mldebt import Invalid, Rule, Section, Severity, Valid, literal_value

Value = bool | int | float | str | None
_UNKNOWN = object()


@dataclass
class _Binding:
    """A module-level name and what the file does to it."""

    value: object  # the literal, or _UNKNOWN
    node: cst.CSTNode
    assignments: int = 1


@dataclass
class _Candidate:
    node: cst.If | cst.While
    keyword: str  # "if", "elif", "while"
    flags: tuple[str, ...]  # module constants the condition depends on ("" for a bare literal)
    shadowed_in: list[set[str]] = field(default_factory=list)


class DeadExperimentalCodepath(Rule):
    """
    ## What it does
    Finds branches whose condition is a constant: `if False:`, `if 0:`,
    `while False:`, `if True: ... else: ...`, and `if FLAG:` where `FLAG` is a
    module-level constant assigned exactly once and never changed (not
    reassigned, not set through `global`, not overridden by `exec`/`globals()`),
    including conditions such as `if EXPERIMENT_X and use_gpu:` that fold to a
    constant.

    ## Why is this bad?
    Experiments left behind as conditional branches are the dead experimental
    codepaths of the paper (§5): each one is a combination nobody tests, and
    the paper recalls a firm that lost a fortune partly through an obsolete
    codepath that came back to life. A flag that can never change makes the
    branch either dead code or an unconditional step dressed up as an option.

    ## Example
    ```python
    USE_NEW_FEATURES = False

    if USE_NEW_FEATURES:
        frame = add_embeddings(frame)
    ```

    Use instead: delete the dead branch (version control remembers it), or
    make the switch real configuration that is read at run time and tested in
    both positions:
    ```python
    if config.use_new_features:
        frame = add_embeddings(frame)
    ```

    ## References
    - Sculley et al. (2015), §5 "ML-System Anti-Patterns", Dead Experimental Codepaths
    """

    CODE = "MLD504"
    NAME = "dead-experimental-codepath"
    SEVERITY = Severity.WARNING
    SECTION = Section.DEAD_EXPERIMENTAL_CODEPATHS
    SUMMARY = "A branch whose condition is a constant, so one side never runs"
    MESSAGE = "{what}"

    VALID = [
        Valid("while True:\n    step()\n"),
        Valid("if True:\n    setup()\n"),
        Valid(
            """
            USE_AUG = False
            USE_AUG = parse_args().aug
            if USE_AUG:
                augment()
            """
        ),
        Valid(
            """
            DEBUG = False
            def enable():
                global DEBUG
                DEBUG = True
            if DEBUG:
                dump()
            """
        ),
        Valid(
            """
            compile = True
            exec(open("configurator.py").read())
            if compile:
                model = torch.compile(model)
            """
        ),
        Valid(
            """
            USE_AMP = False
            def train(USE_AMP=True):
                if USE_AMP:
                    scaler.step()
            """
        ),
        Valid(
            """
            from typing import TYPE_CHECKING
            if TYPE_CHECKING:
                import torch
            """
        ),
        Valid(
            """
            import os
            USE_GPU = os.environ.get("USE_GPU") == "1"
            if USE_GPU:
                model.cuda()
            """
        ),
        Valid(
            """
            BATCH = 32
            if BATCH:
                run()
            """
        ),
        Valid(
            """
            VERBOSE = False
            globals().update(load_overrides())
            if VERBOSE:
                log()
            """
        ),
    ]
    INVALID = [
        Invalid("if False:\n    old_features()\n", line=1),
        Invalid("if 0:\n    old_features()\n", line=1),
        Invalid("while False:\n    retry()\n", line=1),
        Invalid("if True:\n    new()\nelse:\n    old()\n", line=1),
        Invalid(
            """
            USE_NEW_FEATURES = False

            if USE_NEW_FEATURES:
                frame = add_embeddings(frame)
            """,
            line=3,
            message="`if USE_NEW_FEATURES:` never runs: `USE_NEW_FEATURES` is set once, to `False`, on line 1, and never changed",
        ),
        Invalid(
            """
            EXPERIMENT_X = False
            def train(use_gpu):
                if EXPERIMENT_X and use_gpu:
                    fancy()
            """,
            line=3,
        ),
        Invalid(
            """
            MODE = "train"
            if MODE == "legacy":
                legacy()
            """,
            line=2,
        ),
        Invalid(
            """
            OLD_PIPELINE = False
            def run():
                if prepare():
                    pass
                elif not OLD_PIPELINE:
                    new()
                else:
                    old()
            """,
            line=5,
        ),
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._bindings: dict[str, _Binding] = {}
        self._globals_written: set[str] = set()
        self._dynamic_globals = False
        self._candidates: list[_Candidate] = []
        self._function_locals: list[set[str]] = []
        self._open: list[list[_Candidate]] = []
        self._elifs: set[cst.If] = set()

    # Module-level bindings ----------------------------------------------------
    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression | None, node: cst.CSTNode) -> None:
        if isinstance(target, cst.Tuple | cst.List):
            for element in target.elements:
                self._bind(element.value, None, node)
            return
        if isinstance(target, cst.StarredElement):
            self._bind(target.value, None, node)
            return
        if not isinstance(target, cst.Name):
            return
        name = target.value
        if self._function_locals:
            self._function_locals[-1].add(name)
            return
        known = self._bindings.get(name)
        if known is not None:
            known.assignments += 1
            return
        literal: object = _UNKNOWN
        if value is not None:
            ok, parsed = literal_value(value)
            if ok:
                literal = parsed
        self._bindings[name] = _Binding(literal, node)

    def visit_Assign(self, node: cst.Assign) -> None:
        single = len(node.targets) == 1
        for target in node.targets:
            self._bind(target.target, node.value if single else None, node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, node.value, node)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind(node.target, None, node)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node.target, None, node)

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target, None, node)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind(node.asname.name, None, node)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        bound = node.asname.name if node.asname is not None else node.name
        if isinstance(bound, cst.Name):
            self._bind(bound, None, node)

    def visit_Global(self, node: cst.Global) -> None:
        self._globals_written.update(item.name.value for item in node.names)

    def visit_Call(self, node: cst.Call) -> None:
        # exec(...) and globals()/vars() writes can override any module constant.
        if isinstance(node.func, cst.Name) and node.func.value in ("exec", "globals", "vars", "setattr"):
            self._dynamic_globals = True

    # Functions shadow module names with their parameters and locals ---------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if not self._function_locals:
            self._bind(node.name, None, node)
        params = node.params
        names = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                names.add(star.name.value)
        self._function_locals.append(names)
        self._open.append([])

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        local = self._function_locals.pop()
        for candidate in self._open.pop():
            candidate.shadowed_in.append(local)
            if self._open:
                self._open[-1].append(candidate)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if not self._function_locals:
            self._bind(node.name, None, node)

    # Conditions -------------------------------------------------------------------
    def visit_If(self, node: cst.If) -> None:
        if isinstance(node.orelse, cst.If):
            self._elifs.add(node.orelse)  # visited next, as an `elif`
        self._consider(node, "elif" if node in self._elifs else "if", node.test)

    def visit_While(self, node: cst.While) -> None:
        self._consider(node, "while", node.test)

    def _consider(self, node: cst.If | cst.While, keyword: str, test: cst.BaseExpression) -> None:
        flags = tuple(sorted(_names_in(test)))
        if not flags and _fold(test, {}) is _UNKNOWN:
            return
        candidate = _Candidate(node, keyword, flags)
        self._candidates.append(candidate)
        if self._open:
            self._open[-1].append(candidate)

    def leave_Module(self, original_node: cst.Module) -> None:
        for candidate in self._candidates:
            constants = self._constants(candidate)
            if constants is None:
                continue
            value = _fold(candidate.node.test, {name: binding.value for name, binding in constants.items()})
            if value is _UNKNOWN:
                continue
            truthy = bool(value)
            node = candidate.node
            has_else = isinstance(node, cst.If) and node.orelse is not None
            if truthy and (candidate.keyword == "while" or not has_else):
                continue  # `while True:` loops; `if True:` without an else only wraps code
            self.report(node, what=self._describe(candidate.keyword, node.test, truthy, constants))

    def _constants(self, candidate: _Candidate) -> dict[str, _Binding] | None:
        """The module constants a condition depends on, or None if any of them can change."""
        constants: dict[str, _Binding] = {}
        for name in candidate.flags:
            binding = self._bindings.get(name)
            if (
                binding is None
                or binding.value is _UNKNOWN
                or binding.assignments != 1
                or name in self._globals_written
                or self._dynamic_globals
                or any(name in local for local in candidate.shadowed_in)
            ):
                continue
            if isinstance(binding.value, int | float) and not isinstance(binding.value, bool) and binding.value not in (0, 1):
                continue  # `if BATCH:` on a size is not a switch
            constants[name] = binding
        return constants if constants or not candidate.flags else None

    def _describe(self, keyword: str, test: cst.BaseExpression, truthy: bool, constants: dict[str, _Binding]) -> str:
        condition = f"`{keyword} {cst.Module([]).code_for_node(test)}:`"
        if not constants:
            outcome = "always runs, so its `else` never does" if truthy else "never runs"
            return f"{condition} {outcome}: its condition is the constant `{truthy}`"
        where = "; ".join(
            f"`{name}` is set once, to `{binding.value!r}`, on line {self.context.line_of(binding.node)}"
            for name, binding in sorted(constants.items())
        )
        outcome = "always runs, so its `else` never does" if truthy else "never runs"
        return f"{condition} {outcome}: {where}, and never changed"


def _names_in(test: cst.BaseExpression) -> set[str]:
    """The bare names a condition reads, looking through `not`, `and`/`or`, parentheses and comparisons."""
    if isinstance(test, cst.Name):
        return set() if test.value in ("True", "False", "None") else {test.value}
    if isinstance(test, cst.UnaryOperation):
        return _names_in(test.expression)
    if isinstance(test, cst.BooleanOperation):
        return _names_in(test.left) | _names_in(test.right)
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        return _names_in(test.left) | _names_in(test.comparisons[0].comparator)
    return set()


def _fold(test: cst.BaseExpression, known: dict[str, object]) -> object:
    """The constant a condition folds to, or _UNKNOWN."""
    if isinstance(test, cst.Name) and test.value in known:
        return known[test.value]
    ok, value = literal_value(test)
    if ok:
        return value
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        inner = _fold(test.expression, known)
        return _UNKNOWN if inner is _UNKNOWN else not inner
    if isinstance(test, cst.BooleanOperation):
        left = _fold(test.left, known)
        right = _fold(test.right, known)
        if isinstance(test.operator, cst.And):
            if left is not _UNKNOWN and not left:
                return False
            if right is not _UNKNOWN and not right:
                return False
            if left is not _UNKNOWN and right is not _UNKNOWN:
                return bool(left) and bool(right)
            return _UNKNOWN
        if left is not _UNKNOWN and left:
            return True
        if right is not _UNKNOWN and right:
            return True
        if left is not _UNKNOWN and right is not _UNKNOWN:
            return bool(left) or bool(right)
        return _UNKNOWN
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        target = test.comparisons[0]
        left, right = _fold(test.left, known), _fold(target.comparator, known)
        if left is _UNKNOWN or right is _UNKNOWN:
            return _UNKNOWN
        if isinstance(target.operator, cst.Equal):
            return left == right
        if isinstance(target.operator, cst.NotEqual):
            return left != right
        if isinstance(target.operator, cst.Is):
            return left is right if left is None or right is None else _UNKNOWN
        if isinstance(target.operator, cst.IsNot):
            return left is not right if left is None or right is None else _UNKNOWN
    return _UNKNOWN
