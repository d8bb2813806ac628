"""Finding the rules (the bundled `rules/`, entry points, a project's own rule folders)
and choosing the ones a run enables, with their options and severities."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import inspect
import re
import sys
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

from mldebt.builtin import BUILTIN_RULES
from mldebt.config import Config, ConfigError
from mldebt.findings import Notice, Severity
from mldebt.results import RuleSetup
from mldebt.rule import ProjectRule, Rule, RuleMetadata
from mldebt.warm import bundled_rules_dir  # where the bundled rules are: light, for warm runs too

ENTRY_POINT_GROUP = "mldebt.rules"
PRIVATE_PACKAGE = "mldebt._rules"
_CODE = re.compile(r"^MLD\d{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class RuleLoadError(Exception):
    """A rule module that cannot be loaded, or a rule that breaks the API contract."""


def load_module_from_path(path: Path, name: str) -> ModuleType:
    """Load a rule module by file path under a private name (rule folders are not packages)."""
    loaded = sys.modules.get(name)
    if loaded is not None and getattr(loaded, "__file__", None) == str(path):
        return loaded
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise RuleLoadError(f"{path}: not a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        del sys.modules[name]
        raise RuleLoadError(f"{path}: {type(error).__name__}: {error}") from error
    return module


def rule_classes(module: ModuleType) -> list[type[RuleMetadata]]:
    """The concrete rules a module defines (not the ones it imports)."""
    found: list[type[RuleMetadata]] = []
    for _, value in inspect.getmembers(module, inspect.isclass):
        if (
            issubclass(value, Rule | ProjectRule)
            and value not in (Rule, ProjectRule)
            and value.__module__ == module.__name__
            and value.CODE
        ):
            found.append(value)
    return found


def _safe_name(text: str) -> str:
    return re.sub(r"\W", "_", text)


def load_folder(folder: Path, prefix: str) -> list[type[RuleMetadata]]:
    """Every rule in every `*.py` under `folder` (one level of sub-folders, as `rules/` is laid out)."""
    found: list[type[RuleMetadata]] = []
    for path in sorted(folder.rglob("*.py")):
        if path.name.startswith("_") or any(part.startswith((".", "_")) for part in path.relative_to(folder).parts[:-1]):
            continue
        relative = path.relative_to(folder).with_suffix("")
        name = ".".join([prefix, *(_safe_name(part) for part in relative.parts)])
        found.extend(rule_classes(load_module_from_path(path, name)))
    return found


def _entry_point_rules() -> list[type[RuleMetadata]]:
    found: list[type[RuleMetadata]] = []
    for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded = entry.load()
        except Exception as error:
            raise RuleLoadError(f"entry point {entry.name} ({entry.value}): {type(error).__name__}: {error}") from error
        if isinstance(loaded, ModuleType):
            found.extend(rule_classes(loaded))
        elif inspect.isclass(loaded) and issubclass(loaded, Rule | ProjectRule):
            found.append(loaded)
    return found


def check_contract(rule: type[RuleMetadata]) -> None:
    """Reject a rule that does not declare what every rule must."""
    where = f"{rule.__module__}.{rule.__qualname__}"
    if not _CODE.match(rule.CODE):
        raise RuleLoadError(f"{where}: CODE {rule.CODE!r} is not MLD plus three digits")
    if not _NAME.match(rule.NAME):
        raise RuleLoadError(f"{where}: NAME {rule.NAME!r} is not kebab-case")
    if not isinstance(rule.SEVERITY, Severity):
        raise RuleLoadError(f"{where}: SEVERITY must be a Severity")
    if not rule.SUMMARY:
        raise RuleLoadError(f"{where}: SUMMARY is empty")
    if not dataclasses.is_dataclass(rule.Options):
        raise RuleLoadError(f"{where}: Options must be a dataclass")


@dataclass
class Registry:
    """Every known rule, by code and by name."""

    rules: list[type[RuleMetadata]]
    notices: list[Notice] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_code: dict[str, type[RuleMetadata]] = {}
        self.by_name: dict[str, type[RuleMetadata]] = {}
        for rule in self.rules:
            check_contract(rule)
            for index, key in ((self.by_code, rule.CODE), (self.by_name, rule.NAME)):
                other = index.get(key)
                if other is not None and other is not rule:
                    raise RuleLoadError(
                        f"{key} is declared twice: {other.__module__}.{other.__qualname__} and "
                        f"{rule.__module__}.{rule.__qualname__}"
                    )
                index[key] = rule
        self.rules = sorted(self.by_code.values(), key=lambda r: r.CODE)

    def find(self, selector: str) -> type[RuleMetadata] | None:
        """A rule by exact code or name."""
        return self.by_code.get(selector.upper()) or self.by_name.get(selector.lower())

    def matching(self, selector: str, explicit: bool) -> list[type[RuleMetadata]]:
        """Rules a selector names: a code or name (any rule), or a code prefix (rules on by default,
        unless `explicit` is False, as for `ignore`, where a prefix covers every rule under it)."""
        exact = self.find(selector)
        if exact is not None:
            return [exact]
        prefix = selector.upper()
        if prefix.startswith("MLD") and any(rule.CODE.startswith(prefix) for rule in self.rules):
            return [rule for rule in self.rules if rule.CODE.startswith(prefix) and (rule.DEFAULT_ENABLED or not explicit)]
        return []


def load_registry(config: Config | None = None, allow_local_rules: bool = False) -> Registry:
    """All rules: the engine's own, the bundled folder, entry points, and (if allowed) local folders."""
    rules: list[type[RuleMetadata]] = list(BUILTIN_RULES)
    rules.extend(load_folder(bundled_rules_dir(), PRIVATE_PACKAGE))
    rules.extend(_entry_point_rules())
    notices: list[Notice] = []
    if config is not None:
        for entry in config.rule_paths:
            folder = (config.root / entry).resolve()
            if not allow_local_rules:
                notices.append(
                    Notice(f"local rules in `{entry}` were not loaded: they run the project's own code; "
                           "pass --allow-local-rules (or set MLDEBT_ALLOW_LOCAL_RULES=1) to load them")
                )
                continue
            if not folder.is_dir():
                raise ConfigError(f"{config.where}: `rule-paths` entry `{entry}` is not a folder")
            tag = hashlib.sha1(str(folder).encode()).hexdigest()[:8]  # two projects, one folder name
            rules.extend(load_folder(folder, f"mldebt._local.{_safe_name(entry)}_{tag}"))
    return Registry(rules, notices)


