"""The app's stacks for the shipped environments: names, wiring, strategies, release inputs."""

from __future__ import annotations

import pytest

from config import load_spec, naming
from stacks.app_builder import build_environment
from tests.harness import SynthesisCache, make_app, resources_of_type


@pytest.mark.parametrize("env", ["local", "dev", "prod"])
def test_one_stack_per_layer_and_per_service(synth_cache: SynthesisCache, env: str) -> None:
    synthesised = synth_cache.get(env)
    assert sorted(synthesised.templates) == sorted(naming.all_stack_names(synthesised.spec))


@pytest.mark.parametrize("env", ["local", "dev", "prod"])
def test_every_service_uses_its_strategy_and_no_launch_type(synth_cache: SynthesisCache, env: str) -> None:
    synthesised = synth_cache.get(env)
    spec = synthesised.spec
    for name in spec.long_running:
        template = synthesised.templates[naming.service_stack_name(spec, name)]
        [service] = resources_of_type(template, "AWS::ECS::Service").values()
        properties = service["Properties"]
        assert "LaunchType" not in properties
        expected = [
            item.provider
            if item.provider in ("FARGATE", "FARGATE_SPOT")
            else naming.capacity_provider_name(spec, item.provider)
            for item in spec.strategy_for(name)
        ]
        assert [s["CapacityProvider"] for s in properties["CapacityProviderStrategy"]] == expected
        assert properties["ServiceName"] == name
        svc = spec.services[name]
        # Autoscaling owns a scaled service's count: the template leaves it out.
        assert properties.get("DesiredCount") == (None if svc.scaled else svc.desired_count)


def test_task_definitions_follow_the_spec(synth_cache: SynthesisCache) -> None:
    synthesised = synth_cache.get("local")
    spec = synthesised.spec
    for name, service in spec.services.items():
        template = synthesised.templates[naming.service_stack_name(spec, name)]
        [task] = resources_of_type(template, "AWS::ECS::TaskDefinition").values()
        properties = task["Properties"]
        assert properties["Family"] == naming.task_family(spec, name)
        assert (properties["Cpu"], properties["Memory"]) == (str(service.cpu), str(service.memory))
        assert properties["RequiresCompatibilities"] == (
            ["FARGATE"] if spec.runs_on_fargate(name) else ["EC2"]
        )
        assert properties["ContainerDefinitions"][0]["Image"] == service.image


def test_cluster_is_named_and_ec2_providers_are_named(synth_cache: SynthesisCache) -> None:
    synthesised = synth_cache.get("local")
    spec = synthesised.spec
    template = synthesised.templates[naming.cluster_stack_name(spec)]
    [cluster] = resources_of_type(template, "AWS::ECS::Cluster").values()
    assert cluster["Properties"]["ClusterName"] == "shop-local"
    names = sorted(
        p["Properties"]["Name"] for p in resources_of_type(template, "AWS::ECS::CapacityProvider").values()
    )
    assert names == sorted(naming.capacity_provider_name(spec, g) for g in spec.cluster.ec2_capacity)


def test_image_context_overrides_only_that_service(synth_cache: SynthesisCache) -> None:
    synthesised = synth_cache.get("local", {"web": "public.ecr.aws/nginx/nginx:1.28"})
    spec = synthesised.spec
    images = {
        name: resources_of_type(
            synthesised.templates[naming.service_stack_name(spec, name)], "AWS::ECS::TaskDefinition"
        ).popitem()[1]["Properties"]["ContainerDefinitions"][0]["Image"]
        for name in spec.services
    }
    assert images == {
        name: "public.ecr.aws/nginx/nginx:1.28" if name == "web" else service.image
        for name, service in spec.services.items()
    }


def test_unchanged_inputs_give_identical_templates(synth_cache: SynthesisCache) -> None:
    from tests.harness import synthesise

    assert synthesise(load_spec("local")).templates == synth_cache.get("local").templates


def test_image_override_for_unknown_service_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown service 'nope'"):
        build_environment(make_app(), load_spec("local"), images={"nope": "x:1"})


@pytest.mark.parametrize("env", ["local", "dev", "prod"])
def test_real_availability_zones_never_dummy(synth_cache: SynthesisCache, env: str) -> None:
    synthesised = synth_cache.get(env)
    template = synthesised.templates[naming.network_stack_name(synthesised.spec)]
    zones = {
        s["Properties"]["AvailabilityZone"] for s in resources_of_type(template, "AWS::EC2::Subnet").values()
    }
    assert len(zones) == synthesised.spec.network.max_azs
    assert not any("dummy" in z for z in zones)


def test_local_skips_the_lambda_backed_default_sg_lockdown_and_bootstrap_check(
    synth_cache: SynthesisCache,
) -> None:
    local = synth_cache.get("local")
    for template in local.templates.values():
        assert not resources_of_type(template, "AWS::Lambda::Function")
        assert "BootstrapVersion" not in template.get("Parameters", {})
    dev = synth_cache.get("dev")
    network = dev.templates[naming.network_stack_name(dev.spec)]
    assert "CheckBootstrapVersion" in network.get("Rules", {})
    assert resources_of_type(network, "Custom::VpcRestrictDefaultSG")


def test_no_warnings_or_errors_from_the_constructs(synth_cache: SynthesisCache) -> None:
    for env in ("local", "dev", "prod"):
        bad = [m for m in synth_cache.get(env).messages if m[1] in ("warning", "error")]
        assert bad == [], bad


def test_permissions_boundary_applies_to_every_role() -> None:
    from config import parse_spec
    from config.loader import ENVIRONMENTS_DIR
    from tests.harness import synthesise

    boundary = "arn:aws:iam::222222222222:policy/platform-boundary"
    text = (
        (ENVIRONMENTS_DIR / "prod.yaml")
        .read_text()
        .replace("  target: aws\n", f"  target: aws\n  permissions_boundary: {boundary}\n", 1)
    )
    synthesised = synthesise(parse_spec(text))
    roles = [
        r for t in synthesised.templates.values() for r in resources_of_type(t, "AWS::IAM::Role").values()
    ]
    assert len(roles) > 5
    assert all(r["Properties"].get("PermissionsBoundary") == boundary for r in roles)
