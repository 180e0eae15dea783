"""``SpecError``: every problem of a spec file, each named by its YAML path and line."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from config.image_reference import image_reference_problem
from config.introspection import allowed_keys
from config.patterns import IMAGE, PATTERN_HINTS
from config.yaml_source import Loc


@dataclass(frozen=True)
class SpecProblem:
    """One problem: ``path`` is dotted (``services.web.cpu``), ``line`` 1-based when known."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        return f"{self.path or '<top level>'}{where}: {self.message}"


class SpecError(ValueError):
    """The spec file is invalid. ``problems`` lists each one; ``str()`` is the user message."""

    def __init__(self, source: str, problems: list[SpecProblem]) -> None:
        self.source = source
        self.problems = problems
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        body = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(f"{source}: {count}\n{body}")


_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
# Patterns whose mismatch is explained part by part (which component is wrong, and why).
PATTERN_EXPLAINERS: dict[str, Callable[[str], str | None]] = {IMAGE: image_reference_problem}
KEY_MARKER = "[key]"  # pydantic's last loc part when a mapping's key (not its value) is invalid


def dotted(loc: Loc) -> str:
    """``('services', 'web', 'capacity', 0)`` → ``services.web.capacity[0]``; a key that is
    empty or holds other characters than letters, digits, ``_`` and ``-`` is quoted:
    ``services["my.api"]``."""
    text = ""
    for part in loc:
        if isinstance(part, int) and not isinstance(part, bool):
            text += f"[{part}]"
        elif isinstance(part, str) and _PLAIN_KEY.match(part):
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(str(part), ensure_ascii=False)}]"
    return text


def from_validation_error(
    source: Path | str, error: ValidationError, model: type[BaseModel], lines: dict[Loc, int]
) -> SpecError:
    """Translate pydantic's errors into YAML-path problems, in file order."""
    problems = []
    details = error.errors(include_url=False)
    for detail in details:
        loc = tuple(detail["loc"])
        if detail["type"] == "too_short" and _item_failed(loc, details):
            continue  # "at least 1 item after validation": its items' own errors say why
        message = _message(detail, model)
        if loc and loc[-1] == KEY_MARKER:
            loc, message = loc[:-1], f"the name {message}"
        problems.append(SpecProblem(dotted(loc), message, _line(loc, lines)))
    problems.sort(key=lambda p: (p.line or 0, p.path))
    return SpecError(str(source), problems)


def _line(loc: Loc, lines: dict[Loc, int]) -> int | None:
    while loc not in lines and loc:
        loc = loc[:-1]
    return lines.get(loc)


def _message(detail: ErrorDetails, model: type[BaseModel]) -> str:
    kind, value = detail["type"], detail.get("input")
    ctx: dict[str, Any] = dict(detail.get("ctx") or {})
    if kind == "spec_check":
        return str(ctx["message"])
    if kind == "account_not_quoted":
        return str(detail["msg"])
    if kind == "extra_forbidden":
        keys = allowed_keys(model, tuple(detail["loc"])[:-1])
        if not keys:
            return "unknown key"
        close = difflib.get_close_matches(str(tuple(detail["loc"])[-1]), keys, n=1, cutoff=0.75)
        hint = f"did you mean {close[0]!r}? " if close else ""
        return f"unknown key; {hint}allowed: {', '.join(keys)}"
    if kind == "missing":
        return "required key is missing"
    if kind == "string_type" and isinstance(value, bool | int | float):
        return _scalar_for_text(value)
    if kind in ("tuple_type", "list_type") and isinstance(value, str):
        return _text_for_list(tuple(detail["loc"]), value)
    if kind == "dict_type" and isinstance(value, list):
        return _list_for_mapping(value)
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern"))
        if pattern in PATTERN_EXPLAINERS:
            return PATTERN_EXPLAINERS[pattern](str(value)) or f"{value!r} is not valid"
        hint = PATTERN_HINTS.get(pattern, "it has the wrong format")
        return f"{value!r} is not valid: {hint}"
    return f"{detail['msg']} (got {_short(value)})"


def _scalar_for_text(value: bool | int | float) -> str:
    """A YAML number or boolean where the spec takes text (an environment variable, a user, a
    code list): the fix is quotes, which keep the text exactly as written (``"1e3"`` stays
    ``1e3``, ``"True"`` stays ``True``), so the spec does not convert it itself."""
    shown = str(value).lower() if isinstance(value, bool) else str(value)
    kind = "a boolean" if isinstance(value, bool) else "a number"
    return (
        f'{shown} is {kind} in YAML and this value is text: write it in quotes as you mean it, e.g. "{shown}"'
    )


# Fields whose list is a command's arguments: one text is not split into them, as a shell would.
_COMMANDS = ("command", "entry_point")


def _text_for_list(loc: Loc, value: str) -> str:
    """One text where the spec takes a list (``command: bin/migrate --all``, ``paths: /*``)."""
    field = str(loc[-1])
    if len(loc) > 1 and loc[-2] == "health_check" and field == "command":
        return (
            f'{_short(value)} is one text and health_check.command is a list: write ["CMD-SHELL", '
            '"<the line>"] to run the line in a shell, or ["CMD", "<program>", "<argument>", …]'
        )
    if field in _COMMANDS:
        return (
            f"{_short(value)} is one text and {field} is a list of arguments, which ECS runs without "
            'a shell: write ["bin/migrate", "--all"], or ["sh", "-c", "<the line>"] for a shell line'
        )
    return f"{_short(value)} is one text and {field} is a list: write [{value}], or one '- item' line each"


def _list_for_mapping(value: list[Any]) -> str:
    """A list where the spec takes a mapping (``environment: [A=1]``, as docker compose allows)."""
    pairs = [item.split("=", 1) for item in value if isinstance(item, str) and "=" in item]
    example = f" ({pairs[0][0]}: {pairs[0][1]})" if pairs else ""
    return f"this is a list and the spec takes a mapping here: one 'key: value' line each{example}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _item_failed(loc: Loc, details: list[ErrorDetails]) -> bool:
    """Whether an error sits below ``loc`` (an item of the list at ``loc`` failed)."""
    return any(len(d["loc"]) > len(loc) and tuple(d["loc"][: len(loc)]) == loc for d in details)
