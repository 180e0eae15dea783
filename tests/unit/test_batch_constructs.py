"""The Batch constructs on their own: compute, queue and job definition as templates."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_batch as batch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Match, Template

from constructs_lib import (
    BatchCompute,
    BatchComputeEnvironment,
    BatchContainer,
    BatchJobDefinition,
    BatchJobQueue,
    BatchRetry,
    EnvironmentDashboard,
    SecretKey,
)
from tests.harness import new_stack, resources_of_type

SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"


def only(template: Template, resource_type: str) -> dict[str, Any]:
    [resource] = resources_of_type(template.to_json(), resource_type).values()
    return resource


def fargate_and_ec2() -> tuple[cdk.Stack, BatchComputeEnvironment, BatchComputeEnvironment]:
    stack = new_stack()
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2)
    subnets = ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS)
    fargate = BatchComputeEnvironment(
        stack, "Fargate", vpc=vpc, vpc_subnets=subnets, compute=BatchCompute("f", spot=True, max_vcpus=8)
    )
    on_ec2 = BatchComputeEnvironment(
        stack,
        "Ec2",
        vpc=vpc,
        vpc_subnets=subnets,
        compute=BatchCompute(
            "e", fargate=False, instance_types=[ec2.InstanceType("m6i.large")], max_vcpus=32
        ),
    )
    return stack, fargate, on_ec2


def test_compute_runs_in_private_subnets_behind_a_group_without_ingress() -> None:
    stack, _, _ = fargate_and_ec2()
    template = Template.from_stack(stack)
    subnets = resources_of_type(template.to_json(), "AWS::EC2::Subnet")
    private = [{"Ref": key} for key in subnets if "Private" in key]
    assert len(private) == 2
    environments = resources_of_type(template.to_json(), "AWS::Batch::ComputeEnvironment").values()
    kinds = sorted(e["Properties"]["ComputeResources"]["Type"] for e in environments)
    assert kinds == ["EC2", "FARGATE_SPOT"]
    for environment in environments:
        assert environment["Properties"]["ComputeResources"]["Subnets"] == private
        assert environment["Properties"]["ReplaceComputeEnvironment"] is False
    for group in resources_of_type(template.to_json(), "AWS::EC2::SecurityGroup").values():
        assert "SecurityGroupIngress" not in group["Properties"]
    assert not resources_of_type(template.to_json(), "AWS::EC2::SecurityGroupIngress")


def test_ec2_compute_is_hardened_and_scales_from_zero() -> None:
    stack, _, _ = fargate_and_ec2()
    template = Template.from_stack(stack)
    data = only(template, "AWS::EC2::LaunchTemplate")["Properties"]["LaunchTemplateData"]
    assert data["MetadataOptions"] == {"HttpTokens": "required", "HttpPutResponseHopLimit": 1}
    assert "echo ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config" in json.dumps(data["UserData"])
    assert data["Monitoring"] == {"Enabled": True}
    [device] = data["BlockDeviceMappings"]
    assert device["Ebs"] == {
        "Encrypted": True,
        "VolumeType": "gp3",
        "VolumeSize": 30,
        "DeleteOnTermination": True,
    }
    template.has_resource_properties(
        "AWS::Batch::ComputeEnvironment",
        {
            "ComputeResources": Match.object_like(
                {
                    "Type": "EC2",
                    "MinvCpus": 0,
                    "MaxvCpus": 32,
                    "InstanceTypes": ["m6i.large"],
                    "AllocationStrategy": "BEST_FIT_PROGRESSIVE",
                    "Ec2Configuration": [{"ImageType": "ECS_AL2023"}],
                    "LaunchTemplate": Match.object_like({"LaunchTemplateId": Match.any_value()}),
                }
            )
        },
    )


def test_ec2_compute_without_instance_types_is_refused() -> None:
    stack = new_stack()
    vpc = ec2.Vpc(stack, "Vpc", max_azs=1)
    with pytest.raises(ValueError, match="EC2 needs instance_types"):
        BatchComputeEnvironment(stack, "Bad", vpc=vpc, compute=BatchCompute("bad", fargate=False))


def queue(topic: bool) -> Template:
    stack, fargate, _ = fargate_and_ec2()
    BatchJobQueue(
        stack,
        "Queue",
        compute_environments=[fargate.compute_environment],
        job_queue_name="shop-test-default",
        priority=5,
        runnable_timeout=cdk.Duration.minutes(20),
        failed_jobs_rule_name="shop-test-default-failed-jobs",
        alarm_topic=sns.Topic(stack, "Alarms") if topic else None,
    )
    return Template.from_stack(stack)


def test_queue_cancels_jobs_stuck_in_runnable_for_every_reason() -> None:
    properties = only(queue(topic=False), "AWS::Batch::JobQueue")["Properties"]
    assert properties["Priority"] == 5
    assert properties["JobQueueName"] == "shop-test-default"
    assert sorted(a["Reason"] for a in properties["JobStateTimeLimitActions"]) == [
        "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY",
        "MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE",
        "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT",
    ]
    for action in properties["JobStateTimeLimitActions"]:
        assert (action["Action"], action["State"], action["MaxTimeSeconds"]) == ("CANCEL", "RUNNABLE", 1200)


def test_failed_jobs_of_the_queue_raise_an_alarm_on_the_topic() -> None:
    template = queue(topic=True)
    rule = only(template, "AWS::Events::Rule")["Properties"]
    [queue_id] = resources_of_type(template.to_json(), "AWS::Batch::JobQueue")
    assert rule["Name"] == "shop-test-default-failed-jobs"
    assert rule["EventPattern"] == {
        "source": ["aws.batch"],
        "detail-type": ["Batch Job State Change"],
        "detail": {"status": ["FAILED"], "jobQueue": [{"Fn::GetAtt": [queue_id, "JobQueueArn"]}]},
    }
    alarm = only(template, "AWS::CloudWatch::Alarm")["Properties"]
    [topic_id] = resources_of_type(template.to_json(), "AWS::SNS::Topic")
    assert alarm["AlarmActions"] == alarm["OKActions"] == [{"Ref": topic_id}]
    [metric] = alarm["Metrics"]
    assert metric["MetricStat"]["Metric"]["MetricName"] == "TriggeredRules"
    assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (1, "GreaterThanOrEqualToThreshold")


def test_without_a_topic_the_alarm_has_no_action() -> None:
    alarm = only(queue(topic=False), "AWS::CloudWatch::Alarm")["Properties"]
    assert "AlarmActions" not in alarm and "OKActions" not in alarm


def test_runnable_limit_outside_batch_bounds_is_refused() -> None:
    stack, fargate, _ = fargate_and_ec2()
    with pytest.raises(ValueError, match="allowed 600 to 86400 s"):
        BatchJobQueue(
            stack,
            "Q",
            compute_environments=[fargate.compute_environment],
            runnable_timeout=cdk.Duration.minutes(5),
        )


def job(fargate: bool = True, **container: Any) -> tuple[Template, BatchJobDefinition]:
    stack = new_stack()
    key = kms.Key(stack, "Key")
    secret = secretsmanager.Secret.from_secret_complete_arn(stack, "Db", SECRET)
    definition = BatchJobDefinition(
        stack,
        "Job",
        container=BatchContainer(
            image=ecs.ContainerImage.from_registry("public.ecr.aws/docker/library/busybox:1.37"),
            secrets={"DB": batch.Secret.from_secrets_manager(secret)},
            secret_keys=[SecretKey(key)],
            writable_paths=["/tmp"],
            **container,
        ),
        fargate=fargate,
        job_definition_name="shop-test-resize",
        retry=BatchRetry(attempts=4, exit_on_codes=[2, 64]),
        timeout=cdk.Duration.minutes(30),
        log_encryption_key=key,
    )
    return Template.from_stack(stack), definition


def test_revisions_are_retained_like_task_definitions() -> None:
    template, _ = job()
    resource = only(template, "AWS::Batch::JobDefinition")
    assert (resource["UpdateReplacePolicy"], resource["DeletionPolicy"]) == ("Retain", "Retain")
    assert resource["Properties"]["ResourceRetentionPolicy"] == {"SkipDeregisterOnUpdate": True}
    assert resource["Properties"]["JobDefinitionName"] == "shop-test-resize"


def test_retry_on_host_loss_exit_on_pull_failure_and_named_codes() -> None:
    template, _ = job()
    properties = only(template, "AWS::Batch::JobDefinition")["Properties"]
    assert properties["RetryStrategy"] == {
        "Attempts": 4,
        "EvaluateOnExit": [
            {"Action": "RETRY", "OnStatusReason": "Host EC2*"},
            {"Action": "EXIT", "OnReason": "CannotPullContainerError:*"},
            {"Action": "EXIT", "OnExitCode": "2"},
            {"Action": "EXIT", "OnExitCode": "64"},
        ],
    }
    assert properties["Timeout"] == {"AttemptDurationSeconds": 1800}


def test_container_is_non_root_read_only_private_and_logs_encrypted() -> None:
    template, _ = job()
    container = only(template, "AWS::Batch::JobDefinition")["Properties"]["ContainerProperties"]
    assert (container["User"], container["ReadonlyRootFilesystem"]) == ("1000:1000", True)
    assert container["NetworkConfiguration"] == {"AssignPublicIp": "DISABLED"}
    assert container["FargatePlatformConfiguration"] == {"PlatformVersion": "LATEST"}
    assert container["Volumes"] == [{"Name": "scratch0"}]  # no "Host" on Fargate
    assert container["MountPoints"] == [{"ContainerPath": "/tmp", "SourceVolume": "scratch0"}]
    [group_id] = resources_of_type(template.to_json(), "AWS::Logs::LogGroup")
    assert container["LogConfiguration"]["Options"]["awslogs-group"] == {"Ref": group_id}
    group = only(template, "AWS::Logs::LogGroup")
    [key_id] = resources_of_type(template.to_json(), "AWS::KMS::Key")
    assert group["Properties"]["KmsKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
    assert (group["DeletionPolicy"], group["Properties"]["RetentionInDays"]) == ("Retain", 30)


def test_execution_role_reads_exactly_its_secret_key_and_log_group() -> None:
    template, _ = job()
    [key_id] = resources_of_type(template.to_json(), "AWS::KMS::Key")
    [group_id] = resources_of_type(template.to_json(), "AWS::Logs::LogGroup")
    policies = resources_of_type(template.to_json(), "AWS::IAM::Policy").values()
    statements = [s for p in policies for s in p["Properties"]["PolicyDocument"]["Statement"]]
    assert sorted((str(s["Action"]), str(s["Resource"])) for s in statements) == sorted(
        [
            (str(["logs:CreateLogStream", "logs:PutLogEvents"]), str({"Fn::GetAtt": [group_id, "Arn"]})),
            (str(["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]), SECRET),
            ("kms:Decrypt", str({"Fn::GetAtt": [key_id, "Arn"]})),
        ]
    )


def test_ec2_job_keeps_its_scratch_volume_on_the_host() -> None:
    template, _ = job(fargate=False, cpu_units=2048, memory_mib=4096)
    properties = only(template, "AWS::Batch::JobDefinition")["Properties"]
    assert properties["PlatformCapabilities"] == ["EC2"]
    assert properties["ContainerProperties"]["Volumes"] == [{"Name": "scratch0", "Host": {}}]
    requirements = {r["Type"]: r["Value"] for r in properties["ContainerProperties"]["ResourceRequirements"]}
    assert requirements == {"VCPU": "2", "MEMORY": "4096"}


def test_too_many_exit_codes_are_refused() -> None:
    with pytest.raises(ValueError, match="at most 3 exit codes"):
        BatchJobDefinition(
            new_stack(),
            "Job",
            container=BatchContainer(image=ecs.ContainerImage.from_registry("busybox")),
            retry=BatchRetry(exit_on_codes=[1, 2, 3, 4]),
        )


def test_a_dashboard_without_services_or_queues_still_has_a_widget() -> None:
    stack = new_stack()
    EnvironmentDashboard(
        stack, "Dashboard", dashboard_name="shop-jobs", cluster_name="shop-jobs", services=[]
    )
    body = json.dumps(
        only(Template.from_stack(stack), "AWS::CloudWatch::Dashboard")["Properties"]["DashboardBody"]
    )
    assert "No services or Batch queues yet." in body
