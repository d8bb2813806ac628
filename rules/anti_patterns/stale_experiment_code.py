"""MLD506 stale-experiment-code: experiments and old versions that nothing uses any more."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import PurePosixPath

from mldebt import Definition, Finding, Invalid, Project, ProjectRule, Section, Severity, Valid
from mldebt.context import is_test_path
from mldebt.context import is_foreign_code_path
from mldebt.project import in_shipped_package
from mldebt.knowledge.experiments import (
    ACTING_ON_WORDS,
    ATTEMPT_VERBS,
    DYNAMIC_LOOKUP_WORDS,
    EXP_OTHER_MEANINGS,
    EXPERIMENT_PREFIXES,
    EXPERIMENT_SUFFIXES,
    NAMED_VERSION_WORDS,
    PLAIN_DECORATORS,
    VERSION_SUFFIX,
)

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OLD_VERSION = "an old version"
_EXPERIMENT = "an experiment"
# What each marker word says about the code it names.
_MEANING = {"old": _OLD_VERSION, "backup": _OLD_VERSION, "legacy": _OLD_VERSION, "experimental": _EXPERIMENT,
            "tmp": _EXPERIMENT, "exp": _EXPERIMENT, "try": _EXPERIMENT}  # fmt: skip


class StaleExperimentCode(ProjectRule):
    """
    ## What it does
    Finds functions, classes and methods whose name marks an experiment or an
    old version — `*_old`, `*_v2` (and later versions), `*_experimental`,
    `exp_*`, `*_tmp`, `*_backup`, `legacy_*`, `try_*`, and their CamelCase
    forms for classes (`TrainerOld`, `ModelV3`, `LegacyLoader`) — and that
    nothing in the project refers to: no call, attribute, import, keyword, or
    string literal (a registry key, `getattr(obj, "train_v2")`) names them, in
    any file. A recursive call counts as a reference.

    Not flagged:
    - names listed in their module's `__all__`, or named in `pyproject.toml`,
      `setup.cfg` and the like (entry points);
    - public names of a distributable package — the project has a `[project]`
      (or `[tool.poetry]`) table or a `setup.py`, and the module sits in a
      package folder of it, outside `tests/`, `examples/`, `scripts/`,
      `docs/`, `benchmarks/` — since their users call them from outside; there
      only private names count (`_train_old`, a method of `_Helper`, anything
      in a `_private.py` module);
    - definitions under a decorator that may register them with a framework
      (`@app.route`, `@register_model`, `@click.command`); plain decorators
      such as `@staticmethod`, `@property`, `@torch.no_grad()` do not hide one;
    - names that code may build: a string piece such as `"train_"` anywhere
      in the project, or the bare marker (`"_old"`, `"_v"`, `"try_"`) in the
      defining module (`getattr(self, f"train_{version}")`);
    - module-level functions of a module that looks its own names up
      (`globals()[args.step]()`, `locals()`, `fire.Fire()`,
      `inspect.getmembers`);
    - tests (pytest calls `test_*` functions and fixtures by itself), and
      code that is not the project's own: vendored or installed packages
      (`vendor/`, `third_party/`, `site-packages/`) and hidden folders
      (`.ipynb_checkpoints/`, `.venv/`);
    - names in which the marker means something else: `exp_decay`
      (exponential), `exp_replay`, `try_import`/`try_load` (an attempt that
      may fail), `is_old`/`remove_tmp`/`make_backup` (acting on old,
      temporary or backup things), `resnet_v2`/`load_squad_v2`/`api_v2` (a
      published architecture, data set or interface version).

    Methods of a class that is itself reported are not reported again.

    ## Why is this bad?
    The paper (§5, Dead Experimental Codepaths) warns that experimental code
    left behind in production code accumulates: every old version and
    abandoned trial must be read, kept compiling, and reasoned about, and an
    obsolete path that is revived by accident can be very costly. A
    `train_v2` beside `train`, a `legacy_features` nobody calls, an
    `exp_attention` from last quarter: each is a question for the next
    reader that the code no longer answers.

    ## Example
    ```python
    # features.py
    def build_features(frame): ...
    def build_features_old(frame): ...  # referenced nowhere
    ```

    Use instead: delete it — version control keeps the history. Keep an
    experiment that still matters behind a configuration switch, tested, or
    promote it and remove the version it replaced.

    ## References
    - Sculley et al. (2015), §5 "ML-System Anti-Patterns", Dead Experimental Codepaths
    """

    CODE = "MLD506"
    NAME = "stale-experiment-code"
    SEVERITY = Severity.INFO
    SECTION = Section.DEAD_EXPERIMENTAL_CODEPATHS
    SUMMARY = "A function or class named like an experiment or an old version that nothing references"
    MESSAGE = "{kind} `{name}` is named like {meaning} (`{marker}`) and nothing in the project refers to it"

    VALID = [
        # Called from another module.
        Valid(
            """
            def train_old(frame):
                return frame
            """,
            path="pipeline/train.py",
            files={"pipeline/run.py": "from pipeline.train import train_old\ntrain_old(None)\n"},
        ),
        # A recursive call is a reference; so is a name in a registry string.
        Valid(
            """
            def walk_old(node):
                return [walk_old(child) for child in node.children]

            def score_v2(x):
                return x

            STEPS = {"v2": "score_v2"}
            """,
            path="tree.py",
        ),
        # Listed in `__all__`.
        Valid(
            """
            __all__ = ["legacy_loader"]

            def legacy_loader(path):
                return open(path).read()
            """,
            path="loaders.py",
        ),
        # A public name of a distributable package: its users call it from outside.
        Valid(
            """
            def predict_v2(model, frame):
                return model.predict(frame)
            """,
            path="src/churn/predict.py",
            files={
                "src/churn/__init__.py": "",
                "pyproject.toml": '[project]\nname = "churn"\nversion = "1.0"\n',
            },
        ),
        # Registered by a decorator: the framework calls it.
        Valid(
            """
            from flask import Flask
            app = Flask(__name__)

            @app.post("/v2/predict")
            def predict_v2():
                return "ok"
            """,
            path="serve.py",
        ),
        # Names built at run time: `getattr(module, "train_" + version)`.
        Valid(
            """
            import importlib

            def train_v3(frame):
                return frame

            def dispatch(version, frame):
                return globals()["train_" + version](frame)
            """,
            path="dispatch.py",
            files={"run.py": "from dispatch import dispatch\ndispatch('v3', None)\n"},
        ),
        # A module that dispatches on its own globals: `python run.py --step train_old`.
        Valid(
            """
            import sys

            def train_old(frame):
                return frame

            if __name__ == "__main__":
                globals()[sys.argv[1]](None)
            """,
            path="run.py",
        ),
        # The marker means something else: exponential decay, an attempt, acting on temporary
        # files, a published architecture.
        Valid(
            """
            import math

            def exp_decay(epoch):
                return math.exp(-epoch)

            def try_import(name):
                return __import__(name)

            def remove_tmp(folder):
                return folder

            def resnet_v2(depth):
                return depth
            """,
            path="utils.py",
        ),
        # Tests: pytest calls `test_*` functions and fixtures by itself.
        Valid(
            """
            def test_loads_legacy_format_old():
                assert True
            """,
            path="tests/test_io.py",
        ),
    ]
    INVALID = [
        Invalid(
            """
            def build_features(frame):
                return frame

            def build_features_old(frame):
                return frame.dropna()
            """,
            line=4,
            path="pipeline/features.py",
            files={"pipeline/train.py": "from pipeline.features import build_features\nbuild_features(None)\n"},
            message=(
                "function `build_features_old` is named like an old version (`_old`) "
                "and nothing in the project refers to it"
            ),
        ),
        # A class and a method, CamelCase and snake_case.
        Invalid(
            """
            class TrainerV2:
                def fit(self, frame):
                    return frame
            """,
            line=1,
            path="trainer.py",
            files={"main.py": "import trainer\n"},
        ),
        Invalid(
            """
            class Trainer:
                def fit(self, frame):
                    return frame

                def exp_attention(self, frame):
                    return frame
            """,
            line=5,
            path="trainer.py",
            files={"main.py": "from trainer import Trainer\nTrainer().fit(None)\n"},
        ),
        # In a distributable package, a private name still counts.
        Invalid(
            """
            def _predict_old(model, frame):
                return model.predict(frame)

            def legacy_predict(model, frame):
                return model.predict(frame)

            def predict(model, frame):
                return model.predict(frame)
            """,
            line=1,
            path="churn/predict.py",
            files={"churn/__init__.py": "", "setup.py": "from setuptools import setup\nsetup(name='churn')\n"},
        ),
        # A script that lives outside the package is not its public API.
        Invalid(
            """
            def try_lstm(frame):
                return frame
            """,
            line=1,
            path="scripts/compare.py",
            files={"src/churn/__init__.py": "", "pyproject.toml": '[project]\nname = "churn"\n'},
        ),
        # A plain decorator hides no registration.
        Invalid(
            """
            import torch

            @torch.no_grad()
            def evaluate_tmp(model, loader):
                return [model(batch) for batch in loader]
            """,
            line=4,
            path="evaluate.py",
        ),
    ]

    def check(self, project: Project) -> Iterator[Finding]:
        references: Counter[str] = Counter()
        for facts in project.facts.values():
            references.update(facts.words)
        for text in project.documents.values():
            references.update(_WORD.findall(text))
        roots = project.distribution_roots
        for path in sorted(project.facts):
            facts = project.facts[path]
            if is_test_path(path) or is_foreign_code_path(path):
                continue
            exports = set(facts.exports or ())
            shipped = in_shipped_package(path, facts.in_package, roots)
            looked_up = any(word in facts.words for word in DYNAMIC_LOOKUP_WORDS)
            reported_classes: set[str] = set()
            for definition in facts.definitions:
                marker = experiment_marker(definition.name)
                if marker is None or definition.scope in reported_classes:
                    continue
                if _referenced(definition, references, facts.words, exports, marker):
                    continue
                if looked_up and not definition.scope:
                    continue  # `globals()[name]`: any module-level function may be called by name
                if shipped and not _private(definition, path):
                    continue
                if definition.kind == "class":
                    reported_classes.add(definition.name)
                kind = "method" if definition.scope and definition.kind == "function" else definition.kind
                yield self.finding(
                    path,
                    definition.line,
                    kind=kind,
                    name=definition.name,
                    meaning=_MEANING.get(marker.strip("_").lower(), _OLD_VERSION),
                    marker=marker,
                )


def name_words(name: str) -> list[str]:
    """The lower-case words of a name, split at `_` and camelCase humps: `_TrainerV2` ->
    ["trainer", "v2"], `build_features_old` -> ["build", "features", "old"]."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", spaced)
    return [word.lower() for word in spaced.split("_") if word]


