"""Copilot manifest models of containers: image, health check, variables, secrets, storage,
logging and sidecars (the keys every ECS workload type shares)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from deployer.copilot.model_base import (
    LooseMap,
    Model,
    Seconds,
    ShellWords,
    StringMap,
    Text,
    wrap_scalar,
)


class ContainerHealthCheck(Model):
    command: ShellWords
    interval: Seconds | None = None
    retries: int | None = None
    timeout: Seconds | None = None
    start_period: Seconds | None = None


class BuildArgs(Model):
    dockerfile: str | None = None
    context: str | None = None
    args: StringMap = Field(default_factory=dict)
    target: str | None = None
    cache_from: list[str] = Field(default_factory=list)


class Image(Model):
    build: Annotated[BuildArgs | None, wrap_scalar("dockerfile")] = None
    location: str | None = None
    credentials: str | None = None
    labels: StringMap = Field(default_factory=dict)
    depends_on: dict[str, Literal["start", "healthy", "complete", "success"]] = Field(default_factory=dict)
    port: int | None = Field(default=None, ge=1, le=65535)
    healthcheck: ContainerHealthCheck | None = None


class SecretValue(Model):
    """``NAME: PARAM`` (SSM name or ARN), ``secretsmanager: ID[:KEY:STAGE:VERSION]`` or ``from_cfn``."""

    ssm: str | None = Field(default=None, alias="~ssm")
    secretsmanager: str | None = None
    from_cfn: str | None = None


class VariableValue(Model):
    plain: str | None = Field(default=None, alias="~plain")
    from_cfn: str | None = None


def _variable(value: object) -> object:
    """``NAME: value`` (an empty value too) or ``NAME: {from_cfn: export}``."""
    return value if isinstance(value, dict) else {"~plain": value}


Variables = dict[str, Annotated[VariableValue, BeforeValidator(_variable)]]
Secrets = dict[str, Annotated[SecretValue, wrap_scalar("~ssm")]]


class EfsAuth(Model):
    iam: bool | None = None
    access_point_id: str | None = None


class Efs(Model):
    managed: bool | None = Field(default=None, alias="~managed")
    id: str | None = None
    root_dir: str | None = None
    auth: EfsAuth | None = None
    uid: int | None = None
    gid: int | None = None


class Volume(Model):
    path: str
    read_only: bool = True
    efs: Annotated[Efs | None, wrap_scalar("~managed")] = None


class Storage(Model):
    ephemeral: int | None = None
    readonly_fs: bool | None = None
    volumes: dict[str, Volume] = Field(default_factory=dict)


class Logging(Model):
    retention: int | None = None
    image: str | None = None
    destination: StringMap = Field(default_factory=dict)
    enable_metadata: bool | None = Field(default=None, alias="enableMetadata")
    secret_options: LooseMap = Field(default_factory=dict, alias="secretOptions")
    config_file_path: str | None = Field(default=None, alias="configFilePath")
    variables: Variables = Field(default_factory=dict)
    secrets: Secrets = Field(default_factory=dict)
    env_file: str | None = None

    @property
    def firelens(self) -> bool:
        """True when Copilot added its FireLens log router (any key but ``retention``)."""
        return bool(self.model_fields_set - {"retention"})


class MountPoint(Model):
    source_volume: str
    path: str
    read_only: bool = True


class Sidecar(Model):
    port: Text | None = None
    image: Annotated[Image | None, wrap_scalar("location")] = None
    essential: bool | None = None
    credentials_parameter: str | None = Field(default=None, alias="credentialsParameter")
    variables: Variables = Field(default_factory=dict)
    secrets: Secrets = Field(default_factory=dict)
    env_file: str | None = None
    mount_points: list[MountPoint] = Field(default_factory=list)
    labels: StringMap = Field(default_factory=dict)
    depends_on: dict[str, Literal["start", "healthy", "complete", "success"]] = Field(default_factory=dict)
    entrypoint: ShellWords | None = None
    command: ShellWords | None = None
    healthcheck: ContainerHealthCheck | None = None


class Platform(Model):
    """``linux/arm64``, or ``{osfamily, architecture}``."""

    string: str | None = Field(default=None, alias="~string")
    osfamily: str | None = None
    architecture: str | None = None

    @property
    def parts(self) -> tuple[str, str]:
        """(operating system family, architecture), lowercase."""
        if self.string is not None:
            family, _, arch = self.string.partition("/")
            return family.lower(), arch.lower()
        return (self.osfamily or "linux").lower(), (self.architecture or "x86_64").lower()


class TaskdefOverride(Model):
    path: str
    value: Any = None


class ContainerKeys(Model):
    """The keys of the main container and its task that every ECS workload type has."""

    image: Image | None = None
    entrypoint: ShellWords | None = None
    command: ShellWords | None = None
    cpu: int | None = None
    memory: int | None = None
    platform: Annotated[Platform | None, wrap_scalar("~string")] = None
    variables: Variables = Field(default_factory=dict)
    env_file: str | None = None
    secrets: Secrets = Field(default_factory=dict)
    storage: Storage | None = None
    logging: Logging | None = None
    sidecars: dict[str, Sidecar | None] = Field(default_factory=dict)
    publish: LooseMap | None = None
    taskdef_overrides: list[TaskdefOverride] = Field(default_factory=list)
