"""MLD202 undeclared-consumer beyond its own examples: who counts as an insider, the option, and
what declares a model file's reader alongside its writer."""

from __future__ import annotations

from mldebt.analysis import RuleSetup
from mldebt.findings import Finding
from mldebt.registry import load_registry
from mldebt.runner import check_sources

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD202")
PKG = {"pkg/__init__.py": "", "pkg/core/__init__.py": "", "pkg/core/util.py": "def _helper():\n    pass\n"}
TRAIN = (
    "import joblib\nfrom sklearn.linear_model import LogisticRegression\n"
    'model = LogisticRegression().fit(X, y)\njoblib.dump(model, "models/model.pkl")\n'
)
SERVE = 'import joblib\nmodel = joblib.load("models/model.pkl")\n'
# Modules of packages run from the project root, so `models/model.pkl` is one file for all of them.
PACKAGES = {f"{name}/__init__.py": "" for name in ("training", "training_v2", "app", "app/api", "tests")}


def findings(files: dict[str, str], **options: object) -> list[Finding]:
    setup = RuleSetup(RULE, RULE.Options(**options), RULE.SEVERITY)
    return [f for f in check_sources({**PACKAGES, **files}, [setup]).findings if f.code == "MLD202"]


def places(files: dict[str, str], **options: object) -> list[tuple[str, int]]:
    return sorted((f.path, f.line) for f in findings(files, **options))


def test_internal_api_importers_is_configurable() -> None:
    files = {
        **PKG,
        "pkg/io/__init__.py": "",
        "pkg/io/a.py": "from pkg.core.util import _helper\n",
        "pkg/io/b.py": "from pkg.core.util import _helper\n",
        "pkg/io/c.py": "from pkg.core.util import _helper\n",
    }
    assert places(files) == []
    assert places(files, internal_api_importers=4) == [("pkg/io/a.py", 1), ("pkg/io/b.py", 1), ("pkg/io/c.py", 1)]


def test_a_package_answers_for_its_sub_packages() -> None:
    files = {**PKG, "pkg/__init__.py": "from pkg.core.util import _helper\n"}
    assert places(files) == []


def test_a_cousin_package_is_an_outsider() -> None:
    files = {**PKG, "pkg/serving/__init__.py": "", "pkg/serving/api.py": "from pkg.core.util import _helper\n"}
    assert places(files) == [("pkg/serving/api.py", 1)]


def test_a_root_level_script_is_an_outsider_but_root_level_helpers_belong_to_everyone() -> None:
    files = {**PKG, "run.py": "from pkg.core.util import _helper\n", "_shared.py": "X = 1\n"}
    files["scripts/report.py"] = "from _shared import X\n"
    assert places(files) == [("run.py", 1)]


def test_packages_under_src_ship_together() -> None:
    files = {
        "src/lib/__init__.py": "",
        "src/lib/_internal/__init__.py": "",
        "src/lib/_internal/config.py": "DEBUG = False\n",
        "src/lib/a.py": "from lib._internal.config import DEBUG\n",
        "src/lib/b.py": "from lib._internal.config import DEBUG\n",
        "src/lib_cli/__init__.py": "",
        "src/lib_cli/main.py": "from lib._internal.config import DEBUG\n",
    }
    assert places(files) == []
    # Outside `src/`, a second top-level package is another package: every reach-in counts.
    moved = {path.replace("src/lib_cli/", "cli/"): text for path, text in files.items()}
    assert places(moved) == [("cli/main.py", 1)]


def test_one_finding_per_place_for_a_chain_of_private_attributes() -> None:
    files = {**PKG, "app/main.py": "import pkg.core.util\nx = pkg.core.util._helper._cache\n"}
    found = findings(files)
    assert [(f.line, f.column) for f in found] == [(2, 5)]
    assert "`pkg.core.util._helper`" in found[0].message


def test_a_function_that_rebinds_an_imported_module_name_is_silent() -> None:
    files = {**PKG, "app/main.py": "from pkg.core import util\ndef run(util):\n    return util._helper\n"}
    assert places(files) == []


def test_model_file_declared_through_imports_either_way() -> None:
    reader_imports_writer = {"training/train.py": TRAIN, "app/serve.py": "import training.train\n" + SERVE}
    assert places(reader_imports_writer) == []
    writer_imports_reader = {"training/train.py": "import app.serve\n" + TRAIN, "app/serve.py": SERVE}
    assert places(writer_imports_reader) == []
    through_a_third_module = {
        "training/train.py": TRAIN,
        "app/deps.py": "import training.train\n",
        "app/api/serve.py": "import app.deps\n" + SERVE,
    }
    assert places(through_a_third_module) == []


def test_model_file_undeclared_is_reported_at_each_read_naming_every_writer() -> None:
    files = {
        "training/train.py": TRAIN,
        "training_v2/train.py": TRAIN,
        "app/serve.py": SERVE + 'backup = joblib.load("models/model.pkl")\n',
    }
    found = findings(files)
    assert [(f.path, f.line) for f in found] == [("app/serve.py", 2), ("app/serve.py", 3)]
    assert "`training/train.py` and `training_v2/train.py` write" in found[0].message


def test_a_module_that_writes_the_file_itself_and_tests_are_not_consumers() -> None:
    files = {
        "training/train.py": TRAIN,
        "app/retrain.py": SERVE + 'joblib.dump(model, "models/model.pkl")\n',
        "tests/test_serve.py": SERVE,
    }
    assert places(files) == []


def test_a_model_written_only_by_a_test_has_no_producer() -> None:
    assert places({"tests/test_train.py": TRAIN, "app/serve.py": SERVE}) == []


def test_build_and_documentation_tooling_are_not_consumers() -> None:
    files = {
        **PKG,
        "setup.py": "from pkg.core.util import _helper\n",
        "docs/conf.py": "from pkg.core.util import _helper\n",
        "docs/source/conf.py": "from pkg.core.util import _helper\n",
        "tools/conf.py": "from pkg.core.util import _helper\n",
    }
    assert places(files) == [("tools/conf.py", 1)]


def test_parts_of_the_repository_are_its_top_level_folders() -> None:
    # One top-level folder: the training and scoring steps of one project.
    one_part = {"training/train.py": TRAIN, "training/scoring/__init__.py": "", "training/scoring/score.py": SERVE}
    assert places(one_part) == []
    # A root-level script is not part of a top-level folder, nor the other way round.
    assert places({"training/train.py": TRAIN, "serve.py": SERVE}) == [("serve.py", 2)]
    assert places({"train.py": TRAIN, "app/serve.py": SERVE}) == [("app/serve.py", 2)]


def test_a_folder_of_modules_without_init_is_a_submodule_not_a_name() -> None:
    files = {
        "pkg/__init__.py": '__all__ = ["train"]\n',
        "pkg/plugins/loader.py": "X = 1\n",
        "app/main.py": "from pkg import plugins\n",
    }
    assert places(files) == []
