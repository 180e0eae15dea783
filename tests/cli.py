"""Run the deployer CLI as users do: a separate `python -m deployer` process."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_deployer(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> Result:
    environment = {**os.environ, "COLUMNS": "200", **(env or {})}
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
