"""Translate the ``batch:`` spec into the Batch constructs' props."""

from __future__ import annotations

from aws_cdk import aws_batch as batch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_kms as kms
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from config.batch_schema import BatchJobSpec, ComputeEnvironmentSpec
from config.container_schema import SecretRef
from constructs_lib import BatchCompute, BatchContainer, container_image
from stacks.containers_from_spec import secret_key
from stacks.secret_refs import secret_from_arn


def compute_props(name: str, environment: ComputeEnvironmentSpec) -> BatchCompute:
    """``BatchCompute`` of ``batch.compute_environments.<name>``."""
    return BatchCompute(
        name=name,
        fargate=environment.type == "fargate",
        spot=environment.spot,
        max_vcpus=environment.max_vcpus,
        instance_types=[ec2.InstanceType(t) for t in environment.instance_types],
        root_volume_gib=environment.root_volume_gib,
    )


def container_props(
    scope: Construct, job: BatchJobSpec, image: str, environment_key: kms.IKey | None
) -> BatchContainer:
    """``BatchContainer`` of a job running ``image``; ``kms_key: environment`` in a secret means
    ``environment_key``."""
    return BatchContainer(
        image=container_image(scope, "Image", image),
        cpu_units=job.cpu,
        memory_mib=job.memory,
        architecture=ecs.CpuArchitecture.ARM64 if job.architecture == "arm64" else ecs.CpuArchitecture.X86_64,
        command=job.command,
        user=job.user,
        environment=job.environment,
        secrets={name: _secret(scope, name, ref) for name, ref in job.secrets.items()},
        secret_keys=[
            secret_key(scope, name, ref, environment_key) for name, ref in job.secrets.items() if ref.kms_key
        ],
        readonly_root_filesystem=job.readonly_root_filesystem,
        writable_paths=job.writable_paths,
    )


def _secret(scope: Construct, variable: str, ref: SecretRef) -> batch.Secret:
    """A ``batch.Secret``; the job definition grants its execution role exactly that ARN."""
    if ref.parameter is not None:
        parameter = (
            ssm.StringParameter.from_string_parameter_arn(scope, f"Parameter-{variable}", ref.parameter)
            if ref.parameter.startswith("arn:")
            else ssm.StringParameter.from_secure_string_parameter_attributes(
                scope, f"Parameter-{variable}", parameter_name=ref.parameter
            )
        )
        return batch.Secret.from_ssm_parameter(parameter)
    assert ref.secret is not None  # config.batch_checks requires exactly one of the two
    secret = secret_from_arn(scope, f"Secret-{variable}", ref.secret)
    if ref.version_stage or ref.version_id:
        version = batch.SecretVersionInfo(version_stage=ref.version_stage, version_id=ref.version_id)
        return batch.Secret.from_secrets_manager_version(secret, version, ref.key)
    return batch.Secret.from_secrets_manager(secret, ref.key)
