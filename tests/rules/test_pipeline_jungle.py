"""MLD503 pipeline-jungle beyond its own examples: whole chains only, severity, cost."""

from __future__ import annotations

import time

from mldebt.analysis import RuleSetup
from mldebt.findings import Finding, Severity
from mldebt.registry import load_registry
from mldebt.runner import check_sources

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD503")


def findings(files: dict[str, str], **options: int) -> list[Finding]:
    setup = RuleSetup(RULE, RULE.Options(**options), RULE.SEVERITY)
    result = check_sources(files, [setup])
    assert not result.errors
    return [finding for finding in result.findings if finding.code == RULE.CODE]


def step(reads: str | None, writes: str | None) -> str:
    lines = ["import pandas as pd", "frame = None"]
    if reads:
        lines.append(f'frame = pd.read_csv("{reads}")')
    if writes:
        lines.append(f'frame.to_csv("{writes}")')
    return "\n".join(lines) + "\n"


CHAIN = {
    "a.py": step("raw.csv", "one.csv"),
    "b.py": step("one.csv", "two.csv"),
    "c.py": step("two.csv", "three.csv"),
    "d.py": step("three.csv", None),
}


def test_a_long_chain_is_reported_once_where_it_ends() -> None:
    found = findings(CHAIN)
    assert [(f.path, f.line) for f in found] == [("d.py", 3)]
    assert found[0].message.startswith("4 scripts are chained through intermediate files: `a.py` writes `one.csv`")
    assert found[0].severity == Severity.WARNING


def test_min_steps_is_configurable() -> None:
    assert findings(CHAIN, min_steps=5) == []
    two = {"a.py": step("raw.csv", "one.csv"), "b.py": step("one.csv", None)}
    assert [f.path for f in findings(two, min_steps=2)] == ["b.py"]


def test_a_branching_chain_ends_in_two_places() -> None:
    files = dict(CHAIN)
    files["e.py"] = step("two.csv", None)
    assert sorted(f.path for f in findings(files)) == ["d.py", "e.py"]


def test_chains_that_meet_are_one_finding_naming_the_longest() -> None:
    files = {
        "a.py": step("raw.csv", "one.csv"),
        "b.py": step("one.csv", "two.csv"),
        "x.py": step("raw_x.csv", "x.csv"),
        "y.py": step("x.csv", "y.csv"),
        "z.py": step("y.csv", "two.csv"),
        "c.py": step("two.csv", None),
    }
    found = findings(files)
    assert [f.path for f in found] == ["c.py"]
    assert "`x.py` writes `x.csv` → `y.py` reads it" in found[0].message
    assert found[0].message.endswith("; 1 more chain ends here")


def test_a_loop_of_scripts_is_followed_once_around() -> None:
    files = {
        "a.py": step("three.csv", "one.csv"),
        "b.py": step("one.csv", "two.csv"),
        "c.py": step("two.csv", "three.csv"),
    }
    found = findings(files)
    assert [(f.path, f.line) for f in found] == [("c.py", 3)]
    assert found[0].message.startswith("3 scripts are chained through intermediate files: `a.py` writes `one.csv`")


def test_an_orchestrated_project_gets_info() -> None:
    files = dict(CHAIN)
    files["flow.py"] = "from prefect import flow\n"
    assert [f.severity for f in findings(files)] == [Severity.INFO]


def test_an_orchestrator_in_the_dependency_files_gets_info() -> None:
    files = dict(CHAIN)
    files["requirements.txt"] = "pandas==2.2.0\napache-airflow>=2.8\n"
    assert [f.severity for f in findings(files)] == [Severity.INFO]


def test_a_glue_module_and_the_end_of_a_chain_are_one_finding() -> None:
    files = dict(CHAIN)
    files["d.py"] = (
        "import pandas as pd\n"
        + "".join(f'f{name} = pd.read_csv("{name}.csv")\n' for name in ("three", "one", "two"))
        + 'g = pd.read_csv("other.csv")\n'
    )
    files["o.py"] = step(None, "other.csv")
    found = findings(files)
    assert [(f.path, f.line) for f in found] == [("d.py", 2)]
    assert "; it reads 4 artifacts that 4 other modules write" in found[0].message


def test_many_scripts_cost_little() -> None:
    files = {f"step_{index:03d}.py": step(f"{index}.csv", f"{index + 1}.csv") for index in range(150)}
    for index in range(0, 150, 3):  # side branches
        files[f"side_{index:03d}.py"] = step(f"{index}.csv", f"side_{index}.csv")
    started = time.perf_counter()
    found = findings(files)
    assert time.perf_counter() - started < 60
    assert any(f.path == "step_149.py" and f.message.startswith("150 scripts") for f in found)


def test_a_script_reading_back_its_own_output_takes_nothing_from_the_others() -> None:
    files = dict(CHAIN)
    files["d.py"] = step(None, "three.csv") + 'again = pd.read_csv("three.csv")\n'
    assert [f.path for f in findings(files)] == ["c.py"]  # the chain ends before d.py


def test_a_model_file_between_training_and_prediction_is_not_a_step() -> None:
    files = {
        "prepare.py": step("raw.csv", "clean.csv"),
        "train.py": step("clean.csv", None) + 'import joblib\njoblib.dump(model, "model.pkl")\n',
        "predict.py": 'import joblib\nmodel = joblib.load("model.pkl")\n',
    }
    assert findings(files) == []
