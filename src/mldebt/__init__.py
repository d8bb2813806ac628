"""mldebt: a static linter for the hidden technical debt of machine-learning code.

This module is the public rule API: what a rule (in `rules/`, a project's own
rule folder, or a plug-in package) may import.
"""

from __future__ import annotations

from mldebt import safe_path as _safe_path  # noqa: F401  first: `python -m mldebt` must not import the analysed project's modules
from mldebt.metadata import version as _version

__version__ = _version()

from mldebt.context import FileContext  # noqa: E402
from mldebt.facts import Constant, Definition, FileFacts, ImportFact, literal_value  # noqa: E402
from mldebt.findings import Finding, Notice, Severity  # noqa: E402
from mldebt.paper import PaperReference, Section  # noqa: E402
from mldebt.project import Project, module_node  # noqa: E402
from mldebt.rule import Invalid, ProjectRule, Rule, Valid  # noqa: E402

__all__ = [
    "Constant",
    "Definition",
    "FileContext",
    "FileFacts",
    "Finding",
    "ImportFact",
    "Invalid",
    "Notice",
    "PaperReference",
    "Project",
    "ProjectRule",
    "Rule",
    "Section",
    "Severity",
    "Valid",
    "__version__",
    "literal_value",
    "module_node",
]
