"""Test doubles shared by tests: an HTTP body for botocore before-send hooks, local clients, a
frozen server, web's revisions in an ECS endpoint."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3


class RawBody:
    """The ``raw`` of a botocore ``AWSResponse`` a before-send hook returns."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.body


def local_client(service: str, port: str | int) -> Any:
    """A boto3 client for the local endpoint on ``port``."""
    return boto3.client(
        service,
        endpoint_url=f"http://localhost:{port}",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


WEB_FAMILY = "shop-local-web"


def web_with_revisions(ecs: Any, revisions: int, live: int) -> None:
    """In ``ecs`` (moto): cluster shop-local, ``revisions`` revisions of web's family
    (image nginx:1.<n>) and the service web running revision ``live`` (desired count 0)."""
    ecs.create_cluster(clusterName="shop-local")
    for number in range(1, revisions + 1):
        ecs.register_task_definition(
            family=WEB_FAMILY,
            containerDefinitions=[{"name": "web", "image": f"nginx:1.{number}", "memory": 128}],
        )
    ecs.create_service(
        cluster="shop-local", serviceName="web", taskDefinition=f"{WEB_FAMILY}:{live}", desiredCount=0
    )


@contextmanager
def silent_listener() -> Iterator[int]:
    """A loopback port whose listening socket completes connections and never answers (a frozen
    server); yields the port. The kernel's backlog does the accepting."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield int(sock.getsockname()[1])
