"""MLD603 unused-config-option beyond its own examples: where the namespace goes, the project phase."""

from __future__ import annotations

import pytest

from mldebt.registry import load_registry
from mldebt.rule import Valid
from mldebt.testing import run_example

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD603")

HEAD = """
import argparse
parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float)
parser.add_argument("--dropout", type=float)
"""


def lines(code: str, path: str = "train.py", files: dict[str, str] | None = None) -> list[int]:
    example = Valid(code, path=path, files=files or {})
    return [finding.line for finding in run_example(RULE, example).findings if finding.path == path]


@pytest.mark.parametrize(
    "tail",
    [
        "args = parser.parse_args()\nprint(args.lr)\nprint(args)\n",
        "args = parser.parse_args()\nprint(args.lr)\naccelerator.init_trackers('run', config=vars(args))\n",
        "import wandb\nargs = parser.parse_args()\nprint(args.lr)\n"
        "config = dict(vars(args))\nconfig.pop('lr')\nwandb.init(config=config)\n",
        "args = parser.parse_args()\nprint(args.lr)\nlogger.info(args)\n",
        "import copy\nargs = parser.parse_args()\nsnapshot = copy.deepcopy(args)\nprint(snapshot.lr)\n",
    ],
)
def test_logging_the_namespace_does_not_read_its_options(tail: str) -> None:
    assert lines(HEAD + tail) == [4]


@pytest.mark.parametrize(
    "tail",
    [
        "args = parser.parse_args()\nargs.func(args)\n",
        "args = parser.parse_args()\nfor key, value in vars(args).items():\n    print(key, value)\n",
        "args = parser.parse_args()\nconfig = vars(args)\nfor key in config:\n    print(key)\n",
        "args = parser.parse_args()\nname = 'lr'\nprint(getattr(args, name))\n",
        "args = parser.parse_args()\nprint(args.__dict__)\n",
        "args = parser.parse_args(namespace=settings)\n",
        "args = parser.parse_args()\nrunner = Runner(args)\n",
        "args = parser.parse_args()\nCONFIG['args'] = args\n",
        "run(parser.parse_args())\n",
    ],
)
def test_silent_when_the_namespace_leaves(tail: str) -> None:
    assert lines(HEAD + tail) == []


def test_namespace_followed_through_local_functions() -> None:
    code = HEAD + (
        "def train(options):\n"
        "    print(options.lr)\n"
        "def main():\n"
        "    args = parser.parse_args()\n"
        "    train(args)\n"
    )
    assert lines(code) == [4]


def test_namespace_passed_on_from_a_local_function_leaves() -> None:
    code = HEAD + (
        "from engine import fit\n"
        "def train(options):\n"
        "    fit(options)\n"
        "args = parser.parse_args()\n"
        "train(args)\n"
    )
    assert lines(code) == []


def test_module_level_namespace_imported_elsewhere_is_left_alone() -> None:
    code = HEAD + "args = parser.parse_args()\nprint(args.lr)\n"
    assert lines(code, path="opts.py") == [4]
    assert lines(code, path="opts.py", files={"train.py": "from opts import args\nprint(args.dropout)\n"}) == []
    assert lines(code, path="opts.py", files={"train.py": "import opts\n"}) == []


def test_option_strings_and_dest() -> None:
    code = """
    import argparse
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", "--num-epochs", type=int)
    parser.add_argument("data_dir")
    parser.add_argument("--weights", dest="checkpoint")
    parser.add_argument(*names)
    args = parser.parse_args()
    print(args.num_epochs, args.weights)
    """
    assert lines(code) == [4, 5]


def test_subparser_options_count() -> None:
    code = """
    import argparse
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    train = sub.add_parser("train")
    train.add_argument("--epochs", type=int)
    train.add_argument("--patience", type=int)
    args = parser.parse_args()
    if args.command == "train":
        fit(args.epochs)
    """
    assert lines(code) == [6]


def test_click_option_names() -> None:
    code = """
    import click
    @click.command()
    @click.option("--lr", "learning_rate", type=float)
    @click.option("--shuffle/--no-shuffle", default=True)
    @click.option("-v", "--verbose", count=True)
    @click.argument("data_path")
    def train(learning_rate, shuffle, verbose, data_path):
        fit(data_path, learning_rate)
    """
    assert lines(code) == [4, 5]


def test_click_group_command_needs_click_imported() -> None:
    code = """
    @cli.command()
    @options.option("--lr")
    def train(lr):
        pass
    """
    assert lines(code) == []


def test_typer_annotated_option() -> None:
    code = """
    from typing import Annotated
    import typer
    def train(lr: Annotated[float, typer.Option()] = 3e-4, seed: Annotated[int, typer.Option()] = 0):
        fit(lr)
    """
    assert lines(code) == [3]


def test_click_group_commands() -> None:
    code = """
    import click
    @click.group()
    def cli():
        pass
    @cli.command()
    @click.option("--epochs", type=int)
    @click.option("--patience", type=int)
    def train(epochs, patience):
        fit(epochs)
    """
    assert lines(code) == [7]


def test_typer_option_of_a_typer_run_command_is_reported_once() -> None:
    code = """
    import typer
    def main(data: str, n_iter: int = typer.Option(10)):
        fit(data)
    typer.run(main)
    """
    assert lines(code) == [2]
