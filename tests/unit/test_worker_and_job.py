"""Workers (queue, dead-letter queue, backlog-per-task scaling) and scheduled jobs."""

from __future__ import annotations

import json
from typing import Any

from config import naming
from tests.harness import SynthesisCache, resources_of_type


def actions(statement: dict[str, Any]) -> list[str]:
    action = statement["Action"]
    return [action] if isinstance(action, str) else list(action)


def one(template: dict[str, Any], kind: str) -> dict[str, Any]:
    [resource] = resources_of_type(template, kind).values()
    return dict(resource["Properties"])


def worker_template(synth_cache: SynthesisCache) -> dict[str, Any]:
    synthesised = synth_cache.get("local")
    return synthesised.templates[naming.service_stack_name(synthesised.spec, "worker")]


def test_worker_queue_is_encrypted_tls_only_with_a_dead_letter_queue(synth_cache: SynthesisCache) -> None:
    template = worker_template(synth_cache)
    queues = resources_of_type(template, "AWS::SQS::Queue")
    main = next(r["Properties"] for r in queues.values() if "RedrivePolicy" in r["Properties"])
    dead = next(r["Properties"] for r in queues.values() if "RedrivePolicy" not in r["Properties"])
    assert main["RedrivePolicy"]["maxReceiveCount"] == 5
    assert main["VisibilityTimeout"] == 60 and main["MessageRetentionPeriod"] == 4 * 86400
    assert dead["MessageRetentionPeriod"] == 14 * 86400
    for queue in (main, dead):
        assert "ImportValue" in json.dumps(queue["KmsMasterKeyId"])  # the environment's key
    policies = [
        r["Properties"]["PolicyDocument"]
        for r in resources_of_type(template, "AWS::SQS::QueuePolicy").values()
    ]
    assert len(policies) == 2
    for policy in policies:
        [statement] = policy["Statement"]
        assert statement["Effect"] == "Deny" and statement["Condition"] == {
            "Bool": {"aws:SecureTransport": "false"}
        }


def test_worker_task_role_may_consume_its_queue_and_nothing_more(synth_cache: SynthesisCache) -> None:
    template = worker_template(synth_cache)
    statements = [
        s
        for r in resources_of_type(template, "AWS::IAM::Policy").values()
        if "TaskRole" in json.dumps(r["Properties"]["Roles"])
        for s in r["Properties"]["PolicyDocument"]["Statement"]
    ]
    assert len(statements) == 2
    sqs = next(s for s in statements if any(a.startswith("sqs:") for a in actions(s)))
    assert set(actions(sqs)) == {
        "sqs:ReceiveMessage",
        "sqs:ChangeMessageVisibility",
        "sqs:GetQueueUrl",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
    }
    assert "Queue" in json.dumps(sqs["Resource"]) and "DeadLetter" not in json.dumps(sqs["Resource"])
    kms = next(s for s in statements if any(a.startswith("kms:") for a in actions(s)))
    assert actions(kms) == ["kms:Decrypt"]


def test_worker_scales_on_backlog_per_task_and_from_zero(synth_cache: SynthesisCache) -> None:
    template = worker_template(synth_cache)
    assert "DesiredCount" not in one(template, "AWS::ECS::Service")
    target = one(template, "AWS::ApplicationAutoScaling::ScalableTarget")
    assert (target["MinCapacity"], target["MaxCapacity"]) == (0, 4)
    policies = {
        r["Properties"]["PolicyType"]: r["Properties"]
        for r in resources_of_type(template, "AWS::ApplicationAutoScaling::ScalingPolicy").values()
    }
    tracking = policies["TargetTrackingScaling"]["TargetTrackingScalingPolicyConfiguration"]
    assert tracking["TargetValue"] == 20
    queries = {q["Id"]: q for q in tracking["CustomizedMetricSpecification"]["Metrics"]}
    assert queries["backlog"]["Expression"] == "IF(running > 0, visible / running, visible)"
    assert queries["backlog"]["ReturnData"] is True
    assert queries["running"]["MetricStat"]["Metric"]["MetricName"] == "RunningTaskCount"
    assert queries["visible"]["MetricStat"]["Metric"]["MetricName"] == "ApproximateNumberOfMessagesVisible"
    step = policies["StepScaling"]["StepScalingPolicyConfiguration"]
    assert step["AdjustmentType"] == "ExactCapacity"
    assert step["StepAdjustments"] == [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}]
    [alarm] = resources_of_type(template, "AWS::CloudWatch::Alarm").values()
    expression = next(m["Expression"] for m in alarm["Properties"]["Metrics"] if "Expression" in m)
    assert expression == "IF(FILL(running, 0) == 0 AND visible > 0, 1, 0)"


