"""boto3 clients for one environment: the local endpoint or a real account."""

from __future__ import annotations

import os
from typing import Any

import boto3
from botocore.config import Config

from config.schema import AppSpec
from deployer.local import endpoint as local_endpoint

LOCAL_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
PORT_VARIABLE = "DEPLOYER_LOCAL_PORT"

# botocore's default "legacy" mode retries too little on ECS throttling.
CLIENT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 8}, connect_timeout=5, read_timeout=30)


def local_port(port: int | None = None) -> int:
    """The local endpoint port: ``port``, else ``$DEPLOYER_LOCAL_PORT``, else 4566."""
    if port is not None:
        return port
    return int(os.environ.get(PORT_VARIABLE, local_endpoint.DEFAULT_PORT))


def aws_environment(spec: AppSpec, port: int | None = None) -> dict[str, str]:
    """Variables a child process (the CDK CLI) needs to reach the environment's AWS."""
    variables = {"AWS_REGION": spec.environment.region, "AWS_DEFAULT_REGION": spec.environment.region}
    if spec.environment.target == "local":
        variables.update(LOCAL_CREDENTIALS)
        variables["AWS_ENDPOINT_URL"] = local_endpoint.endpoint_url(local_port(port))
    return variables


def client(spec: AppSpec, service: str, port: int | None = None) -> Any:
    """A boto3 client for ``service`` in the environment, with standard-mode retries."""
    kwargs: dict[str, Any] = {"region_name": spec.environment.region, "config": CLIENT_CONFIG}
    if spec.environment.target == "local":
        kwargs["endpoint_url"] = local_endpoint.endpoint_url(local_port(port))
        kwargs["aws_access_key_id"] = LOCAL_CREDENTIALS["AWS_ACCESS_KEY_ID"]
        kwargs["aws_secret_access_key"] = LOCAL_CREDENTIALS["AWS_SECRET_ACCESS_KEY"]
    return boto3.session.Session().client(service, **kwargs)
