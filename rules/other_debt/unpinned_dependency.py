"""MLD802 unpinned-dependency: ML and data packages declared with no upper bound, and no lock file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from mldebt import Finding, Invalid, Project, ProjectRule, Section, Severity, Valid
from mldebt.dependencies import normalise_name
from mldebt.knowledge.packages import NON_PYTHON_LOCK_FILES, is_ml_package

# Folders and file names of documentation builds: their packages render API pages, not models.
_DOCS_FOLDERS = frozenset({"docs", "doc", "documentation"})


class UnpinnedDependency(ProjectRule):
    """
    ## What it does
    Reads the project's dependency files — `requirements*.txt` (and `.in`),
    `pyproject.toml` (`[project] dependencies`, Poetry's
    `[tool.poetry.dependencies]`), `setup.cfg` and `setup.py` `install_requires`
    (read with `ast`, never run) and conda's `environment.yml` (with its `pip:`
    list) — and finds ML and data packages (numpy, pandas, scikit-learn, torch,
    tensorflow, transformers, xgboost, …) declared with no upper bound and no
    exact pin, in a project that has no lock file.

    `==`, `===`, `~=`, `<` and `<=` bound a version; so do Poetry's `^1.2` (below
    2.0), `~1.2` and a bare version, and conda's `numpy=1.21` (1.21.*). `>=`
    alone, `!=`, `*` or a bare name do not. One finding per dependency file, at
    its first unbounded package, listing them all.

    A lock file anywhere in the project silences the rule: `poetry.lock`,
    `uv.lock`, `Pipfile.lock`, `pdm.lock`, `conda-lock.yml`, any other Python
    `*.lock`, and a requirements file that is itself a lock — `pip-compile` or
    `uv pip compile` output (its header says so), or one whose every
    requirement is `==`-pinned with a `--hash` (a hand-written file of `==` pins
    without hashes is not a lock, but has nothing unbounded either). Lock files
    of other languages (`yarn.lock`, `Cargo.lock`, …) pin nothing Python
    imports. Not read: editable installs (`-e`), URLs, local paths and archives
    (they fix what they install); `[project.optional-dependencies]` and Poetry's
    groups (extras and tools, not the environment the project runs in); the
    dependency files of a documentation build (under `docs/`, or with `doc` in
    the file name).

    **A library published for others should declare ranges, not pins**: its
    users resolve the versions, and pinning would make it impossible to install
    beside anything else. Turn this rule off in a library's configuration
    (`ignore = ["MLD802"]`); it is meant for applications, pipelines and
    research code whose results must be reproduced. Package metadata that
    declares PyPI trove classifiers (`classifiers` in `pyproject.toml`,
    `setup.py` or `setup.cfg`) is taken as such a library and not reported;
    the project's requirements files still are.

    ## Why is this bad?
    The paper (§8, Reproducibility Debt) notes that reproducing a result is a
    design requirement of a real system, and it is hard to do. A model trained
    last month and retrained today from the same code and data can differ
    because `pip install` picked a new scikit-learn (new default
    hyperparameters), a new tokenizer, or a new numerical kernel. Without a pin
    or a lock, nobody can rebuild the environment the model came from.

    ## Example
    ```text
    # requirements.txt
    pandas
    scikit-learn>=1.0
    torch
    ```

    Use instead: pin what the model depends on, or keep the ranges and commit a
    lock file (`pip-compile`, `uv lock`, `poetry lock`, `conda-lock`):
    ```text
    # requirements.txt
    pandas==2.2.2
    scikit-learn~=1.5.0
    torch>=2.3,<2.4
    ```

    ## Options
    - `extra-packages` (default `[]`): more distribution names to treat as ML or
      data packages (e.g. your own model package).

    ## References
    - Sculley et al. (2015), §8 "Other Areas of ML-related Debt", Reproducibility Debt
    - pip documentation, "Repeatable installs"
    """

    CODE = "MLD802"
    NAME = "unpinned-dependency"
    SEVERITY = Severity.WARNING
    SECTION = Section.REPRODUCIBILITY_DEBT
    SUMMARY = "ML or data packages declared with no upper bound or pin, and no lock file"
    MESSAGE = (
        "{packages} {verb} no upper bound or exact pin, and the project has no lock file: "
        "a fresh install can pull versions that change what the model learns"
    )

    @dataclass(frozen=True)
    class Options:
        extra_packages: tuple[str, ...] = ()

    VALID = [
        # Every ML package bounded: `==`, `~=`, `<`, and `>=` with an upper bound.
        Valid(
            """
            numpy==1.26.4
            pandas~=2.2.0
            scikit-learn>=1.3,<1.6
            torch<2.4
            requests
            """,
            path="requirements.txt",
        ),
        # Ranges, but the project commits a lock file.
        Valid(
            """
            pandas>=2.0
            torch
            """,
            path="requirements.txt",
            files={"poetry.lock": "# generated by poetry\n", "train.py": "import torch\n"},
        ),
        # A pip-compile output is itself a lock of the environment.
        Valid(
            """
            #
            # This file is autogenerated by pip-compile with Python 3.11
            # by the following command:
            #
            #    pip-compile requirements.in
            #
            numpy==1.26.4
                # via pandas
            pandas==2.2.2
            """,
            path="requirements.txt",
            files={"requirements.in": "pandas>=2.0\n"},
        ),
        # Only non-ML packages are open; an editable install and a URL fix what they install.
        Valid(
            """
            requests>=2.0
            click
            -e .
            torch @ https://download.pytorch.org/whl/cpu/torch-2.3.0%2Bcpu-cp311-cp311-linux_x86_64.whl
            git+https://github.com/org/model.git@v1.2#egg=model
            """,
            path="requirements.txt",
        ),
        # Poetry's caret and tilde bound the version; optional dependencies are not read.
        Valid(
            """
            [tool.poetry.dependencies]
            python = "^3.10"
            numpy = "^1.26"
            torch = { version = "~2.3", source = "pytorch" }

            [project]
            name = "app"
            dependencies = ["pandas==2.2.2"]

            [project.optional-dependencies]
            dev = ["scikit-learn>=1.0"]
            """,
            path="pyproject.toml",
        ),
        # A yarn.lock pins the web front end, not Python: ... but conda `=` pins are bounded.
        Valid(
            """
            name: app
            dependencies:
              - python=3.11
              - numpy=1.26
              - pytorch::pytorch 2.3.*
              - pip
              - pip:
                - transformers==4.41.2
            """,
            path="environment.yml",
            files={"web/yarn.lock": "# yarn lockfile v1\n"},
        ),
        # Package metadata with trove classifiers: a library published for others declares ranges.
        Valid(
            """
            [project]
            name = "featurekit"
            classifiers = ["Programming Language :: Python :: 3"]
            dependencies = ["numpy>=1.24", "pandas>=2.0"]
            """,
            path="pyproject.toml",
        ),
        # A documentation build's requirements render pages, not models.
        Valid("sphinx\ntorch\n", path="docs/requirements.txt"),
    ]
    INVALID = [
        # Bare names and `>=` alone: the first unbounded ML package is reported.
        Invalid(
            """
            # the app
            requests==2.32.0
            pandas>=2.0
            scikit-learn
            torch!=2.0.0
            """,
            line=3,
            path="requirements.txt",
            message=(
                "`pandas>=2.0`, `scikit-learn`, `torch!=2.0.0` have no upper bound or exact pin, and the "
                "project has no lock file: a fresh install can pull versions that change what the model learns"
            ),
        ),
        # PEP 621 dependencies, with extras and markers; a yarn.lock is not a Python lock.
        Invalid(
            """
            [project]
            name = "churn"
            dependencies = [
                "click>=8",
                "xgboost[scikit-learn]>=2.0; python_version >= '3.9'",
            ]
            """,
            line=5,
            path="pyproject.toml",
            files={"frontend/yarn.lock": "# yarn lockfile v1\n", "churn/__init__.py": ""},
        ),
        # setup.py read with ast, through a module-level list.
        Invalid(
            """
            from setuptools import setup

            REQUIRED = [
                "numpy>=1.20",
                "tqdm",
            ]
            setup(name="model", install_requires=REQUIRED + ["Scikit_Learn"])
            """,
            line=4,
            path="setup.py",
        ),
        # setup.cfg install_requires.
        Invalid(
            """
            [metadata]
            name = model

            [options]
            packages = find:
            install_requires =
                tqdm
                lightgbm>=3
            """,
            line=8,
            path="setup.cfg",
        ),
        # A conda environment: `>=` in the conda list, a bare name in the pip list.
        Invalid(
            """
            name: train
            channels: [conda-forge]
            dependencies:
              - python=3.10
              - numpy>=1.24
              - pip:
                - transformers
            """,
            line=5,
            path="environment.yml",
        ),
        # Poetry's `*` and `>=` leave the version open.
        Invalid(
            """
            [tool.poetry.dependencies]
            python = "^3.10"
            pandas = "*"
            """,
            line=3,
            path="pyproject.toml",
        ),
    ]

    def check(self, project: Project) -> Iterator[Finding]:
        if self._locked(project):
            return
        extra = frozenset(normalise_name(name) for name in self.options.extra_packages)
        for dependency_file in project.dependency_files:
            if dependency_file.published or _documentation(dependency_file.path):
                continue
            unbounded = [
                requirement
                for requirement in dependency_file.requirements
                if not requirement.bounded and is_ml_package(requirement.name, extra)
            ]
            if not unbounded:
                continue
            first = min(unbounded, key=lambda requirement: requirement.line)
            packages = ", ".join(f"`{item.name}{item.specifier}`" for item in sorted(unbounded, key=lambda r: r.line))
            yield self.finding(
                dependency_file.path,
                first.line,
                packages=packages,
                verb="has" if len(unbounded) == 1 else "have",
            )

    @staticmethod
    def _locked(project: Project) -> bool:
        """A Python lock file anywhere in the project, or a requirements file that is one."""
        if any(PurePosixPath(path).name.lower() not in NON_PYTHON_LOCK_FILES for path in project.lock_files):
            return True
        return any(dependency_file.compiled for dependency_file in project.dependency_files)


def _documentation(path: str) -> bool:
    pure = PurePosixPath(path)
    return any(part.lower() in _DOCS_FOLDERS for part in pure.parts[:-1]) or "doc" in pure.name.lower()
