"""``MIGRATION.md``: the report for people, in the order they need it."""

from __future__ import annotations

import json
from typing import Any

from config.errors import dotted
from deployer.copilot.report import DIFFERENT_DEFAULTS, NOT_IMPORTED, Report, Row

IMPORT_LINE = "Written by `deployer import copilot`; running it again rewrites this file and the specs."


def markdown(report: Report) -> str:
    """The whole report: summary, steps before deploying, then every manifest's fields."""
    everywhere = tuple(report.environments)
    lines = [
        f"# Migrating `{report.application}` from AWS Copilot",
        "",
        IMPORT_LINE,
        "",
        "| Copilot environment | spec | account | region |",
        "| --- | --- | --- | --- |",
        *(
            f"| {name} | `{info['file']}` | {info['account']} ({info['account_from']}) | "
            f"{info['region']} ({info['region_from']}) |"
            for name, info in report.environments.items()
        ),
        "",
        "| service | manifest | Copilot type | kind here |",
        "| --- | --- | --- | --- |",
        *(
            f"| {name} | `{info['manifest']}` | {info['type']} | {_kinds(info['kind'])} |"
            for name, info in report.services.items()
        ),
        "",
        "## Before you deploy",
        "",
    ]
    steps = report.manual_steps()
    for step in steps:
        sources = "; ".join(
            f"`{s['manifest']}`: `{s['field']}`{_where(tuple(s['environments']), everywhere)}"
            for s in step["sources"]
        )
        lines.append(f"- [ ] {_cell(step['step'])} ({sources})")
    if not steps:
        lines.append("Nothing: every field has an equivalent.")
    lines += ["", "## Defaults that differ from Copilot's", "", *(f"- {item}" for item in DIFFERENT_DEFAULTS)]
    if report.not_imported:
        lines += ["", "## Not imported", ""]
        lines += [f"- `{path}`: {NOT_IMPORTED[kind]}" for path, kind in report.not_imported.items()]
    lines += ["", "## Field by field", ""]
    rows = report.rows()
    for manifest in dict.fromkeys(row.entry.manifest for row in rows):
        lines += [
            f"### `{manifest}`",
            "",
            "| field | environments | status | became | notes |",
            "| --- | --- | --- | --- | --- |",
        ]
        lines += [_row(row, everywhere) for row in rows if row.entry.manifest == manifest]
        lines.append("")
    return "\n".join(lines)


def _row(row: Row, everywhere: tuple[str, ...]) -> str:
    entry = row.entry
    became = ""
    if entry.target:
        became = f"`{dotted(entry.target)}`"
        if entry.value is not None:
            became += f": `{_cell(json.dumps(entry.value))}`"
    notes = entry.note + (f" **To do:** {entry.step}" if entry.step else "")
    envs = "all" if row.environments == everywhere else ", ".join(row.environments)
    return f"| `{dotted(entry.field)}` | {envs} | {entry.status} | {became} | {_cell(notes)} |"


def _where(environments: tuple[str, ...], everywhere: tuple[str, ...]) -> str:
    return "" if environments == everywhere else f" in {', '.join(environments)}"


def _kinds(kinds: dict[str, Any]) -> str:
    values = set(kinds.values())
    if len(values) == 1:
        return str(values.pop() or "not imported")
    return ", ".join(f"{env}: {kind or 'not imported'}" for env, kind in kinds.items())


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
