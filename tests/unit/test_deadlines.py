"""Every command has an overall deadline; local clients give up on a broken endpoint quickly.

Loopback sockets only: a listener that never answers plays a frozen endpoint, one that closes
every connection at once plays a broken one; no test waits more than about two seconds.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest
from botocore.exceptions import BotoCoreError
from typer.testing import CliRunner

from config import load_spec
from deployer.aws.session import client
from deployer.interrupts import DeadlineExceeded, deadline, deadline_for
from tests.fakes import silent_listener


def test_the_deadline_stops_a_blocked_block_in_time() -> None:
    started = time.monotonic()
    with (
        pytest.raises(DeadlineExceeded, match=r"`status` did not finish within 0.3 s"),
        deadline(0.3, "status"),
    ):
        time.sleep(5)
    assert time.monotonic() - started < 1.5


def test_an_inner_deadline_does_not_extend_the_running_one() -> None:
    started = time.monotonic()
    with pytest.raises(DeadlineExceeded), deadline(0.3, "outer"), deadline(60, "inner"):
        time.sleep(5)
    assert time.monotonic() - started < 1.5


def test_no_deadline_is_left_armed_after_the_block() -> None:
    with deadline(0.2, "quick"):
        pass
    time.sleep(0.4)  # an armed timer would raise here


def test_default_deadlines() -> None:
    assert deadline_for("status") == 900
    assert deadline_for("plan") == 3600
    assert deadline_for("deploy") == 4 * 3600
    assert deadline_for("run", 86400) == 86400 + 600  # its own --timeout, plus ten minutes
    assert deadline_for("wait", 900) == 4 * 3600


@pytest.mark.parametrize("given", [["--deadline", "1"], []])
def test_a_command_past_its_deadline_exits_5_with_a_message(given: list[str]) -> None:
    """`status` against a frozen endpoint: the 2 s health probe outlasts a 1 s deadline."""
    from deployer.cli import app

    with silent_listener() as port:
        started = time.monotonic()
        result = CliRunner().invoke(
            app,
            [*given, "status", "--env", "local", "--port", str(port), "--json"],
            env={"DEPLOYER_DEADLINE": "1", "COLUMNS": "200"},
        )
    assert time.monotonic() - started < 1.8
    assert result.exit_code == 5, result.output
    assert "deadline: `status` did not finish within 1 s" in result.stderr
    assert '"kind": "deadline"' in result.stdout


def test_a_local_client_gives_up_after_three_attempts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("time.sleep", lambda _: None)  # botocore's backoff between attempts
    accepted: list[int] = []
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        port = int(server.getsockname()[1])

        def serve() -> None:  # accept each connection and close it at once: a broken endpoint
            server.settimeout(2)
            while True:
                try:
                    connection, _ = server.accept()
                except OSError:
                    return
                accepted.append(1)
                connection.close()

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        sts = client(load_spec("local"), "sts", port)
        with pytest.raises(BotoCoreError):
            sts.get_caller_identity()
    assert len(accepted) == 3
