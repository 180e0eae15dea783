"""The Copilot environment manifest model (``copilot/environments/<env>/manifest.yml``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from deployer.copilot.model_base import LooseMap, Model, wrap_scalar


class Subnet(Model):
    id: str | None = None
    cidr: str | None = None
    az: str | None = None


class Subnets(Model):
    public: list[Subnet] = Field(default_factory=list)
    private: list[Subnet] = Field(default_factory=list)


class EnvironmentVpc(Model):
    id: str | None = None
    cidr: str | None = None
    subnets: Subnets | None = None
    security_group: LooseMap | None = None
    flow_logs: Any = None


class EnvironmentNetwork(Model):
    vpc: EnvironmentVpc | None = None


class PublicIngress(Model):
    cdn: bool | None = None
    source_ips: list[str] = Field(default_factory=list)


class PublicHttp(Model):
    certificates: list[str] = Field(default_factory=list)
    access_logs: Any = None
    ingress: PublicIngress | None = None
    security_groups: LooseMap | None = None
    ssl_policy: str | None = None


class EnvironmentHttp(Model):
    public: PublicHttp | None = None
    private: LooseMap | None = None


class EnvironmentObservability(Model):
    container_insights: bool | None = None


class Cdn(Model):
    enabled: bool | None = Field(default=None, alias="~enabled")
    certificate: str | None = None
    terminate_tls: bool | None = None
    static_assets: LooseMap | None = None


class EnvironmentManifest(Model):
    name: str | None = None
    type: Literal["Environment"]
    network: EnvironmentNetwork | None = None
    observability: EnvironmentObservability | None = None
    http: EnvironmentHttp | None = None
    cdn: Annotated[Cdn | None, wrap_scalar("~enabled")] = None


class WorkspaceFile(Model):
    """``copilot/.workspace``."""

    application: str
