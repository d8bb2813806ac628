"""Placeholder: filled in by the project-graph work."""

from __future__ import annotations

from typing import Any


def collect_columns(index: Any, names: Any, context: Any) -> tuple[Any, ...]:
    return ()
