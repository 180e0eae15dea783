"""``deployer import copilot PATH --output DIR``: the command line of the import.

Writes ``DIR/<env>.yaml`` per Copilot environment and ``DIR/MIGRATION.md``, all or nothing:
every spec is validated first, and a file in DIR that this command did not write is never
overwritten. ``--json`` prints the report as JSON. Exit 0 when written, 2 for bad input (the
message names the manifest and the key), 1 when writing fails.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from config.errors import SpecError
from deployer.copilot.emit import MARKER
from deployer.copilot.importer import import_workspace
from deployer.copilot.report_markdown import IMPORT_LINE, markdown
from deployer.copilot.settings import SettingError, parse_settings
from deployer.exit_codes import ExitCode

import_app = typer.Typer(help="Import another tool's description of your services.", no_args_is_help=True)
errors = Console(stderr=True, soft_wrap=True)
REPORT_FILE = "MIGRATION.md"


class OverwriteError(ValueError):
    """A file in the output directory was not written by the import."""


@import_app.command("copilot")
def copilot(
    path: Annotated[Path, typer.Argument(help="the workspace: the directory holding copilot/")],
    *,
    output: Annotated[Path, typer.Option("--output", "-o", help="directory for <env>.yaml and MIGRATION.md")],
    account: Annotated[
        list[str] | None,
        typer.Option("--account", help="ACCOUNT or ENV=ACCOUNT (default: from the certificate ARN)"),
    ] = None,
    region: Annotated[
        list[str] | None,
        typer.Option("--region", help="REGION or ENV=REGION (default: from the certificate ARN)"),
    ] = None,
    var: Annotated[
        list[str] | None,
        typer.Option("--var", help="NAME=VALUE for ${NAME} in the manifests (Copilot read the shell's)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
) -> None:
    """Convert an AWS Copilot workspace: one spec per environment and a migration report."""
    try:
        settings = parse_settings(account or [], region or [], var or [])
        result = import_workspace(path, settings)
        files = {**result.files, REPORT_FILE: markdown(result.report) + "\n"}
        _check_overwrites(output, files)
    except (SpecError, SettingError, OverwriteError) as error:
        errors.print(f"[red]error:[/red] {escape(str(error))}", highlight=False)
        raise typer.Exit(ExitCode.BAD_INPUT) from None
    try:
        _write_all(output, files)
    except OSError as error:
        errors.print(f"[red]error:[/red] {escape(f'cannot write to {output}: {error}')}", highlight=False)
        raise typer.Exit(ExitCode.FAILED) from None
    if as_json:
        sys.stdout.write(json.dumps(result.report.to_dict(), indent=2) + "\n")
        return
    steps = len(result.report.manual_steps())
    for name in files:
        errors.print(f"wrote {output / name}", highlight=False, markup=False)
    errors.print(
        f"{steps} step(s) to do by hand before deploying: see {output / REPORT_FILE}",
        highlight=False,
        markup=False,
    )


def _check_overwrites(output: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        existing = output / name
        if not existing.exists():
            continue
        current = existing.read_text(encoding="utf-8", errors="replace")
        lines = current.splitlines()
        ours = len(lines) > 1 and (lines[1].startswith(MARKER) or lines[2:3] == [IMPORT_LINE])
        if current != text and not ours:
            raise OverwriteError(
                f"{existing} exists and was not written by this import; choose another --output directory"
            )


def _write_all(output: Path, files: dict[str, str]) -> None:
    output.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        handle, temporary = tempfile.mkstemp(dir=output, prefix=f".{name}.")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, output / name)
