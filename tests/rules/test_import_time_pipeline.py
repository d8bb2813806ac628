"""MLD507 import-time-pipeline beyond its own examples: one finding per file, at the first step."""

from __future__ import annotations

from mldebt.registry import load_registry
from mldebt.rule import Valid
from mldebt.testing import run_example

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD507")
PKG = {"pkg/__init__.py": ""}


def lines(code: str, path: str = "pkg/mod.py") -> list[int]:
    example = Valid(code, path=path, files=PKG if path.startswith("pkg/") else {})
    return [finding.line for finding in run_example(RULE, example).findings]


def test_one_finding_per_file_at_the_first_pipeline_statement() -> None:
    code = (
        "import pandas as pd\n"
        "LABELS = ['a', 'b']\n"
        "frame = pd.read_csv('train.csv')\n"
        "test = pd.read_csv('test.csv')\n"
        "model.fit(frame, frame.y)\n"
    )
    assert lines(code) == [3]


def test_the_else_of_a_main_guard_runs_on_import() -> None:
    code = "import pandas as pd\nif __name__ == '__main__':\n    main()\nelse:\n    frame = pd.read_csv('x.csv')\n"
    assert lines(code) == [5]


def test_a_module_outside_a_package_is_a_script() -> None:
    assert lines("import pandas as pd\nframe = pd.read_csv('x.csv')\n", path="train.py") == []


def test_a_backward_without_a_step_is_not_training() -> None:
    assert lines("loss = model(x).sum()\nloss.backward()\nprint(x.grad)\n") == []


def test_a_loop_that_fits_is_reported_at_the_loop() -> None:
    code = "for fold in range(5):\n    models[fold].fit(X[fold], y[fold])\n"
    assert lines(code) == [1]


def test_spark_reads_and_file_reads() -> None:
    assert lines("frame = spark.read.parquet('s3://bucket/events')\n") == [1]
    assert lines("text = open('vocab.txt').read()\n") == []


def _project_findings(files: dict[str, str]) -> list[tuple[str, int, str]]:
    from mldebt.analysis import RuleSetup
    from mldebt.runner import check_sources

    result = check_sources(files, [RuleSetup(RULE, RULE.Options(), RULE.SEVERITY)])
    assert not result.errors
    return sorted((f.path, f.line, f.message) for f in result.findings)


def test_a_script_is_reported_once_naming_its_importers() -> None:
    files = {"prepare.py": "import pandas as pd\nframe = pd.read_csv('x.csv')\n"}
    files.update({f"step{n}.py": "import prepare\n" for n in range(5)})
    assert _project_findings(files) == [
        ("prepare.py", 2, "`prepare` loads data with `pd.read_csv(...)` at module level, and `step0.py` (line 1), "
         "`step1.py` (line 1), `step2.py` (line 1) and 2 more import it: importing it runs the pipeline"),
    ]


def test_a_script_that_nothing_imports_stays_silent_and_packages_keep_their_message() -> None:
    files = {
        "prepare.py": "import pandas as pd\nframe = pd.read_csv('x.csv')\n",
        "pkg/__init__.py": "",
        "pkg/load.py": "import pandas as pd\nframe = pd.read_csv('x.csv')\n",
        "pkg/use.py": "from pkg import load\n",
    }
    assert _project_findings(files) == [
        ("pkg/load.py", 2, "`pkg.load` loads data with `pd.read_csv(...)` at module level: importing it runs the pipeline"),
    ]


def test_a_test_module_or_notebook_importing_a_script_still_counts_but_is_never_flagged_itself() -> None:
    files = {
        "train.py": "import pandas as pd\nframe = pd.read_csv('x.csv')\nmodel.fit(frame)\n",
        "tests/test_train.py": "import pandas as pd\nimport train\nframe = pd.read_csv('y.csv')\n",
    }
    assert [(path, line) for path, line, _ in _project_findings(files)] == [("train.py", 2)]
