"""One KMS key per environment encrypts its logs, ECS Exec, queues and topics (every shipped env)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from config import naming
from tests.harness import SynthesisCache, resources_of_type

ENVIRONMENTS = ["local", "dev", "prod"]
# Where each encrypted resource type names its key.
KEY_PROPERTY = {
    "AWS::Logs::LogGroup": "KmsKeyId",
    "AWS::SQS::Queue": "KmsMasterKeyId",
    "AWS::SNS::Topic": "KmsMasterKeyId",
}


def every(synth_cache: SynthesisCache, env: str, resource_type: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{stack}/{logical_id}", resource)
        for stack, template in synth_cache.get(env).templates.items()
        for logical_id, resource in resources_of_type(template, resource_type).items()
    ]


def environment_key_id(synth_cache: SynthesisCache, env: str) -> str:
    """The logical id of the environment key; fails unless there is exactly one key in the network stack."""
    spec = synth_cache.get(env).spec
    keys = every(synth_cache, env, "AWS::KMS::Key")
    assert len(keys) == 1, [where for where, _ in keys]
    where, _ = keys[0]
    stack, logical_id = where.split("/")
    assert stack == naming.network_stack_name(spec)
    return logical_id


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_one_rotating_retained_key_per_environment_with_its_alias(
    synth_cache: SynthesisCache, env: str
) -> None:
    logical_id = environment_key_id(synth_cache, env)
    spec = synth_cache.get(env).spec
    network = synth_cache.get(env).templates[naming.network_stack_name(spec)]
    key = network["Resources"][logical_id]
    assert key["Properties"]["EnableKeyRotation"] is True
    assert key["DeletionPolicy"] == key["UpdateReplacePolicy"] == "Retain"
    [alias] = resources_of_type(network, "AWS::KMS::Alias").values()
    assert alias["Properties"]["AliasName"] == naming.key_alias(spec) == f"alias/shop-{env}"
    assert alias["Properties"]["TargetKeyId"] == {"Fn::GetAtt": [logical_id, "Arn"]}
    logs_statement = next(
        s for s in key["Properties"]["KeyPolicy"]["Statement"] if "Service" in s["Principal"]
    )
    assert "logs." in json.dumps(logs_statement["Principal"])
    assert "kms:EncryptionContext:aws:logs:arn" in json.dumps(logs_statement["Condition"])


@pytest.mark.parametrize("env", ENVIRONMENTS)
@pytest.mark.parametrize("resource_type", sorted(KEY_PROPERTY))
def test_logs_queues_and_topics_use_the_environment_key(
    synth_cache: SynthesisCache, env: str, resource_type: str
) -> None:
    """Flow logs, ECS Exec, service and workflow logs, work queues, dead-letter queues of jobs,
    triggers and workflow starts, scaling events and workflow failure notices."""
    logical_id = environment_key_id(synth_cache, env)
    found = every(synth_cache, env, resource_type)
    for where, resource in found:
        key = json.dumps(resource["Properties"].get(KEY_PROPERTY[resource_type]))
        assert logical_id in key, f"{where} is not encrypted with the environment key: {key}"
    if resource_type == "AWS::Logs::LogGroup":
        spec = synth_cache.get(env).spec
        assert f"{naming.network_stack_name(spec)}/NetworkFlowLogGroup4F8CEEEF" in dict(found)
        # each service's, each Batch job's, each workflow's executions, ECS Exec's, the flow logs'
        assert len(found) == len(spec.services) + len(spec.batch.jobs) + len(spec.workflows) + 2


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_ecs_exec_sessions_use_the_environment_key(synth_cache: SynthesisCache, env: str) -> None:
    logical_id = environment_key_id(synth_cache, env)
    [(_, cluster)] = every(synth_cache, env, "AWS::ECS::Cluster")
    exec_config = cluster["Properties"]["Configuration"]["ExecuteCommandConfiguration"]
    assert logical_id in json.dumps(exec_config["KmsKeyId"])
    assert exec_config["LogConfiguration"]["CloudWatchEncryptionEnabled"] is True


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_access_log_buckets_use_sse_s3_the_only_encryption_alb_log_delivery_accepts(
    synth_cache: SynthesisCache, env: str
) -> None:
    for where, bucket in every(synth_cache, env, "AWS::S3::Bucket"):
        [rule] = bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        assert rule["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}, where
