"""The local AWS endpoint: a moto server on loopback, started detached and reused.

State lives in ``.local/`` (ignored by git): ``moto-<port>.pid`` and ``moto-<port>.log``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PORT = 4566
HOST = "127.0.0.1"
STATE_DIR = Path(__file__).resolve().parents[2] / ".local"
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0


class EndpointError(RuntimeError):
    """The endpoint could not be started or stopped; the message says why."""


@dataclass(frozen=True)
class EndpointStatus:
    port: int
    running: bool
    pid: int | None
    log_file: Path

    @property
    def url(self) -> str:
        """The URL for ``AWS_ENDPOINT_URL`` (``localhost``: the CDK CLI needs a host name)."""
        return endpoint_url(self.port)


def endpoint_url(port: int) -> str:
    return f"http://localhost:{port}"


def _pid_file(port: int, state_dir: Path) -> Path:
    return state_dir / f"moto-{port}.pid"


def _log_file(port: int, state_dir: Path) -> Path:
    return state_dir / f"moto-{port}.log"


def is_healthy(port: int, timeout: float = 1.0) -> bool:
    """True when a moto server answers on ``port``."""
    try:
        # The dashboard page is cheap; /moto-api/data.json serialises all state (MBs).
        with urllib.request.urlopen(f"http://{HOST}:{port}/moto-api/", timeout=timeout):
            return True
    except (urllib.error.URLError, OSError):
        return False


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        return probe.connect_ex((HOST, port)) == 0


def _read_pid(port: int, state_dir: Path) -> int | None:
    try:
        pid = int(_pid_file(port, state_dir).read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return pid


def status(port: int = DEFAULT_PORT, state_dir: Path = STATE_DIR) -> EndpointStatus:
    """Whether our server on ``port`` is up (by pid file and a health request)."""
    pid = _read_pid(port, state_dir)
    return EndpointStatus(port, pid is not None and is_healthy(port), pid, _log_file(port, state_dir))


def up(port: int = DEFAULT_PORT, state_dir: Path = STATE_DIR) -> tuple[EndpointStatus, bool]:
    """Start the server unless ours already runs. Returns ``(status, started_now)``."""
    current = status(port, state_dir)
    if current.running:
        return current, False
    if is_healthy(port):
        raise EndpointError(
            f"port {port} already answers as a moto server not started by this project; "
            f"stop it or choose another port (--port)"
        )
    if _port_in_use(port):
        raise EndpointError(f"port {port} is in use by another program; choose another port (--port)")
    state_dir.mkdir(parents=True, exist_ok=True)
    log_file = _log_file(port, state_dir)
    with log_file.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "deployer.local.server", "-H", HOST, "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    _pid_file(port, state_dir).write_text(str(process.pid))
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _pid_file(port, state_dir).unlink(missing_ok=True)
            raise EndpointError(
                f"moto server exited with code {process.returncode} on port {port}; see {log_file}"
            )
        if is_healthy(port):
            return status(port, state_dir), True
        time.sleep(0.2)
    process.terminate()
    _pid_file(port, state_dir).unlink(missing_ok=True)
    raise EndpointError(f"moto server did not answer on port {port} within {START_TIMEOUT_S:.0f} s")


def down(port: int = DEFAULT_PORT, state_dir: Path = STATE_DIR) -> bool:
    """Stop our server on ``port``. Returns False when none was running."""
    pid = _read_pid(port, state_dir)
    _pid_file(port, state_dir).unlink(missing_ok=True)
    if pid is None:
        return False
    os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.1)
    os.killpg(pid, signal.SIGKILL)
    return True


def _alive(pid: int) -> bool:
    try:
        # Reap it if this very process started it (tests do), or it lingers as a zombie.
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
