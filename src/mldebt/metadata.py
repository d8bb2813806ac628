"""Facts about mldebt itself that live in pyproject.toml, read in one place."""

from __future__ import annotations

from functools import lru_cache
from importlib import metadata

FALLBACK_DOCS_URL = "https://github.com/mldebt/mldebt/blob/main/docs"


@lru_cache(maxsize=1)
def docs_url() -> str:
    """The `Documentation` URL of `[project.urls]`, as installed package metadata carries it."""
    try:
        entries = metadata.metadata("mldebt").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return FALLBACK_DOCS_URL
    for entry in entries:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "documentation":
            return str(url).strip()
    return FALLBACK_DOCS_URL


def version() -> str:
    try:
        return metadata.version("mldebt")
    except metadata.PackageNotFoundError:
        return "0.0.0+unknown"
