"""A warm `python -m deployer`: one process per test worker imports the CLI once, then forks a
child for each command. The child takes the command's arguments, environment, working
directory and standard streams and runs ``python -m deployer``'s own code (``runpy``, as
``-m`` does); it exits as any Python process does, so its exit code, output, atexit handlers
and the processes it starts are those of a fresh ``python -m deployer``.

Why: a fresh interpreter spends about 0.6 s of CPU importing typer, rich, the spec models and
boto3 before the command starts, and the suite runs over a hundred commands
(docs/benchmarks.md). What a fork skips is only those imports, and no module of the project
reads the environment at import time except through the display variables below: a command
whose environment changes one of them runs in a fresh process instead (``tests.cli``).

Run as ``python -m tests.forked_cli``: requests are JSON lines on stdin; for each, the
process replies with the child's pid, then with its exit code (negative: killed by that
signal), each on its own line.
"""

from __future__ import annotations

import contextlib
import json
import os
import runpy
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

# Read once when the CLI is imported (rich and typer size and colour their consoles then).
IMPORT_TIME_VARIABLES = (
    "COLUMNS",
    "LINES",
    "NO_COLOR",
    "FORCE_COLOR",
    "TERM",
    "COLORTERM",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "JUPYTER_COLUMNS",
    "JUPYTER_LINES",
    "PYTHONIOENCODING",
    "PYTHONUTF8",
    "PYTHONPATH",
    "PYTHONSAFEPATH",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
)


@dataclass(frozen=True)
class Result:
    """What a deployer command ended with, forked or fresh."""

    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


class ForkedCli:
    """The warm process and the environment it was started with; one command at a time."""

    def __init__(self, cwd: Path, env: Mapping[str, str]) -> None:
        self.cwd = cwd
        self.env = dict(env)
        self._lock = threading.Lock()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.forked_cli"],
            cwd=cwd,
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert self._process.stdout is not None
        self._replies = PipeLines(self._process.stdout.fileno())

    def serves(self, env: Mapping[str, str]) -> bool:
        """True when a fork would import the CLI as a fresh process with ``env`` does."""
        alive = self._process.poll() is None
        return alive and all(env.get(name) == self.env.get(name) for name in IMPORT_TIME_VARIABLES)

    def try_run(self, args: Sequence[str], env: Mapping[str, str], timeout: float) -> Result | None:
        """Run one command in a forked child; None when the warm process is busy or gone."""
        if not self._lock.acquire(blocking=False):
            return None
        try:
            return self._run(args, env, timeout)
        except (BrokenPipeError, EOFError):
            return None
        finally:
            self._lock.release()

    def _run(self, args: Sequence[str], env: Mapping[str, str], timeout: float) -> Result:
        assert self._process.stdin is not None
        with tempfile.TemporaryDirectory(prefix="deployer-") as directory:
            stdout, stderr = Path(directory, "stdout"), Path(directory, "stderr")
            stdout.touch()
            stderr.touch()
            request = {"args": list(args), "env": dict(env), "cwd": str(self.cwd)}
            request |= {"stdout": str(stdout), "stderr": str(stderr)}
            self._process.stdin.write(json.dumps(request).encode() + b"\n")
            self._process.stdin.flush()
            pid = int(self._replies.next())
            code = self._replies.next(timeout)
            if code is None:
                with contextlib.suppress(ProcessLookupError):  # it may end as the timeout passes
                    os.kill(pid, signal.SIGKILL)
                self._replies.next()
                raise subprocess.TimeoutExpired([sys.executable, "-m", "deployer", *args], timeout)
            return Result(int(code), stdout.read_text(errors="replace"), stderr.read_text(errors="replace"))

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


class PipeLines:
    """Lines read from a pipe, waiting at most a timeout for the next one. (A buffered reader
    could hold the next line already, where ``select`` on its descriptor would not see it.)"""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._buffer = b""

    @overload
    def next(self) -> bytes: ...
    @overload
    def next(self, timeout: float) -> bytes | None: ...
    def next(self, timeout: float | None = None) -> bytes | None:
        """The next line; None when ``timeout`` seconds pass first; EOFError at the end."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self._buffer:
            if deadline is not None:
                ready, _, _ = select.select([self._fd], [], [], max(0.0, deadline - time.monotonic()))
                if not ready:
                    return None
            chunk = os.read(self._fd, 4096)
            if not chunk:
                raise EOFError("the warm deployer process has gone")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line


def serve() -> None:
    """The warm process: import the CLI, then fork a child per request (see the module doc)."""
    import boto3

    import deployer.cli  # noqa: F401  the imports every command pays

    # What the first boto3 client imports (no call is made: no credentials, no network).
    credentials = {"aws_access_key_id": "unused", "aws_secret_access_key": "unused"}
    boto3.session.Session().client("sts", region_name="us-east-1", **credentials)
    requests, replies = sys.stdin.buffer, os.fdopen(os.dup(1), "w")
    for line in requests:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            replies.close()
            become_command(request)  # raises SystemExit: the child ends as a Python process does
        replies.write(f"{pid}\n")
        replies.flush()
        _, status = os.waitpid(pid, 0)
        replies.write(f"{os.waitstatus_to_exitcode(status)}\n")
        replies.flush()


def become_command(request: dict[str, Any]) -> None:
    """In the child: take the command's directory, environment and streams, and run it."""
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
        handle = os.open(path, os.O_WRONLY | os.O_TRUNC)
        os.dup2(handle, fd)
        os.close(handle)
    sys.argv = ["-m", *request["args"]]
    runpy.run_module("deployer", run_name="__main__", alter_sys=True)
    raise SystemExit(0)  # `python -m deployer` always exits through sys.exit; this is a guard


if __name__ == "__main__":
    serve()
