"""`deployer local up|down` never signal a process that is not this project's endpoint; stale,
garbage and lost pid files are handled and reported; a frozen endpoint is named in seconds."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from deployer.local import endpoint as local_endpoint
from tests.cli import run_deployer
from tests.fakes import silent_listener
from tests.harness import free_port

pytestmark = pytest.mark.moto


def pid_file(port: int) -> Path:
    return local_endpoint.STATE_DIR / f"moto-{port}.pid"


def write_pid_file(port: int, text: str) -> None:
    local_endpoint.STATE_DIR.mkdir(parents=True, exist_ok=True)
    pid_file(port).write_text(text)


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen[bytes]]:
    """An unrelated process: `sleep 60`."""
    process = subprocess.Popen(["sleep", "60"])
    yield process
    process.kill()
    process.wait()


def test_down_never_signals_the_unrelated_process_a_pid_file_names(
    sleeper: subprocess.Popen[bytes],
) -> None:
    port = free_port()
    write_pid_file(port, str(sleeper.pid))
    result = run_deployer("local", "down", "--port", str(port), timeout=30)
    assert result.code == 0, result.output
    assert "was not running" in result.stdout
    assert f"removed stale {pid_file(port)}: pid {sleeper.pid} (sleep 60)" in result.stderr
    assert "it was not signalled" in result.stderr
    time.sleep(0.2)  # a SIGTERM, had one been sent, would have ended `sleep` by now
    assert sleeper.poll() is None
    assert not pid_file(port).exists()


def test_a_process_that_only_looks_like_the_endpoint_is_not_signalled() -> None:
    """Its command line names our server and the port, but it holds no socket on the port."""
    port = free_port()
    impostor = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)", "-m", "deployer.local.server", "-p", str(port)]
    )
    try:
        write_pid_file(port, str(impostor.pid))
        result = run_deployer("local", "down", "--port", str(port), timeout=30)
        assert result.code == 0, result.output
        assert "it was not signalled" in result.stderr
        time.sleep(0.2)
        assert impostor.poll() is None
    finally:
        impostor.kill()
        impostor.wait()


def test_a_garbage_pid_file_is_removed_and_reported() -> None:
    port = free_port()
    write_pid_file(port, "not a pid\n")
    result = run_deployer("local", "down", "--port", str(port), "--json", timeout=30)
    assert result.code == 0, result.output
    assert f"removed {pid_file(port)}: it held 'not a pid', not a process id" in result.stderr
    assert '"stopped": false' in result.stdout and "removed" in result.stdout  # notes in the JSON too
    assert not pid_file(port).exists()


def test_an_endpoint_whose_pid_file_was_lost_is_found_reused_and_stopped() -> None:
    port = free_port()
    state, _ = local_endpoint.up(port)
    try:
        pid_file(port).unlink()
        again = run_deployer("local", "up", "--port", str(port), timeout=30)
        assert again.code == 0, again.output
        assert "already running" in again.stdout and f"pid {state.pid}" in again.stdout
        assert f"(pid {state.pid}) without its pid file" in again.stderr
        assert pid_file(port).read_text() == str(state.pid)

        pid_file(port).unlink()
        down = run_deployer("local", "down", "--port", str(port), timeout=30)
        assert down.code == 0, down.output
        assert f"stopped (pid {state.pid})" in down.stdout
    finally:
        local_endpoint.down(port)
    assert local_endpoint.probe(port) is local_endpoint.Answer.CLOSED


def test_a_moto_server_this_project_did_not_start_is_left_alone() -> None:
    port = free_port()
    foreign = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while not local_endpoint.is_healthy(port, timeout=0.5):
            assert time.monotonic() < deadline, "moto.server did not start"
            time.sleep(0.2)
        up = run_deployer("local", "up", "--port", str(port), timeout=30)
        assert up.code == 1 and "not started by this project" in up.stderr
        down = run_deployer("local", "down", "--port", str(port), timeout=30)
        assert down.code == 1
        assert f"port {port} is held by pid {foreign.pid}" in down.stderr
        assert "not this project's endpoint; it was left running" in down.stderr
        assert foreign.poll() is None and local_endpoint.is_healthy(port)
    finally:
        foreign.terminate()
        foreign.wait(10)


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_a_frozen_endpoint_is_reported_within_seconds(json_flag: list[str]) -> None:
    with silent_listener() as port:
        started = time.monotonic()
        result = run_deployer("status", "--env", "local", "--port", str(port), *json_flag, timeout=30)
        elapsed = time.monotonic() - started
    assert result.code == 1, result.output
    assert (
        f"the local endpoint on port {port} accepts connections but did not answer within 2 s"
        in result.stderr
    )
    assert "Traceback" not in result.output
    assert elapsed < 15  # the 2 s probe and the interpreter's start, not botocore's retries
    if json_flag:
        assert '"kind": "failed"' in result.stdout and '"exit_code": 1' in result.stdout


def test_local_status_names_a_frozen_endpoint() -> None:
    with silent_listener() as port:
        result = run_deployer("local", "status", "--port", str(port), timeout=30)
    assert result.code == 1
    assert "not running (port accepts connections but does not answer)" in result.stdout
