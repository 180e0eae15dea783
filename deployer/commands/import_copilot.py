"""``deployer import copilot PATH --output DIR``: the command line of the import.

Writes ``DIR/<env>.yaml`` per Copilot environment and ``DIR/MIGRATION.md``, all or nothing:
every spec is validated first, and a file in DIR that this command did not write is never
overwritten. ``--json`` prints the report as JSON. Exit 0 when written, 2 for bad input (the
message names the manifest and the key), 1 when writing fails.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from deployer.commands.failures import fail, friendly_errors
from deployer.commands.output import emit_json, errors
from deployer.copilot.emit import MARKER
from deployer.copilot.report_markdown import IMPORT_LINE, markdown
from deployer.copilot.settings import SettingError, parse_settings
from deployer.inputs import BadInputError

import_app = typer.Typer(help="Import another tool's description of your services.", no_args_is_help=True)
REPORT_FILE = "MIGRATION.md"


class OverwriteError(BadInputError):
    """A file in the output directory was not written by the import."""


@import_app.command("copilot")
@friendly_errors
def copilot(
    path: Annotated[Path, typer.Argument(help="the workspace: the directory holding copilot/")],
    *,
    output: Annotated[str, typer.Option("--output", "-o", help="directory for <env>.yaml and MIGRATION.md")],
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
    if not output.strip():  # Path("") is the current directory: refuse it rather than write there
        raise BadInputError("--output is empty: give the directory for <env>.yaml and MIGRATION.md")
    # Building the manifest models takes a sixth of a second: only this command pays for it.
    from deployer.copilot.importer import import_workspace

    try:
        settings = parse_settings(account or [], region or [], var or [])
        result = import_workspace(path, settings)  # SpecError: exit 2, naming the manifest and key
    except SettingError as error:
        raise BadInputError(str(error)) from None
    files = {**result.files, REPORT_FILE: markdown(result.report) + "\n"}
    directory = Path(output)
    _check_overwrites(directory, files)
    try:
        _write_all(directory, files)
    except OSError as error:
        fail(f"cannot write to {directory}: {error}")
    if as_json:
        emit_json(result.report.to_dict())
        return
    steps = len(result.report.manual_steps())
    for name in files:
        errors.print(f"wrote {directory / name}")
    errors.print(f"{steps} step(s) to do by hand before deploying: see {directory / REPORT_FILE}")


def _check_overwrites(output: Path, files: dict[str, str]) -> None:
    """``OverwriteError`` when ``output`` is not a directory, or a path to write is not a file
    or holds a file this import did not write."""
    if output.exists() and not output.is_dir():
        raise OverwriteError(f"--output {output} is not a directory")
    for name, text in files.items():
        existing = output / name
        if not existing.exists():
            continue
        if not existing.is_file():
            raise OverwriteError(
                f"{existing} exists and is not a file; remove it or choose another --output directory"
            )
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
