"""Output formats. Each reporter turns a run's result into text; none of them decides anything."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence

from mldebt.reporters.base import ReportContext

Renderer = Callable[[ReportContext], str]

# Each format's module and function, imported on demand: a run prints one format, and rich (text)
# costs more to import than a warm run takes otherwise.
_BUILT_IN = {
    "text": ("mldebt.reporters.text", "render_text"),
    "json": ("mldebt.reporters.json_format", "render_json"),
    "sarif": ("mldebt.reporters.sarif", "render_sarif"),
    "github": ("mldebt.reporters.github", "render_github"),
    "gitlab": ("mldebt.reporters.gitlab", "render_gitlab"),
    "junit": ("mldebt.reporters.junit", "render_junit"),
}

RENDERERS: dict[str, Renderer] = {}


def register(name: str, renderer: Renderer) -> None:
    RENDERERS[name] = renderer


def format_names() -> Sequence[str]:
    return tuple(_BUILT_IN)


def renderer_for(name: str) -> Renderer:
    if name not in RENDERERS:
        module, function = _BUILT_IN[name]
        RENDERERS[name] = getattr(importlib.import_module(module), function)
    return RENDERERS[name]
