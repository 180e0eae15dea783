"""Run the deployer CLI as users do: ``python -m deployer`` in a process of its own.

By default the process is a child forked from a warm one that has imported the CLI
(``tests.forked_cli``: the same code, 0.2 s instead of 0.5 s for a `validate`); ``fresh=True``, or an
environment that changes what the CLI reads when it is imported, starts a new interpreter.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
from pathlib import Path

from tests.forked_cli import ForkedCli, Result

ROOT = Path(__file__).resolve().parent.parent
_warm: dict[str, ForkedCli] = {}  # this process's warm CLI, under "cli"


def run_deployer(
    *args: str, env: dict[str, str] | None = None, timeout: float = 300, fresh: bool = False
) -> Result:
    environment = {**os.environ, "COLUMNS": "200", **(env or {})}
    if not fresh:
        forked = _warm_cli(environment).try_run(args, environment, timeout)
        if forked is not None:
            return forked
    completed = subprocess.run(
        [sys.executable, "-m", "deployer", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


def _warm_cli(environment: dict[str, str]) -> ForkedCli:
    """This process's warm CLI, (re)started when it cannot serve ``environment``."""
    current = _warm.get("cli")
    if current is None or not current.serves(environment):
        if current is not None:
            current.close()
        current = _warm["cli"] = ForkedCli(ROOT, environment)
    return current


@atexit.register
def _close_warm_cli() -> None:
    for cli in _warm.values():
        cli.close()
