"""The documentation in docs/ stays true to the code: generated pages are current, every
configuration key and `check` flag is documented, and the snippets parse and work."""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path
import click
import pytest
import yaml

from mldebt import cli
from mldebt.config import load_config
from mldebt.docs import rules_reference
from mldebt.registry import load_folder, load_registry
from mldebt.testing import run_example

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
FENCE = re.compile(r"^```(?P<lang>\w*)\n(?P<body>.*?)^```", re.MULTILINE | re.DOTALL)


def _blocks(page: str, lang: str) -> list[str]:
    text = (DOCS / page).read_text(encoding="utf-8")
    return [match["body"] for match in FENCE.finditer(text) if match["lang"] == lang]


def test_the_rule_reference_is_current() -> None:
    expected = rules_reference(load_registry().rules)
    path = DOCS / "rules.md"
    actual = path.read_text(encoding="utf-8") if path.is_file() else ""
    if actual != expected:
        lines = difflib.unified_diff(actual.splitlines(True), expected.splitlines(True), "docs/rules.md", "generated")
        diff = "".join(list(lines)[:60])
        pytest.fail(f"docs/rules.md is stale: run `python -m mldebt.docs` to regenerate it.\n{diff}")


def _config_keys() -> list[str]:
    """Every key `[tool.mldebt]` accepts, read from the validator itself."""
    source = (ROOT / "src" / "mldebt" / "config.py").read_text(encoding="utf-8")
    return re.findall(r'key == "([a-z-]+)"', source)


def test_every_configuration_key_is_documented() -> None:
    keys = _config_keys()
    assert {"select", "per-file-ignores", "rules"} <= set(keys), "the key pattern no longer matches config.py"
    page = (DOCS / "configuration.md").read_text(encoding="utf-8")
    missing = [key for key in keys if f"`{key}`" not in page and f"tool.mldebt.{key}" not in page]
    assert not missing, f"docs/configuration.md does not document the keys {missing}"


def test_every_check_flag_is_documented() -> None:
    page = (DOCS / "configuration.md").read_text(encoding="utf-8")
    flags = [
        max(param.opts, key=len)
        for param in cli.check.params
        if isinstance(param, click.Option) and param.name != "help"
    ]
    missing = [flag for flag in flags if f"`{flag}" not in page]
    assert not missing, f"docs/configuration.md does not document the `mldebt check` flags {missing}"


@pytest.mark.parametrize("page", ["configuration.md", "architecture.md", "integrations.md"])
def test_toml_snippets_are_valid_configuration(page: str, tmp_path: Path) -> None:
    for index, block in enumerate(_blocks(page, "toml")):
        data = tomllib.loads(block)
        if block.lstrip().startswith("# mldebt.toml"):
            name = "mldebt.toml"
        elif "mldebt" in data.get("tool", {}):
            name = "pyproject.toml"
        else:
            continue  # another tool's table, or a plug-in's pyproject
        config_file = tmp_path / str(index) / name
        config_file.parent.mkdir()
        config_file.write_text(block, encoding="utf-8")
        load_config(config_file.parent, config_file)  # raises ConfigError on an unknown key or a bad value


def test_yaml_snippets_parse() -> None:
    blocks = _blocks("integrations.md", "yaml")
    assert len(blocks) >= 4
    for block in blocks:
        assert yaml.safe_load(block), block


def test_the_pre_commit_snippets_name_this_repository_and_its_hooks() -> None:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        source_url = tomllib.load(handle)["project"]["urls"]["Source"]
    hooks = {hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    used: set[str] = set()
    for block in _blocks("integrations.md", "yaml"):
        data = yaml.safe_load(block)
        if isinstance(data, dict) and "repos" in data:
            for repo in data["repos"]:
                assert repo["repo"] == source_url
                assert "rev" in repo
                used.update(hook["id"] for hook in repo["hooks"])
    assert used == hooks, f"the pre-commit snippets show {sorted(used)}; the hooks are {sorted(hooks)}"


def test_the_ci_snippets_use_the_formats_they_describe() -> None:
    page = (DOCS / "integrations.md").read_text(encoding="utf-8")
    for needle in (
        "--format sarif",
        "github/codeql-action/upload-sarif",
        "security-events: write",
        "--format github",
        "--format gitlab",
        "codequality:",
        "--format junit",
        "--write-baseline",
        "--baseline",
    ):
        assert needle in page, needle


def _anchors(page: Path) -> set[str]:
    """The anchors GitHub gives a page: one per heading (its slug), plus explicit `<a id>`s."""
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    anchors = set(re.findall(r'<a id="([^"]+)"', text))
    for heading in re.findall(r"^#{1,6} (.+)$", text, re.MULTILINE):
        anchors.add(re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-"))
    return anchors


def test_links_between_pages_resolve() -> None:
    link = re.compile(r"\]\((?!https?:|mailto:)(?P<target>[^)#\s]*)(?:#(?P<anchor>[^)\s]+))?\)")
    for page in sorted(DOCS.glob("*.md")):
        for match in link.finditer(FENCE.sub("", page.read_text(encoding="utf-8"))):
            target = (page.parent / match["target"]).resolve() if match["target"] else page
            assert target.exists(), f"{page.name} links to missing {match['target']}"
            if match["anchor"] and target.suffix == ".md":
                assert match["anchor"] in _anchors(target), f"{page.name} links to missing {match[0]}"


def test_the_architecture_sketch_rule_works(tmp_path: Path) -> None:
    sketches = [block for block in _blocks("architecture.md", "python") if block.startswith("# tools/lint_rules/")]
    assert len(sketches) == 1
    folder = tmp_path / "lint_rules"
    folder.mkdir()
    (folder / "print_in_library.py").write_text(sketches[0], encoding="utf-8")
    (rule,) = load_folder(folder, "mldebt._docs_sketch")
    assert rule.CODE[3] == str(rule.SECTION.number)
    for example in [*rule.VALID, *rule.INVALID]:
        assert run_example(rule, example).problem is None, example
