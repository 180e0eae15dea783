"""The local AWS endpoint: a moto server on loopback, started detached and reused.

State lives in ``.local/`` (ignored by git): ``moto-<port>.pid`` and ``moto-<port>.log``.

Nothing is signalled unless it is this project's endpoint for the port: its command line is
``python -m deployer.local.server … -p <port>`` (``identity``) and it holds the port's listening
socket or the port answers as moto. A pid file that holds no number, or the pid of any other
process, is removed and reported, never signalled. A server whose pid file was lost is found by
its command line and socket, and its pid file written again.
"""

from __future__ import annotations

import http.client
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path

from deployer.local import identity
from deployer.processes import stop_group

DEFAULT_PORT = 4566
HOST = "127.0.0.1"
STATE_DIR = Path(__file__).resolve().parents[2] / ".local"
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
PROBE_TIMEOUT_S = 2.0
# The dashboard page is cheap; /moto-api/data.json serialises all state (MBs).
HEALTH_PATH = "/moto-api/"


class EndpointError(RuntimeError):
    """The endpoint could not be reached, started or stopped; the message says why."""


class Answer(Enum):
    """What a health probe on the port found."""

    MOTO = "answers as moto"
    SILENT = "accepts connections but does not answer"
    OTHER = "answers, but not as moto"
    CLOSED = "nothing listens"


@dataclass(frozen=True)
class EndpointStatus:
    port: int
    running: bool  # this project's server holds the port and answers
    pid: int | None  # this project's server for the port (verified), running or not
    log_file: Path
    answer: Answer = Answer.CLOSED
    notes: tuple[str, ...] = ()  # stale pid files removed, a lost one written again

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


def probe(port: int, timeout: float = PROBE_TIMEOUT_S) -> Answer:
    """GET the moto health page on loopback ``port`` within ``timeout`` seconds per step."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", HEALTH_PATH)
        status = connection.getresponse().status
    except ConnectionRefusedError:
        return Answer.CLOSED
    except TimeoutError:
        return Answer.SILENT
    except (OSError, http.client.HTTPException):
        return Answer.OTHER
    finally:
        connection.close()
    return Answer.MOTO if status == 200 else Answer.OTHER


def is_healthy(port: int, timeout: float = PROBE_TIMEOUT_S) -> bool:
    """True when a moto server answers on ``port``."""
    return probe(port, timeout) is Answer.MOTO


def require_running(port: int) -> None:
    """``EndpointError`` unless a moto server answers on ``port`` within ``PROBE_TIMEOUT_S``."""
    answer = probe(port)
    if answer is Answer.CLOSED:
        raise EndpointError(
            f"the local endpoint is not running on port {port}: make deploy (or deployer local up)"
        )
    if answer is Answer.SILENT:
        raise EndpointError(
            f"the local endpoint on port {port} accepts connections but did not answer within "
            f"{PROBE_TIMEOUT_S:g} s; {_restart(port)}"
        )
    if answer is Answer.OTHER:
        raise EndpointError(f"port {port} answers, but not as a moto server; choose another port (--port)")


def _restart(port: int) -> str:
    return f"restart it: deployer local down --port {port}, then deployer local up --port {port}"


def _is_ours(pid: int, port: int, answer: Answer) -> bool:
    """``pid`` runs our server for ``port`` and holds its socket (or the port answers as moto)."""
    cmdline = identity.command_line(pid)
    if not cmdline or not identity.is_server_command(cmdline, port):
        return False
    return identity.holds_listener(pid, port) or answer is Answer.MOTO


def _locate(port: int, state_dir: Path, answer: Answer) -> tuple[int | None, list[str]]:
    """Our server's pid (from the pid file, else from the process table) and what was cleaned up."""
    path, notes = _pid_file(port, state_dir), []
    try:
        text = path.read_text().strip()
    except OSError:
        text = None
    pid = int(text) if text is not None and text.isdecimal() else None
    if text is not None and pid is None:
        path.unlink(missing_ok=True)
        notes.append(f"removed {path}: it held {text[:40]!r}, not a process id")
    elif pid is not None and not _is_ours(pid, port, answer):
        path.unlink(missing_ok=True)
        notes.append(
            f"removed stale {path}: {identity.describe(pid)} is not this project's endpoint "
            f"for port {port}; it was not signalled"
        )
        pid = None
    if pid is None and answer is not Answer.CLOSED:
        pid = next((p for p in identity.servers_for(port) if _is_ours(p, port, answer)), None)
        if pid is not None:
            state_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(str(pid))
            notes.append(f"found the endpoint for port {port} (pid {pid}) without its pid file; wrote {path}")
    return pid, notes


def status(port: int = DEFAULT_PORT, state_dir: Path = STATE_DIR) -> EndpointStatus:
    """Whether our server on ``port`` runs: verified by its process and a health request."""
    answer = probe(port)
    pid, notes = _locate(port, state_dir, answer)
    running = pid is not None and answer is Answer.MOTO
    return EndpointStatus(port, running, pid, _log_file(port, state_dir), answer, tuple(notes))


def up(port: int = DEFAULT_PORT, state_dir: Path = STATE_DIR) -> tuple[EndpointStatus, bool]:
    """Start the server unless ours already runs. Returns ``(status, started_now)``."""
    current = status(port, state_dir)
    if current.running:
        return current, False
    if current.pid is not None:
        raise EndpointError(
            f"the local endpoint (pid {current.pid}) holds port {port} but {current.answer.value}; "
            f"{_restart(port)}"
        )
    if current.answer is Answer.MOTO:
        raise EndpointError(
            f"port {port} already answers as a moto server not started by this project; "
            f"stop it or choose another port (--port)"
        )
    if current.answer is not Answer.CLOSED:
        raise EndpointError(
            f"port {port} is in use by another program ({_holder(port)}); choose another port (--port)"
        )
    started = _start(port, state_dir)
    return replace(started, notes=current.notes + started.notes), True


def _start(port: int, state_dir: Path) -> EndpointStatus:
    state_dir.mkdir(parents=True, exist_ok=True)
    log_file = _log_file(port, state_dir)
    with log_file.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", identity.SERVER_MODULE, "-H", HOST, "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, which `down` stops as a whole
        )
    _pid_file(port, state_dir).write_text(str(process.pid))
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _pid_file(port, state_dir).unlink(missing_ok=True)
            raise EndpointError(
                f"moto server exited with code {process.returncode} on port {port}; see {log_file}"
            )
        if is_healthy(port, timeout=1.0):
            return status(port, state_dir)
        time.sleep(0.2)
    stop_group(process.pid, STOP_TIMEOUT_S)
    _pid_file(port, state_dir).unlink(missing_ok=True)
    raise EndpointError(f"moto server did not answer on port {port} within {START_TIMEOUT_S:.0f} s")


def down(port: int = DEFAULT_PORT, state_dir: Path = STATE_DIR) -> tuple[EndpointStatus, bool]:
    """Stop our server on ``port``. Returns ``(status found, stopped_now)``; ``EndpointError``
    when another program holds the port (it is left running)."""
    current = status(port, state_dir)
    if current.pid is not None:
        stop_group(current.pid, STOP_TIMEOUT_S)
        _pid_file(port, state_dir).unlink(missing_ok=True)
        return current, True
    if current.answer is Answer.CLOSED:
        return current, False
    error = EndpointError(
        f"port {port} is held by {_holder(port)}, not this project's endpoint; it was left running"
    )
    for note in current.notes:
        error.add_note(note)
    raise error


def _holder(port: int) -> str:
    pid = identity.listener(port)
    return identity.describe(pid) if pid is not None else "a process this user cannot see"
