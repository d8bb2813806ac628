"""MLD504 dead-experimental-codepath across modules: imported flags, and what changes them."""

from __future__ import annotations

import textwrap
from typing import Any

from mldebt.analysis import RuleSetup
from mldebt.registry import load_registry
from mldebt.runner import check_sources

RULE: Any = next(rule for rule in load_registry().rules if rule.CODE == "MLD504")

TRAIN = """
import config
if config.USE_AUG:
    augment()
"""


def findings(files: dict[str, str]) -> list[tuple[str, int, str]]:
    sources = {path: textwrap.dedent(text).lstrip("\n") for path, text in files.items()}
    result = check_sources(sources, [RuleSetup(RULE, RULE.Options(), RULE.SEVERITY)])
    assert not result.errors
    return sorted((f.path, f.line, f.message) for f in result.findings if f.code == "MLD504")


def test_an_imported_flag_set_once_is_reported_at_the_if() -> None:
    assert findings({"train.py": TRAIN, "config.py": "USE_AUG = False\n"}) == [
        ("train.py", 2, "`if config.USE_AUG:` never runs: `config.USE_AUG` is set once, to `False`, "
         "at `config.py:1`, and never changed in the project"),
    ]


def test_an_assignment_from_any_module_keeps_the_flag_alive() -> None:
    cli = "import config\ndef main(args):\n    config.USE_AUG = args.aug\n"
    assert findings({"train.py": TRAIN, "config.py": "USE_AUG = False\n", "cli.py": cli}) == []


def test_setattr_vars_and_dict_on_the_module_keep_it_alive() -> None:
    for writer in (
        "import config\nsetattr(config, name, value)\n",
        "import config\nvars(config).update(overrides)\n",
        "import config\nconfig.__dict__.update(overrides)\n",
    ):
        assert findings({"train.py": TRAIN, "config.py": "USE_AUG = False\n", "cli.py": writer}) == [], writer


def test_a_dynamic_config_module_is_never_trusted() -> None:
    for config in (
        "USE_AUG = False\nexec(open('overrides.py').read())\n",
        "USE_AUG = False\nglobals().update(load())\n",
        "USE_AUG = False\ndef enable():\n    global USE_AUG\n    USE_AUG = True\n",
        "USE_AUG = False\nfor USE_AUG in (True, False):\n    pass\n",
    ):
        assert findings({"train.py": TRAIN, "config.py": config}) == [], config


def test_dotted_imports_and_packages() -> None:
    train = "import pkg.config\nif pkg.config.USE_AUG:\n    augment()\n"
    files = {"run.py": train, "pkg/__init__.py": "", "pkg/config.py": "USE_AUG = 0\n"}
    assert [line for _, line, _ in findings(files)] == [2]


def test_a_flag_that_always_holds_without_an_else_only_wraps_code() -> None:
    assert findings({"train.py": TRAIN, "config.py": "USE_AUG = True\n"}) == []
    with_else = TRAIN + "else:\n    plain()\n"
    assert [line for _, line, _ in findings({"train.py": with_else, "config.py": "USE_AUG = True\n"})] == [2]


def test_an_unresolved_or_non_literal_flag_is_left_alone() -> None:
    assert findings({"train.py": TRAIN}) == []
    assert findings({"train.py": TRAIN, "config.py": "USE_AUG = os.environ.get('AUG') == '1'\n"}) == []
    assert findings({"train.py": "import os\nif os.name == 'nt':\n    fix()\n"}) == []


def test_the_file_phase_findings_are_kept_as_they_were() -> None:
    files = {"train.py": "import config\nOLD = False\nif OLD:\n    old()\nif config.X:\n    new()\n", "config.py": ""}
    assert findings(files) == [
        ("train.py", 3, "`if OLD:` never runs: `OLD` is set once, to `False`, on line 2, and never changed"),
    ]


def test_an_if_that_always_runs_hides_its_elif_chain() -> None:
    train = """
    import params
    if params.base_model == "vgg16":
        model = vgg16()
    elif params.base_model == "resnet50":
        model = resnet50()
    """
    assert [line for _, line, _ in findings({"train.py": train, "params.py": "base_model = 'vgg16'\n"})] == [2]
    # When the first branch never runs, each dead `elif` stands on its own.
    assert [line for _, line, _ in findings({"train.py": train, "params.py": "base_model = 'other'\n"})] == [2, 4]


def test_a_dead_condition_inside_a_dead_branch_is_said_once() -> None:
    process = """
    import config
    def process(frame):
        if config.QUERY_EXPANSION:
            frame = expand(frame)
            if config.TASK == "sample":
                print(frame)
        else:
            for row in frame:
                pass
            else:
                done()
            if config.TASK == "sample":
                print(frame)
        return frame
    """
    files = {"process.py": process, "config.py": 'TASK = "all"\nQUERY_EXPANSION = False\n'}
    assert [line for _, line, _ in findings(files)] == [3, 12]
