"""MLD602 conflicting-config-constant beyond its examples: two severities, which names count, relations."""

from __future__ import annotations

import textwrap

import pytest

from mldebt.analysis import RuleSetup
from mldebt.findings import Finding, Severity
from mldebt.knowledge.settings import is_setting_name, is_upper_case
from mldebt.registry import load_registry
from mldebt.runner import check_sources

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD602")


def run(files: dict[str, str], severity: Severity | None = None, **options: object) -> list[Finding]:
    setup = RuleSetup(RULE, RULE.Options(**options), severity or RULE.SEVERITY)
    sources = {path: textwrap.dedent(text) for path, text in files.items()}
    result = check_sources(sources, [setup])
    assert not result.errors
    return sorted(result.findings, key=lambda f: f.sort_key)


DRIFT_AND_COPY = {
    "config.py": "LEARNING_RATE = 0.01\nSEED = 42\n",
    "train.py": "import config\nLEARNING_RATE = 0.001\nSEED = 42\n",
}


def test_different_values_warn_and_the_same_value_informs() -> None:
    found = [(f.path, f.line, f.severity) for f in run(DRIFT_AND_COPY)]
    assert found == [
        ("config.py", 1, Severity.WARNING),
        ("config.py", 2, Severity.INFO),
        ("train.py", 2, Severity.WARNING),
        ("train.py", 3, Severity.INFO),
    ]


def test_a_configured_severity_replaces_the_warning_but_never_raises_the_info() -> None:
    assert {f.severity for f in run(DRIFT_AND_COPY, Severity.ERROR)} == {Severity.ERROR, Severity.INFO}
    assert {f.severity for f in run(DRIFT_AND_COPY, Severity.INFO)} == {Severity.INFO}


def test_each_assignment_names_every_other_with_its_value() -> None:
    files = {
        "config.py": "BATCH_SIZE = 32\n",
        "train.py": "import config\nBATCH_SIZE = 64\n",
        "evaluate.py": "import config\nBATCH_SIZE = 32\n",
    }
    messages = {f.path: f.message for f in run(files)}
    assert messages["config.py"] == (
        "`BATCH_SIZE` is `32` here but `32` in `evaluate.py:2`, `64` in `train.py:2`: "
        "copies of one setting have drifted apart"
    )
    assert "`64` in `train.py:2`" in messages["evaluate.py"]


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("1e-3", "0.001", True),
        ("1", "1.0", True),
        ("True", "1", False),
        ('"data/"', '"data"', True),
        ('"a"', '"b"', False),
    ],
)
def test_values_compare_as_values(first: str, second: str, same: bool) -> None:
    found = run({"config.py": f"DATA_DIR = {first}\n", "main.py": f"import config\nDATA_DIR = {second}\n"})
    assert {f.severity for f in found} == {Severity.INFO if same else Severity.WARNING}


def test_extra_words_make_more_names_settings() -> None:
    files = {"a.py": "import b\nGAMMA = 0.9\n", "b.py": "GAMMA = 0.99\n"}
    assert run(files) == []
    assert len(run(files, extra_words=("gamma",))) == 2


def test_modules_sharing_a_config_module_are_related() -> None:
    files = {
        "config.py": "DATA = 'x'\n",
        "jobs/train.py": "from config import DATA\nSEED = 1\n",
        "jobs/serve.py": "from config import DATA\nSEED = 2\n",
    }
    assert [f.path for f in run(files)] == ["jobs/serve.py", "jobs/train.py"]


def test_unrelated_programs_and_sibling_alternatives_are_not() -> None:
    files = {
        "week1/homework.py": "MODEL_PATH = 'model.bin'\n",
        "week1/solution.py": "MODEL_PATH = 'model_v2.bin'\n",
        "week2/train.py": "MODEL_PATH = 'other.bin'\n",
    }
    assert run(files) == []


@pytest.mark.parametrize(
    ("name", "upper", "setting"),
    [
        ("LEARNING_RATE", True, True), ("INIT_LR", True, True), ("TRAIN_BATCH_SIZE", True, True),
        ("NUM_EPOCHS", True, True), ("N_CLASSES", True, True), ("NUMBER_OF_FOLDS", True, True),
        ("RANDOM_SEED", True, True), ("IOU_THRESHOLD", True, True), ("MODEL_PATH", True, True),
        ("TRAIN_DATA_DIR", True, True), ("MAX_SEQ_LENGTH", True, True), ("TARGET", True, True),
        ("MAX_RETRIES", True, False), ("DEFAULT_TIMEOUT", True, False), ("LOG_DIR", True, False),
        ("CLASSES", True, False), ("learning_rate", False, False), ("X", False, False), ("_SEED", True, True),
    ],
)  # fmt: skip
def test_setting_vocabulary(name: str, upper: bool, setting: bool) -> None:
    assert is_upper_case(name) is upper
    assert is_setting_name(name) is setting
