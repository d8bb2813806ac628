"""MLD603 unused-config-option: command-line options that the program never reads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from mldebt import Finding, Invalid, Project, Rule, Section, Severity, Valid, literal_value, module_node
from mldebt.knowledge.hyperparameters import (
    ARGPARSE_ADD_METHODS,
    ARGPARSE_PARSE_METHODS,
    ARGPARSE_SELF_CONSUMED_ACTIONS,
    CLICK_COMMAND_DECORATORS,
    CLICK_COMMAND_METHODS,
    CLICK_PARAMETER_DECORATORS,
    CONTEXT_TYPES,
    LAUNCHER_OPTIONS,
    NAMESPACE_COPIES,
    NAMESPACE_LOG_SINK_METHODS,
    NAMESPACE_LOG_SINKS,
    TYPER_APP_METHODS,
    TYPER_APPS,
    TYPER_PARAMETERS,
    TYPER_RUNNERS,
)
from mldebt.walker import walk

_ARGPARSE = "import argparse\nparser = argparse.ArgumentParser()\n"


@dataclass
class _Option:
    """One `add_argument(...)` call: the option strings and where the value lands."""

    node: cst.Call
    flags: tuple[str, ...]
    dest: str


@dataclass
class _Uses:
    """What a second look at the module finds about the parsed namespace."""

    attributes: set[str] = field(default_factory=set)  # every `<anything>.name` in the module
    strings: set[str] = field(default_factory=set)  # every string literal outside `add_argument(...)`
    namespaces: set[str] = field(default_factory=set)  # names bound to the parsed namespace
    returners: set[str] = field(default_factory=set)  # local functions that return it
    leaves: bool = False  # the namespace goes somewhere this module cannot see


class UnusedConfigOption(Rule):
    """
    ## What it does
    Finds command-line options that are declared but never read:
    - an argparse option (`parser.add_argument("--x")`, also `-x/--long-name`, an
      explicit `dest=`, and options on argument groups and subparsers) whose value
      is never read from the parsed namespace (`args.x`, `getattr(args, "x")`,
      `vars(args)["x"]`) in the module that parses it;
    - a click option or argument (`@click.option("--x")`) whose parameter the
      command's body never uses;
    - a typer option or argument whose parameter the command's body never uses:
      `x: int = typer.Option(...)` (also in `Annotated[...]`) anywhere, and every
      parameter of a command run by `typer.run(main)` or `@app.command()`.

    The namespace is followed through assignments, copies and functions of the
    same module; logging it (`print(args)`, `logger.info(args)`,
    `accelerator.init_trackers(..., config=vars(args))`, `wandb.init(config=...)`)
    reads no option. The rule stays silent whenever the namespace leaves the
    module (returned to a caller, passed to a function defined elsewhere, stored
    on an object, expanded with `**vars(args)`, iterated, read with a computed
    `getattr`, or imported by another module of the project), since the option may
    be read there; and for `--local_rank`, which launchers pass to every process.
    Any attribute read `<anything>.x`, and any string `"x"`, counts as reading `x`.

    ## Why is this bad?
    The paper's configuration debt (§6): configuration grows options that no
    longer do anything. A user who sets `--dropout 0.3` believes it changed the
    run, the option documents behaviour the code does not have, and every
    experiment record that lists it is wrong. Unused options are also dead
    experimental codepaths (§5) that nobody dares to delete.

    ## Example
    ```python
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument("--dropout", type=float, default=0.1)
    args = parser.parse_args()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    ```

    Use instead: wire the option to the code it is meant to control, or delete it:
    ```python
    parser.add_argument("--lr", type=float, default=3e-4)
    args = parser.parse_args()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    ```

    ## References
    - Sculley et al. (2015), §6 "Configuration Debt"
    """

    CODE = "MLD603"
    NAME = "unused-config-option"
    SEVERITY = Severity.INFO
    SECTION = Section.CONFIGURATION_DEBT
    SUMMARY = "A command-line option (argparse, click, typer) that the program never reads"
    MESSAGE = "{what}"

    VALID = [
        Valid(_ARGPARSE + 'parser.add_argument("--lr", type=float)\nargs = parser.parse_args()\nprint(args.lr)\n'),
        # `-x/--long-name` lands in `long_name`; `dest=` overrides it.
        Valid(
            _ARGPARSE
            + 'parser.add_argument("-b", "--batch-size", type=int)\n'
            + 'parser.add_argument("--lr", dest="learning_rate")\n'
            + "args = parser.parse_args()\n"
            + "run(args.batch_size, args.learning_rate)\n"
        ),
        Valid(_ARGPARSE + 'parser.add_argument("--lr")\nargs = parser.parse_args()\nlr = getattr(args, "lr")\n'),
        Valid(_ARGPARSE + 'parser.add_argument("--lr")\nargs = parser.parse_args()\nlr = vars(args)["lr"]\n'),
        # The namespace leaves the module: the option may be read there.
        Valid(_ARGPARSE + 'parser.add_argument("--lr")\nargs = parser.parse_args()\ntrain(args)\n'),
        Valid(_ARGPARSE + 'parser.add_argument("--lr")\nargs = parser.parse_args()\nrun(**vars(args))\n'),
        Valid(_ARGPARSE + 'parser.add_argument("--lr")\nargs = parser.parse_args()\nwandb.config.update(args)\n'),
        Valid(_ARGPARSE + 'parser.add_argument("--lr")\nargs = parser.parse_args()\nself.args = args\n'),
        Valid(
            """
            import argparse
            def parse_args():
                parser = argparse.ArgumentParser()
                parser.add_argument("--lr")
                return parser.parse_args()
            """
        ),
        # Declared here, parsed elsewhere.
        Valid('def add_args(parser):\n    parser.add_argument("--lr")\n    return parser\n'),
        # Consumed by argparse itself, or passed by a launcher whether used or not.
        Valid(
            _ARGPARSE
            + 'parser.add_argument("--version", action="version", version="1.0")\n'
            + 'parser.add_argument("--local_rank", type=int, default=0)\n'
            + "args = parser.parse_args()\n"
        ),
        # Passed to a function of this module that reads it.
        Valid(
            """
            import argparse
            def main(opts):
                print(opts.epochs)
            if __name__ == "__main__":
                parser = argparse.ArgumentParser()
                parser.add_argument("--epochs", type=int)
                main(parser.parse_args())
            """
        ),
        # click and typer parameters the command uses.
        Valid(
            """
            import click
            @click.command()
            @click.option("--lr", type=float)
            @click.option("-n", "--num-epochs", type=int)
            def train(lr, num_epochs):
                fit(lr, num_epochs)
            """
        ),
        Valid(
            """
            import click
            @click.command()
            @click.option("--debug", is_flag=True, expose_value=False, callback=set_debug)
            @click.option("--lr")
            def train(**options):
                fit(options)
            """
        ),
        Valid(
            """
            import typer
            def train(lr: float = typer.Option(3e-4), epochs: int = 10):
                fit(lr)
            """
        ),
        Valid(
            """
            import typer
            app = typer.Typer()
            @app.command()
            def train(ctx: typer.Context, data: str, epochs: int = 10):
                fit(data, epochs)
            """
        ),
        # Not a typer command: plain parameters are not options.
        Valid(
            """
            import typer
            def helper(data: str, epochs: int = 10):
                fit(data)
            """
        ),
    ]
    INVALID = [
        Invalid(
            _ARGPARSE
            + 'parser.add_argument("--lr", type=float)\n'
            + 'parser.add_argument("--dropout", type=float, default=0.1)\n'
            + "args = parser.parse_args()\n"
            + "print(args.lr)\n",
            line=4,
            message="argparse option `--dropout` is never read: nothing in this module uses `args.dropout`",
        ),
        Invalid(
            _ARGPARSE
            + 'group = parser.add_argument_group("model")\n'
            + 'group.add_argument("-d", "--hidden-dim", type=int)\n'
            + "args = parser.parse_args()\n",
            line=4,
        ),
        Invalid(
            _ARGPARSE
            + 'parser.add_argument("--lr", dest="learning_rate")\n'
            + "opts, unknown = parser.parse_known_args()\n"
            + "print(opts.lr)\n",
            line=3,
        ),
        Invalid(
            """
            import argparse
            def parse_args():
                parser = argparse.ArgumentParser()
                parser.add_argument("--epochs", type=int)
                parser.add_argument("--warmup", type=int)
                return parser.parse_args()
            def main():
                args = parse_args()
                for _ in range(args.epochs):
                    step()
            """,
            line=5,
        ),
        Invalid(
            """
            import click
            @click.command()
            @click.option("--lr", type=float)
            @click.option("--momentum", type=float)
            def train(lr, momentum):
                fit(lr)
            """,
            line=4,
            message="click option `--momentum` sets parameter `momentum`, which `train()` never uses",
        ),
        Invalid(
            """
            import typer
            def train(lr: float = typer.Option(3e-4), epochs: int = typer.Option(10)):
                fit(lr)
            """,
            line=2,
        ),
        Invalid(
            """
            import typer
            def main(
                data: str,
                n_iter: int = 10,
            ):
                fit(data)
            if __name__ == "__main__":
                typer.run(main)
            """,
            line=4,
            message="typer option `--n-iter` sets parameter `n_iter`, which `main()` never uses",
        ),
        Invalid(
            """
            import typer
            app = typer.Typer()
            @app.command()
            def evaluate(model_path: str, data_path: str):
                score(model_path)
            """,
            line=4,
        ),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._options: list[_Option] = []
        self._parses = False
        self._functions: dict[str, cst.FunctionDef] = {}
        self._typer_apps: set[str] = set()
        self._all_functions: list[cst.FunctionDef] = []
        self._typer_run: set[str] = set()

    def visit_Call(self, node: cst.Call) -> None:
        runs = self.qualified_name(node.func) in TYPER_RUNNERS or (
            isinstance(node.func, cst.Call) and self._is_typer_runner(node.func)
        )
        if runs and node.args and isinstance(node.args[0].value, cst.Name):
            self._typer_run.add(node.args[0].value.value)  # `typer.run(main)`, `app.command()(main)`
        if not isinstance(node.func, cst.Attribute):
            return
        method = node.func.attr.value
        if method in ARGPARSE_PARSE_METHODS:
            self._parses = True
        elif method in ARGPARSE_ADD_METHODS:
            option = _argparse_option(node)
            if option is not None:
                self._options.append(option)

    def visit_Assign(self, node: cst.Assign) -> None:
        if isinstance(node.value, cst.Call) and self.qualified_name(node.value.func) in TYPER_APPS:
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self._typer_apps.add(target.target.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions.setdefault(node.name.value, node)
        self._all_functions.append(node)
        self._check_click(node)

    def leave_Module(self, original_node: cst.Module) -> None:
        # typer: known only now which functions `typer.run(...)` or an app's decorators make commands.
        run = {id(self._functions[name]) for name in self._typer_run if name in self._functions}
        for function in self._all_functions:
            command = id(function) in run or any(
                self._is_typer_runner(decorator.decorator) for decorator in function.decorators
            )
            self._check_typer(function, declared_only=not command)
        self._check_argparse(original_node)

    # argparse ---------------------------------------------------------------------------------

    def _check_argparse(self, original_node: cst.Module) -> None:
        if not self._options or not self._parses:
            return
        option_calls = {id(option.node) for option in self._options}
        uses = _NamespaceUses(option_calls, self.qualified_name)
        walk(original_node, uses)
        result = uses.result()
        if result.leaves or not result.namespaces:
            return
        namespace = sorted(result.namespaces)[0]
        for option in self._options:
            dest = option.dest
            if dest in LAUNCHER_OPTIONS or dest in result.attributes or dest in result.strings:
                continue
            what = (
                f"argparse option `{option.flags[0]}` is never read: nothing in this module uses "
                f"`{namespace}.{dest}`"
            )
            self.report(option.node, what=what)

    @classmethod
    def review(cls, proposed: list[Finding], project: Project, options: Any) -> Iterator[Finding]:
        """An argparse namespace parsed at module level may be imported and read elsewhere: keep
        only findings in modules that no other project module imports anything but classes from."""
        for finding in proposed:
            if finding.message.startswith("argparse") and _imported_elsewhere(finding.path, project):
                continue
            yield finding

    # click and typer -----------------------------------------------------------------------------
    def _check_click(self, node: cst.FunctionDef) -> None:
        if not any(self._is_click_command(decorator.decorator) for decorator in node.decorators):
            return
        parameters = _parameter_names(node)
        if parameters is None:
            return  # `**kwargs` takes every option
        used = _names_used(node.body)
        if used is None:
            return
        for decorator in node.decorators:
            call = decorator.decorator
            if not isinstance(call, cst.Call) or self.qualified_name(call.func) not in CLICK_PARAMETER_DECORATORS:
                continue
            name, flag = _click_parameter(call)
            if name is None or name not in parameters or name in used:
                continue
            kind = "argument" if self.qualified_name(call.func) == "click.argument" else "option"
            what = f"click {kind} `{flag}` sets parameter `{name}`, which `{node.name.value}()` never uses"
            self.report(decorator, what=what)

    def _is_click_command(self, decorator: cst.BaseExpression) -> bool:
        target = decorator.func if isinstance(decorator, cst.Call) else decorator
        if self.qualified_name(target) in CLICK_COMMAND_DECORATORS:
            return True
        # `@cli.command()` / `@app.group`: a command of a click group defined in this file.
        return (
            isinstance(target, cst.Attribute)
            and target.attr.value in CLICK_COMMAND_METHODS
            and any(name == "click" or name.startswith("click.") for name in self.context.aliases.aliases.values())
        )

    def _is_typer_runner(self, func: cst.BaseExpression) -> bool:
        """`typer.run`, `@app.command()`, `@app.callback()` for a `typer.Typer()` app of this file."""
        if self.qualified_name(func) in TYPER_RUNNERS:
            return True
        target = func.func if isinstance(func, cst.Call) else func
        return (
            isinstance(target, cst.Attribute)
            and target.attr.value in TYPER_APP_METHODS
            and isinstance(target.value, cst.Name)
            and target.value.value in self._typer_apps
        )

    def _check_typer(self, node: cst.FunctionDef, declared_only: bool) -> None:
        """Report the unused parameters of a typer command (`declared_only`: a function not known
        to be a command, whose `typer.Option(...)`/`typer.Argument(...)` parameters still are)."""
        if isinstance(node.params.star_kwarg, cst.Param):
            return
        candidates = []
        for param in (*node.params.params, *node.params.kwonly_params):
            declaration = self._typer_declaration(param)
            if declaration == "context" or (declared_only and declaration is None):
                continue
            candidates.append((param, declaration))
        if not candidates:
            return
        used = _names_used(node.body)
        if used is None:
            return
        for param, declaration in candidates:
            name = param.name.value
            if name in used or name in ("self", "cls"):
                continue
            kind = declaration or ("argument" if param.default is None else "option")
            shown = name if kind == "argument" else "--" + name.replace("_", "-")
            what = f"typer {kind} `{shown}` sets parameter `{name}`, which `{node.name.value}()` never uses"
            self.report(param, what=what)

    def _typer_declaration(self, param: cst.Param) -> str | None:
        """"option"/"argument" for `typer.Option(...)`/`typer.Argument(...)` (as the default or in
        `Annotated[...]`), "context" for a `typer.Context`, else None."""
        calls: list[cst.BaseExpression] = []
        if isinstance(param.default, cst.Call):
            calls.append(param.default.func)
        annotation = param.annotation.annotation if param.annotation is not None else None
        if isinstance(annotation, cst.Subscript):  # Annotated[int, typer.Option(...)]
            for element in annotation.slice:
                index = element.slice
                if isinstance(index, cst.Index) and isinstance(index.value, cst.Call):
                    calls.append(index.value.func)
        for func in calls:
            qualified = self.qualified_name(func)
            if qualified in TYPER_PARAMETERS:
                return TYPER_PARAMETERS[qualified]
        if annotation is not None and self.qualified_name(annotation) in CONTEXT_TYPES:
            return "context"
        return None


# --- argparse helpers ------------------------------------------------------------------------------


def _argparse_option(node: cst.Call) -> _Option | None:
    """The option an `add_argument(...)` call declares, or None when it cannot be known."""
    flags: list[str] = []
    dest: str | None = None
    for arg in node.args:
        if arg.star:
            return None  # `add_argument(*names, **spec)`: unknowable
        ok, value = literal_value(arg.value)
        if arg.keyword is None:
            if not ok or not isinstance(value, str):
                return None
            flags.append(value)
        elif arg.keyword.value == "dest":
            if not ok or not isinstance(value, str):
                return None
            dest = value
        elif arg.keyword.value == "action" and ok and value in ARGPARSE_SELF_CONSUMED_ACTIONS:
            return None
    if not flags:
        return None
    if dest is None:
        longs = [flag for flag in flags if flag.startswith("--")]
        shorts = [flag for flag in flags if flag.startswith("-")]
        if longs:
            dest = longs[0][2:].replace("-", "_")
        elif shorts:
            dest = shorts[0].lstrip("-").replace("-", "_")
        else:
            dest = flags[0]
    if not dest:
        return None
    return _Option(node, tuple(flags), dest)


# What the parsed value is: the namespace itself, or a dict snapshot of it (`vars(args)`).
_NAMESPACE = "namespace"
_SNAPSHOT = "snapshot"
_RETURNED = "returned"
# Methods of a snapshot dict that name the option they touch with a string literal.
_SNAPSHOT_KEYED_METHODS = frozenset({"pop", "get", "update", "setdefault"})


class _NamespaceUses(cst.CSTVisitor):
    """Follows the parsed namespace through the module: which names hold it, which local
    functions return it, and whether it goes anywhere this module cannot see.

    Name-based, not scope-based: any occurrence of a namespace name counts, which can only
    make the rule more silent."""

    def __init__(self, option_calls: set[int], qualify: Callable[[cst.BaseExpression], str | None]) -> None:
        super().__init__()
        self.option_calls = option_calls
        self.qualify = qualify
        self.uses = _Uses()
        self.functions: dict[str, cst.FunctionDef] = {}
        self.parse_calls: list[cst.Call] = []
        self.parents: dict[int, cst.CSTNode] = {}
        self.names: dict[str, list[cst.Name]] = {}
        self.calls_by_name: dict[str, list[cst.Call]] = {}
        self._stack: list[cst.CSTNode] = []
        self._in_option = 0

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self._stack:
            self.parents[id(node)] = self._stack[-1]
        self._stack.append(node)
        if id(node) in self.option_calls:
            self._in_option += 1
        # Called for every node of the module: exact class tests (libcst's classes are ABCs,
        # and a parsed tree holds only the concrete classes themselves).
        kind = type(node)
        if kind is cst.Name:
            self.names.setdefault(node.value, []).append(node)  # type: ignore[attr-defined]
        elif kind is cst.Attribute:
            self.uses.attributes.add(node.attr.value)  # type: ignore[attr-defined]
        elif kind is cst.SimpleString:
            if not self._in_option:
                ok, value = literal_value(node)  # type: ignore[arg-type]
                if ok and isinstance(value, str):
                    self.uses.strings.add(value)
        elif kind is cst.FunctionDef:
            self.functions.setdefault(node.name.value, node)  # type: ignore[attr-defined, arg-type]
        elif kind is cst.Call:
            func = node.func  # type: ignore[attr-defined]
            if isinstance(func, cst.Attribute) and func.attr.value in ARGPARSE_PARSE_METHODS:
                self.parse_calls.append(node)  # type: ignore[arg-type]
            elif isinstance(func, cst.Name):
                self.calls_by_name.setdefault(func.value, []).append(node)  # type: ignore[arg-type]
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self._stack.pop()
        if id(original_node) in self.option_calls:
            self._in_option -= 1

    def result(self) -> _Uses:
        """Propagate the namespace to a fixed point, then report what was found."""
        pending: list[tuple[str, cst.BaseExpression]] = [(_NAMESPACE, call) for call in self.parse_calls]
        seen: set[tuple[str, str]] = set()
        while pending and not self.uses.leaves:
            kind, expression = pending.pop()
            for bound_kind, name in self._flow(kind, expression):
                if (bound_kind, name) in seen:
                    continue
                seen.add((bound_kind, name))
                if bound_kind == _RETURNED:
                    self.uses.returners.add(name)
                    callers = self.calls_by_name.get(name, [])
                    if not callers:
                        self.uses.leaves = True  # returned to callers in other modules
                    pending.extend((kind, caller) for caller in callers)
                    continue
                if bound_kind == _NAMESPACE:
                    self.uses.namespaces.add(name)
                occurrences = self.names.get(name, [])
                pending.extend((bound_kind, node) for node in occurrences if not self._is_binding(node))
        return self.uses

    def _flow(self, kind: str, expression: cst.BaseExpression) -> list[tuple[str, str]]:
        """Where a namespace-valued (or snapshot-valued: `vars(args)`) expression goes: the
        names it binds, or the local function it is returned from. Sets `leaves` when it goes
        somewhere unknown."""
        parent = self.parents.get(id(expression))
        if isinstance(expression, cst.Call) and any(
            arg.keyword is not None and arg.keyword.value == "namespace" for arg in expression.args
        ):
            self.uses.leaves = True  # parsed into an object made elsewhere
            return []
        if isinstance(parent, cst.Attribute) and parent.value is expression:
            return self._member(kind, parent)
        if isinstance(parent, cst.Subscript) and parent.value is expression:
            if kind == _NAMESPACE:
                self.uses.leaves = True
            return []  # `vars(args)["lr"]`: the key is a string literal, counted as a read
        if isinstance(parent, cst.Assign) and parent.value is expression:
            bindings = []
            for target in parent.targets:
                bound = _bound_name(target.target, expression)
                if bound is None:
                    self.uses.leaves = True  # stored on an object or in a container
                    return []
                bindings.append((kind, bound))
            return bindings
        if isinstance(parent, cst.AnnAssign) and parent.value is expression:
            bound = _bound_name(parent.target, expression)
            if bound is None:
                self.uses.leaves = True
                return []
            return [(kind, bound)]
        if isinstance(parent, cst.Return) and kind == _NAMESPACE:
            function = self._enclosing_function(parent)
            if function is None:
                self.uses.leaves = True
                return []
            return [(_RETURNED, function.name.value)]
        if isinstance(parent, cst.Arg) and parent.value is expression and not parent.star:
            call = self.parents.get(id(parent))
            if isinstance(call, cst.Call):
                return self._passed(kind, call, parent)
        if isinstance(parent, cst.Expr):
            return []  # a bare statement: `args`
        self.uses.leaves = True
        return []

    def _member(self, kind: str, attribute: cst.Attribute) -> list[tuple[str, str]]:
        """`args.x` reads an option; `snapshot.pop("x")` drops one; other methods leave."""
        name = attribute.attr.value
        called = self._is_called_method(attribute)
        if kind == _NAMESPACE:
            if name in ("__dict__", "_get_kwargs") or called:
                self.uses.leaves = True  # the whole namespace, or `args.func(args)`
            return []
        if called and name == "copy":
            call = self.parents[id(attribute)]
            return self._flow(_SNAPSHOT, call) if isinstance(call, cst.Call) else []
        if called and name in _SNAPSHOT_KEYED_METHODS:
            return []  # `.pop("x")`, `.get("x")`, `.update(...)`: the keys are string literals
        self.uses.leaves = True  # `.items()`, `.keys()`: every option is read
        return []

    def _passed(self, kind: str, call: cst.Call, arg: cst.Arg) -> list[tuple[str, str]]:
        """The namespace passed as an argument: into a local function's parameter, or away."""
        callee = self.qualify(call.func)
        method = call.func.attr.value if isinstance(call.func, cst.Attribute) else None
        if callee in NAMESPACE_LOG_SINKS or method in NAMESPACE_LOG_SINK_METHODS:
            return []  # logged or saved with the run: no option is read
        if callee in NAMESPACE_COPIES:
            return self._flow(kind, call)
        if kind == _SNAPSHOT:
            if callee == "builtins.dict":
                return self._flow(_SNAPSHOT, call)
            self.uses.leaves = True
            return []
        if callee in ("builtins.getattr", "builtins.hasattr") and len(call.args) >= 2:
            ok, value = literal_value(call.args[1].value)
            if not (ok and isinstance(value, str)):
                self.uses.leaves = True  # `getattr(args, name)`: any option may be read
            return []
        if callee in ("builtins.setattr", "builtins.delattr"):
            return []
        if callee == "builtins.vars":
            return self._flow(_SNAPSHOT, call)
        name = call.func.value if isinstance(call.func, cst.Name) else None
        function = self.functions.get(name) if name is not None else None
        parameter = _parameter_for(function, call, arg) if function is not None else None
        if parameter is None:
            self.uses.leaves = True
            return []
        return [(_NAMESPACE, parameter)]

    def _is_called_method(self, attribute: cst.Attribute) -> bool:
        parent = self.parents.get(id(attribute))
        return isinstance(parent, cst.Call) and parent.func is attribute

    def _is_binding(self, name: cst.Name) -> bool:
        """A name in a binding position (`args = ...`, a parameter, `for args in`), not a use."""
        parent = self.parents.get(id(name))
        if isinstance(parent, cst.Param):
            return parent.name is name
        if isinstance(parent, cst.AssignTarget | cst.FunctionDef | cst.ClassDef):
            return True
        if isinstance(parent, cst.AnnAssign) and parent.target is name:
            return True
        if isinstance(parent, cst.Element | cst.Tuple | cst.List):
            return self._is_binding_container(parent)
        if isinstance(parent, cst.Attribute) and parent.attr is name:
            return True  # `x.args`: the attribute, not the name
        if isinstance(parent, cst.Arg) and parent.keyword is name:
            return True  # `f(args=...)`: a keyword
        return isinstance(parent, cst.For) and parent.target is name

    def _is_binding_container(self, node: cst.CSTNode) -> bool:
        parent = self.parents.get(id(node))
        while isinstance(parent, cst.Element | cst.Tuple | cst.List):
            node, parent = parent, self.parents.get(id(parent))
        return isinstance(parent, cst.AssignTarget) or (isinstance(parent, cst.For) and parent.target is node)

    def _enclosing_function(self, node: cst.CSTNode) -> cst.FunctionDef | None:
        parent = self.parents.get(id(node))
        while parent is not None:
            if isinstance(parent, cst.FunctionDef):
                return parent
            if isinstance(parent, cst.Lambda | cst.ClassDef):
                return None
            parent = self.parents.get(id(parent))
        return None


