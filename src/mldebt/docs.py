"""Rule documentation generated from the rules themselves (`mldebt explain`, docs/rules.md)."""

from __future__ import annotations

from collections.abc import Sequence

from mldebt.rule import RuleMetadata


def rule_anchor(rule: type[RuleMetadata]) -> str:
    return f"{rule.CODE.lower()}-{rule.NAME}"


def _options(rule: type[RuleMetadata]) -> str:
    import dataclasses

    fields = dataclasses.fields(rule.Options)
    if not fields:
        return ""
    rows = []
    for field in fields:
        default = field.default
        if default is dataclasses.MISSING and field.default_factory is not dataclasses.MISSING:
            default = field.default_factory()
        if isinstance(default, (tuple, frozenset)):
            default = sorted(default) if isinstance(default, frozenset) else list(default)
        rows.append(f"- `{field.name.replace('_', '-')}` (default `{default!r}`)")
    return "\n".join(rows)


def rule_markdown(rule: type[RuleMetadata], heading: str = "##") -> str:
    """One rule's full page: header facts, its explanation, its examples."""
    state = "on" if rule.DEFAULT_ENABLED else "off (select it by its full code or name)"
    lines = [
        f"{heading} {rule.CODE} {rule.NAME}",
        "",
        f"*{rule.SUMMARY}.*",
        "",
        f"- Severity: `{rule.SEVERITY.value}`",
        f"- Paper: {rule.SECTION.label}",
        f"- Scope: {rule.scope()} ({'one file' if rule.scope() == 'F' else 'the project graph' if rule.scope() == 'P' else 'one file, then the project graph'})",
        f"- Default: {state}",
        "",
    ]
    body = rule.explanation()
    sub = heading + "#"
    body = "\n".join(sub + line[2:] if line.startswith("## ") else line for line in body.splitlines())
    lines.append(body)
    options = _options(rule)
    if options and "Options" not in body:
        lines += ["", f"{sub} Options", "", options]
    if rule.INVALID or rule.VALID:
        lines += ["", f"{sub} Flagged", ""]
        for invalid in rule.INVALID:
            lines += ["```python", f"# {invalid.path}", invalid.source.rstrip("\n"), "```", ""]
        lines += [f"{sub} Not flagged", ""]
        for valid in rule.VALID:
            lines += ["```python", f"# {valid.path}", valid.source.rstrip("\n"), "```", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def rules_reference(rules: Sequence[type[RuleMetadata]]) -> str:
    """docs/rules.md: a table of every rule, then each rule's page."""
    lines = [
        "# Rule reference",
        "",
        "Generated from the rules' own metadata by `python -m mldebt.docs`; do not edit by hand.",
        "Every rule cites the section of Sculley et al., \"Hidden Technical Debt in Machine Learning",
        "Systems\" (NeurIPS 2015), that describes the debt it finds.",
        "",
        "| code | name | severity | scope | default | paper section |",
        "|---|---|---|---|---|---|",
    ]
    for rule in rules:
        lines.append(
            f"| [{rule.CODE}](#{rule_anchor(rule)}) | {rule.NAME} | {rule.SEVERITY.value} | {rule.scope()} | "
            f"{'on' if rule.DEFAULT_ENABLED else 'off'} | {rule.SECTION.label} |"
        )
    lines.append("")
    for rule in rules:
        lines += [f'<a id="{rule_anchor(rule)}"></a>', "", rule_markdown(rule, "##"), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> None:
    """Regenerate docs/rules.md in a source checkout."""
    import sys
    from pathlib import Path

    from mldebt.registry import load_registry

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "docs" / "rules.md"
    target.write_text(rules_reference(load_registry().rules), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
