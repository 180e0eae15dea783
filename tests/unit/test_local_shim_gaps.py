"""What ``deployer/local/shim.py`` completes on the local endpoint, asserted on the templates.

moto leaves the service on its old revision after a stack update and skips capacity
providers; the shim then updates the service to the stack's ``TaskDefinitionArn`` output and
registers the providers through the ECS API. So the end-to-end test passes even if the
templates were wrong; on AWS only the templates count. These tests pin them:

- the service's own ``TaskDefinition`` property is the pinned ARN under a rollback pin (an
  output alone would leave AWS on the new revision), and the task definition of the same
  stack otherwise, so a stack update points the service at the new revision;
- each EC2 group is a capacity provider with the spec's settings, associated with the cluster.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

import app as cdk_app
from config import load_spec
from stacks.app_builder import build_environment
from tests.harness import SynthesisCache, cdk_context, make_app, resources_of_type

PINNED = "arn:aws:ecs:us-east-1:123456789012:task-definition/shop-local-web:3"


def the_service(template: dict[str, Any]) -> dict[str, Any]:
    [service] = resources_of_type(template, "AWS::ECS::Service").values()
    return dict(service["Properties"])


def the_task_definition_id(template: dict[str, Any]) -> str:
    [logical_id] = resources_of_type(template, "AWS::ECS::TaskDefinition")
    return logical_id


@pytest.mark.parametrize("name", ["web", "api", "worker"])
def test_without_a_pin_each_service_runs_the_task_definition_of_its_own_stack(
    synth_cache: SynthesisCache, name: str
) -> None:
    template = synth_cache.get("local").templates[f"shop-local-svc-{name}"]
    reference = {"Ref": the_task_definition_id(template)}
    assert the_service(template)["TaskDefinition"] == reference
    assert template["Outputs"]["TaskDefinitionArn"] == {"Value": reference}
    assert "PinnedTaskDefinition" not in template["Outputs"]


def test_a_new_image_changes_the_task_definition_the_service_refers_to(synth_cache: SynthesisCache) -> None:
    before = synth_cache.get("local").templates["shop-local-svc-web"]
    after = synth_cache.get("local", {"web": "public.ecr.aws/nginx/nginx:1.28"}).templates[
        "shop-local-svc-web"
    ]
    task_id = the_task_definition_id(after)
    assert the_service(after)["TaskDefinition"] == {"Ref": task_id}
    [container] = after["Resources"][task_id]["Properties"]["ContainerDefinitions"]
    assert container["Image"] == "public.ecr.aws/nginx/nginx:1.28"
    assert before["Resources"][the_task_definition_id(before)] != after["Resources"][task_id]
    assert after["Resources"][task_id]["UpdateReplacePolicy"] == "Retain"


def pinned_templates() -> dict[str, dict[str, Any]]:
    app = make_app()
    build_environment(app, load_spec("local"), pins={"web": PINNED})
    return {stack.stack_name: stack.template for stack in app.synth().stacks}


def assert_pinned(template: dict[str, Any]) -> None:
    assert the_service(template)["TaskDefinition"] == PINNED
    assert template["Outputs"]["TaskDefinitionArn"] == {"Value": PINNED}
    assert template["Outputs"]["PinnedTaskDefinition"] == {"Value": PINNED}
    # The spec's revision stays in the template, retained: the next deploy without the pin
    # rolls forward to it.
    task = template["Resources"][the_task_definition_id(template)]
    assert task["UpdateReplacePolicy"] == "Retain" and task["DeletionPolicy"] == "Retain"


def test_a_pin_sets_the_services_own_task_definition() -> None:
    templates = pinned_templates()
    assert_pinned(templates["shop-local-svc-web"])
    api = templates["shop-local-svc-api"]  # other services are not pinned
    assert the_service(api)["TaskDefinition"] == {"Ref": the_task_definition_id(api)}


def test_the_cdk_app_reads_the_pin_from_its_context(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``deployer rollback`` passes ``-c pin.web=<ARN>``: app.py must turn it into the pin.

    The CDK CLI hands the context over in CDK_CONTEXT_JSON, read by the jsii process that is
    already running here; the App gets it over its own default context (cdk.json's) instead."""
    cli_context = {**cdk_context(), "env": "local", "pin.web": PINNED}
    real_app = cdk.App

    def app_given_the_cli_context(context: dict[str, Any]) -> cdk.App:
        return real_app(
            context={**context, **cli_context}, outdir=str(tmp_path), builtin_cloud_formation_validation=False
        )

    monkeypatch.setattr(cdk, "App", app_given_the_cli_context)
    monkeypatch.delenv("DEPLOYER_ENVIRONMENTS_DIR", raising=False)
    with pytest.raises(SystemExit) as exited:
        cdk_app.main()
    assert exited.value.code == 0
    assert_pinned(json.loads((tmp_path / "shop-local-svc-web.template.json").read_text()))


def test_every_ec2_group_is_a_capacity_provider_associated_with_the_cluster(
    synth_cache: SynthesisCache,
) -> None:
    """What ``register_capacity_providers`` creates locally, as the cluster template has it."""
    template = synth_cache.get("local").templates["shop-local-cluster"]
    providers = {
        p["Properties"]["Name"]: (logical_id, p["Properties"]["AutoScalingGroupProvider"])
        for logical_id, p in resources_of_type(template, "AWS::ECS::CapacityProvider").items()
    }
    assert set(providers) == {"cp-shop-local-graviton", "cp-shop-local-spot"}
    for name, target in (("cp-shop-local-graviton", 100), ("cp-shop-local-spot", 90)):
        settings = providers[name][1]
        assert settings["ManagedScaling"] == {"Status": "ENABLED", "TargetCapacity": target}
        assert (
            settings["ManagedTerminationProtection"] == "ENABLED" and settings["ManagedDraining"] == "ENABLED"
        )
        asg = settings["AutoScalingGroupArn"]["Ref"]
        assert template["Resources"][asg]["Type"] == "AWS::AutoScaling::AutoScalingGroup"
    [association] = resources_of_type(template, "AWS::ECS::ClusterCapacityProviderAssociations").values()
    [cluster_id] = resources_of_type(template, "AWS::ECS::Cluster")
    assert association["Properties"] == {
        "Cluster": {"Ref": cluster_id},
        "CapacityProviders": [
            "FARGATE",
            "FARGATE_SPOT",
            {"Ref": providers["cp-shop-local-graviton"][0]},
            {"Ref": providers["cp-shop-local-spot"][0]},
        ],
        "DefaultCapacityProviderStrategy": [],
    }


def test_each_service_names_its_strategy_itself(synth_cache: SynthesisCache) -> None:
    """The cluster has no default strategy (as the shim registers it): each service carries its own."""
    templates = synth_cache.get("local").templates
    assert the_service(templates["shop-local-svc-web"])["CapacityProviderStrategy"] == [
        {"Base": 1, "CapacityProvider": "FARGATE", "Weight": 1},
        {"Base": 0, "CapacityProvider": "FARGATE_SPOT", "Weight": 3},
    ]
    assert the_service(templates["shop-local-svc-worker"])["CapacityProviderStrategy"] == [
        {"Base": 0, "CapacityProvider": "cp-shop-local-graviton", "Weight": 1}
    ]
