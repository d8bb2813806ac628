"""mldebt: a static linter for the hidden technical debt of machine-learning code.

This module is the public rule API: what a rule (in `rules/`, a project's own
rule folder, or a plug-in package) may import.
"""

from __future__ import annotations

from mldebt import safe_path as _safe_path  # noqa: F401  first: `python -m mldebt` must not import the analysed project's modules
from typing import TYPE_CHECKING, Any  # noqa: E402

# The API is imported on first use (PEP 562): a run answered from the cache never loads the parser.
_EXPORTS = {
    "FileContext": "mldebt.context",
    "Constant": "mldebt.facts",
    "Definition": "mldebt.facts",
    "FileFacts": "mldebt.facts",
    "ImportFact": "mldebt.facts",
    "literal_value": "mldebt.facts",
    "Finding": "mldebt.findings",
    "Notice": "mldebt.findings",
    "Severity": "mldebt.findings",
    "PaperReference": "mldebt.paper",
    "Section": "mldebt.paper",
    "Project": "mldebt.project",
    "module_node": "mldebt.project",
    "Invalid": "mldebt.rule",
    "ProjectRule": "mldebt.rule",
    "Rule": "mldebt.rule",
    "Valid": "mldebt.rule",
}

if TYPE_CHECKING:
    from mldebt.context import FileContext
    from mldebt.facts import Constant, Definition, FileFacts, ImportFact, literal_value
    from mldebt.findings import Finding, Notice, Severity
    from mldebt.paper import PaperReference, Section
    from mldebt.project import Project, module_node
    from mldebt.rule import Invalid, ProjectRule, Rule, Valid

    __version__: str


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from mldebt.metadata import version

        value: Any = version()
    elif name in _EXPORTS:
        import importlib

        value = getattr(importlib.import_module(_EXPORTS[name]), name)
    else:
        raise AttributeError(f"module 'mldebt' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS) | {"__version__"})


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
