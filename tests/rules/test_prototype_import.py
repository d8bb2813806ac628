"""MLD510 prototype-import beyond its own examples: where prototype areas are, one finding per import."""

from __future__ import annotations

import sys

from mldebt.analysis import RuleSetup
from mldebt.registry import load_registry
from mldebt.runner import check_sources

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD510")
prototype_area = sys.modules[RULE.__module__].prototype_area


def places(files: dict[str, str]) -> list[tuple[str, int]]:
    setup = RuleSetup(RULE, RULE.Options(), RULE.SEVERITY)
    return sorted((f.path, f.line) for f in check_sources(files, [setup]).findings if f.code == "MLD510")


def test_prototype_areas() -> None:
    assert prototype_area("experiments/run.py") == "experiments/"
    assert prototype_area("pkg/Sandbox/model.py") == "pkg/Sandbox/"
    assert prototype_area("src/pkg/scratch.py") == "src/pkg/scratch.py"
    assert prototype_area("analysis/eda.ipynb") == "analysis/eda.ipynb"
    assert prototype_area("pkg/experiments.py") is None
    assert prototype_area("my_experiments/run.py") is None
    assert prototype_area("pkg/train.py") is None
    # `experiments` and `notebooks` inside a package are the library's own sub-packages.
    assert prototype_area("src/lib/experiments/base.py", {"src/lib", "src/lib/experiments"}) is None
    assert prototype_area("src/lib/scratch/base.py", {"src/lib", "src/lib/scratch"}) == "src/lib/scratch/"
    assert prototype_area("experiments/base.py", {"experiments"}) == "experiments/"
    # A `sandbox` package with sub-packages of its own is a product (a code-execution sandbox).
    assert prototype_area("sandbox/runtime.py", {"sandbox", "sandbox/server"}) is None
    assert prototype_area("sandbox/runtime.py", {"sandbox"}) == "sandbox/"


def test_one_finding_per_import_statement() -> None:
    files = {
        "scratch/feats.py": "A = 1\nB = 2\n",
        "train.py": "from scratch.feats import A, B\nimport scratch.feats\n",
    }
    assert places(files) == [("train.py", 1), ("train.py", 2)]


def test_a_prototype_nested_in_another_prototype_area_is_silent() -> None:
    files = {"notebooks/helpers/plot.py": "X = 1\n", "notebooks/exp/run.py": "from notebooks.helpers.plot import X\n"}
    assert places(files) == []


def test_importing_the_package_above_a_prototype_is_not_importing_the_prototype() -> None:
    files = {"pkg/__init__.py": "", "pkg/sandbox/__init__.py": "", "pkg/sandbox/x.py": "", "app.py": "import pkg\n"}
    assert places(files) == []
