"""``IRetainedTaskDefinition``: what every task-definition construct of this library offers."""

from __future__ import annotations

from typing import Protocol

from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_logs as logs


class IRetainedTaskDefinition(Protocol):
    """A task-definition family whose replaced revisions stay registered (rollback targets).

    ``VersionedTaskDefinition`` (built from props) and ``NativeTaskDefinition`` (from native
    ECS JSON) both satisfy it, so services, jobs and Service Connect take either.
    """

    @property
    def task_definition(self) -> ecs.TaskDefinition:
        """The task definition to give a service or a schedule."""
        ...

    @property
    def family(self) -> str:
        """The family name; revisions are ``family:N``."""
        ...

    @property
    def log_group(self) -> logs.ILogGroup | None:
        """The log group the construct created for its containers; None when the containers'
        log configuration is their own (native JSON)."""
        ...