def test_job_is_a_schedule_with_retries_a_dead_letter_queue_and_no_service(
    synth_cache: SynthesisCache,
) -> None:
    synthesised = synth_cache.get("local")
    template = synthesised.templates[naming.service_stack_name(synthesised.spec, "reports")]
    assert not resources_of_type(template, "AWS::ECS::Service")
    schedule = one(template, "AWS::Scheduler::Schedule")
    assert schedule["ScheduleExpression"] == "cron(0 3 * * ? *)"
    assert schedule["ScheduleExpressionTimezone"] == "UTC"
    target = schedule["Target"]
    assert target["RetryPolicy"] == {"MaximumEventAgeInSeconds": 3600, "MaximumRetryAttempts": 2}
    assert "DeadLetterConfig" in target
    parameters = target["EcsParameters"]
    assert "LaunchType" not in parameters
    assert [s["CapacityProvider"] for s in parameters["CapacityProviderStrategy"]] == ["cp-shop-local-spot"]
    network = parameters["NetworkConfiguration"]["AwsvpcConfiguration"]
    assert network.get("AssignPublicIp", "DISABLED") == "DISABLED" and "privateSubnet" in json.dumps(network)
    assert parameters["PropagateTags"] == "TASK_DEFINITION"


def test_job_schedule_role_runs_only_its_task_definition(synth_cache: SynthesisCache) -> None:
    synthesised = synth_cache.get("local")
    template = synthesised.templates[naming.service_stack_name(synthesised.spec, "reports")]
    role = next(
        r["Properties"]
        for r in resources_of_type(template, "AWS::IAM::Role").values()
        if "scheduler.amazonaws.com" in json.dumps(r["Properties"]["AssumeRolePolicyDocument"])
    )
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Condition"] == {
        "StringEquals": {"aws:SourceAccount": "123456789012"}
    }
    statements = [
        s
        for r in resources_of_type(template, "AWS::IAM::Policy").values()
        if "ScheduleRole" in json.dumps(r["Properties"]["Roles"])
        for s in r["Properties"]["PolicyDocument"]["Statement"]
    ]
    run = next(s for s in statements if s["Action"] == "ecs:RunTask")
    assert "TaskDefinition" in json.dumps(run["Resource"])
    actions = {
        a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }
    assert actions <= {"ecs:RunTask", "iam:PassRole", "ecs:TagResource", "sqs:SendMessage"} | {
        "kms:GenerateDataKey",  # Scheduler writes dead letters as this role, to a queue under
        "kms:Decrypt",  # the environment key: SQS needs the sender to use the key
    }
    key_use = next(s for s in statements if "kms:Decrypt" in s["Action"])
    assert "EnvironmentKey" in json.dumps(key_use["Resource"])  # that one key, no wildcard


def test_backend_serves_on_service_connect_and_everyone_is_a_client(synth_cache: SynthesisCache) -> None:
    synthesised = synth_cache.get("local")
    spec = synthesised.spec
    api = one(synthesised.templates[naming.service_stack_name(spec, "api")], "AWS::ECS::Service")
    connect = api["ServiceConnectConfiguration"]
    assert connect["Enabled"] is True and connect["Namespace"] == naming.namespace_name(spec)
    [served] = connect["Services"]
    assert served["PortName"] == "api-8080"
    assert served["ClientAliases"] == [{"DnsName": "api", "Port": 8080}]
    assert connect["LogConfiguration"]["LogDriver"] == "awslogs"
    worker = one(synthesised.templates[naming.service_stack_name(spec, "worker")], "AWS::ECS::Service")
    assert worker["ServiceConnectConfiguration"]["Enabled"] is True
    assert not worker["ServiceConnectConfiguration"].get("Services")
    cluster = one(
        synthesised.templates[naming.cluster_stack_name(spec)], "AWS::ServiceDiscovery::HttpNamespace"
    )
    assert cluster["Name"] == naming.namespace_name(spec)


def test_allow_from_opens_only_the_port_from_each_caller_in_the_callers_stack(
    synth_cache: SynthesisCache,
) -> None:
    synthesised = synth_cache.get("local")
    spec = synthesised.spec
    for caller in spec.services["api"].allow_from:
        template = synthesised.templates[naming.service_stack_name(spec, caller)]
        rules = [
            r["Properties"]
            for r in resources_of_type(template, "AWS::EC2::SecurityGroupIngress").values()
            if "svc-api" in json.dumps(r["Properties"]["GroupId"])
        ]
        assert [(r["FromPort"], r["ToPort"], r["IpProtocol"]) for r in rules] == [(8080, 8080, "tcp")]
        assert "SourceSecurityGroupId" in rules[0] and "CidrIp" not in rules[0]
    api = synthesised.templates[naming.service_stack_name(spec, "api")]
    assert not resources_of_type(api, "AWS::EC2::SecurityGroupIngress")  # nothing else reaches it
