"""The warm CLI (tests/forked_cli.py) runs a command exactly as a fresh `python -m deployer`:
the same exit code, stdout and stderr, the request's environment, a timeout that kills the
child; and it is not used when the environment changes what the CLI reads at import."""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from config.loader import ENVIRONMENTS_DIR
from tests.cli import ROOT, run_deployer
from tests.forked_cli import IMPORT_TIME_VARIABLES, ForkedCli, PipeLines, Result


@pytest.fixture(scope="module")
def warm() -> Iterator[ForkedCli]:
    cli = ForkedCli(ROOT, {**os.environ, "COLUMNS": "200"})
    yield cli
    cli.close()


def forked(warm: ForkedCli, *args: str, env: dict[str, str] | None = None, timeout: float = 60) -> Result:
    result = warm.try_run(args, {**warm.env, **(env or {})}, timeout)
    assert result is not None
    return result


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "--env", "local"),
        ("validate", "--env", "nope", "--json"),
        ("rollback", "web", "--env", "local", "--to", "abc"),  # a usage error names `python -m deployer`
    ],
)
def test_a_forked_command_is_a_fresh_one(warm: ForkedCli, args: tuple[str, ...]) -> None:
    assert forked(warm, *args) == run_deployer(*args, fresh=True)  # code, stdout and stderr


def test_the_child_runs_with_the_requests_environment(warm: ForkedCli, tmp_path: Path) -> None:
    (tmp_path / "local.yaml").write_text(
        (ENVIRONMENTS_DIR / "local.yaml").read_text().replace("cpu: 256", "cpu: lots", 1)
    )
    env = {"DEPLOYER_ENVIRONMENTS_DIR": str(tmp_path)}
    refused = forked(warm, "validate", "--env", "local", env=env)
    assert refused.code == 2 and "services.web.cpu" in refused.stderr
    assert forked(warm, "validate", "--env", "local").code == 0  # the next child has its own environment


def test_a_command_over_its_timeout_is_killed(warm: ForkedCli) -> None:
    """An endpoint that accepts and never answers: the command would wait for its read timeout."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = str(silent.getsockname()[1])
        with pytest.raises(subprocess.TimeoutExpired):
            forked(warm, "status", "--env", "local", "--port", port, timeout=1)
    assert forked(warm, "validate", "--env", "local").code == 0  # still serving


@pytest.mark.parametrize("variable", ["COLUMNS", "NO_COLOR"])
def test_an_import_time_variable_change_needs_a_fresh_process(warm: ForkedCli, variable: str) -> None:
    assert variable in IMPORT_TIME_VARIABLES
    assert warm.serves(warm.env)
    assert not warm.serves({**warm.env, variable: "7"})


def test_a_reply_already_read_is_not_waited_for() -> None:
    """The pid and the exit code can reach the pipe together (a quick command on a busy
    machine): the second line comes from what was read, not after a timeout."""
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, b"123\n0\n")
        replies = PipeLines(read_end)
        assert replies.next() == b"123"
        assert replies.next(timeout=0.01) == b"0"
        assert replies.next(timeout=0.01) is None  # nothing more: the timeout, not a hang
    finally:
        os.close(read_end)
        os.close(write_end)