def experiment_marker(name: str) -> str | None:
    """The marker (`_old`, `_v2`, `exp_`, ...) that makes a name an experiment or an old
    version, or None. Camel-case markers are given in their snake-case spelling."""
    if name.startswith("__") and name.endswith("__"):
        return None
    words = name_words(name)
    if len(words) < 2:
        return None
    first, last = words[0], words[-1]
    before_last = words[-2]
    if last in EXPERIMENT_SUFFIXES and before_last not in ACTING_ON_WORDS and not _marked_at_start(words):
        return f"_{last}"
    if VERSION_SUFFIX.match(last) and not _named_version(words[:-1]):
        return f"_{last}"
    if first in EXPERIMENT_PREFIXES:
        second = words[1]
        if first == "exp" and second in EXP_OTHER_MEANINGS:
            return None
        if first == "try" and second in ATTEMPT_VERBS:
            return None
        return f"{first}_"
    return None


def _named_version(words: list[str]) -> bool:
    """Whether the words before a version name a published architecture, data set or interface:
    `resnet50_v2`, `MobileNetV3` (`mobile` + `net`), `load_squad_v2`."""
    joined = [first + second for first, second in zip(words, words[1:])]
    return any(word.rstrip("0123456789") in NAMED_VERSION_WORDS for word in [*words, *joined, "".join(words)])


