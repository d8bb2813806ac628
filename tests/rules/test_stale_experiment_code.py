"""MLD506 stale-experiment-code beyond its own examples: which names are markers, what counts as
a reference, and which modules are a distributable package's public API."""

from __future__ import annotations

import sys

import pytest

from mldebt.analysis import RuleSetup
from mldebt.registry import load_registry
from mldebt.runner import check_sources

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD506")
RULE_MODULE = sys.modules[RULE.__module__]


def places(files: dict[str, str]) -> list[tuple[str, int]]:
    setup = RuleSetup(RULE, RULE.Options(), RULE.SEVERITY)
    return sorted((f.path, f.line) for f in check_sources(files, [setup]).findings if f.code == "MLD506")


@pytest.mark.parametrize(
    ("name", "marker"),
    [
        ("train_old", "_old"),
        ("_train_old", "_old"),
        ("TrainerOld", "_old"),
        ("features_experimental", "_experimental"),
        ("model_tmp", "_tmp"),
        ("pipeline_backup", "_backup"),
        ("train_v2", "_v2"),
        ("ModelV3", "_v3"),
        ("predict_v10", "_v10"),
        ("exp_attention", "exp_"),
        ("legacy_loader", "legacy_"),
        ("LegacyLoader", "legacy_"),
        ("try_lstm", "try_"),
    ],
)
def test_marker_names(name: str, marker: str) -> None:
    assert RULE_MODULE.experiment_marker(name) == marker


@pytest.mark.parametrize(
    "name",
    [
        "old", "legacy", "train", "__old__", "train_v1", "told", "bold_font", "temp_old_v",
        # the marker means something else
        "exp_decay", "exp_lr_scheduler", "ExpMovingAverage", "exp_replay", "try_import", "try_load_checkpoint",
        "try_int", "is_old", "is_too_old", "remove_tmp", "clean_up_tmp", "make_backup", "restore_from_backup",
        "resnet_v2", "resnet50_v2", "InceptionResNetV2", "mobilenet_v3", "MobileNetV3", "HRNetV2", "ResNetV2",
        "load_squad_v2", "api_v2",
        "fasterrcnn_resnet50_fpn_v2",
    ],
)  # fmt: skip
def test_names_that_are_not_markers(name: str) -> None:
    assert RULE_MODULE.experiment_marker(name) is None


def test_references_from_any_file_kind() -> None:
    stale = "def train_old():\n    pass\n"
    assert places({"a.py": stale}) == [("a.py", 1)]
    assert places({"a.py": stale, "b.py": "import a\na.train_old()\n"}) == []
    assert places({"a.py": stale, "b.py": "from a import train_old as t\n"}) == []
    assert places({"a.py": stale, "b.py": "STEPS = ['train_old']\n"}) == []
    # an entry point declared in a dependency file
    pyproject = '[project.scripts]\nold = "a:train_old"\n'
    assert places({"a.py": stale, "pyproject.toml": pyproject}) == []


def test_a_method_of_a_reported_class_is_not_reported_again() -> None:
    source = "class TrainerOld:\n    def fit_v2(self):\n        pass\n"
    assert places({"a.py": source}) == [("a.py", 1)]


def test_plain_and_registering_decorators() -> None:
    plain = "import functools\n@functools.lru_cache()\ndef features_v2():\n    pass\n"
    registering = "@registry.register('rf')\ndef features_v2():\n    pass\n"
    assert places({"a.py": plain}) == [("a.py", 3)]
    assert places({"a.py": registering}) == []


def test_public_names_of_a_distributable_package() -> None:
    stale = "def train_old():\n    pass\n\ndef _train_old():\n    pass\n"
    package = {"pkg/__init__.py": "", "pkg/train.py": stale}
    # no packaging metadata: a repository of code, every name counts
    assert places(package) == [("pkg/train.py", 1), ("pkg/train.py", 4)]
    for metadata in (
        {"pyproject.toml": '[project]\nname = "pkg"\n'},
        {"pyproject.toml": '[tool.poetry]\nname = "pkg"\n'},
        {"setup.cfg": "[metadata]\nname = pkg\n"},
        {"setup.py": "from setuptools import setup\nsetup(name='pkg')\n"},
    ):
        assert places({**package, **metadata}) == [("pkg/train.py", 4)], metadata
    # a pyproject.toml with only tool settings is no distribution
    assert len(places({**package, "pyproject.toml": "[tool.ruff]\nline-length = 100\n"})) == 2
    # a private module of the package: its public names count too
    private = {"pkg/__init__.py": "", "pkg/_internal.py": stale, "setup.py": "setup()\n"}
    assert places(private) == [("pkg/_internal.py", 1), ("pkg/_internal.py", 4)]


def test_a_sub_project_is_distributable_on_its_own() -> None:
    stale = "def train_old():\n    pass\n"
    files = {
        "libs/core/pyproject.toml": '[project]\nname = "core"\n',
        "libs/core/core/__init__.py": "",
        "libs/core/core/train.py": stale,
        "apps/job/__init__.py": "",
        "apps/job/train.py": stale.replace("train_old", "job_old"),
    }
    assert places(files) == [("apps/job/train.py", 1)]


def test_tests_are_left_alone() -> None:
    stale = "def helper_old():\n    pass\n"
    assert places({"tests/test_a.py": stale, "tests/conftest.py": stale, "pkg/a_test.py": stale}) == []


def test_names_that_code_may_build() -> None:
    stale = "def train_old():\n    pass\n"
    # the stem, anywhere: `getattr(module, "train_" + suffix)`
    assert places({"a.py": stale, "b.py": "import a\ngetattr(a, 'train_' + SUFFIX)()\n"}) == []
    # the bare marker only counts in the defining module: elsewhere it is some other name's piece
    assert places({"a.py": stale + "STEP = NAME + '_old'\n"}) == []
    assert places({"a.py": stale, "b.py": "COLUMN = NAME + '_old'\n"}) == [("a.py", 1)]
