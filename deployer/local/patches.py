"""Targeted fixes to moto 5.2.5's CloudFormation handling of ``AWS::ECS::TaskDefinition``.

Applied only inside the local endpoint process (``deployer.local.server``). Without them:

- an updated task definition loses every container field (the update path skips the
  PascalCase → camelCase remap that the create path does), and
- the replaced revision is always deregistered, whatever ``UpdateReplacePolicy`` says, so a
  retained revision could not be rolled back to locally as it can on AWS.

- ``RunTask`` crashes on a task definition whose containers have no memory of their own
  (memory set at task level only, as Fargate task definitions usually are), and on an
  ``awsvpc`` task in a VPC whose DNS hostnames moto did not record.
- ``RunTask`` on EC2 capacity in a cluster without container instances (the local endpoint
  runs none) is a bare exception, an HTML error page with status 500 to the client; ECS answers
  ``InvalidParameterException: No Container Instances were found in your cluster.``

With them, a task definition is registered with the properties CloudFormation would pass
(family, containers, volumes, network mode, compatibilities, CPU, memory, roles, runtime
platform, tags), replaced only when its properties change, and the old revision is kept
when the template retains it.
"""

from __future__ import annotations

import copy
from typing import Any

from moto.core.utils import pascal_to_camelcase, remap_nested_keys
from moto.ecs import exceptions as ecs_exceptions
from moto.ecs import models as ecs_models

# Where the CloudFormation properties a revision was registered from are kept.
_PROPERTIES = "deployer_cfn_properties"
# Keys whose values are user maps: their keys must not be re-cased.
_VERBATIM = ("dockerLabels", "options")


def _camel(value: Any) -> Any:
    remapped = remap_nested_keys(value, pascal_to_camelcase)
    return _restore_verbatim(value, remapped)


def _restore_verbatim(original: Any, remapped: Any) -> Any:
    if isinstance(original, list):
        return [_restore_verbatim(o, r) for o, r in zip(original, remapped, strict=True)]
    if isinstance(original, dict):
        result = {}
        for (_, value), (new_key, new_value) in zip(original.items(), remapped.items(), strict=True):
            result[new_key] = value if new_key in _VERBATIM else _restore_verbatim(value, new_value)
        return result
    return remapped


def _register(properties: dict[str, Any], account_id: str, region_name: str) -> Any:
    backend = ecs_models.ecs_backends[account_id][region_name]
    tags = [{"key": t["Key"], "value": t["Value"]} for t in properties.get("Tags", [])]
    definition = backend.register_task_definition(
        family=properties["Family"],
        container_definitions=_camel(properties.get("ContainerDefinitions", [])),
        volumes=_camel(properties.get("Volumes", [])),
        network_mode=properties.get("NetworkMode"),
        tags=tags or None,
        requires_compatibilities=properties.get("RequiresCompatibilities"),
        cpu=properties.get("Cpu"),
        memory=properties.get("Memory"),
        task_role_arn=properties.get("TaskRoleArn"),
        execution_role_arn=properties.get("ExecutionRoleArn"),
        runtime_platform=_camel(properties["RuntimePlatform"]) if "RuntimePlatform" in properties else None,
        pid_mode=properties.get("PidMode"),
        ephemeral_storage=_camel(properties["EphemeralStorage"])
        if "EphemeralStorage" in properties
        else None,
    )
    setattr(definition, _PROPERTIES, copy.deepcopy(properties))
    return definition


def _create(
    cls: Any, /, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **_: Any
) -> Any:
    return _register(cloudformation_json["Properties"], account_id, region_name)


def _update(  # noqa: PLR0917 - moto's classmethod signature
    cls: Any,
    /,
    original_resource: Any,
    new_resource_name: str,
    cloudformation_json: Any,
    account_id: str,
    region_name: str,
) -> Any:
    properties = cloudformation_json["Properties"]
    if getattr(original_resource, _PROPERTIES, None) == properties:
        return original_resource
    replacement = _register(properties, account_id, region_name)
    if cloudformation_json.get("UpdateReplacePolicy") != "Retain":
        ecs_models.ecs_backends[account_id][region_name].deregister_task_definition(original_resource.arn)
    return replacement


_original_requirements = ecs_models.EC2ContainerServiceBackend._calculate_task_resource_requirements
_original_run_task = ecs_models.EC2ContainerServiceBackend.run_task
# moto 5.2.5's words for a cluster without container instances (tests/integration pins them).
_NO_INSTANCES = "No instances found in cluster"
NO_INSTANCES_LOCALLY = (
    "No Container Instances were found in your cluster. (The local endpoint runs no EC2 "
    "instances: a task on an EC2 capacity provider cannot start here.)"
)


def _run_task(self: Any, *args: Any, **kwargs: Any) -> Any:
    """moto's RunTask, with ECS's error for a cluster that has no container instances."""
    try:
        return _original_run_task(self, *args, **kwargs)
    except Exception as error:
        if type(error) is Exception and str(error).startswith(_NO_INSTANCES):
            raise ecs_exceptions.InvalidParameterException(NO_INSTANCES_LOCALLY) from None
        raise


def _task_resource_requirements(task_definition: Any) -> dict[str, Any]:
    """moto's sum of container needs, with task-level memory where containers set none."""
    containers = task_definition.container_definitions
    patched = [
        c
        if any(k in c for k in ("memory", "memoryReservation", "Memory", "MemoryReservation"))
        else {**c, "memory": 0}
        for c in containers
    ]
    task_definition.container_definitions = patched
    try:
        requirements: dict[str, Any] = _original_requirements(task_definition)
    finally:
        task_definition.container_definitions = containers
    if not requirements["MEMORY"] and task_definition.memory:
        requirements["MEMORY"] = int(task_definition.memory)
    return requirements


def apply() -> None:
    """Install the fixes (idempotent)."""
    from moto.ec2.models.elastic_network_interfaces import NetworkInterface

    interface: Any = NetworkInterface
    if not hasattr(interface, "private_dns_name"):
        interface.private_dns_name = ""  # instances that know their DNS name still set their own
    backend: Any = ecs_models.EC2ContainerServiceBackend
    backend._calculate_task_resource_requirements = staticmethod(_task_resource_requirements)
    task_definition: Any = ecs_models.TaskDefinition
    task_definition.create_from_cloudformation_json = classmethod(_create)
    task_definition.update_from_cloudformation_json = classmethod(_update)
    backend.run_task = _run_task
