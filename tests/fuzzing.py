"""Generated programs and the properties every check of them must have.

Shared by the quick property tests of the default suite (tests/test_fuzz.py) and the long
fuzz run (tests/fuzz/). Two sources of programs:

- hypothesmith's programs from Python's grammar: odd syntax no one writes, which the engine
  and every rule must still walk without raising;
- ML-flavoured programs built from fragments of real ML code (numpy/pandas/sklearn/torch
  imports, fit/predict calls, magic numbers, file paths, seeds, serving routes...), nested
  in functions, classes and blocks, with the rules' own examples mixed in, over one to three
  files, so that the rules actually fire;
- any text and any bytes, for the properties that hold for every input.

Programs that CPython rejects are no input for the validity properties (a syntax error is
MLD001's business).
"""

from __future__ import annotations

import io
import json
import keyword
import re
import tokenize
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import hypothesmith
from hypothesis import HealthCheck, assume, settings
from hypothesis import strategies as st

from mldebt.analysis import RuleSetup
from mldebt.findings import Finding, Severity
from mldebt.registry import load_registry
from mldebt.reporters import renderer_for
from mldebt.reporters.base import ReportContext
from mldebt.reporters.json_format import finding_dict
from mldebt.runner import RunResult, check_sources
from mldebt.source import split_lines

REGISTRY = load_registry()
# Every rule, off-by-default ones too, each with its default options and declared severity.
EVERY_RULE = [RuleSetup(rule, rule.Options(), rule.SEVERITY) for rule in REGISTRY.rules]
KNOWN = {rule.CODE: rule for rule in REGISTRY.rules}

# Quick enough for the default suite; the long run raises `max_examples` (tests/fuzz/README.md).
QUICK = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


# --- checking -----------------------------------------------------------------------------------


