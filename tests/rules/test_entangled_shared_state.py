"""MLD203 entangled-shared-state beyond its own examples: what is a change of the container itself."""

from __future__ import annotations

from mldebt.analysis import RuleSetup
from mldebt.registry import load_registry
from mldebt.runner import check_sources

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD203")
CONFIG = {"config.py": 'import pandas as pd\nPARAMS = {"lr": 0.1}\nFEATURES = ["age"]\nframe = pd.DataFrame()\n'}


def places(code: str, path: str = "train.py") -> list[int]:
    setup = RuleSetup(RULE, RULE.Options(), RULE.SEVERITY)
    result = check_sources({**CONFIG, path: code}, [setup])
    return [f.line for f in result.findings if f.code == "MLD203" and f.path == path]


def test_an_import_inside_the_function_that_changes_it() -> None:
    assert places("def tune():\n    import config\n    config.PARAMS.update(lr=0.2)\n") == [3]


def test_changes_to_what_the_container_holds_are_not_changes_of_the_container() -> None:
    assert places("import config\nconfig.PARAMS.model.lr = 0.2\nconfig.FEATURES[0].strip()\n") == []


def test_a_frame_append_returns_a_new_frame() -> None:
    assert places("import config\nbigger = config.frame.append(row)\n") == []


def test_a_local_rebinding_in_the_function_shadows_the_import() -> None:
    code = (
        "from config import FEATURES\n"
        "def build():\n    FEATURES = []\n    FEATURES.append('x')\n    return FEATURES\n"
    )
    assert places(code) == []


def test_one_finding_per_module_and_container_at_the_first_change() -> None:
    code = "import config\nconfig.FEATURES.append('a')\nconfig.PARAMS['lr'] = 1\nconfig.FEATURES.append('b')\n"
    assert places(code) == [2, 3]
    setup = RuleSetup(RULE, RULE.Options(), RULE.SEVERITY)
    messages = [f.message for f in check_sources({**CONFIG, "train.py": code}, [setup]).findings]
    expected = "`FEATURES`, a module-level list of `config.py`, with `.append(...)` (and 1 more time in this module)"
    assert expected in messages[0]
