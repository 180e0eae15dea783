"""Test doubles shared by tests: an HTTP body for botocore before-send hooks, local clients."""

from __future__ import annotations

from collections.abc import Iterator
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