def _resolve(registry: Registry, selectors: Iterable[str], explicit: bool, key: str, where: str) -> set[str]:
    codes: set[str] = set()
    for selector in selectors:
        matched = registry.matching(selector, explicit)
        if not matched:
            raise ConfigError(f"{where}: `{key}` names unknown rule or code prefix `{selector}`")
        codes.update(rule.CODE for rule in matched)
    return codes


def enabled_codes(
    registry: Registry,
    config: Config,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> set[str]:
    """Which rules run: `select` (CLI over config) or the defaults, plus `extend-select`, less `ignore`."""
    chosen = select if select is not None else config.select
    where = "the command line" if select is not None else config.where
    if chosen is None:
        codes = {rule.CODE for rule in registry.rules if rule.DEFAULT_ENABLED}
    else:
        codes = _resolve(registry, chosen, True, "select", where)
    codes |= _resolve(registry, config.extend_select, True, "extend-select", config.where)
    codes |= _resolve(registry, extend_select, True, "extend-select", "the command line")
    codes -= _resolve(registry, config.ignore, False, "ignore", config.where)
    codes -= _resolve(registry, ignore, False, "ignore", "the command line")
    return codes


def build_options(rule: type[RuleMetadata], raw: dict[str, Any], where: str) -> Any:
    """The rule's `Options` from its config table (kebab-case keys), type-checked."""
    options_class = rule.Options
    hints = typing.get_type_hints(options_class, vars(sys.modules[rule.__module__]))
    names = {f.name for f in dataclasses.fields(options_class)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        attribute = key.replace("-", "_")
        if attribute not in names:
            known = ", ".join(sorted(n.replace("_", "-") for n in names)) or "none"
            raise ConfigError(f"{where}: rule {rule.NAME} has no option `{key}` (options: {known})")
        if not _type_matches(value, hints.get(attribute, Any)):
            raise ConfigError(f"{where}: option `{key}` of rule {rule.NAME} must be {_type_name(hints.get(attribute))}")
        values[attribute] = tuple(value) if isinstance(value, list) else value
    return options_class(**values)


def _type_matches(value: Any, hint: Any) -> bool:
    if hint is Any:
        return True
    origin = typing.get_origin(hint)
    if origin in (tuple, list, frozenset, set, Sequence):
        args = typing.get_args(hint)
        item = args[0] if args else Any
        return isinstance(value, list) and all(_type_matches(v, item) for v in value)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return any(_type_matches(value, arg) for arg in typing.get_args(hint))
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is type(None):
        return value is None
    return isinstance(value, hint) if isinstance(hint, type) else True


def _type_name(hint: Any) -> str:
    if hint is None:
        return "of the documented type"
    origin = typing.get_origin(hint)
    if origin in (tuple, list, frozenset, set, Sequence):
        return "a list"
    return getattr(hint, "__name__", str(hint))


def rule_setups(registry: Registry, config: Config, codes: set[str]) -> list[RuleSetup]:
    """The enabled rules with options and severity, validating every `rules.*` and `severity.*` key."""
    for key in config.rule_options:
        if registry.find(key) is None:
            raise ConfigError(f"{config.where}: `rules.{key}` names an unknown rule")
    for key in config.severity:
        if registry.find(key) is None:
            raise ConfigError(f"{config.where}: `severity.{key}` names an unknown rule")
    severities = {registry.find(key).CODE: level for key, level in config.severity.items()}  # type: ignore[union-attr]
    setups = []
    for rule in registry.rules:
        raw: dict[str, Any] = {}
        for key in (rule.NAME, rule.CODE):
            raw.update(config.rule_options.get(key, {}))
        options = build_options(rule, raw, config.where)
        if rule.CODE in codes:
            setups.append(RuleSetup(rule, options, severities.get(rule.CODE, rule.SEVERITY)))
    return setups