def compiles(source: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(source, "<fuzz>", "exec", dont_inherit=True)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
    return True


def check(files: Mapping[str, str]) -> RunResult:
    return check_sources(dict(files), EVERY_RULE)


def physical_lines(source: str) -> list[str]:
    """The file's lines as an editor shows them (no empty line after a final newline)."""
    lines = split_lines(source)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines


def assert_well_formed(result: RunResult, files: Mapping[str, str]) -> None:
    """mldebt did not raise, and every finding points inside its file with a known code."""
    assert result.errors == [], result.errors
    for finding in result.findings:
        assert finding.code in KNOWN, finding
        assert finding.name == KNOWN[finding.code].NAME, finding
        assert isinstance(finding.severity, Severity), finding
        assert isinstance(finding.message, str) and finding.message.strip(), finding
        assert finding.path in files, finding
        lines = physical_lines(files[finding.path])
        assert 1 <= finding.line <= len(lines), (finding, len(lines))
        assert 1 <= finding.column <= len(lines[finding.line - 1]) + 1, (finding, lines[finding.line - 1])
        assert finding.line <= finding.end_line <= len(lines), (finding, len(lines))
        if finding.end_line == finding.line:
            assert finding.end_column >= finding.column, finding
        assert finding.fingerprint, finding


def _key(finding: Finding) -> tuple[str, str, int, int, int, str]:
    # Not the end column: a node that runs to the end of its line may take the new comment in.
    return (finding.path, finding.code, finding.line, finding.column, finding.end_line, finding.message)


def lines_inside_tokens(source: str) -> set[int]:
    """Lines a comment cannot be appended to: inside (or opening) a string that goes on to the
    next line, or ending in a backslash continuation."""
    blocked: set[int] = set()
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return set(range(1, source.count("\n") + 2))
    for token in tokens:
        if token.start[0] != token.end[0]:
            blocked.update(range(token.start[0], token.end[0]))
    for number, line in enumerate(split_lines(source), start=1):
        if line.rstrip(" \t\f").endswith("\\"):
            blocked.add(number)
    return blocked


def with_noqa(source: str, line: int, code: str) -> str | None:
    """The source with `# noqa: code` at the end of `line`, or None where no comment can go."""
    if line in lines_inside_tokens(source):
        return None
    newline = "\r\n" if "\r\n" in source else "\n"
    lines = source.replace("\r\n", "\n").split("\n")
    if "noqa" in lines[line - 1].lower():  # one noqa comment a line: the first one counts
        return None
    lines[line - 1] = f"{lines[line - 1]}  # noqa: {code}"
    changed = newline.join(lines)
    return changed if compiles(changed) else None


def assert_suppressions_round_trip(
    files: Mapping[str, str], result: RunResult, choose: Callable[[list[Any]], Any], rounds: int = 2
) -> None:
    """`# noqa: CODE` on a finding's line removes that finding (and any other of the same code on
    that line), and changes no other finding."""
    targets = sorted({(f.path, f.line, f.code) for f in result.findings})
    before = {_key(f) for f in result.findings}
    for _ in range(min(rounds, len(targets))):
        path, line, code = choose(targets)
        changed = with_noqa(files[path], line, code)
        if changed is None:
            continue
        again = check({**files, path: changed})
        assert again.errors == [], again.errors
        after = {_key(f) for f in again.findings}
        gone = {k for k in before if k[0] == path and k[1] == code and k[2] == line}
        assert gone and not (gone & after), f"`# noqa: {code}` on {path}:{line} did not suppress it"
        assert after == before - gone, (
            f"`# noqa: {code}` on {path}:{line} changed other findings:\n"
            f"new: {sorted(after - before)}\nlost: {sorted((before - gone) - after)}"
        )


def report_context(result: RunResult) -> ReportContext:
    return ReportContext(
        findings=list(result.findings),
        notices=list(result.notices),
        errors=list(result.errors),
        rules=dict(REGISTRY.by_code),
        files=result.files,
        lines=result.lines,
        suppressed=result.suppressed,
    )


def assert_formats_round_trip(result: RunResult) -> None:
    """json parses back to the same findings; sarif is JSON with one result per finding;
    github gives one line per finding, notice and error; the others render."""
    context = report_context(result)
    document = json.loads(renderer_for("json")(context))
    assert document["findings"] == [json.loads(json.dumps(finding_dict(f))) for f in result.findings]
    assert document["summary"]["findings"] == len(result.findings)

    sarif = json.loads(renderer_for("sarif")(context))
    assert len(sarif["runs"][0]["results"]) == len(result.findings)
    for entry, finding in zip(
        sarif["runs"][0]["results"], sorted(result.findings, key=lambda f: (*f.sort_key, f.cell or 0))
    ):
        region = entry["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] == finding.line

    github = renderer_for("github")(context)
    lines = github.split("\n")
    assert lines[-1] == ""  # every command ends its line
    lines = lines[:-1]
    assert len(lines) == len(result.findings) + len(result.notices) + len(result.errors)
    assert all(line.startswith("::") and "\r" not in line for line in lines)

    gitlab = json.loads(renderer_for("gitlab")(context))
    assert len(gitlab) == len(result.findings)
    renderer_for("junit")(context)
    renderer_for("text")(context)


def assert_all_properties(
    files: Mapping[str, str], choose: Callable[[list[Any]], Any], rounds: int = 2
) -> RunResult:
    result = check(files)
    assert_well_formed(result, files)
    assert_formats_round_trip(result)
    assert_suppressions_round_trip(files, result, choose, rounds)
    return result


# --- programs from the grammar -------------------------------------------------------------------

PATHS = ("train.py", "pkg/model.py", "tests/test_model.py", "config.py", "serve.py", "src/pkg/__init__.py")


# Built once: making the strategy compiles Python's grammar, which takes seconds.
GRAMMAR = hypothesmith.from_grammar()


@st.composite
def grammar_programs(draw: st.DrawFn) -> dict[str, str]:
    """One file: a program from Python's grammar that CPython compiles, at a drawn path."""
    source = draw(GRAMMAR)
    assume(compiles(source))
    return {draw(st.sampled_from(PATHS)): source}


# --- ML-flavoured programs ---------------------------------------------------------------------

IMPORTS = (
    "import numpy as np",
    "import pandas as pd",
    "import torch",
    "import torch.nn as nn",
    "import random",
    "import pickle",
    "import joblib",
    "import os",
    "import sys",
    "import requests",
    "import tensorflow as tf",
    "from sklearn.linear_model import LogisticRegression",
    "from sklearn.ensemble import RandomForestClassifier",
    "from sklearn.model_selection import train_test_split",
    "from sklearn.preprocessing import StandardScaler",
    "from torch.utils.data import DataLoader",
    "from flask import Flask, request, jsonify",
    "import xgboost as xgb",
    "from numpy.random import rand",
    "import argparse",
    "import yaml",
    "import sqlite3",
    "from pkg.model import train",
    "from . import model",
    "from .config import LEARNING_RATE",
    "import config",
)
NAMES = ("X", "y", "df", "model", "clf", "data", "preds", "scores", "features", "net", "loader", "cfg", "données")
PATH_TEXTS = (
    "data/train.csv",
    "data/clean.parquet",
    "/home/alice/projects/data.csv",
    "C:\\\\Users\\\\bob\\\\data.csv",
    "s3://bucket/raw/2021.csv",
    "https://example.com/data.csv",
    "model.pkl",
    "out/predictions.csv",
    "../shared/features.npy",
    "",
    "データ.csv",
)
NUMBERS = st.one_of(
    st.integers(min_value=-3, max_value=10_000).map(str),
    st.sampled_from(["0.5", "0.001", "1e-4", "0.73", "42", "0", "1_000", "3.14", "-1", "0x10", "1j"]),
)


def _name(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(NAMES))


@st.composite
def simple_statement(draw: st.DrawFn) -> str:
    """One line of ML code."""
    name, other = _name(draw), _name(draw)
    number = draw(NUMBERS)
    path = draw(st.sampled_from(PATH_TEXTS))
    templates = (
        f"{name} = pd.read_csv({path!r})",
        f"{name} = pd.read_parquet(f'{{root}}/{path}')",
        f"{name}.to_csv({path!r}, index=False)",
        f"{name} = np.load({path!r})",
        f"{name} = open({path!r}).read()",
        f"{name} = LogisticRegression(C={number}, max_iter=100)",
        f"{name} = RandomForestClassifier(n_estimators={number}, random_state=42)",
        f"{name}.fit({other}, y)",
        f"preds = {name}.predict({other})",
        f"{name} = {name}.predict_proba(X)[:, 1] > {number}",
        f"X_train, X_test, y_train, y_test = train_test_split(X, y, test_size={number})",
        f"np.random.seed({number})",
        f"random.seed({number})",
        f"torch.manual_seed({number})",
        f"{name} = np.random.rand({number})",
        f"{name} = random.random() * {number}",
        f"{name} = torch.randn(3, 4)",
        f"lr = {number}",
        f"LEARNING_RATE = {number}",
        f"threshold = {number}",
        f"optimizer = torch.optim.Adam(net.parameters(), lr={number})",
        f"pickle.dump({name}, open({path!r}, 'wb'))",
        f"{name} = pickle.load(open({path!r}, 'rb'))",
        f"joblib.dump({name}, {path!r})",
        f"{name} = {other}[[{path!r}, 'age']]",
        f"{name} = {other}.drop(columns=['id'])",
        f"{name}['ratio'] = {other}['a'] / {other}['b']",
        f"{name} = pd.read_sql('SELECT * FROM users', conn)",
        f"{name} = requests.get({path!r}).json()",
        f"os.system('python train.py --lr {number}')",
        f"{name} = config.SETTINGS['lr']",
        f"config.SETTINGS['lr'] = {number}",
        f"parser.add_argument('--lr', type=float, default={number})",
        f"{name} = {{'lr': {number}, 'epochs': 10}}",
        f"{name} = [{number}, {number}]",
        f"print({name}, {other})",
        f"{name} = lambda v: v * {number}",
        f"{name} = [v for v in {other} if v > {number}]",
        f"({name} := {number})",
        f"{name} = f'{{{other}!r:>10}} {path}'",
        f"del {name}",
        f"assert {name} is not None, {path!r}",
        f"{name} = {other} if {other} else {number}",
        f"{name}: int = {number}",
        f"{name} += {number}",
        f"{name} = torch.load({path!r})",
        f"torch.save(net.state_dict(), {path!r})",
        f"{name} = xgb.train(params, dtrain, num_boost_round={number})",
        f"{name} = StandardScaler().fit_transform({other})",
        f"loader = DataLoader(dataset, batch_size={number}, shuffle=True)",
        f"{name} = sqlite3.connect({path!r})",
        f"{name} = tf.keras.models.load_model({path!r})",
        f"{name} = yaml.safe_load(open('config.yaml'))",
        "pass",
        "# TODO: remove this hack before release",
        "# model.fit(X_train, y_train)",
        "# FIXME: threshold tuned by hand",
        "# noqa",
        "# mldebt: noqa: MLD5",
        "'''\nmodel.fit(X, y)  # a string, not code\n'''",
        "x = '''first line\nsecond # not a comment\n'''",
        f"{name} = \\\n    {number}",
        "global STATE",
        "STATE = {}",
    )
    return draw(st.sampled_from(templates))


def _indent(block: str, prefix: str = "    ") -> str:
    # Lines inside a multi-line string get the prefix too: the string changes, the program stays valid.
    return "\n".join(prefix + line for line in block.split("\n"))


@st.composite
def block(draw: st.DrawFn, depth: int = 0) -> str:
    """Statements, sometimes wrapped in a def, class, if, for, with, try or match."""
    count = draw(st.integers(min_value=1, max_value=8 if depth == 0 else 4))
    items = []
    for _ in range(count):
        if depth < 2 and draw(st.integers(min_value=0, max_value=3)) == 0:
            items.append(draw(compound_statement(depth + 1)))
        else:
            items.append(draw(simple_statement()))
    return "\n".join(items)


@st.composite
def compound_statement(draw: st.DrawFn, depth: int) -> str:
    body = _indent(draw(block(depth)))
    name = draw(st.sampled_from(("train", "predict", "load_data", "main", "evaluate", "serve", "test_model")))
    number = draw(NUMBERS)
    headers = (
        f"def {name}(X, y, lr={number}):",
        f"async def {name}(request):",
        f"class {name.title().replace('_', '')}(nn.Module):",
        f"class {name.title().replace('_', '')}:",
        "if False:",
        "if DEBUG:",
        f"if score > {number}:",
        "if __name__ == '__main__':",
        "for epoch in range(10):",
        "while True:",
        f"with open({draw(st.sampled_from(PATH_TEXTS))!r}, 'w') as handle:",
        "try:",
        "@app.route('/predict', methods=['POST'])\ndef handler():",
        "@torch.no_grad()\ndef infer(batch):",
        "match command:\n    case 'train':",
    )
    header = draw(st.sampled_from(headers))
    if header == "try:":
        return f"try:\n{body}\nexcept ImportError:\n    np = None"
    if header.startswith("match"):
        return f"{header}\n{_indent(body)}\n    case _:\n        pass"
    if header.startswith("if") and draw(st.booleans()):
        return f"{header}\n{body}\nelse:\n    pass"
    return f"{header}\n{body}"


# The rules' own examples, whole: code each rule is known to flag (or to leave alone on purpose).
EXAMPLES = tuple(
    sorted({example.source.strip("\n") for rule in REGISTRY.rules for example in (*rule.INVALID, *rule.VALID)
            if example.source.strip() and compiles(example.source)})
)


@st.composite
def ml_module(draw: st.DrawFn) -> str:
    imports = draw(st.lists(st.sampled_from(IMPORTS), min_size=1, max_size=8, unique=True))
    prelude = ["app = Flask(__name__)"] if "from flask import Flask, request, jsonify" in imports else []
    parts = [draw(block()) for _ in range(draw(st.integers(min_value=1, max_value=3)))]
    parts += draw(st.lists(st.sampled_from(EXAMPLES), max_size=2))
    body = "\n".join(draw(st.permutations(parts)))
    text = "\n".join([*imports, *prelude, body]) + draw(st.sampled_from(("\n", "", "\n\n")))
    if draw(st.integers(min_value=0, max_value=7)) == 0:
        text = text.replace("\n", "\r\n")
    return text


ML_PATHS = ("train.py", "pkg/__init__.py", "pkg/model.py", "pkg/config.py", "config.py", "serve.py",
            "tests/test_model.py", "prepare.py", "notebooks/explore.py", "src/app/main.py")


@st.composite
def ml_projects(draw: st.DrawFn) -> dict[str, str]:
    """One to three ML-flavoured files that CPython compiles, at drawn paths."""
    paths = draw(st.lists(st.sampled_from(ML_PATHS), min_size=1, max_size=3, unique=True))
    files = {}
    for path in paths:
        source = draw(ml_module())
        assume(compiles(source))
        files[path] = source
    return files


# Keywords are no names: keep `_name` honest if NAMES grows.
assert not any(keyword.iskeyword(name) for name in NAMES)
assert all(re.fullmatch(r"\w+", name) for name in NAMES)


# --- any text ----------------------------------------------------------------------------------

# Text that is mostly not Python: brackets, quotes, continuations and line endings in any order,
# and ML programs cut off halfway. Only the properties that hold for any input apply.
ANY_TEXT = st.one_of(
    st.text(),
    st.text(alphabet="()[]{}:=\n\t \\'\"#xif01.+-*\r\f@,;"),
    ml_module().map(lambda source: source[: len(source) // 2]),
)
