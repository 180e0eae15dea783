"""Bridge and host network modes on EC2 groups, asserted on synthesised templates.

The dev sample has a bridge web service (``catalog``) and a host-mode agent (``node-metrics``)
on the Spot group ``spot``. A second environment, made from the local sample, adds a host-mode
web service, a bridge job and a worker from a native bridge task-definition file. Expected
values are ECS's and CloudFormation's own: bridge host port 0 means dynamic, instance targets,
the Linux ephemeral range 32768-65535, placement fields as CloudFormation spells them
(binpack ``MEMORY``, aws-cdk #20812). moto keeps none of these service properties (NOTES.md),
so the templates are where they are checked.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from config import SpecError, load_spec, naming
from config.loader import ENVIRONMENTS_DIR
from deployer.diagram.model import Flow, balancer_node, service_node
from deployer.diagram.read import read_picture
from tests.harness import SynthesisCache, SynthesisedEnvironment, resources_of_type, synthesise

LB_GROUP = {"Fn::GetAtt": ["LoadBalancerSecurityGroupA28D6DD7", "GroupId"]}
DYNAMIC = (32768, 65535)
WORKER = (
    "    image: public.ecr.aws/docker/library/busybox:1.37\n    cpu: 256\n    memory: 512\n"
    "    capacity:\n      - provider: graviton"
)
EDGE = """\
  edge:
    kind: web
    image: public.ecr.aws/nginx/nginx:1.27
    user: "101"
    port: 8081
    network_mode: host
    host_network_reason: terminates traffic on the instance's own port for a legacy peer
    capacity: [{provider: spot}]
    http: {paths: ["/edge/*"]}
