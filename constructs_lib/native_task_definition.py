"""``NativeTaskDefinition``: a retained task-definition family from native ECS JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from constructs import Construct

from constructs_lib.native_json import NativeTaskDefinitionError, native_body, to_cloudformation

_COMPATIBILITY = {
    frozenset({"FARGATE"}): ecs.Compatibility.FARGATE,
    frozenset({"EC2"}): ecs.Compatibility.EC2,
    frozenset({"MANAGED_INSTANCES"}): ecs.Compatibility.MANAGED_INSTANCES,
    frozenset({"EC2", "FARGATE"}): ecs.Compatibility.EC2_AND_FARGATE,
}
_NEEDS_EXECUTION_ROLE = ("logConfiguration", "secrets", "repositoryCredentials", "environmentFiles")


class NativeTaskDefinition(Construct):
    """A task definition whose every field comes from a native JSON document.

    Read-only server fields (``taskDefinitionArn``, ``revision``, ``status``, …) are
    ignored; a field CloudFormation cannot represent raises ``NativeTaskDefinitionError``
    listing it. The roles are the document's own ARNs (an execution role is required when a
    container uses logs, secrets, private registry credentials or environment files).
    Revisions are retained as with ``VersionedTaskDefinition``; ``release_labels`` become
    tags. Defaults: ``awsvpc`` and ``FARGATE`` when the document names none. It creates no log
    group (``log_group`` is None): the containers log where the document says.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        document: Mapping[str, Any],
        image_overrides: Mapping[str, str] | None = None,
        release_labels: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.log_group: logs.ILogGroup | None = None
        body = native_body(document)
        containers = [dict(c) for c in body.get("containerDefinitions", [])]
        unknown = sorted(set(image_overrides or {}) - {c.get("name") for c in containers})
        if unknown:
            raise NativeTaskDefinitionError(f"image override for unknown container(s): {', '.join(unknown)}")
        for container in containers:
            container["image"] = (image_overrides or {}).get(container["name"], container["image"])
        body["containerDefinitions"] = containers
        properties = to_cloudformation(body)
        if not body.get("executionRoleArn") and any(
            k in c for c in containers for k in _NEEDS_EXECUTION_ROLE
        ):
            raise NativeTaskDefinitionError(
                "executionRoleArn is required: a container uses logs, secrets, registry credentials "
                "or environment files"
            )
        compatibilities = frozenset(body.get("requiresCompatibilities") or ["FARGATE"])
        if compatibilities not in _COMPATIBILITY:
            raise NativeTaskDefinitionError(
                f"requiresCompatibilities {sorted(compatibilities)} is not supported"
            )
        first = containers[0]
        self.task_definition = ecs.TaskDefinition(
            self,
            "TaskDefinition",
            family=body["family"],
            compatibility=_COMPATIBILITY[compatibilities],
            network_mode=ecs.NetworkMode(
                body.get("networkMode", "awsvpc").upper().replace("AWSVPC", "AWS_VPC")
            ),
            cpu=body.get("cpu"),
            memory_mib=body.get("memory"),
            task_role=_role(self, "TaskRole", body.get("taskRoleArn")),
            execution_role=_role(self, "ExecutionRole", body.get("executionRoleArn")),
        )
        # The L2 insists on knowing one container: give it the first one, so that APIs
        # such as load-balancer targets see its name and ports; CloudFormation then gets
        # the complete native definitions through the override below.
        self.default_container = self.task_definition.add_container(
            first["name"],
            container_name=first["name"],
            image=ecs.ContainerImage.from_registry(first["image"]),
            essential=first.get("essential", True),
            port_mappings=[
                ecs.PortMapping(container_port=p["containerPort"], name=p.get("name"))
                for p in first.get("portMappings", [])
                if "containerPort" in p
            ]
            or None,
        )
        resource = self.task_definition.node.default_child
        assert isinstance(resource, cdk.CfnResource)
        for name, value in properties.items():
            if name not in ("Family", "Tags"):
                resource.add_property_override(name, value)
        for tag in body.get("tags", []):
            cdk.Tags.of(self.task_definition).add(tag["key"], tag["value"])
        for key, value in (release_labels or {}).items():
            cdk.Tags.of(self.task_definition).add(key, value)
        self.task_definition.apply_removal_policy(cdk.RemovalPolicy.RETAIN)

    @property
    def family(self) -> str:
        """The task-definition family (revisions are ``family:N``)."""
        return self.task_definition.family


def _role(scope: Construct, construct_id: str, arn: str | None) -> iam.IRole | None:
    return iam.Role.from_role_arn(scope, construct_id, arn, mutable=False) if arn else None
