"""Which process is this project's local endpoint, read from the process table (psutil).

A process is the endpoint for a port when its command line is the one ``endpoint.up`` starts
(``python -m deployer.local.server … -p <port>``); ``endpoint`` also requires that it holds the
port's listening socket or that the port answers as moto, before it signals anything.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence

import psutil

SERVER_MODULE = "deployer.local.server"


def is_server_command(cmdline: Sequence[str], port: int) -> bool:
    """True for ``python -m deployer.local.server … -p <port>``."""
    args = list(cmdline)
    return _value_after(args, "-m") == SERVER_MODULE and _value_after(args, "-p") == str(port)


def _value_after(args: list[str], flag: str) -> str | None:
    at = args.index(flag) if flag in args else -1
    return args[at + 1] if 0 <= at < len(args) - 1 else None


def command_line(pid: int) -> list[str] | None:
    """``pid``'s command line; None when there is no such process (or it is a zombie)."""
    try:
        return list(psutil.Process(pid).cmdline())
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return None
    except psutil.AccessDenied:
        return []


def describe(pid: int) -> str:
    """``pid`` and its command line, for messages: ``pid 42 (sleep 60)``, ``pid 42 (gone)``."""
    cmdline = command_line(pid)
    shown = "gone" if cmdline is None else (shlex.join(cmdline) or "command line not readable")
    return f"pid {pid} ({shown})"


def holds_listener(pid: int, port: int) -> bool:
    """True when ``pid`` itself holds a TCP socket listening on ``port``."""
    try:
        connections = psutil.Process(pid).net_connections(kind="inet")
    except psutil.Error:
        return False
    return any(c.status == psutil.CONN_LISTEN and c.laddr and c.laddr.port == port for c in connections)


def servers_for(port: int) -> list[int]:
    """The pids whose command line is this project's server for ``port`` (oldest first)."""
    found = []
    for process in psutil.process_iter(["cmdline", "create_time"]):
        cmdline = process.info["cmdline"] or []
        if is_server_command(cmdline, port):
            found.append((process.info["create_time"] or 0.0, process.pid))
    return [pid for _, pid in sorted(found)]


def listener(port: int) -> int | None:
    """The pid listening on TCP ``port``; None when there is none or it cannot be seen."""
    try:
        connections = psutil.net_connections(kind="inet")
    except psutil.AccessDenied:  # macOS without root: the port's holder stays unnamed
        return None
    return next(
        (c.pid for c in connections if c.status == psutil.CONN_LISTEN and c.laddr.port == port and c.pid),
        None,
    )
