"""Output formats. Each reporter turns a run's result into text; none of them decides anything."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from mldebt.reporters.base import ReportContext
from mldebt.reporters.json_format import render_json
from mldebt.reporters.text import render_text

Renderer = Callable[[ReportContext], str]

RENDERERS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
}


def register(name: str, renderer: Renderer) -> None:
    RENDERERS[name] = renderer


def format_names() -> Sequence[str]:
    return ("text", "json", "sarif", "github", "gitlab", "junit")


def renderer_for(name: str) -> Renderer:
    if name not in RENDERERS:
        _load_optional()
    return RENDERERS[name]


def _load_optional() -> None:
    # Imported on demand: most runs print text and need none of these.
    from mldebt.reporters import github, gitlab, junit, sarif

    RENDERERS.update(
        {"sarif": sarif.render_sarif, "github": github.render_github, "gitlab": gitlab.render_gitlab,
         "junit": junit.render_junit}
    )