def _bound_name(target: cst.BaseExpression, value: cst.BaseExpression) -> str | None:
    """The name an assignment binds the namespace to: `args = ...`, or the first element of
    `args, unknown = parser.parse_known_args()`."""
    if isinstance(target, cst.Name):
        return target.value
    if (
        isinstance(target, cst.Tuple | cst.List)
        and isinstance(value, cst.Call)
        and isinstance(value.func, cst.Attribute)
        and value.func.attr.value.startswith("parse_known")
        and target.elements
        and isinstance(target.elements[0].value, cst.Name)
    ):
        return target.elements[0].value.value
    return None


def _parameter_for(function: cst.FunctionDef, call: cst.Call, arg: cst.Arg) -> str | None:
    """The parameter of a local function that receives `arg` in `call`, or None."""
    params = function.params
    if arg.keyword is not None:
        names = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
        return arg.keyword.value if arg.keyword.value in names else None
    positional = [*params.posonly_params, *params.params]
    index = 0
    for candidate in call.args:
        if candidate.star:
            return None
        if candidate is arg:
            break
        if candidate.keyword is None:
            index += 1
    if index < len(positional):
        name = positional[index].name.value
        return None if name == "self" else name
    return None


def _imported_elsewhere(path: str, project: Project) -> bool:
    """Whether another project module imports this one, or anything from it but classes."""
    facts = project.facts.get(path)
    if facts is None:
        return False
    node = module_node(facts.module)
    if node not in project.graph:
        return False
    classes = {definition.name for definition in facts.definitions if definition.kind == "class"}
    for _source, _target, data in project.graph.in_edges(node, data=True):
        if data.get("kind") == "imports" and data.get("name", "") not in classes:
            return True
    return False


