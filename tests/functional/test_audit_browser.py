"""The HTML audit of the debt example, opened in a real browser (headless Chromium).

`--dump-dom` prints the page after its script ran: the script marks the body
`data-rendered="yes"` and counts the drawn graph nodes and chart bars, so this proves that the
page executes and that the graph and the section charts are in the rendered DOM. Skipped when
no Chromium is installed (`.ci/run` installs Debian's `chromium` when it can).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from mldebt.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def _browser() -> str | None:
    configured = os.environ.get("MLDEBT_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    for name in BROWSERS:
        found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
        if found:
            return found
    return None


BROWSER = _browser()
pytestmark = pytest.mark.skipif(
    BROWSER is None,
    reason="no Chromium found (install Debian's `chromium`, or set MLDEBT_CHROMIUM to a Chromium binary)",
)


def _rendered_dom(page: Path, profile: Path) -> str:
    assert BROWSER is not None
    command = [
        BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        f"--user-data-dir={profile}", "--dump-dom", page.as_uri(),
    ]  # fmt: skip
    completed = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed.stdout


def test_the_debt_report_renders_its_graph_and_charts(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["audit", str(EXAMPLES / "debt"), "--no-cache", "--html", str(report)])
    assert result.exit_code == 0, result.output
    dom = _rendered_dom(report, tmp_path / "profile")

    body = re.search(r"<body([^>]*)>", dom)
    assert body is not None, dom[:500]
    attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', body.group(1)))
    assert attributes.get("data-rendered") == "yes", "the page's script did not run"
    assert int(attributes["data-graph-nodes"]) > 10
    assert int(attributes["data-graph-edges"]) > 10
    assert int(attributes["data-chart-bars"]) > 7  # the section chart's bars, the worst-module charts, the composition

    # What the browser built from the page: the drawn graph and the charts, with their labels.
    assert len(re.findall(r'<g class="node (module|artifact|table)"', dom)) == int(attributes["data-graph-nodes"])
    assert 'class="loop"' in dom
    assert "scripts/prepare.py" in dom and "scripts/data/features.csv" in dom
    assert 'class="chart section-chart"' in dom and 'class="chart composition-chart"' in dom
    assert dom.count('class="chart worst-chart"') == 7
