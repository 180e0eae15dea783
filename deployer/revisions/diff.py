"""``diff``: field-level differences between two task-definition revisions (native JSON)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from constructs_lib.native_json import READ_ONLY_FIELDS

UNKNOWN = "${"  # rendered placeholders: only known after deploy, never reported as changes


@dataclass(frozen=True)
class Change:
    path: str
    before: Any
    after: Any

    @property
    def kind(self) -> str:
        if self.before is None:
            return "+"
        return "-" if self.after is None else "~"


def flatten(document: dict[str, Any]) -> dict[str, Any]:
    """``{"containerDefinitions[web].image": …}``: containers and named items keyed by name."""
    flat: dict[str, Any] = {}
    _walk({k: v for k, v in document.items() if k not in READ_ONLY_FIELDS}, "", flat)
    return flat


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Changes from ``before`` to ``after``; placeholder values in ``after`` are skipped."""
    old, new = flatten(before), flatten(after)
    changes = []
    for path in sorted(set(old) | set(new)):
        a, b = old.get(path), new.get(path)
        if a == b or (isinstance(b, str) and UNKNOWN in b):
            continue
        changes.append(Change(path, a, b))
    return changes


def _walk(value: Any, path: str, flat: dict[str, Any]) -> None:
    if isinstance(value, dict):
        if not value:
            flat[path] = {}
        for key, item in value.items():
            _walk(item, f"{path}.{key}" if path else str(key), flat)
    elif isinstance(value, list) and value and all(isinstance(i, dict) and "name" in i for i in value):
        for item in value:
            rest = {k: v for k, v in item.items() if k != "name"}
            if set(rest) == {"value"}:
                flat[f"{path}[{item['name']}]"] = rest["value"]  # environment-style name/value pairs
            else:
                _walk(rest, f"{path}[{item['name']}]", flat)
    else:
        flat[path] = value
