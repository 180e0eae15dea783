"""``NativeTaskDefinition``: a retained task-definition family from native ECS JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from constructs import Construct

from constructs_lib.control_tower import NON_ROOT_USER, acknowledge_control
from constructs_lib.native_json import (
    NativeTaskDefinitionError,
    execution_role_needs,
    native_body,
    to_cloudformation,
)

if TYPE_CHECKING:
    from constructs_lib.task_definition import Capacity

_COMPATIBILITY = {
    frozenset({"FARGATE"}): ecs.Compatibility.FARGATE,
    frozenset({"EC2"}): ecs.Compatibility.EC2,
    frozenset({"MANAGED_INSTANCES"}): ecs.Compatibility.MANAGED_INSTANCES,
    frozenset({"EC2", "FARGATE"}): ecs.Compatibility.EC2_AND_FARGATE,
}
_OF_CAPACITY = {"fargate": "FARGATE", "ec2": "EC2", "managed_instances": "MANAGED_INSTANCES"}
_NETWORK_MODES = {
    "awsvpc": ecs.NetworkMode.AWS_VPC,
    "bridge": ecs.NetworkMode.BRIDGE,
    "host": ecs.NetworkMode.HOST,
}


class NativeTaskDefinition(Construct):
    """A task definition whose every field comes from a native JSON document.

    Read-only server fields (``taskDefinitionArn``, ``revision``, ``status``, …) are
    ignored; a field CloudFormation cannot represent raises ``NativeTaskDefinitionError``
    listing it. The roles are the document's own ARNs (a role name becomes the ARN of that
    role in the stack's account, as CloudFormation takes ARNs only); without a
    ``taskRoleArn`` the construct creates an empty task role, so that grants have a role to go
    to. An execution role is required where ECS requires one (``execution_role_needs``).
    Revisions are retained as with ``VersionedTaskDefinition``; ``release_labels`` become
    tags. It creates no log group (``log_group`` is None): the containers log where the
    document says. ``root_reasons`` (container name → why it runs as root; default none)
    acknowledges the non-root control (Control Tower CT.ECS.PR.3) for those containers only.

    As in ECS, a document without ``requiresCompatibilities`` is an EC2 definition and one
    without ``networkMode`` uses ``bridge`` (Fargate needs ``awsvpc`` written out).
    ``capacity`` (default: what the document requires) is the capacity the task runs on: it
    decides what CDK checks and which service class takes the definition, while the template
    keeps the document's own ``requiresCompatibilities``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        document: Mapping[str, Any],
        image_overrides: Mapping[str, str] | None = None,
        release_labels: Mapping[str, str] | None = None,
        capacity: Capacity | None = None,
        root_reasons: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.log_group: logs.ILogGroup | None = None
        body = native_body(document)
        containers = [dict(c) for c in body.get("containerDefinitions", [])]
        for what, names in (("image override", image_overrides), ("root reason", root_reasons)):
            unknown = sorted(set(names or {}) - {c.get("name") for c in containers})
            if unknown:
                raise NativeTaskDefinitionError(f"{what} for unknown container(s): {', '.join(unknown)}")
        for container in containers:
            container["image"] = (image_overrides or {}).get(container["name"], container["image"])
        body["containerDefinitions"] = containers
        properties = to_cloudformation(body)
        compatibility = _compatibility(body, capacity)
        fargate = compatibility in (ecs.Compatibility.FARGATE, ecs.Compatibility.EC2_AND_FARGATE)
        needs = execution_role_needs(body, fargate)
        if needs and not body.get("executionRoleArn"):
            raise NativeTaskDefinitionError(f"executionRoleArn is required by {', '.join(needs)}")
        mode = body.get("networkMode", "bridge")
        if mode not in _NETWORK_MODES:
            raise NativeTaskDefinitionError(
                f"networkMode {mode!r} is not supported; use awsvpc, bridge or host"
            )
        self.task_definition = ecs.TaskDefinition(
            self,
            "TaskDefinition",
            family=body["family"],
            compatibility=compatibility,
            network_mode=_NETWORK_MODES[mode],
            cpu=body.get("cpu"),
            memory_mib=body.get("memory"),
            task_role=_role(self, "TaskRole", body.get("taskRoleArn")),
            execution_role=_role(self, "ExecutionRole", body.get("executionRoleArn")),
        )
        # The L2 insists on knowing the containers: each gets a stub with its name, image,
        # memory and ports, so that load-balancer targets and Service Connect find them;
        # CloudFormation then gets the complete native definitions through the override below.
        self.containers = {c["name"]: self._stub(c) for c in containers}
        self.default_container = self.containers[containers[0]["name"]]
        resource = self.task_definition.node.default_child
        assert isinstance(resource, cdk.CfnResource)
        for name, value in properties.items():
            if name not in ("Family", "Tags"):
                resource.add_property_override(name, value)
        # CloudFormation takes role ARNs only, where ECS also takes a role name.
        for field, role in (
            ("TaskRoleArn", self.task_definition.task_role),
            ("ExecutionRoleArn", self.task_definition.execution_role),
        ):
            if role is not None and not str(properties.get(field, "arn:")).startswith("arn:"):
                resource.add_property_override(field, role.role_arn)
        for tag in body.get("tags", []):
            cdk.Tags.of(self.task_definition).add(tag["key"], tag["value"])
        for key, value in (release_labels or {}).items():
            cdk.Tags.of(self.task_definition).add(key, value)
        self.task_definition.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
        if root_reasons:
            acknowledge_control(
                resource,
                NON_ROOT_USER,
                "Containers that run as root, each with its reason. "
                + "; ".join(f"{name}: {reason}" for name, reason in sorted(root_reasons.items())),
            )

    def _stub(self, container: Mapping[str, Any]) -> ecs.ContainerDefinition:
        stub = self.task_definition.add_container(
            container["name"],
            container_name=container["name"],
            image=ecs.ContainerImage.from_registry(container["image"]),
            essential=container.get("essential", True),
            memory_limit_mib=container.get("memory"),
            memory_reservation_mib=container.get("memoryReservation"),
            port_mappings=[
                ecs.PortMapping(
                    container_port=p["containerPort"],
                    name=p.get("name"),
                    protocol=ecs.Protocol.UDP if p.get("protocol") == "udp" else ecs.Protocol.TCP,
                )
                for p in container.get("portMappings", [])
                if "containerPort" in p
            ]
            or None,
        )
        # The document's execution role pulls its images; the app grants nothing here.
        cdk.Annotations.of(stub).acknowledge_warning(
            "@aws-cdk/aws-ecs:ecrImageRequiresPolicy",
            "the task definition file's execution role pulls its images",
        )
        return stub

    @property
    def family(self) -> str:
        """The task-definition family (revisions are ``family:N``)."""
        return self.task_definition.family


def _compatibility(body: Mapping[str, Any], capacity: Capacity | None) -> ecs.Compatibility:
    if capacity is not None:
        return _COMPATIBILITY[frozenset({_OF_CAPACITY[capacity.value]})]
    required = frozenset(body.get("requiresCompatibilities") or ["EC2"])
    if required not in _COMPATIBILITY:
        raise NativeTaskDefinitionError(f"requiresCompatibilities {sorted(required)} is not supported")
    return _COMPATIBILITY[required]


def _role(scope: Construct, construct_id: str, arn: str | None) -> iam.IRole | None:
    if not arn:
        return None
    if arn.startswith("arn:"):
        return iam.Role.from_role_arn(scope, construct_id, arn, mutable=False)
    return iam.Role.from_role_name(scope, construct_id, arn, mutable=False)
