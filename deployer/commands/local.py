"""``deployer local up|down|status``: the local AWS endpoint (a moto server on loopback)."""

from __future__ import annotations

import typer

from deployer.aws.session import local_port
from deployer.commands.common import JsonOption, PortOption, emit
from deployer.exit_codes import ExitCode
from deployer.local import endpoint


def up(port: PortOption = None, as_json: JsonOption = False) -> None:
    """Start the local endpoint, or reuse the one already running on the port."""
    state, started = endpoint.up(local_port(port))
    verb = "started" if started else "already running"
    emit(
        as_json,
        {"port": state.port, "url": state.url, "pid": state.pid, "started": started},
        f"local endpoint {verb}: {state.url} (pid {state.pid}, log {state.log_file})",
    )


def down(port: PortOption = None, as_json: JsonOption = False) -> None:
    """Stop the local endpoint (all its state is lost)."""
    chosen = local_port(port)
    stopped = endpoint.down(chosen)
    emit(
        as_json,
        {"port": chosen, "stopped": stopped},
        f"local endpoint on port {chosen} {'stopped' if stopped else 'was not running'}",
    )


def status(port: PortOption = None, as_json: JsonOption = False) -> None:
    """Whether the local endpoint runs; exit 1 when it does not."""
    state = endpoint.status(local_port(port))
    where = f"running at {state.url}" if state.running else "not running"
    emit(
        as_json,
        {"port": state.port, "running": state.running, "pid": state.pid, "url": state.url},
        f"local endpoint on port {state.port}: {where}",
    )
    if not state.running:
        raise typer.Exit(ExitCode.FAILED)
