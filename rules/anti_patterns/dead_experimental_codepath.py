"""MLD504 dead-experimental-codepath: branches that can never run, or always run."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import libcst as cst

from mldebt import Finding, Invalid, Project, Rule, Section, Severity, Valid, literal_value
from mldebt.names import dotted_name
from mldebt.project import ModuleIndex

Value = bool | int | float | str | None
_UNKNOWN = object()
_CODE = cst.Module([])
# Standard-library flags (`os.name`, `sys.flags.debug`) are not the project's constants.
_STDLIB = frozenset(sys.stdlib_module_names)


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
    attributes: tuple[str, ...] = ()  # `config.USE_X`-style operands (the project phase's)
    within: tuple[tuple[cst.If | cst.While, str], ...] = ()  # enclosing branches: (if/while, "body"/"else")
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

    Across the project, it also follows flags imported from another first-party
    module (`from config import USE_X`, or `import config` and `if config.USE_X:`):
    such a flag is a constant when its module sets it once, to a literal, and
    nothing anywhere changes it — no second assignment or `global` rebinding in
    its module, no `exec`/`globals()`/star import there, no other module assigning
    `config.USE_X = ...` or writing the module through `setattr`/`vars`/`__dict__`,
    and no other module setting a constant of the same name to another value (an
    alternative configuration). The message names the flag and where it is set.
    Sizes such as `if config.BATCH:` are not switches; standard-library and
    third-party names are never followed, nor names taken from a star import.

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
        # Imported flags that something changes: an assignment from another module ...
        Valid(
            """
            import config
            if config.USE_AUG:
                augment()
            """,
            path="train.py",
            files={"config.py": "USE_AUG = False\n", "cli.py": "import config\nconfig.USE_AUG = parse().aug\n"},
        ),
        # ... setattr on the module (command-line overrides) ...
        Valid(
            """
            from config import USE_AUG
            if USE_AUG:
                augment()
            """,
            path="train.py",
            files={
                "config.py": "USE_AUG = False\n",
                "main.py": "import config\nfor key, value in vars(args).items():\n    setattr(config, key, value)\n",
            },
        ),
        # ... a second assignment in its module, even inside an `if` ...
        Valid(
            """
            from config import USE_GPU
            if USE_GPU:
                model.cuda()
            """,
            path="train.py",
            files={"config.py": "import os\nUSE_GPU = False\nif os.environ.get('GPU'):\n    USE_GPU = True\n"},
        ),
        # ... a star import of local overrides, or another configuration that sets it otherwise.
        Valid(
            """
            from settings import DEBUG
            if DEBUG:
                dump()
            """,
            path="app.py",
            files={"settings.py": "DEBUG = False\ntry:\n    from local_settings import *\nexcept ImportError:\n    pass\n"},
        ),
        Valid(
            """
            from configs.small import USE_ATTENTION
            if USE_ATTENTION:
                model.add_attention()
            """,
            path="train.py",
            files={"configs/small.py": "USE_ATTENTION = False\n", "configs/large.py": "USE_ATTENTION = True\n"},
        ),
        # Sizes, third-party names, parameters that shadow the import, `if True:` with no else.
        Valid(
            """
            import config
            from torch.backends import cudnn
            from config import USE_CACHE
            if config.BATCH_SIZE:
                run()
            if cudnn.enabled:
                fast()
            def train(config):
                if config.USE_AUG:
                    augment()
            if USE_CACHE:
                cache()
            """,
            path="train.py",
            files={"config.py": "BATCH_SIZE = 32\nUSE_AUG = False\nUSE_CACHE = True\n"},
        ),
    ]
    INVALID = [
        # A flag imported from a config module, set once and never changed anywhere.
        Invalid(
            """
            from config import USE_NEW_FEATURES

            if USE_NEW_FEATURES:
                frame = add_embeddings(frame)
            """,
            line=3,
            path="train.py",
            files={"config.py": "LEARNING_RATE = 0.1\nUSE_NEW_FEATURES = False\n"},
            message=(
                "`if USE_NEW_FEATURES:` never runs: `USE_NEW_FEATURES` is set once, to `False`, "
                "at `config.py:2`, and never changed in the project"
            ),
        ),
        Invalid(
            """
            import config
            def train(use_gpu):
                if config.EXPERIMENT_X and use_gpu:
                    fancy()
            """,
            line=3,
            path="train.py",
            files={"config.py": "EXPERIMENT_X = False\n"},
        ),
        Invalid(
            """
            from pkg import settings
            if settings.MODE == "legacy":
                legacy()
            """,
            line=2,
            path="pkg/run.py",
            files={"pkg/__init__.py": "", "pkg/settings.py": 'MODE = "train"\n'},
        ),
        Invalid(
            """
            from .flags import OLD_PIPELINE
            def run():
                if not OLD_PIPELINE:
                    new()
                else:
                    old()
            """,
            line=3,
            path="pkg/pipeline.py",
            files={"pkg/__init__.py": "", "pkg/flags.py": "OLD_PIPELINE = False\n"},
        ),
        # A flat script folder: `config` is the script's neighbour.
        Invalid(
            """
            import config as cfg
            LOCAL_RUN = True
            if LOCAL_RUN and cfg.DEBUG:
                dump()
            """,
            line=3,
            path="scripts/train.py",
            files={"scripts/config.py": "DEBUG = False\n", "scripts/evaluate.py": "import config\nconfig.SEED = 1\n"},
        ),
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
        self._branches: list[list[Any]] = []  # open `if`/`while` statements: [node, "body" or "else"]
        self._star_import = False  # `from x import *` may rebind any module name
        self._overridden: set[str] = set()  # imported modules written through setattr/vars/__dict__

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
        if isinstance(bound, cst.Attribute):  # `import pkg.config` binds `pkg`
            head = (dotted_name(bound) or "").split(".", 1)[0]
            bound = cst.Name(head) if head else bound
        if isinstance(bound, cst.Name):
            self._bind(bound, None, node)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar) and not self._function_locals:
            self._star_import = True

    def visit_Global(self, node: cst.Global) -> None:
        self._globals_written.update(item.name.value for item in node.names)

    def visit_Call(self, node: cst.Call) -> None:
        # exec(...) and globals()/vars() writes can override any module constant.
        if isinstance(node.func, cst.Name) and node.func.value in ("exec", "globals", "vars", "setattr"):
            self._dynamic_globals = True
            if node.func.value in ("vars", "setattr") and node.args:
                self._note_override(node.args[0].value)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == "__dict__":  # `config.__dict__.update(...)`
            self._note_override(node.value)

    def _note_override(self, target: cst.BaseExpression) -> None:
        """`setattr(config, ...)`, `vars(config)`, `config.__dict__`: another module's names
        may all change (the project phase's business)."""
        qualified = self.qualified_name(target)
        if qualified is not None and not qualified.startswith("builtins."):
            self._overridden.add(qualified)

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
        self._enter_else(node)
        self._consider(node, "elif" if node in self._elifs else "if", node.test)
        self._branches.append([node, "body"])

    def leave_If(self, original_node: cst.If) -> None:
        self._branches.pop()

    def visit_While(self, node: cst.While) -> None:
        self._consider(node, "while", node.test)
        self._branches.append([node, "body"])

    def leave_While(self, original_node: cst.While) -> None:
        self._branches.pop()

    def visit_Else(self, node: cst.Else) -> None:
        self._enter_else(node)

    def _enter_else(self, node: cst.CSTNode) -> None:
        """An `else:` block or an `elif` starts the other branch of the innermost `if`/`while`."""
        if self._branches and self._branches[-1][0].orelse is node:
            self._branches[-1][1] = "else"

    def _consider(self, node: cst.If | cst.While, keyword: str, test: cst.BaseExpression) -> None:
        operands = _names_in(test)
        flags = tuple(sorted(name for name in operands if "." not in name))
        attributes = tuple(sorted(name for name in operands if "." in name))
        if not operands and _fold(test, {}) is _UNKNOWN:
            return
        within = tuple((branch, side) for branch, side in self._branches)
        candidate = _Candidate(node, keyword, flags, attributes, within)
        self._candidates.append(candidate)
        if self._open:
            self._open[-1].append(candidate)

    def leave_Module(self, original_node: cst.Module) -> None:
        proposals: list[dict[str, Any]] = []
        for candidate in self._candidates:
            constants = self._constants(candidate)
            if constants is not None:
                value = _fold(candidate.node.test, {name: binding.value for name, binding in constants.items()})
                if value is not _UNKNOWN:
                    truthy = bool(value)
                    node = candidate.node
                    if truthy and (candidate.keyword == "while" or not _has_else(node)):
                        continue  # `while True:` loops; `if True:` without an else only wraps code
                    self.report(node, what=self._describe(candidate.keyword, node.test, truthy, constants))
                    continue
            proposal = self._proposal(candidate, constants or {})
            if proposal is not None:
                proposals.append(proposal)
                self.report(candidate.node, what=f"{proposal['condition']} depends on imported constants")
        self._record(proposals)

    # The project phase's part: constants imported from another first-party module -------------
    def _proposal(self, candidate: _Candidate, constants: dict[str, _Binding]) -> dict[str, Any] | None:
        """What the project phase needs to decide a condition on imported names: which
        qualified name each one stands for, and the module's own constants it also reads."""
        if self._dynamic_globals or self._star_import:
            return None
        imported: dict[str, str] = {}
        for operand in (*candidate.flags, *candidate.attributes):
            head = operand.split(".", 1)[0]
            binding = self._bindings.get(head)
            if (
                binding is None
                or not isinstance(binding.node, cst.ImportAlias)
                or binding.assignments != 1
                or head in self._globals_written
                or any(head in local for local in candidate.shadowed_in)
            ):
                continue
            qualified = self.context.aliases.qualified_dotted(operand)
            if qualified is None or qualified.split(".", 1)[0] in _STDLIB:
                continue
            imported[operand] = qualified
        if not imported:
            return None
        node = candidate.node
        conditions = {other.node for other in self._candidates}
        return {
            "line": self.context.recorded_line(node),
            # The enclosing conditions the project phase may decide too (a dead `if` inside a
            # dead branch, or an `elif` of an `if` that always runs, is said by the outer finding).
            "within": [
                [self.context.recorded_line(branch), side] for branch, side in candidate.within if branch in conditions
            ],
            "keyword": candidate.keyword,
            "condition": _CODE.code_for_node(node.test),
            "else": _has_else(node),
            "imports": imported,
            "locals": {
                name: [binding.value, self.context.recorded_line(binding.node)] for name, binding in constants.items()
            },
        }

    def _record(self, proposals: list[dict[str, Any]]) -> None:
        """Conditions for the project phase, and what other modules need to know about this
        one's constants: those bound more than once here, and whether anything can rebind them all."""
        if proposals:
            self.record("conditions", proposals)
        rebound = sorted(
            name
            for name, binding in self._bindings.items()
            if binding.value is not _UNKNOWN and (binding.assignments > 1 or name in self._globals_written)
        )
        if rebound:
            self.record("rebound", rebound)
        if self._dynamic_globals or self._star_import:
            self.record("dynamic", True)
        if self._overridden:
            self.record("overrides", sorted(self._overridden))

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

    @classmethod
    def review(cls, proposed: list[Finding], project: Project, options: Any) -> Iterator[Finding]:
        """Keep the file phase's findings; decide the conditions on imported constants."""
        recorded = project.rule_data(cls.CODE)
        conditions = {
            (path, item["line"]): item for path, data in recorded.items() for item in data.get("conditions", ())
        }
        if not conditions:
            yield from proposed
            return
        constants = _ProjectConstants(project, recorded)
        decided: dict[tuple[str, int], tuple[str, bool] | None] = {}

        def decide(path: str, line: int) -> tuple[str, bool] | None:
            key = (path, line)
            if key not in decided:
                decided[key] = constants.decide(project.facts[path], conditions[key])
            return decided[key]

        for finding in proposed:
            item = conditions.get((finding.path, finding.line))
            if item is None:
                yield finding  # decided in its file
                continue
            outcome = decide(finding.path, finding.line)
            if outcome is None:
                continue
            if any(
                (finding.path, line) in conditions
                and (above := decide(finding.path, line)) is not None
                and above[1] == (side == "else")
                for line, side in item["within"]
            ):
                continue  # inside a branch that never runs: the finding on its condition says so
            yield replace(finding, message=outcome[0])

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


class _ProjectConstants:
    """Module constants across the project: which are set once and never changed from anywhere."""

    def __init__(self, project: Project, recorded: dict[str, Any]) -> None:
        self.project = project
        self.recorded = recorded
        self.index = ModuleIndex(project.modules())
        # (module, name) assigned or deleted from another module, and modules whose names may
        # all change (`setattr(config, ...)`, `vars(config)`, `config.__dict__`).
        self.changed: set[tuple[str, str]] = set()
        self.overridden: set[str] = set()
        # name -> the values module-level constants of that name have across the project
        self.values: dict[str, set[str]] = {}
        for facts in project.modules():
            for mutation in facts.mutations:
                self._note(facts, mutation.target)
            for target in recorded.get(facts.path, {}).get("overrides", ()):
                self._note(facts, target, whole=True)
            for constant in facts.constants:
                self.values.setdefault(constant.name, set()).add(repr(constant.value))

    def _note(self, facts: Any, qualified: str, whole: bool = False) -> None:
        split = self.index.resolve_dotted(facts, qualified)
        if split is None:
            return
        module, rest = split
        name = rest.split(".", 1)[0]
        if whole or not rest or name == "__dict__":
            self.overridden.add(module)
        else:
            self.changed.add((module, name))

    def decide(self, importer: Any, item: dict[str, Any]) -> tuple[str, bool] | None:
        """(message, whether it always holds) for a condition that folds to a constant, or None."""
        known: dict[str, object] = {}
        where: list[str] = []
        for spelled, qualified in sorted(item["imports"].items()):
            found = self._fixed(importer, qualified)
            if found is not None:
                value, path, line = found
                known[spelled] = value
                where.append(f"`{spelled}` is set once, to `{value!r}`, at `{path}:{line}`")
        if not known:
            return None
        for name, (value, line) in sorted(item["locals"].items()):
            known[name] = value
            where.append(f"`{name}` is set once, to `{value!r}`, on line {line}")
        try:
            test = cst.parse_expression(item["condition"])
        except cst.ParserSyntaxError:
            return None
        value = _fold(test, known)
        if value is _UNKNOWN:
            return None
        truthy = bool(value)
        if truthy and (item["keyword"] == "while" or not item["else"]):
            return None
        outcome = "always runs, so its `else` never does" if truthy else "never runs"
        where_set = "; ".join(where)
        return f"`{item['keyword']} {item['condition']}:` {outcome}: {where_set}, and never changed in the project", truthy

    def _fixed(self, importer: Any, qualified: str) -> tuple[object, str, int] | None:
        """(value, path, line) of a first-party module constant that nothing can change."""
        split = self.index.resolve_dotted(importer, qualified)
        if split is None:
            return None
        module, name = split
        if not name or "." in name or module in self.overridden or (module, name) in self.changed:
            return None
        facts = self.project.module(module)
        if facts is None:
            return None
        constant = next((item for item in facts.constants if item.name == name), None)
        if constant is None or constant.assignments != 1 or constant.rebound:
            return None
        data = self.recorded.get(facts.path, {})
        if data.get("dynamic") or name in data.get("rebound", ()):
            return None
        if len(self.values.get(name, ())) > 1:
            return None  # set to another value in another module: an alternative configuration
        value = constant.value
        if isinstance(value, int | float) and not isinstance(value, bool) and value not in (0, 1):
            return None  # `if config.BATCH:` on a size is not a switch
        return value, facts.path, constant.line


def _has_else(node: cst.If | cst.While) -> bool:
    return isinstance(node, cst.If) and node.orelse is not None


def _names_in(test: cst.BaseExpression) -> set[str]:
    """The names (`FLAG`) and attribute chains (`config.FLAG`) a condition reads, looking
    through `not`, `and`/`or`, parentheses and comparisons."""
    if isinstance(test, cst.Name):
        return set() if test.value in ("True", "False", "None") else {test.value}
    if isinstance(test, cst.Attribute):
        dotted = dotted_name(test)
        return {dotted} if dotted is not None else set()
    if isinstance(test, cst.UnaryOperation):
        return _names_in(test.expression)
    if isinstance(test, cst.BooleanOperation):
        return _names_in(test.left) | _names_in(test.right)
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        return _names_in(test.left) | _names_in(test.comparisons[0].comparator)
    return set()


def _fold(test: cst.BaseExpression, known: dict[str, object]) -> object:
    """The constant a condition folds to, or _UNKNOWN."""
    if isinstance(test, cst.Name | cst.Attribute):
        dotted = dotted_name(test)
        if dotted is not None and dotted in known:
            return known[dotted]
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
