"""Logical IDs of stateful resources are a contract: renaming one replaces the resource.

A deliberate change updates tests/unit/stateful_logical_ids.json in the same commit, with a
migration note; an accidental one fails here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.harness import SynthesisCache

PINNED = Path(__file__).with_name("stateful_logical_ids.json")
STATEFUL = {
    "AWS::Logs::LogGroup", "AWS::KMS::Key", "AWS::ECS::Cluster", "AWS::ECS::CapacityProvider",
    "AWS::ECS::Service", "AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::AutoScaling::AutoScalingGroup",
    "AWS::SNS::Topic", "AWS::EFS::FileSystem", "AWS::ECR::Repository", "AWS::S3::Bucket",
    "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::SQS::Queue", "AWS::ServiceDiscovery::HttpNamespace",
    "AWS::Batch::JobQueue", "AWS::Batch::ComputeEnvironment",
}  # fmt: skip
RETAINED = {
    "AWS::Logs::LogGroup", "AWS::KMS::Key", "AWS::ECS::TaskDefinition", "AWS::S3::Bucket",
    "AWS::EFS::FileSystem", "AWS::ECR::Repository", "AWS::Batch::JobDefinition",
}  # fmt: skip


def stateful_ids(synth_cache: SynthesisCache, env: str) -> dict[str, list[str]]:
    return {
        stack: sorted(k for k, r in template["Resources"].items() if r["Type"] in STATEFUL)
        for stack, template in sorted(synth_cache.get(env).templates.items())
    }


@pytest.mark.parametrize("env", ["local", "dev", "prod"])
def test_stateful_logical_ids_are_pinned(synth_cache: SynthesisCache, env: str) -> None:
    pinned = json.loads(PINNED.read_text())[env]
    assert stateful_ids(synth_cache, env) == pinned


@pytest.mark.parametrize("env", ["local", "dev", "prod"])
def test_stateful_resources_are_retained_on_deletion_and_replacement(
    synth_cache: SynthesisCache, env: str
) -> None:
    for template in synth_cache.get(env).templates.values():
        for logical_id, resource in template["Resources"].items():
            if resource["Type"] in RETAINED:
                assert resource.get("DeletionPolicy") == "Retain", logical_id
                assert resource.get("UpdateReplacePolicy") == "Retain", logical_id


if __name__ == "__main__":  # regenerate after a deliberate change: python -m tests.unit.test_stateful_ids
    cache = SynthesisCache()
    PINNED.write_text(
        json.dumps({e: stateful_ids(cache, e) for e in ("local", "dev", "prod")}, indent=2) + "\n"
    )
