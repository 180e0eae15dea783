"""Where commands write: the two consoles, the one JSON writer, and styled text.

User text is printed verbatim. Both consoles have rich markup, emoji codes and highlighting off,
so a spec value like ``[/tmp, /var/run]`` or an ARN with ``:secret:`` in it prints as it is
(markup would raise on the first and turn the second into an emoji). Colour is given with
``styled`` (a ``rich.text.Text``), never with markup in a string.

Output rule: a command's result goes to stdout, as JSON under ``--json`` (through
``emit_json``, and nothing else on stdout) or as text and tables otherwise; progress, notes and
CDK output go to stderr under ``--json``.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

VERBATIM: dict[str, Any] = {"markup": False, "emoji": False, "highlight": False}

# Not a terminal (CI logs, pipes): wide enough that tables do not fold their cells.
console = Console(**VERBATIM) if sys.stdout.isatty() else Console(width=160, **VERBATIM)
errors = Console(stderr=True, soft_wrap=True, **VERBATIM)  # one line per message in CI logs


def styled(text: object, style: str = "") -> Text:
    """``text`` as it is, in ``style`` (a rich style such as ``"red"``); never read as markup."""
    return Text(str(text), style=style)


def labelled(label: str, style: str, message: object) -> Text:
    """``label`` in ``style``, a space, then ``message`` verbatim: ``error: <message>``."""
    return Text.assemble((label, style), " ", str(message))


def add_row(table: Table, *cells: str | Text) -> None:
    """Add a row to ``table``; cells that are not ``Text`` are shown verbatim, on any console."""
    table.add_row(*(cell if isinstance(cell, Text) else styled(cell) for cell in cells))


def emit_json(payload: Any, *, one_line: bool = False) -> None:
    """Print ``payload`` as one JSON document on stdout (for --json); ``one_line`` for JSON Lines."""
    text = json.dumps(payload, default=str) if one_line else json.dumps(payload, indent=2, default=str)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def emit(as_json: bool, payload: Any, *human: RenderableType, **print_options: Any) -> None:
    """A command's result: ``payload`` as JSON under --json, else ``human`` on the console."""
    if as_json:
        emit_json(payload)
        return
    for item in human:
        console.print(item, **print_options)