def _marked_at_start(words: list[str]) -> bool:
    """`try_remove_old`-style names are judged by their first word."""
    return words[0] in EXPERIMENT_PREFIXES


def _referenced(
    definition: Definition, references: Counter[str], local: dict[str, int], exports: set[str], marker: str
) -> bool:
    """Whether anything may refer to the definition: its name anywhere in the project, `__all__`,
    a registering decorator, or a string piece that builds its name — the bare marker (`"_old"`,
    `"try_"`) in its own module, its stem (`"train_"`) anywhere."""
    name = definition.name
    if references[name] > 0 or name in exports:
        return True
    if any(_registers(decorator) for decorator in definition.decorators):
        return True
    markers, stems = _fragments(name, marker)
    return any(local.get(fragment, 0) > 0 for fragment in markers) or any(references[stem] > 0 for stem in stems)


def _registers(decorator: str) -> bool:
    """A decorator that may hand the function to a framework (anything not known to be plain)."""
    return decorator.rsplit(".", 1)[-1] not in PLAIN_DECORATORS


def _fragments(name: str, marker: str) -> tuple[list[str], list[str]]:
    """Pieces of `name` that code building it at run time would hold as a string: the marker
    alone (`_old`, `_v` for `_v2`, `try_`), and the stem with its separator (`train_`, `model_v`)."""
    markers = [marker]
    stems: list[str] = []
    if marker.startswith("_"):  # a suffix
        bare = name.lstrip("_")
        stem = bare[: len(bare) - len(marker)] if bare.lower().endswith(marker) else ""
        if stem:
            stems.append(stem + "_")
        if re.match(r"^_v\d+$", marker):
            markers.append("_v")
            if stem:
                stems.append(stem + "_v")
    return markers, stems


def _private(definition: Definition, path: str) -> bool:
    """Out of reach of a package's users: a `_name`, a member of a `_Class`, or anything in a
    `_module.py` or a `_folder/`."""
    if definition.name.startswith("_") and not definition.name.startswith("__"):
        return True
    if definition.scope.startswith("_"):
        return True
    parts = PurePosixPath(path).with_suffix("").parts
    return any(part.startswith("_") and not part.startswith("__") for part in parts)
