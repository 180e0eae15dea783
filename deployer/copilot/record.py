"""What each manifest field became: the spec values it set, or the manual step it needs.

A ``FieldLog`` writes values into one environment's spec and records, for every Copilot field
it reads, an ``Entry``: ``mapped`` (same behaviour), ``adjusted`` (written, but it behaves
differently or is a placeholder: the note says how) or ``manual`` (no equivalent: the reason
and the step to take). It also remembers which field set which spec path, so a spec check
that fails names the Copilot field behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from config.yaml_source import Loc

Status = Literal["mapped", "adjusted", "manual"]


@dataclass(frozen=True)
class Entry:
    manifest: str
    field: Loc
    status: Status
    environment: str
    target: Loc = ()
    value: Any = None
    note: str = ""
    step: str = ""


@dataclass
class SpecLog:
    """One environment's spec being built, and every entry recorded for it."""

    environment: str
    spec: dict[str, Any]
    entries: list[Entry] = field(default_factory=list)
    origin: dict[Loc, tuple[str, Loc]] = field(default_factory=dict)

    def for_manifest(self, manifest: str) -> FieldLog:
        return FieldLog(self, manifest)


@dataclass
class FieldLog:
    """The entries of one manifest in one environment."""

    log: SpecLog
    manifest: str

    def put(self, source: Loc, target: Loc, value: Any, note: str = "", step: str = "") -> None:
        """Set ``target`` in the spec to ``value`` (``adjusted`` when a note says what differs)."""
        node = self.log.spec
        for part in target[:-1]:
            node = node.setdefault(str(part), {})
        node[str(target[-1])] = value
        self.log.origin[target] = (self.manifest, source)
        self._add(source, "adjusted" if note else "mapped", target=target, value=value, note=note, step=step)

    def seen(self, source: Loc, target: Loc = (), note: str = "") -> None:
        """``source`` is taken into account without a value of its own (``name`` → the service key)."""
        self._add(source, "mapped", target=target, note=note)

    def manual(self, source: Loc, reason: str, step: str) -> None:
        """``source`` has no equivalent: ``reason`` says why, ``step`` what to do instead."""
        self._add(source, "manual", note=reason, step=step)

    def _add(
        self,
        source: Loc,
        status: Status,
        *,
        target: Loc = (),
        value: Any = None,
        note: str = "",
        step: str = "",
    ) -> None:
        entry = Entry(self.manifest, source, status, self.log.environment, target, value, note, step)
        self.log.entries.append(entry)


def leaf_paths(data: Any, prefix: Loc = ()) -> list[Loc]:
    """The paths of a manifest's values: map keys are walked into, a list is one value."""
    if isinstance(data, dict) and data:
        return [path for key, value in data.items() for path in leaf_paths(value, (*prefix, key))]
    return [prefix]


def uncovered(data: Any, entries: list[Entry], manifest: str) -> list[Loc]:
    """Values of ``data`` that no entry of ``manifest`` names (or names a part of)."""
    fields = [entry.field for entry in entries if entry.manifest == manifest]
    return [
        leaf
        for leaf in leaf_paths(data)
        if not any(leaf[: len(f)] == f or f[: len(leaf)] == leaf for f in fields)
    ]
