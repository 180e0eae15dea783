"""What every command shares: the options and the command context (spec, port and AWS clients,
built once per command). Output goes through ``deployer.commands.output``; failures through
``deployer.commands.failures``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

import typer
from rich.console import Console, RenderableType

from config.cdk_context import load_environment
from config.schema import AppSpec
from deployer.aws.session import Clients
from deployer.commands.output import console, emit, emit_json, errors
from deployer.inputs import BadInputError
from deployer.local import endpoint as local_endpoint

EnvOption = Annotated[
    str, typer.Option("--env", "-e", help="environment name (config/environments/<env>.yaml)")
]
PortOption = Annotated[
    int | None,
    typer.Option(
        "--port", min=1, max=65535, help="local endpoint port (default: $DEPLOYER_LOCAL_PORT or 4566)"
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="print JSON instead of tables")]
# For commands whose result is JSON anyway: --json is accepted, and failures are JSON too.
AlwaysJsonOption = Annotated[
    bool,
    typer.Option("--json", help="accepted: the output is JSON either way (with --json, failures are too)"),
]


@dataclass
class CommandContext:
    """One command's environment: its spec, the local endpoint port, clients and output mode."""

    env: str
    spec: AppSpec
    port: int | None = None
    as_json: bool = False
    json_lines: bool = False  # under --json: compact documents, one per line (status --watch)
    clients: Clients = field(init=False)

    def __post_init__(self) -> None:
        self.clients = Clients(self.spec, self.port)

    @classmethod
    def load(cls, env: str, port: int | None = None, as_json: bool = False) -> CommandContext:
        """Load and validate ``env``'s spec (``SpecError`` before any AWS call)."""
        return cls(env, load_environment(env), port, as_json)

    def client(self, service: str) -> Any:
        """The environment's boto3 client for ``service``, made once per command."""
        return self.clients(service)

    @property
    def poll_seconds(self) -> float:
        """How often to ask about a running task: every second on the local endpoint (it answers
        on loopback and moves a task one state per call), every 6 s on AWS (ECS's rate limits)."""
        return 1.0 if self.spec.environment.is_local else 6.0

    @property
    def notes(self) -> Console:
        """Where lines that are not the result go: stderr under --json, else the console."""
        return errors if self.as_json else console

    def emit(self, payload: Any, *human: RenderableType, **print_options: Any) -> None:
        """The command's result: ``payload`` as JSON under --json, else ``human`` on the console."""
        if self.as_json and self.json_lines:
            emit_json(payload, one_line=True)
        else:
            emit(self.as_json, payload, *human, **print_options)

    def require_services(self, names: Sequence[str], argument: str = "") -> None:
        """``BadInputError`` naming the unknown ones and the services when any is not a service."""
        unknown = [name for name in dict.fromkeys(names) if name not in self.spec.services]
        if unknown:
            listed = repr(unknown[0]) if len(unknown) == 1 else ", ".join(map(repr, unknown))
            raise BadInputError(
                f"{argument}unknown service {listed}; services: {', '.join(self.spec.services)}"
            )

    def require_service(self, service: str, argument: str = "") -> None:
        """``BadInputError`` naming the services when ``service`` is not one of them."""
        self.require_services([service], argument)

    def start_local_endpoint(self) -> None:
        """On a ``local`` target, start the local endpoint (or reuse the one running)."""
        if self.spec.environment.is_local:
            local_endpoint.up(self.clients.local_port)

    def local_endpoint_down(self) -> bool:
        """True on a ``local`` target when nothing listens on the endpoint's port; ``EndpointError``
        when something does but it does not answer as moto within 2 s."""
        if not self.spec.environment.is_local:
            return False
        if local_endpoint.probe(self.clients.local_port) is local_endpoint.Answer.CLOSED:
            return True
        local_endpoint.require_running(self.clients.local_port)
        return False

    def require_local_endpoint(self) -> None:
        """``EndpointError`` on a ``local`` target whose endpoint does not answer within 2 s."""
        if self.spec.environment.is_local:
            local_endpoint.require_running(self.clients.local_port)
