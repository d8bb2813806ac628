"""Regressions found by `benchmarks/crash_free.py` on real trees: each is the smallest snippet
that made mldebt raise, or report MLD001 on a file CPython compiles."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from mldebt.analysis import RuleSetup, analyse_source
from mldebt.registry import load_registry
from mldebt.runner import RunResult, check_sources
from mldebt.source import split_lines

REGISTRY = load_registry()
EVERY_RULE = [RuleSetup(rule, rule.Options(), rule.SEVERITY) for rule in REGISTRY.rules]


def check_every_rule(files: dict[str, str]) -> RunResult:
    return check_sources(files, EVERY_RULE)


# Valid Python that libcst's parser rejects (black's test data has both).
LIBCST_GAPS = {
    "parenthesised annotated target": "import numpy as np\n(x): int = 5\n",
    "a line that is only a backslash": "import numpy as np\nclass Plotter:\n\\\n    pass\n",
}


@pytest.mark.parametrize("source", LIBCST_GAPS.values(), ids=LIBCST_GAPS.keys())
def test_valid_python_that_libcst_cannot_parse_is_a_notice_not_a_syntax_error(source: str) -> None:
    compile(source, "gap.py", "exec")  # CPython accepts it: MLD001 would be wrong
    result = check_every_rule({"gap.py": source})
    assert not result.errors
    assert [f for f in result.findings if f.code == "MLD001"] == []
    assert any("libcst cannot parse this file" in notice.message for notice in result.notices)


@pytest.mark.parametrize("source", LIBCST_GAPS.values(), ids=LIBCST_GAPS.keys())
def test_a_file_libcst_cannot_parse_still_gives_its_facts_to_the_project(source: str) -> None:
    result = analyse_source(source, "gap.py", EVERY_RULE)
    assert result.facts is not None
    assert [fact.qualified for fact in result.facts.imports] == ["numpy"]
    assert result.facts.lines == len(split_lines(source))


def _crash_free_script() -> ModuleType:
    if "crash_free" in sys.modules:
        return sys.modules["crash_free"]
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "crash_free.py"
    spec = importlib.util.spec_from_file_location("crash_free", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["crash_free"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_crash_free_script_tells_justified_from_unjustified_syntax_errors(tmp_path: Path) -> None:
    crash_free = _crash_free_script()
    tree = tmp_path / "tree"
    (tree / "venv").mkdir(parents=True)  # excluded by default: checked here all the same
    (tree / "venv" / "ok.py").write_text("import numpy as np\nx = np.zeros(3)\n", encoding="utf-8")
    (tree / "py2.py").write_text('print "accuracy", acc\n', encoding="utf-8")
    (tree / "gap.py").write_text("(x): int = 5\n", encoding="utf-8")
    report = crash_free.check("tree", tree, True, "MLD001,MLD504", 1, 120.0, [])
    assert report.files == 3
    assert report.internal_errors == [] and report.died == []
    assert [item.split(":")[0] for item in report.justified] == ["tree/py2.py"]
    assert report.unjustified == []
    assert any("gap.py" in notice for notice in report.notices)


# Found by the long fuzz run: with CRLF line endings, CPython reports a missing block at the end of
# the file on the line after the last one, where no editor or annotation can point.
@pytest.mark.parametrize("source", ["if x:\r\n", "def f():\r\n    if y:\r\n", "if x:\n", "if x:"])
def test_a_syntax_error_at_the_end_of_the_file_is_reported_on_its_last_line(source: str) -> None:
    result = check_every_rule({"broken.py": source})
    [finding] = [f for f in result.findings if f.code == "MLD001"]
    last = source.rstrip("\r\n").replace("\r\n", "\n").split("\n")
    assert (finding.line, finding.column) == (len(last), len(last[-1]) + 1)
    assert finding.source == last[-1]
