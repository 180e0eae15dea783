"""AWS Batch in the shipped environments (local on Fargate, dev on EC2 Spot): the Security Hub
container controls on job definitions, private no-ingress compute, failed-jobs alarms, the
dashboard, the alarm topic wiring, and what ``cost``, ``diagram`` and ``status`` show."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from config import load_spec, naming
from deployer.aws.status import ClusterState, EnvironmentStatus
from deployer.batch.status import queue_states
from deployer.commands.status import status_tables
from deployer.cost.estimate import estimate
from deployer.diagram.dot import to_dot
from deployer.diagram.model import Batch, BatchCompute, BatchQueue
from deployer.diagram.read import read_picture
from tests.harness import SynthesisCache, resources_of_type

BATCH_ENVIRONMENTS = ["local", "dev"]


def batch_template(cache: SynthesisCache, env: str) -> dict[str, Any]:
    synthesised = cache.get(env)
    return synthesised.templates[naming.batch_stack_name(synthesised.spec)]


def of_type(template: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return list(resources_of_type(template, resource_type).values())


@pytest.mark.parametrize("env", BATCH_ENVIRONMENTS)
def test_job_definitions_meet_the_container_controls(synth_cache: SynthesisCache, env: str) -> None:
    template = batch_template(synth_cache, env)
    network = naming.network_stack_name(synth_cache.get(env).spec)
    for group in of_type(template, "AWS::Logs::LogGroup"):  # the environment key, from the network stack
        key = group["Properties"]["KmsKeyId"]["Fn::ImportValue"]
        assert key.startswith(f"{network}:") and "EnvironmentKey" in key
    for resource in of_type(template, "AWS::Batch::JobDefinition"):
        container = resource["Properties"]["ContainerProperties"]
        assert container["ReadonlyRootFilesystem"] is True  # ECS.5
        assert container["User"].split(":")[0] not in ("root", "0")  # ECS.20
        assert not container.get("Privileged", False)  # ECS.4
        assert container["LogConfiguration"]["LogDriver"] == "awslogs"  # ECS.9
        names = [v["Name"] for v in container.get("Environment", [])]
        assert not {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} & set(names)  # ECS.8
        if resource["Properties"]["PlatformCapabilities"] == ["FARGATE"]:
            assert container["NetworkConfiguration"] == {"AssignPublicIp": "DISABLED"}  # ECS.2
            assert container["FargatePlatformConfiguration"] == {"PlatformVersion": "LATEST"}  # ECS.10
        assert (resource["DeletionPolicy"], resource["UpdateReplacePolicy"]) == ("Retain", "Retain")


@pytest.mark.parametrize("env", BATCH_ENVIRONMENTS)
def test_compute_is_private_and_accepts_no_traffic(synth_cache: SynthesisCache, env: str) -> None:
    template = batch_template(synth_cache, env)
    assert not of_type(template, "AWS::EC2::SecurityGroupIngress")
    for group in of_type(template, "AWS::EC2::SecurityGroup"):
        assert "SecurityGroupIngress" not in group["Properties"]
    for environment in of_type(template, "AWS::Batch::ComputeEnvironment"):
        subnets = environment["Properties"]["ComputeResources"]["Subnets"]
        assert subnets and all("privateSubnet" in s["Fn::ImportValue"] for s in subnets)
    for launch_template in of_type(template, "AWS::EC2::LaunchTemplate"):
        data = launch_template["Properties"]["LaunchTemplateData"]
        assert data["MetadataOptions"] == {"HttpTokens": "required", "HttpPutResponseHopLimit": 1}
        assert all(m["Ebs"]["Encrypted"] for m in data["BlockDeviceMappings"])


@pytest.mark.parametrize("env", BATCH_ENVIRONMENTS)
def test_every_queue_has_its_failed_jobs_rule_and_alarm(synth_cache: SynthesisCache, env: str) -> None:
    spec = synth_cache.get(env).spec
    template = batch_template(synth_cache, env)
    rules = sorted(r["Properties"]["Name"] for r in of_type(template, "AWS::Events::Rule"))
    assert rules == sorted(naming.failed_jobs_rule_name(spec, queue) for queue in spec.batch.queues)
    assert len(of_type(template, "AWS::CloudWatch::Alarm")) == len(spec.batch.queues)


def test_local_dashboard_graphs_services_and_queue_failures(synth_cache: SynthesisCache) -> None:
    synthesised = synth_cache.get("local")
    cluster = synthesised.templates[naming.cluster_stack_name(synthesised.spec)]
    [dashboard] = of_type(cluster, "AWS::CloudWatch::Dashboard")
    assert dashboard["Properties"]["DashboardName"] == "shop-local"
    body = str(dashboard["Properties"]["DashboardBody"])
    for service in ("web", "api", "worker"):
        assert f'"ServiceName","{service}"' in body, service
    assert '"ServiceName","reports"' not in body  # a scheduled job keeps no tasks running
    assert "shop-local-default-failed-jobs" in body and "RunningTaskCount" in body


def test_the_dev_profile_leaves_the_dashboard_out(synth_cache: SynthesisCache) -> None:
    synthesised = synth_cache.get("dev")
    assert not any(of_type(t, "AWS::CloudWatch::Dashboard") for t in synthesised.templates.values())


def test_queue_alarms_notify_the_clusters_alarm_topic(synth_cache: SynthesisCache) -> None:
    """The Batch stack's failed-jobs alarm notifies the environment's alarm topic (cluster stack)."""
    synthesised = synth_cache.get("local")
    [alarm] = of_type(synthesised.templates["shop-local-batch"], "AWS::CloudWatch::Alarm")
    [action] = alarm["Properties"]["AlarmActions"]
    assert "ImportValue" in str(action) and "AlarmsTopic" in str(action)
    assert alarm["Properties"]["OKActions"] == [action]


def test_cost_prices_each_job_hour_and_the_dashboard(synth_cache: SynthesisCache) -> None:
    local = estimate(synth_cache.get("local").spec, synth_cache.get("local").templates)
    # 0.25 vCPU x $0.02024 + 0.5 GB x $0.0022225 (Fargate Spot, x86_64) = $0.0062 per hour
    assert (
        "Batch job thumbnails: $0.0062 per job-hour on FARGATE_SPOT (x86_64, 0.25 vCPU, 0.5 GB), "
        "billed per second, 1-minute minimum"
    ) in local.notes
    [dashboard] = [line for line in local.lines if line.what == "CloudWatch dashboard"]
    assert (dashboard.group, dashboard.monthly) == ("fixed", 3.0)
    assert not [w for w in local.warnings if "not priced" in w]
    dev = estimate(synth_cache.get("dev").spec, synth_cache.get("dev").templates)
    assert any(
        n.startswith("Batch job monthly-report (x86_64, 2 vCPU, 4 GB): on EC2 Spot") for n in dev.notes
    )
    assert not [line for line in dev.lines if line.what == "CloudWatch dashboard"]
    assert dev.target_met


def test_diagram_shows_each_queue_its_jobs_and_ordered_compute(synth_cache: SynthesisCache) -> None:
    synthesised = synth_cache.get("local")
    picture = read_picture(synthesised.spec, synthesised.templates)
    assert picture.batch == Batch(
        compute=(
            BatchCompute("fargate-spot", "Fargate Spot, up to 8 vCPUs"),
            BatchCompute("fargate", "Fargate, up to 8 vCPUs"),
        ),
        queues=(
            BatchQueue(
                name="default",
                priority=1,
                runnable_minutes=30,
                compute=("fargate-spot", "fargate"),
                jobs=("thumbnails (0.25 vCPU, 0.5 GB, 3 attempts)",),
            ),
        ),
    )
    dot = to_dot(picture)
    assert '"batch-queue:default" -> "batch-compute:fargate-spot" [label="1"];' in dot
    assert '"batch-queue:default" -> "batch-compute:fargate" [label="2"];' in dot


def test_status_lists_the_queues_with_their_active_jobs() -> None:
    spec = load_spec("local")
    client = boto3.client("batch", region_name="us-east-1")
    with Stubber(client) as stubber:
        stubber.add_response(
            "describe_job_queues",
            {
                "jobQueues": [
                    {
                        "jobQueueName": "shop-local-default",
                        "jobQueueArn": "arn:aws:batch:us-east-1:123456789012:job-queue/shop-local-default",
                        "state": "ENABLED",
                        "status": "VALID",
                        "priority": 1,
                        "computeEnvironmentOrder": [
                            {
                                "order": 2,
                                "computeEnvironment": "arn:aws:batch:us-east-1:1:compute-environment/od",
                            },
                            {
                                "order": 1,
                                "computeEnvironment": "arn:aws:batch:us-east-1:1:compute-environment/spot",
                            },
                        ],
                    }
                ]
            },
            {"jobQueues": ["shop-local-default"]},
        )
        for state, count in (
            ("SUBMITTED", 0),
            ("PENDING", 0),
            ("RUNNABLE", 2),
            ("STARTING", 0),
            ("RUNNING", 1),
        ):
            jobs = [{"jobId": f"{state}-{i}", "jobName": "thumbnails-x"} for i in range(count)]
            stubber.add_response(
                "list_jobs", {"jobSummaryList": jobs}, {"jobQueue": "shop-local-default", "jobStatus": state}
            )
        [queue] = queue_states(spec, client)
    assert (queue.name, queue.compute_environments) == ("default", ["spot", "od"])
    assert queue.jobs == {"SUBMITTED": 0, "PENDING": 0, "RUNNABLE": 2, "STARTING": 0, "RUNNING": 1}
    tables = status_tables(
        EnvironmentStatus("local", [], ClusterState("shop-local", "ACTIVE"), [], [], batch_queues=[queue])
    )
    assert [t.title for t in tables][-1] == "Batch queues (active jobs)"


def test_a_queue_not_deployed_yet_is_missing() -> None:
    client = boto3.client("batch", region_name="us-east-1")
    with Stubber(client) as stubber:
        stubber.add_response("describe_job_queues", {"jobQueues": []}, {"jobQueues": ["shop-local-default"]})
        [queue] = queue_states(load_spec("local"), client)
    assert (queue.state, queue.jobs) == ("MISSING", {})
