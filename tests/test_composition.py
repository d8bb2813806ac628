"""The line classification behind `mldebt audit`'s ML-code share (docs/audit.md), line by line."""

from __future__ import annotations

import re
from pathlib import Path

from mldebt.composition import category_of_method, category_of_name, classify_source, composition_counts
from mldebt.knowledge import composition as table
from mldebt.runner import check_sources

FIXTURE = Path(__file__).parent / "fixtures" / "audit" / "composition.py"
MARKER = re.compile(r"#\s*->\s*([a-z]+)\s*$")


def expected_categories(text: str) -> dict[int, str]:
    return {
        number: match.group(1)
        for number, line in enumerate(text.splitlines(), start=1)
        if (match := MARKER.search(line))
    }


def test_every_line_of_the_fixture_has_its_documented_category() -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    expected = expected_categories(text)
    assert set(expected.values()) == set(table.PRECEDENCE) | {table.GLUE}  # the fixture shows every category
    actual = classify_source(text, "service/composition.py")
    lines = text.splitlines()
    wrong = [
        f"line {n}: expected {expected.get(n)}, got {actual.get(n)}: {lines[n - 1].strip()}"
        for n in sorted(set(expected) | set(actual))
        if expected.get(n) != actual.get(n)
    ]
    assert not wrong, "\n".join(wrong)


def test_a_test_module_is_all_tests() -> None:
    text = "import torch\n\n# a comment\ndef test_shape():\n    assert torch.zeros(2).shape == (2,)\n"
    assert classify_source(text, "tests/test_model.py") == {1: "tests", 4: "tests", 5: "tests"}


def test_a_config_module_defaults_to_configuration() -> None:
    text = 'import torch\nFEATURES = ["a", "b"]\nDEVICE = torch.device("cpu")\nwindows = [7, 30]\n'
    assert classify_source(text, "pkg/config.py") == {1: "glue", 2: "configuration", 3: "ml", 4: "configuration"}


def test_names_resolve_by_their_longest_listed_prefix() -> None:
    assert category_of_name("torch.nn.Linear") == "ml"
    assert category_of_name("torch.utils.data.DataLoader") == "data"
    assert category_of_name("torch.utils.tensorboard.SummaryWriter") == "monitoring"
    assert category_of_name("sklearn.preprocessing.StandardScaler") == "features"
    assert category_of_name("pandas.read_parquet") == "data"
    assert category_of_name("pandas.merge") == "features"
    assert category_of_name("os.environ.get") == "configuration"
    assert category_of_name("os.path.join") is None
    assert category_of_name("fastapi.FastAPI") == "serving"


def test_methods_on_unknown_receivers() -> None:
    assert category_of_method("fit", "model") == "ml"
    assert category_of_method("info", "self.logger") == "monitoring"
    assert category_of_method("to_parquet", "frame") == "data"
    assert category_of_method("post", "app") == "serving"
    assert category_of_method("post", "session") is None
    assert category_of_method("add_argument", "parser") == "configuration"
    assert category_of_method("append", "rows") is None


def test_counts_are_cached_with_the_facts() -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    result = check_sources({"service/composition.py": text}, [])
    facts = result.project.facts["service/composition.py"]
    assert facts.composition == composition_counts(classify_source(text, "service/composition.py"))
    assert sum(facts.composition.values()) == len(expected_categories(text))
    from mldebt.facts import FileFacts

    assert FileFacts.from_dict(facts.to_dict()).composition == facts.composition


def test_a_match_statement_is_classified_without_failing() -> None:
    """A `case` has no position of its own: the header ends before the first case's pattern."""
    source = "import numpy as np\nmatch command:\n    case 'train':\n        X = np.zeros(3)\n    case _:\n        pass\n"
    categories = classify_source(source, "train.py")
    assert set(categories) == {1, 2, 3, 4, 5, 6}
