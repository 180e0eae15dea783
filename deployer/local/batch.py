"""Make moto 5.2.5's CloudFormation create and update the AWS Batch resources CDK synthesises,
and run Batch jobs without Docker. Applied inside the local endpoint (``deployer.local.server``).

Without it, on the local endpoint:

- a compute environment fails to create: CDK writes ``Type: managed`` (CloudFormation takes
  any case, moto only ``MANAGED``) and no ``ServiceRole`` (AWS Batch then uses its
  service-linked role; moto requires a role that exists, so the role is created in moto's IAM);
- ``Fn::GetAtt`` of a compute environment's or a queue's ARN fails (moto has no attributes);
- a job definition loses its ``Timeout`` and platform capabilities (moto reads ``timeout``),
  parameter names are re-cased, and no Batch resource can be updated (moto has no update
  handler: the stack's resource becomes None). Here an update registers revision N+1 and keeps
  revision N when the template says ``SkipDeregisterOnUpdate``, as AWS Batch does;
- a submitted job runs in Docker. With ``use_docker`` off, moto marks it SUCCEEDED at once
  (or FAILED with ``MOTO_SIMPLE_BATCH_FAIL_AFTER``): no container runs locally.

What moto cannot do at all (asserted on templates instead): job-state time limit actions,
retry strategies, EventBridge job state events, Fargate platform settings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.batch import models as batch_models
from moto.batch.utils import lowercase_first_key
from moto.core.config import default_user_config
from moto.iam.models import iam_backends

SERVICE_LINKED_ROLE = "AWSServiceRoleForBatch"
Properties = dict[str, Any]  # a resource's CloudFormation properties


def _batch(account_id: str, region_name: str) -> Any:
    return batch_models.batch_backends[account_id][region_name]


def _service_role(account_id: str, region_name: str) -> str:
    """The ARN of AWS Batch's service-linked role in moto's IAM, created when missing."""
    iam = iam_backends[account_id]["global"]
    for role in iam.roles.values():
        if role.name.lower() == SERVICE_LINKED_ROLE.lower():
            return str(role.arn)
    role = iam.create_service_linked_role(
        service_name="batch.amazonaws.com", description="AWS Batch", suffix=""
    )
    return str(role.arn)


def _create_compute_environment(
    cls: Any, /, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **_: Any
) -> Any:
    properties = cloudformation_json["Properties"]
    return _batch(account_id, region_name).create_compute_environment(
        resource_name,
        str(properties["Type"]).upper(),
        properties.get("State", "ENABLED"),
        lowercase_first_key(properties["ComputeResources"]),
        properties.get("ServiceRole") or _service_role(account_id, region_name),
    )


def _on_update(change: Callable[[Any, Properties, str, str], Any]) -> Any:
    """moto's ``update_from_cloudformation_json`` classmethod that calls
    ``change(original resource, new properties, account, region)`` and returns its result."""

    def update(  # noqa: PLR0917 - moto's classmethod signature
        cls: Any,
        /,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
    ) -> Any:
        return change(original_resource, cloudformation_json["Properties"], account_id, region_name)

    return classmethod(update)


def _update_compute_environment(
    original: Any, properties: dict[str, Any], account_id: str, region: str
) -> Any:
    _batch(account_id, region).update_compute_environment(
        original.arn, properties.get("State", "ENABLED"), None, None
    )
    original.compute_resources = lowercase_first_key(properties["ComputeResources"])
    return original


def _update_job_queue(original: Any, properties: Properties, account_id: str, region: str) -> Any:
    _batch(account_id, region).update_job_queue(
        original.name,
        priority=properties["Priority"],
        state=properties.get("State", "ENABLED"),
        compute_env_order=[lowercase_first_key(e) for e in properties["ComputeEnvironmentOrder"]],
        schedule_policy=None,
    )
    return original


def _register(name: str, properties: dict[str, Any], account_id: str, region_name: str) -> Any:
    return _batch(account_id, region_name).register_job_definition(
        def_name=name,
        parameters=dict(properties.get("Parameters", {})),  # names as written: Ref::<name>
        _type=properties.get("Type", "container"),
        tags=dict(properties.get("Tags", {})),
        retry_strategy=lowercase_first_key(properties.get("RetryStrategy", {})),
        container_properties=lowercase_first_key(properties["ContainerProperties"]),
        node_properties=None,
        eks_properties=None,
        timeout=lowercase_first_key(properties.get("Timeout", {})),
        platform_capabilities=properties.get("PlatformCapabilities", ["EC2"]),
        propagate_tags=bool(properties.get("PropagateTags", False)),
    )


def _create_job_definition(
    cls: Any, /, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **_: Any
) -> Any:
    return _register(resource_name, cloudformation_json["Properties"], account_id, region_name)


def _update_job_definition(original: Any, properties: Properties, account_id: str, region: str) -> Any:
    replacement = _register(original.name, properties, account_id, region)
    if not properties.get("ResourceRetentionPolicy", {}).get("SkipDeregisterOnUpdate"):
        original.deregister()
    return replacement


def _arn_attribute(name: str) -> Any:
    """``Fn::GetAtt [resource, <name>]`` → the resource's ARN (moto answers no attribute)."""

    def get_cfn_attribute(self: Any, attribute_name: str) -> str:
        if attribute_name == name:
            return str(self.arn)
        from moto.cloudformation.exceptions import UnformattedGetAttTemplateException

        raise UnformattedGetAttTemplateException()

    return get_cfn_attribute


def apply() -> None:
    """Install the fixes and run jobs without Docker (idempotent)."""
    environment: Any = batch_models.ComputeEnvironment
    environment.create_from_cloudformation_json = classmethod(_create_compute_environment)
    environment.update_from_cloudformation_json = _on_update(_update_compute_environment)
    environment.get_cfn_attribute = _arn_attribute("ComputeEnvironmentArn")
    queue: Any = batch_models.JobQueue
    queue.update_from_cloudformation_json = _on_update(_update_job_queue)
    queue.get_cfn_attribute = _arn_attribute("JobQueueArn")
    definition: Any = batch_models.JobDefinition
    definition.create_from_cloudformation_json = classmethod(_create_job_definition)
    definition.update_from_cloudformation_json = _on_update(_update_job_definition)
    default_user_config["batch"] = {"use_docker": False}