# --- click and typer helpers --------------------------------------------------------------------------


def _click_parameter(call: cst.Call) -> tuple[str | None, str]:
    """(Python parameter name, the option as written) of a `click.option`/`click.argument`."""
    declarations: list[str] = []
    for arg in call.args:
        if arg.star:
            return None, ""
        if arg.keyword is None:
            ok, value = literal_value(arg.value)
            if not ok or not isinstance(value, str):
                return None, ""
            declarations.extend(part.strip() for part in value.split("/"))  # "--flag/--no-flag"
        elif arg.keyword.value == "expose_value":
            ok, value = literal_value(arg.value)
            if not (ok and value is True):
                return None, ""
    if not declarations:
        return None, ""
    shown = declarations[0]
    plain = [d for d in declarations if d.isidentifier()]
    if plain:
        return plain[0], shown
    longs = [d for d in declarations if d.startswith("--")]
    chosen = longs[0][2:] if longs else declarations[0].lstrip("-")
    return chosen.replace("-", "_").lower(), shown


def _parameter_names(function: cst.FunctionDef) -> set[str] | None:
    params = function.params
    if isinstance(params.star_kwarg, cst.Param):
        return None
    return {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}


def _names_used(body: cst.BaseSuite) -> set[str] | None:
    """Every name the body mentions, or None when it reads its locals dynamically."""
    collector = _NameCollector()
    walk(body, collector)
    return None if collector.dynamic else collector.names


class _NameCollector(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.dynamic = False

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)
        if node.value in ("locals", "vars", "exec", "eval"):
            self.dynamic = True

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == "params":  # `ctx.params`: click hands every value over
            self.dynamic = True
