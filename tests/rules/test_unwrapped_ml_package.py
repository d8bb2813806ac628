"""MLD502 unwrapped-ml-package beyond its own examples: the option, what counts as a model
import, and which folders are not modules of the system."""

from __future__ import annotations

from mldebt.analysis import RuleSetup
from mldebt.findings import Finding
from mldebt.registry import load_registry
from mldebt.runner import check_sources

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD502")
MODEL = "from lightgbm import LGBMClassifier\nmodel = LGBMClassifier()\n"


def findings(files: dict[str, str], **options: object) -> list[Finding]:
    setup = RuleSetup(RULE, RULE.Options(**options), RULE.SEVERITY)
    return [f for f in check_sources(files, [setup]).findings if f.code == "MLD502"]


def test_min_modules_is_configurable() -> None:
    files = {"a.py": MODEL, "b.py": MODEL, "main.py": "import a\nimport b\n"}
    assert findings(files) == []
    [finding] = findings(files, min_modules=2)
    assert (finding.path, finding.line) == ("a.py", 1)
    assert "`a.py`, `b.py`" in finding.message


def test_one_finding_per_package() -> None:
    both = "import sklearn.svm\nimport catboost\nsklearn.svm.SVC()\ncatboost.CatBoostClassifier()\n"
    files = {f"pkg/{name}.py": both for name in "abcd"}
    files["pkg/__init__.py"] = "from pkg import a, b, c, d\n"
    assert sorted((f.path, f.line, f.message.split("`")[1]) for f in findings(files)) == [
        ("pkg/a.py", 1, "sklearn"),
        ("pkg/a.py", 2, "catboost"),
    ]


def test_a_helper_only_module_does_not_count_even_with_models_elsewhere() -> None:
    svc = MODEL.replace("lightgbm", "sklearn.svm").replace("LGBMClassifier", "SVC")
    files = {f"pkg/{name}.py": svc for name in "abc"}
    files["pkg/__init__.py"] = "from pkg import a, b, c, d, e\n"
    files["pkg/d.py"] = "from sklearn.preprocessing import StandardScaler\nStandardScaler()\n"
    assert findings(files) == []
    files["pkg/e.py"] = "import sklearn\nsklearn.metrics.f1_score([1], [1])\n"  # the whole package, for a metric
    assert findings(files) == []
    files["pkg/e.py"] = "import sklearn\nsklearn.linear_model.Ridge()\n"  # the whole package, for a model
    assert len(findings(files)) == 1


def test_example_and_notebook_folders_do_not_count() -> None:
    files = {
        "src/app/train.py": MODEL,
        "docs/usage.py": MODEL,
        "tutorials/intro.py": MODEL,
        "demos/app.py": MODEL,
        "sandbox/try.py": MODEL,
        "tests/unit/test_train.py": MODEL,
        "src/app/train_test.py": MODEL,
    }
    assert findings(files) == []


def test_modules_count_together_when_they_make_one_system() -> None:
    lessons = {f"lesson_{n}/train.py": MODEL for n in range(1, 5)}
    helper = {"common.py": "def load():\n    pass\n"}
    # a helper every lesson imports does not join them
    shared = {path: "import common\n" + text for path, text in lessons.items()}
    assert findings({**shared, **helper}) == []
    # a program that imports every lesson does
    assert len(findings({**lessons, "run_all.py": "\n".join(f"import lesson_{n}.train" for n in range(1, 5))})) == 1
    # so does a chain of scripts through files: each reads what the previous one wrote
    chain = {
        "prepare.py": MODEL + "import pandas as pd\npd.DataFrame().to_csv('data/a.csv')\n",
        "features.py": MODEL + "import pandas as pd\npd.read_csv('data/a.csv').to_csv('data/b.csv')\n",
        "train.py": MODEL + "import pandas as pd\npd.read_csv('data/b.csv').to_csv('data/c.csv')\n",
        "report.py": MODEL + "import pandas as pd\npd.read_csv('data/c.csv')\n",
    }
    assert [f.path for f in findings(chain)] == ["features.py"]
    # but reading the same input file does not
    readers = {f"nb_{n}/run.py": MODEL + "import pandas as pd\npd.read_csv('train.csv')\n" for n in range(4)}
    assert findings(readers) == []
    # the scripts of one folder are one project's, from five on (or `min-folder-modules`)
    scripts = {f"scripts/train_{n}.py": MODEL for n in range(4)}
    assert findings(scripts) == []
    assert [f.path for f in findings(scripts, min_folder_modules=4)] == ["scripts/train_0.py"]
    scripts["scripts/train_4.py"] = MODEL
    assert [f.path for f in findings(scripts)] == ["scripts/train_0.py"]


def test_a_package_of_the_project_and_a_published_library_built_on_one() -> None:
    own = {f"lightgbm/{name}.py": MODEL for name in "abcd"}
    own["lightgbm/__init__.py"] = "from lightgbm import a, b, c, d\n"
    assert findings(own) == []  # lightgbm's own repository
    library = {f"src/ext/{name}.py": MODEL for name in "abcd"}
    library["src/ext/__init__.py"] = "from ext import a, b, c, d\n"
    assert len(findings(library)) == 1
    assert len(findings({**library, "pyproject.toml": '[project]\nname = "ext"\n'})) == 1  # an application
    published = '[project]\nname = "ext"\nclassifiers = ["Programming Language :: Python"]\n'
    assert findings({**library, "pyproject.toml": published}) == []
    setup = "from setuptools import setup\nsetup(name='ext', classifiers=['Topic :: Scientific'])\n"
    assert findings({**library, "setup.py": setup}) == []


def test_a_model_module_imported_but_unused_does_not_count() -> None:
    header = "from sklearn import ensemble, metrics\n"
    files = {f"scripts/s{n}.py": header + "metrics.f1_score([1], [1])\n" for n in range(5)}
    assert findings(files) == []
    files["scripts/s0.py"] = header + "ensemble.RandomForestClassifier()\n"
    assert findings(files) == []  # one module uses the models
