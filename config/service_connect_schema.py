"""``network.service_connect_tls``: TLS between services on Service Connect."""

from __future__ import annotations

from pydantic import Field

from config import patterns
from config.spec_model import SpecModel


class ServiceConnectTlsSpec(SpecModel):
    """Encrypt service-to-service traffic: ECS issues each service a certificate from an AWS
    Private CA and rotates it every five days; apps keep plain HTTP on their port."""

    enabled: bool = Field(default=False, description="TLS 1.3 between Service Connect services")
    certificate_authority_arn: str | None = Field(
        default=None,
        pattern=patterns.PRIVATE_CA_ARN,
        description="an existing AWS Private CA; default: a short-lived-mode root CA per environment",
    )