"""
WORKER_USER = '    user: "65534"                 # nobody\n'
NATIVE_LINES = "    task_definition_file: worker.json\n    capacity:\n      - provider: graviton"
CALLERS = "    allow_from: [web, worker]\n"
REPORTS = "    schedule:\n      expression: cron(0 3 * * ? *)\n"
NATIVE_WORKER = {
    "family": "shop-native-worker",
    "networkMode": "bridge",
    "requiresCompatibilities": ["EC2"],
    "memory": "256",
    "containerDefinitions": [
        {
            "name": "worker",
            "image": "public.ecr.aws/docker/library/busybox:1.37",
            "essential": True,
            "user": "65534",
        }
    ],
}


def resources(env: SynthesisedEnvironment, stack: str, resource_type: str) -> list[dict[str, Any]]:
    return [r["Properties"] for r in resources_of_type(env.templates[stack], resource_type).values()]


def only(env: SynthesisedEnvironment, stack: str, resource_type: str) -> dict[str, Any]:
    [found] = resources(env, stack, resource_type)
    return found


def service_stack(env: SynthesisedEnvironment, service: str) -> str:
    return naming.service_stack_name(env.spec, service)


@pytest.fixture(scope="module")
def dev(synth_cache: SynthesisCache) -> SynthesisedEnvironment:
    return synth_cache.get("dev")


def environments(root: Path, edits: list[tuple[str, str]]) -> Path:
    """An environments directory under ``root`` holding local.yaml with ``edits`` made, next to
    the native file ``worker.json`` (``NATIVE_WORKER``)."""
    (root / "environments").mkdir()
    (root / "worker.json").write_text(json.dumps(NATIVE_WORKER))
    text = (ENVIRONMENTS_DIR / "local.yaml").read_text()
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    if NATIVE_LINES in text:  # the file names the worker's user: the spec key would be refused
        text = text.replace(WORKER_USER, "", 1)
    (root / "environments" / "local.yaml").write_text(text)
    return root / "environments"


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> SynthesisedEnvironment:
    """local, plus ``edge`` (host web), ``reports`` as a bridge job with a placement strategy and
    ``api`` called by ``web`` only."""
    edits = [
        (REPORTS, REPORTS + "    network_mode: bridge\n    placement: [{spread: instanceId}]\n"),
        ("services:\n", "services:\n" + EDGE),
        (CALLERS, "    allow_from: [web]\n"),
    ]
    return synthesise(load_spec("local", environments(tmp_path_factory.mktemp("mixed"), edits)))


def test_a_bridge_task_maps_its_port_to_a_dynamic_host_port(dev: SynthesisedEnvironment) -> None:
    task = only(dev, service_stack(dev, "catalog"), "AWS::ECS::TaskDefinition")
    assert task["NetworkMode"] == "bridge"
    assert task["RequiresCompatibilities"] == ["EC2"]
    assert "RuntimePlatform" not in task
    [container] = task["ContainerDefinitions"]
    assert container["PortMappings"] == [
        {"ContainerPort": 8080, "HostPort": 0, "Name": "catalog-8080", "Protocol": "tcp"}
    ]


def test_a_bridge_service_has_no_network_configuration_and_its_placement(dev: SynthesisedEnvironment) -> None:
    stack = service_stack(dev, "catalog")
    service = only(dev, stack, "AWS::ECS::Service")
    assert "NetworkConfiguration" not in service
    assert service["PlacementStrategies"] == [
        {"Type": "spread", "Field": "attribute:ecs.availability-zone"},
        {"Type": "binpack", "Field": "MEMORY"},
    ]
    assert resources(dev, stack, "AWS::EC2::SecurityGroup") == []
    assert resources(dev, stack, "AWS::EC2::SecurityGroupIngress") == []
    # Service Connect runs in bridge tasks too
    assert service["ServiceConnectConfiguration"]["Services"][0]["PortName"] == "catalog-8080"


def test_a_bridge_web_service_registers_instance_targets(dev: SynthesisedEnvironment) -> None:
    group = only(dev, service_stack(dev, "catalog"), "AWS::ElasticLoadBalancingV2::TargetGroup")
    assert group["TargetType"] == "instance"
    assert group["HealthCheckPort"] == "traffic-port"
    assert (group["Port"], group["HealthCheckPath"]) == (8080, "/health")
    web = resources(dev, service_stack(dev, "web"), "AWS::ElasticLoadBalancingV2::TargetGroup")
    assert len(web) == 2  # canary: production and alternate target groups, both awsvpc tasks
    assert all(group["TargetType"] == "ip" and "HealthCheckPort" not in group for group in web)


def test_the_load_balancer_reaches_the_instances_on_the_dynamic_range_only(
    dev: SynthesisedEnvironment,
) -> None:
    ingress = naming.ingress_stack_name(dev.spec)
    export = "ExportsOutputFnGetAttEcsClusterEc2spotInstanceSecurityGroupF13BA5CAGroupId0297347E"
    instances = {"Fn::ImportValue": f"shop-dev-cluster:{export}"}
    [rule_in] = resources(dev, ingress, "AWS::EC2::SecurityGroupIngress")
    [rule_out] = resources(dev, ingress, "AWS::EC2::SecurityGroupEgress")
    assert (rule_in["GroupId"], rule_in["SourceSecurityGroupId"]) == (instances, LB_GROUP)
    assert (rule_out["GroupId"], rule_out["DestinationSecurityGroupId"]) == (LB_GROUP, instances)
    for rule in (rule_in, rule_out):
        assert (rule["IpProtocol"], rule["FromPort"], rule["ToPort"]) == ("tcp", *DYNAMIC)


def test_a_host_agent_uses_the_instance_network_without_service_connect(dev: SynthesisedEnvironment) -> None:
    stack = service_stack(dev, "node-metrics")
    assert only(dev, stack, "AWS::ECS::TaskDefinition")["NetworkMode"] == "host"
    service = only(dev, stack, "AWS::ECS::Service")
    assert "NetworkConfiguration" not in service
    assert "ServiceConnectConfiguration" not in service  # Service Connect: awsvpc and bridge only
    assert service["PlacementStrategies"] == [{"Type": "spread", "Field": "instanceId"}]


@pytest.mark.parametrize("env", ["local", "dev"])
def test_amazon_linux_instances_drop_bridge_traffic_to_instance_metadata(
    synth_cache: SynthesisCache, env: str
) -> None:
    templates = synth_cache.get(env).templates
    cluster = templates[naming.cluster_stack_name(synth_cache.get(env).spec)]
    launch_templates = resources_of_type(cluster, "AWS::EC2::LaunchTemplate").values()
    assert launch_templates
    for launch_template in launch_templates:
        user_data = json.dumps(launch_template["Properties"]["LaunchTemplateData"]["UserData"])
        rule = "DOCKER-USER 1 --destination 169.254.169.254/32 --jump DROP"
        assert user_data.count(f"iptables --insert {rule}") == 2  # now, and on every Docker start
        assert "ExecStartPost" in user_data and "docker.service.d" in user_data


def test_bottlerocket_instances_rely_on_the_hop_limit(synth_cache: SynthesisCache) -> None:
    prod = synth_cache.get("prod")
    cluster = prod.templates[naming.cluster_stack_name(prod.spec)]
    bottlerocket = [
        lt["Properties"]["LaunchTemplateData"]
        for lt in resources_of_type(cluster, "AWS::EC2::LaunchTemplate").values()
        if "[settings.ecs]" in json.dumps(lt["Properties"]["LaunchTemplateData"]["UserData"])
    ]
    assert len(bottlerocket) == 1
    assert "iptables" not in json.dumps(bottlerocket[0]["UserData"])
    assert bottlerocket[0]["MetadataOptions"] == {"HttpTokens": "required", "HttpPutResponseHopLimit": 1}


def test_a_host_web_service_opens_its_own_port_on_the_instances(mixed: SynthesisedEnvironment) -> None:
    stack = service_stack(mixed, "edge")
    [container] = only(mixed, stack, "AWS::ECS::TaskDefinition")["ContainerDefinitions"]
    assert container["PortMappings"] == [{"ContainerPort": 8081, "HostPort": 8081, "Protocol": "tcp"}]
    assert only(mixed, stack, "AWS::ElasticLoadBalancingV2::TargetGroup")["TargetType"] == "instance"
    ingress = naming.ingress_stack_name(mixed.spec)
    rules = {
        (r["IpProtocol"], r["FromPort"], r["ToPort"], r["SourceSecurityGroupId"] == LB_GROUP)
        for r in resources(mixed, ingress, "AWS::EC2::SecurityGroupIngress")
    }
    assert rules == {("tcp", 8081, 8081, True)}
    picture = read_picture(mixed.spec, mixed.templates)
    assert Flow(balancer_node("main"), service_node("edge"), "8081") in picture.flows


def test_a_bridge_job_runs_without_network_configuration(mixed: SynthesisedEnvironment) -> None:
    stack = service_stack(mixed, "reports")
    schedule = only(mixed, stack, "AWS::Scheduler::Schedule")
    parameters = schedule["Target"]["EcsParameters"]
    assert "NetworkConfiguration" not in parameters
    assert parameters["PlacementStrategy"] == [{"Type": "spread", "Field": "instanceId"}]
    assert resources(mixed, stack, "AWS::EC2::SecurityGroup") == []
    assert only(mixed, stack, "AWS::ECS::TaskDefinition")["NetworkMode"] == "bridge"


def test_a_native_bridge_file_is_refused_with_the_spec_key_to_use(tmp_path: Path) -> None:
    """Native files run awsvpc tasks here; bridge and host come from the spec's network_mode."""
    with pytest.raises(SpecError) as caught:
        load_spec(
            "local", environments(tmp_path, [(WORKER, NATIVE_LINES), (CALLERS, "    allow_from: [web]\n")])
        )
    [problem] = caught.value.problems
    assert problem.path == "services.worker.task_definition_file"
    assert "bridge and host network modes come with services.worker.network_mode" in problem.message
