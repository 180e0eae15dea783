"""``deployer local up|down|status``: the local AWS endpoint (a moto server on loopback).

What was cleaned up on the way (a stale or garbage pid file removed, a lost one written again)
is printed on stderr and listed under ``notes`` in the JSON.
"""

from __future__ import annotations

from typing import Any

import typer

from deployer.aws.session import local_port
from deployer.commands.common import JsonOption, PortOption
from deployer.commands.output import emit, errors, styled
from deployer.exit_codes import ExitCode
from deployer.local import endpoint


def up(port: PortOption = None, as_json: JsonOption = False) -> None:
    """Start the local endpoint, or reuse the one already running on the port."""
    state, started = endpoint.up(local_port(port))
    verb = "started" if started else "already running"
    _emit(
        as_json,
        state,
        {"port": state.port, "url": state.url, "pid": state.pid, "started": started},
        f"local endpoint {verb}: {state.url} (pid {state.pid}, log {state.log_file})",
    )


def down(port: PortOption = None, as_json: JsonOption = False) -> None:
    """Stop the local endpoint (all its state is lost); never a process that is not ours."""
    state, stopped = endpoint.down(local_port(port))
    done = f"stopped (pid {state.pid})" if stopped else "was not running"
    _emit(
        as_json,
        state,
        {"port": state.port, "stopped": stopped, "pid": state.pid},
        f"local endpoint on port {state.port} {done}",
    )


def status(port: PortOption = None, as_json: JsonOption = False) -> None:
    """Whether the local endpoint runs; exit 1 when it does not."""
    state = endpoint.status(local_port(port))
    where = f"running at {state.url}" if state.running else f"not running (port {state.answer.value})"
    _emit(
        as_json,
        state,
        {"port": state.port, "running": state.running, "pid": state.pid, "url": state.url},
        f"local endpoint on port {state.port}: {where}",
    )
    if not state.running:
        raise typer.Exit(ExitCode.FAILED)


def _emit(as_json: bool, state: endpoint.EndpointStatus, payload: dict[str, Any], line: str) -> None:
    for note in state.notes:
        errors.print(styled(f"note: {note}"))
    emit(as_json, {**payload, "notes": list(state.notes)}, line)
