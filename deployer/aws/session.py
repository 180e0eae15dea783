"""boto3 clients for one environment: the local endpoint or a real account."""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import Any

from config.schema import AppSpec
from deployer.inputs import BadInputError
from deployer.local import endpoint as local_endpoint

LOCAL_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
PORT_VARIABLE = "DEPLOYER_LOCAL_PORT"
MIN_PORT, MAX_PORT = 1, 65535

# botocore.config.Config arguments. botocore's default "legacy" mode retries too little on ECS
# throttling.
CLIENT_CONFIG: Mapping[str, Any] = {
    "retries": {"mode": "standard", "max_attempts": 8},
    "connect_timeout": 5,
    "read_timeout": 30,
}
# The local endpoint does not throttle: a failed call is a stopped or stuck server, so at most
# 3 attempts in all, of 2 s to connect and 20 s to answer (about a minute, not four).
LOCAL_CLIENT_CONFIG: Mapping[str, Any] = {
    "retries": {"mode": "standard", "total_max_attempts": 3},
    "connect_timeout": 2,
    "read_timeout": 20,
}


def local_port(port: int | None = None) -> int:
    """The local endpoint port: ``port``, else ``$DEPLOYER_LOCAL_PORT``, else 4566.

    ``BadInputError`` when ``$DEPLOYER_LOCAL_PORT`` is not a port number (1-65535).
    """
    if port is not None:
        return port
    given = os.environ.get(PORT_VARIABLE)
    if given is None:
        return local_endpoint.DEFAULT_PORT
    if not given.strip().isdecimal() or not MIN_PORT <= int(given) <= MAX_PORT:
        raise BadInputError(f"${PORT_VARIABLE} {given!r}: expected a port number, {MIN_PORT}-{MAX_PORT}")
    return int(given)


def aws_environment(spec: AppSpec, port: int | None = None) -> dict[str, str]:
    """Variables a child process (the CDK CLI) needs to reach the environment's AWS."""
    variables = {"AWS_REGION": spec.environment.region, "AWS_DEFAULT_REGION": spec.environment.region}
    if spec.environment.is_local:
        variables.update(LOCAL_CREDENTIALS)
        variables["AWS_ENDPOINT_URL"] = local_endpoint.endpoint_url(local_port(port))
    return variables


def client(
    spec: AppSpec, service: str, port: int | None = None, config: Mapping[str, Any] | None = None
) -> Any:
    """A boto3 client for ``service`` in the environment, with standard-mode retries (or
    ``config``, ``botocore.config.Config`` arguments)."""
    # boto3 and botocore's client machinery take a third of a second to import: a command that
    # makes no client (validate, render, bad input) never pays it.
    import boto3
    from botocore.config import Config

    settings = LOCAL_CLIENT_CONFIG if spec.environment.is_local else config or CLIENT_CONFIG
    kwargs: dict[str, Any] = {"region_name": spec.environment.region, "config": Config(**settings)}
    if spec.environment.is_local:
        kwargs["endpoint_url"] = local_endpoint.endpoint_url(local_port(port))
        kwargs["aws_access_key_id"] = LOCAL_CREDENTIALS["AWS_ACCESS_KEY_ID"]
        kwargs["aws_secret_access_key"] = LOCAL_CREDENTIALS["AWS_SECRET_ACCESS_KEY"]
    return boto3.session.Session().client(service, **kwargs)


class Clients:
    """boto3 clients for one environment, each made once and shared (clients are thread-safe).

    ``clients("ecs")`` is ``client(spec, "ecs", port)`` the first time, the same client after.
    On a ``local`` target the first call probes the endpoint (2 s): a frozen or stopped one is an
    ``EndpointError`` at once, not minutes of retries.
    """

    def __init__(self, spec: AppSpec, port: int | None = None) -> None:
        self.spec = spec
        self.port = port
        self._made: dict[str, Any] = {}
        self._lock = threading.Lock()

    def __call__(self, service: str) -> Any:
        with self._lock:
            if not self._made and self.spec.environment.is_local:
                local_endpoint.require_running(self.local_port)
            if service not in self._made:
                self._made[service] = client(self.spec, service, self.port)
            return self._made[service]

    @property
    def local_port(self) -> int:
        """The local endpoint's port (``local_port(port)``); meaningful for ``local`` targets."""
        return local_port(self.port)
