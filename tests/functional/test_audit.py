"""`mldebt audit`: its numbers on the example projects, its JSON shape, the self-contained HTML
page, escaping of everything that comes from the analysed code, and the cache."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from mldebt import parallel as parallel_module
from mldebt.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@lru_cache(maxsize=None)
def _audit_json(project: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["audit", str(EXAMPLES / project), "--format", "json", "--no-cache"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@lru_cache(maxsize=None)
def _check_json(project: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["check", str(EXAMPLES / project), "--format", "json", "--no-cache"])
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@lru_cache(maxsize=None)
def _audit_html(project: str, folder: Path) -> str:
    target = folder / f"{project}.html"
    result = CliRunner().invoke(main, ["audit", str(EXAMPLES / project), "--no-cache", "--html", str(target)])
    assert result.exit_code == 0, result.output
    return target.read_text(encoding="utf-8")


# --- The examples ------------------------------------------------------------------------------


def test_the_debt_audit_counts_what_check_finds() -> None:
    audit, check = _audit_json("debt"), _check_json("debt")
    assert audit["findings"] == len(check["findings"]) == len(audit["finding_list"])
    assert audit["by_severity"] == check["summary"]["by_severity"]
    weights = audit["weights"]
    assert audit["score"] == sum(weights[f["severity"]] for f in check["findings"])
    cited = {int(re.match(r"§(\d+)", f["paper_section"]).group(1)) for f in check["findings"]}
    with_findings = {section["number"] for section in audit["sections"] if section["findings"]}
    assert with_findings == cited == {2, 3, 4, 5, 6, 7, 8}
    for section in audit["sections"]:
        mine = [f for f in check["findings"] if f["paper_section"].startswith(f"§{section['number']} ")]
        assert section["findings"] == len(mine) == sum(section["by_severity"].values())
        assert sum(section["by_rule"].values()) == len(mine)
        scores = [module["score"] for module in section["worst_modules"]]
        assert scores == sorted(scores, reverse=True)


def test_the_debt_hotspots_rank_files_by_weighted_findings() -> None:
    audit, check = _audit_json("debt"), _check_json("debt")
    weights = audit["weights"]
    expected: dict[str, int] = {}
    for finding in check["findings"]:
        expected[finding["path"]] = expected.get(finding["path"], 0) + weights[finding["severity"]]
    hotspots = audit["hotspots"]
    assert [spot["score"] for spot in hotspots] == sorted(expected.values(), reverse=True)[: len(hotspots)]
    assert all(expected[spot["path"]] == spot["score"] for spot in hotspots)
    assert hotspots[0]["path"] == "churn/train.py"


def test_the_debt_data_dependencies() -> None:
    data = _audit_json("debt")["data_dependencies"]
    # The pipeline jungle of scripts/ (MLD503): five scripts chained through files.
    chain = data["longest_chain"]
    assert chain[0] == "scripts/prepare.py" and len(chain) == 9
    assert chain[1::2] == [
        "scripts/data/clean_customers.csv",
        "scripts/data/features.csv",
        "scripts/artifacts/churn_model.joblib",
        "scripts/data/scores.csv",
    ]
    # The feedback loop of MLD401/MLD402: data comes back to the module it left.
    assert data["cycles"] and all(cycle[0] == cycle[-1] for cycle in data["cycles"])
    assert "scripts/data/raw_customers.csv" in data["inputs"]
    assert "scripts/data/features.csv" in data["intermediates"]
    assert data["tables"] == 2 and data["artifacts"] >= 10


def test_the_debt_composition() -> None:
    composition = _audit_json("debt")["composition"]
    lines = composition["lines"]
    assert set(lines) == set(composition["categories"])
    assert composition["code_lines"] == sum(count for category, count in lines.items() if category != "tests")
    assert sum(sum(module["lines"].values()) for module in composition["by_module"]) == sum(lines.values())
    # The paper's Figure 1: the ML code is a small part of the system.
    assert 0 < composition["ml_share"] < 0.3
    assert lines["glue"] > lines["ml"] > 0 and lines["data"] > 0 and lines["serving"] > 0


def test_the_paid_project_has_no_debt_but_the_same_picture() -> None:
    audit = _audit_json("paid")
    assert audit["findings"] == 0 and audit["score"] == 0 and audit["hotspots"] == []
    assert [section["number"] for section in audit["sections"]] == [2, 3, 4, 5, 6, 7, 8]
    assert all(section["findings"] == 0 and section["worst_modules"] == [] for section in audit["sections"])
    assert audit["data_dependencies"]["cycles"] == []
    assert audit["composition"]["lines"]["ml"] > 0


def test_the_json_shape_is_stable() -> None:
    audit = _audit_json("debt")
    assert list(audit) == [
        "audit_format", "version", "project", "files", "findings", "suppressed", "by_severity", "score", "weights",
        "sections", "hotspots", "data_dependencies", "composition", "rules", "finding_list",
    ]  # fmt: skip
    assert set(audit["sections"][0]) == {
        "number", "title", "label", "findings", "score", "by_severity", "by_subsection", "by_rule", "worst_modules",
    }  # fmt: skip
    assert set(audit["hotspots"][0]) == {"path", "score", "findings", "by_severity", "sections", "code_lines", "ml_lines"}
    assert set(audit["data_dependencies"]) == {
        "modules", "artifacts", "tables", "reads", "writes", "inputs", "intermediates", "outputs", "handoffs",
        "longest_chain", "cycles",
    }  # fmt: skip
    assert set(audit["composition"]) == {"categories", "lines", "code_lines", "test_lines", "ml_share", "by_module"}
    assert list(audit["composition"]["categories"]) == [
        "ml", "serving", "monitoring", "data", "features", "configuration", "glue", "tests",
    ]  # fmt: skip
    cited = {finding["code"] for finding in audit["finding_list"]}
    assert set(audit["rules"]) == cited
    assert all(rule["url"].startswith("https://") for rule in audit["rules"].values())


def test_the_text_audit_prints_every_part() -> None:
    result = CliRunner().invoke(main, ["audit", str(EXAMPLES / "debt"), "--no-cache"])
    assert result.exit_code == 0
    for part in ("Debt by paper section", "Hotspots", "Data dependencies", "ML code:", "§8 Other Areas", "churn/train.py"):
        assert part in result.stdout


# --- HTML ----------------------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def test_the_html_report_is_self_contained(tmp_path: Path) -> None:
    page = _audit_html("debt", tmp_path)
    tags = _tags(page)
    assert [tag for tag, _ in tags if tag in ("link", "img", "iframe", "object", "embed")] == []
    scripts = [attrs for tag, attrs in tags if tag == "script"]
    assert scripts == [{}]  # one inline script, no `src`
    for tag, attrs in tags:
        assert "src" not in attrs, tag
        href = attrs.get("href")
        if href is not None and not href.startswith("#"):
            assert tag == "a" and href.startswith("https://"), (tag, href)  # a plain link to the docs
    assert "@import" not in page and "url(http" not in page and "//fonts." not in page


def test_the_html_report_has_the_graph_the_charts_and_linked_findings(tmp_path: Path) -> None:
    page = _audit_html("debt", tmp_path)
    tags = _tags(page)
    classes = [attrs.get("class") or "" for _, attrs in tags]
    assert sum(1 for c in classes if c.startswith("node ")) == len(_graph_node_ids())
    assert any(c == "loop" for c in classes)  # the feedback loop, framed
    assert sum(1 for c in classes if c.startswith("chart ")) >= 2
    assert sum(1 for c in classes if "worst-chart" in c) == 7  # one chart per section with findings
    rows = [attrs for tag, attrs in tags if tag == "tr" and attrs.get("class") == "finding"]
    assert len(rows) == _audit_json("debt")["findings"]
    anchors = {attrs["id"] for _, attrs in tags if attrs.get("id", "") and attrs["id"].startswith("rule-")}
    links = {attrs["href"][1:] for tag, attrs in tags if tag == "a" and (attrs.get("href") or "").startswith("#rule-")}
    assert links and links <= anchors
    assert anchors == {f"rule-{code}" for code in _audit_json("debt")["rules"]}


@lru_cache(maxsize=None)
def _graph_node_ids() -> set[str]:
    from mldebt.audit import build_audit
    from mldebt.config import load_config
    from mldebt.registry import enabled_codes, load_registry, rule_setups
    from mldebt.runner import run_check

    config = load_config(EXAMPLES / "debt", None)
    registry = load_registry(config, False)
    setups = rule_setups(registry, config, enabled_codes(registry, config, select=None, extend_select=[], ignore=[]))
    result = run_check(config, setups)
    assert result.project is not None
    audit = build_audit(result.project, result.findings, registry.by_code, result.files)
    return {node.id for node in audit.data.nodes}


# --- Escaping ------------------------------------------------------------------------------------

HOSTILE_NAME = "bad[red]<script>'\"::.py"
HOSTILE = {
    "mldebt.toml": "",
    HOSTILE_NAME: """
        import numpy as np
        import pandas as pd

        frame = pd.read_csv("/home/alice/<script>alert('x')</script>::\\"quoted\\".csv")
        np.random.shuffle(frame.values)
        frame.to_csv("out/<img src=x onerror=alert(1)>.csv")
    """,
    "reader.py": """
        import pandas as pd

        again = pd.read_csv("out/<img src=x onerror=alert(1)>.csv")
    """,
}


def test_strings_from_the_analysed_code_are_escaped_in_the_html(write, mldebt, tmp_path: Path) -> None:
    write(HOSTILE)
    outcome = mldebt("audit", "--no-cache", "--html", "report.html")
    assert outcome.exit_code == 0, outcome.stderr
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    tags = _tags(page)
    assert [tag for tag, _ in tags if tag in ("img", "script")] == ["script"]  # only the page's own script
    assert "<script>alert" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;::&quot;quoted&quot;" in page
    assert "bad[red]&lt;script&gt;&#x27;&quot;::.py" in page
    for _, attrs in tags:  # attribute values stay inside their quotes: no stray attributes appear
        assert "onerror" not in attrs and "src" not in attrs
    assert page.count("<script>") == 1 and page.count("</script>") == 1


def test_strings_from_the_analysed_code_do_not_break_the_text_and_json_audits(write, mldebt) -> None:
    write(HOSTILE)
    text = mldebt("audit", "--no-cache")
    assert text.exit_code == 0
    assert HOSTILE_NAME in text.stdout  # rich markup in a file name is printed, not interpreted
    data = mldebt("audit", "--no-cache", "--format", "json").json()
    assert HOSTILE_NAME in {spot["path"] for spot in data["hotspots"]}


def test_strings_from_the_analysed_code_do_not_break_github_commands(write, mldebt) -> None:
    write(HOSTILE)
    outcome = mldebt("check", "--no-cache", "--format", "github", "--exit-zero")
    lines = outcome.stdout.splitlines()
    findings = mldebt("check", "--no-cache", "--format", "json", "--exit-zero").json()["findings"]
    assert len(lines) == len(findings) > 0
    command = re.compile(r"^::(error|warning|notice) (?P<properties>[^:]*)::(?P<message>.*)$")
    for line in lines:
        match = command.match(line)
        assert match, line
        properties = dict(item.split("=", 1) for item in match.group("properties").split(","))
        assert set(properties) <= {"file", "line", "col", "endLine", "endColumn", "title"}
        if properties["file"].startswith("bad"):
            assert properties["file"] == "bad[red]<script>'\"%3A%3A.py"
    assert any("::\"quoted\"" in line for line in lines)  # in the message, `::` is plain text


# --- Cache ---------------------------------------------------------------------------------------


def test_a_warm_audit_parses_nothing(write, mldebt, monkeypatch) -> None:
    write(HOSTILE)
    first = mldebt("audit", "--format", "json").json()
    analysed: list[str] = []

    def counting(jobs, setups, processes, done=None, timeout=None):  # type: ignore[no-untyped-def]
        analysed.extend(job.path for job in jobs)
        return iter(())

    monkeypatch.setattr(parallel_module, "analyse_all", counting)  # the runner imports it when a file must be analysed
    second = mldebt("audit", "--format", "json").json()
    assert analysed == []  # every file came from the cache, composition included
    assert second["composition"] == first["composition"] and second["score"] == first["score"]


def test_the_readme_audit_commands_work(monkeypatch, tmp_path: Path) -> None:
    import shlex

    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    commands = [shlex.split(line)[1:] for line in readme.splitlines() if line.startswith("mldebt audit examples/")]
    assert any("--html" in command for command in commands) and len(commands) >= 2
    monkeypatch.chdir(EXAMPLES.parent)
    for command in commands:
        args = [str(tmp_path / arg) if arg.endswith(".html") else arg for arg in command]
        result = CliRunner().invoke(main, [*args, "--no-cache"])
        assert result.exit_code == 0, (command, result.output)
        assert "Debt by paper section" in result.stdout
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'class="graph"' in page


def test_output_and_html_files_together(write, mldebt, tmp_path: Path) -> None:
    write(HOSTILE)
    outcome = mldebt("audit", "--no-cache", "--format", "json", "--output", "audit.json", "--html", "audit.html")
    assert outcome.exit_code == 0 and outcome.stdout == ""
    data = json.loads((tmp_path / "audit.json").read_text(encoding="utf-8"))
    assert data["findings"] > 0
    assert (tmp_path / "audit.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_missing_path_is_a_usage_error(mldebt) -> None:
    assert mldebt("audit", "no/such/folder").exit_code == 2
