"""Plain results of the map step, and the rules a run enables: light to import, so a run that
finds everything in its cache never loads the parser or the rules."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mldebt.findings import Finding, Notice, Severity
from mldebt.notebooks import CellMap
from mldebt.suppression import Suppressions

if TYPE_CHECKING:
    from mldebt.facts import FileFacts


@dataclass(frozen=True)
class RuleSetup:
    """An enabled rule, ready to run: its class, its options, and its effective severity."""

    rule: type[Any]
    options: Any
    severity: Severity


@dataclass(frozen=True)
class FileResult:
    """What the map step learned about one file."""

    path: str
    findings: tuple[Finding, ...] = ()
    facts: FileFacts | None = None
    suppressions: Suppressions = field(default_factory=Suppressions)
    errors: tuple[str, ...] = ()
    notices: tuple[Notice, ...] = ()
    lines: int | None = None  # of a cached result, whose facts are not loaded
    facts_pending: bool = False  # the cache holds facts for this file that are not loaded yet
    notebook: CellMap | None = None  # notebooks: from the joined code's lines back to cells
    cacheable: bool = True  # False for a time-out or a crashed worker: the next run tries again

    @property
    def line_count(self) -> int:
        if self.facts is not None:
            return int(self.facts.lines)
        return self.lines or 0


class RuleSet:
    """The enabled rules of a run. Either the setups themselves, or what a run needs to know of them
    before it must run one (the cache key and the enabled codes and names), with a way to load them."""

    def __init__(
        self,
        setups: Sequence[RuleSetup] | None = None,
        *,
        key: str | None = None,
        enabled: Mapping[str, str] | None = None,
        loader: Callable[[], Sequence[RuleSetup]] | None = None,
    ) -> None:
        if setups is None and (key is None or enabled is None or loader is None):
            raise ValueError("a lazy RuleSet needs its key, its enabled rules and a loader")
        self._setups = list(setups) if setups is not None else None
        self._key = key
        self._loader = loader
        if enabled is None:
            assert self._setups is not None
            enabled = {setup.rule.CODE: setup.rule.NAME for setup in self._setups}
        self.enabled: dict[str, str] = dict(enabled)

    @property
    def loaded(self) -> bool:
        return self._setups is not None

    @property
    def setups(self) -> list[RuleSetup]:
        if self._setups is None:
            assert self._loader is not None
            self._setups = list(self._loader())
        return self._setups

    @property
    def key(self) -> str:
        if self._key is None:
            from mldebt.cache import run_key

            self._key = run_key(self.setups)
        return self._key


def rule_set(rules: Sequence[RuleSetup] | RuleSet) -> RuleSet:
    return rules if isinstance(rules, RuleSet) else RuleSet(rules)
