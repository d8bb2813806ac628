"""Local rule folders, plug-ins, and rules that crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from mldebt import registry as registry_module
from mldebt.registry import RuleLoadError, load_registry

LOCAL_RULE = '''
from __future__ import annotations

import libcst as cst

from mldebt import Invalid, Rule, Section, Severity, Valid


class PrintCall(Rule):
    """Flags print()."""

    CODE = "MLD590"
    NAME = "print-call"
    SEVERITY = Severity.WARNING
    SECTION = Section.PROTOTYPE_SMELL
    SUMMARY = "print() in library code"
    MESSAGE = "`print` is called"
    VALID = [Valid("log()")]
    INVALID = [Invalid("print()")]

    def visit_Call(self, node: cst.Call) -> None:
        if self.qualified_name(node.func) == "builtins.print":
            self.report(node)
'''

CRASHING_RULE = LOCAL_RULE.replace("MLD590", "MLD591").replace("print-call", "crashing").replace(
    "PrintCall", "Crashing"
).replace('if self.qualified_name(node.func) == "builtins.print":\n            self.report(node)', "raise ValueError('boom')")

PROJECT_RULE = '''
from __future__ import annotations

from mldebt import Finding, Project, ProjectRule, Section, Severity


class ImportsTrain(ProjectRule):
    """Flags every import edge into a module named train."""

    CODE = "MLD592"
    NAME = "imports-train"
    SEVERITY = Severity.WARNING
    SECTION = Section.UNDECLARED_CONSUMERS
    SUMMARY = "a module imports train"
    MESSAGE = "`{importer}` imports `{target}`"

    def check(self, project: Project):
        for source, target, data in sorted(project.graph.edges(data=True), key=str):
            if data["kind"] == "imports" and target.endswith("train"):
                facts = project.graph.nodes[source]["facts"]
                yield self.finding(facts.path, data["line"], importer=source, target=target)
'''


def test_local_rules_need_permission(write, mldebt) -> None:
    write({"pyproject.toml": '[tool.mldebt]\nrule-paths = ["lint_rules"]\n', "lint_rules/print_call.py": LOCAL_RULE, "a.py": "print(1)\n"})
    outcome = mldebt("check", "--format", "json")
    assert outcome.codes() == []
    assert "--allow-local-rules" in outcome.stderr
    allowed = mldebt("check", "--format", "json", "--allow-local-rules")
    assert allowed.codes() == [("MLD590", "a.py", 1)]


def test_local_rules_through_the_environment(write, mldebt, monkeypatch: pytest.MonkeyPatch) -> None:
    write({"pyproject.toml": '[tool.mldebt]\nrule-paths = ["lint_rules"]\n', "lint_rules/print_call.py": LOCAL_RULE.replace("MLD590", "MLD593").replace("print-call", "print-call-env"), "a.py": "print(1)\n"})
    monkeypatch.setenv("MLDEBT_ALLOW_LOCAL_RULES", "1")
    assert mldebt("check", "--format", "json").codes() == [("MLD593", "a.py", 1)]


def test_a_crashing_rule_exits_3_and_the_others_still_run(write, mldebt) -> None:
    write(
        {
            "pyproject.toml": '[tool.mldebt]\nrule-paths = ["lint_rules"]\n',
            "lint_rules/crashing.py": CRASHING_RULE,
            "a.py": "print(1)\nif False:\n    pass\n",
        }
    )
    outcome = mldebt("check", "--format", "json", "--allow-local-rules")
    assert outcome.exit_code == 3
    assert ("MLD504", "a.py", 2) in outcome.codes()
    assert any("MLD591" in error and "boom" in error for error in outcome.json()["errors"])


def test_project_rules_see_the_import_graph(write, mldebt) -> None:
    write(
        {
            "pyproject.toml": '[tool.mldebt]\nrule-paths = ["lint_rules"]\n',
            "lint_rules/imports_train.py": PROJECT_RULE,
            "src/pkg/__init__.py": "",
            "src/pkg/train.py": "",
            "src/pkg/serve.py": "from pkg import train\n",
            "scripts/run.py": "import os\n\nfrom pkg.train import fit\n",
            "scripts/helper.py": "",
            "scripts/main.py": "import helper\n",
        }
    )
    outcome = mldebt("check", "--format", "json", "--allow-local-rules")
    assert [c for c in outcome.codes() if c[0] == "MLD592"] == [
        ("MLD592", "scripts/run.py", 3),
        ("MLD592", "src/pkg/serve.py", 1),
    ]
    # Paths on the command line: findings for those files only, graph from the whole project.
    only = mldebt("check", "--format", "json", "--allow-local-rules", "scripts/run.py")
    assert only.codes() == [("MLD592", "scripts/run.py", 3)]


def test_entry_point_rules_are_loaded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    module_path = tmp_path / "plugin_rules.py"
    module_path.write_text(LOCAL_RULE.replace("MLD590", "MLD594").replace("print-call", "plugin-print"))
    monkeypatch.syspath_prepend(str(tmp_path))

    class FakeEntryPoint:
        name = "plugin"
        value = "plugin_rules"

        def load(self) -> object:
            import importlib

            return importlib.import_module("plugin_rules")

    monkeypatch.setattr(registry_module.metadata, "entry_points", lambda group: [FakeEntryPoint()])
    registry = load_registry()
    assert registry.find("MLD594") is not None and registry.find("plugin-print") is not None


def test_duplicate_codes_are_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    module_path = tmp_path / "dup_rules.py"
    module_path.write_text(LOCAL_RULE.replace("MLD590", "MLD504"))
    monkeypatch.syspath_prepend(str(tmp_path))

    class FakeEntryPoint:
        name = "dup"
        value = "dup_rules"

        def load(self) -> object:
            import importlib

            return importlib.import_module("dup_rules")

    monkeypatch.setattr(registry_module.metadata, "entry_points", lambda group: [FakeEntryPoint()])
    with pytest.raises(RuleLoadError, match="MLD504"):
        load_registry()


def test_oversized_and_unreadable_files_are_notices(write, mldebt, monkeypatch: pytest.MonkeyPatch) -> None:
    write({"mldebt.toml": "max-file-size = 100\n", "big.py": "x = 1\n" * 100, "a.py": "if False:\n    pass\n", "gone.py": ""})
    original = Path.read_bytes

    def failing_read(self: Path) -> bytes:
        if self.name == "gone.py":
            raise PermissionError(13, "Permission denied")
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", failing_read)
    outcome = mldebt("check", "--format", "json")
    assert outcome.codes() == [("MLD504", "a.py", 1)]
    notices = {n["path"]: n["message"] for n in outcome.json()["notices"]}
    assert "size limit" in notices["big.py"]
    assert "Permission denied" in notices["gone.py"]
    assert outcome.exit_code == 1
