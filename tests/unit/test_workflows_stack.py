"""Step Functions workflows: the state machine, its role, logs, alarm and what starts it.

moto creates the state machine from the template but runs none of it (an execution stays
RUNNING with a canned history), keeps neither its logging nor its tracing configuration and
skips the Scheduler schedule; so the definition, the policy and the monitoring are asserted
here, on the synthesised templates: the local workflow (two steps on a schedule) and one with
parallel branches, a map and an S3 trigger.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from config import load_spec, naming, parse_spec
from constructs_lib.workflow_policy import SYNC_RULE
from stacks.app_builder import build_environment
from tests.harness import SynthesisCache, SynthesisedEnvironment, make_app, resources_of_type, synthesise
from tests.spec_problems import TEXTS

ACCOUNT_REGION = "us-east-1:123456789012"
CLUSTER_ARN = f"arn:aws:ecs:{ACCOUNT_REGION}:cluster/shop-local"
TOKEN = "<token>"
# Parallel branches, a map over the input and an S3 trigger, next to the local workflow.
FAN_OUT = """
  fan-out:
    tracing: true
    triggers: [{s3: {bucket: shop-local-uploads, prefix: batches/}}]
    steps:
      - name: both
        parallel:
          - [{name: left, run: reports, command: [sh, -c, 'echo left']}]
          - [{name: right, run: api, command: [sh, -c, 'echo right'], timeout_minutes: 5}]
      - name: per-file
        map:
          items: $.files
          max_concurrency: 3
          steps: [{name: resize, run: reports, from_input: {FILE: $}, retry: {attempts: 0}}]
"""


@pytest.fixture(scope="module")
def fan_out() -> SynthesisedEnvironment:
    return synthesise(parse_spec(TEXTS["local"] + FAN_OUT))


def workflows(synthesised: SynthesisedEnvironment) -> dict[str, Any]:
    return synthesised.templates[naming.workflow_stack_name(synthesised.spec)]


def state_machine(template: dict[str, Any], name: str) -> dict[str, Any]:
    return next(
        {"id": k, **r}
        for k, r in resources_of_type(template, "AWS::StepFunctions::StateMachine").items()
        if r["Properties"]["StateMachineName"] == name
    )


def definition(machine: dict[str, Any]) -> dict[str, Any]:
    """The state machine's ASL, with every CloudFormation reference replaced by ``TOKEN``."""
    parts = machine["Properties"]["DefinitionString"]["Fn::Join"][1]
    loaded: dict[str, Any] = json.loads("".join(p if isinstance(p, str) else TOKEN for p in parts))
    return loaded


def role_statements(template: dict[str, Any], role_id: str) -> list[dict[str, Any]]:
    return [
        s
        for p in resources_of_type(template, "AWS::IAM::Policy").values()
        if p["Properties"]["Roles"] == [{"Ref": role_id}]
        for s in p["Properties"]["PolicyDocument"]["Statement"]
    ]


def actions_of(statements: list[dict[str, Any]]) -> set[str]:
    return {a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}


def test_local_workflow_runs_its_two_steps_to_completion_in_order(synth_cache: SynthesisCache) -> None:
    asl = definition(state_machine(workflows(synth_cache.get("local")), "shop-local-nightly"))
    assert asl["StartAt"] == "export" and asl["TimeoutSeconds"] == 24 * 3600
    export, report = asl["States"]["export"], asl["States"]["report"]
    assert export["Next"] == "report" and report["End"] is True
    for step in (export, report):
        assert step["Resource"] == f"arn:{TOKEN}:states:::ecs:runTask.sync"  # RUN_JOB: waits for the end
        parameters = step["Parameters"]
        assert parameters["Cluster"] == CLUSTER_ARN
        # The family, not a revision: the state machine never holds an ARN that changes on deploy.
        assert parameters["TaskDefinition"] == "shop-local-reports"
        assert "LaunchType" not in parameters
        assert parameters["CapacityProviderStrategy"] == [
            {"CapacityProvider": "cp-shop-local-spot", "Weight": 1, "Base": 0}
        ]
        assert parameters["PropagateTags"] == "TASK_DEFINITION"
        assert step["ResultPath"] is None  # the next step gets the execution's input
        assert step["Retry"] == [
            {
                "ErrorEquals": ["States.ALL"],
                "IntervalSeconds": 10,
                "MaxAttempts": 2,
                "BackoffRate": 2,
                "JitterStrategy": "FULL",
            }
        ]
        assert step["Catch"] == [
            {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "NotifyFailure"}
        ]
    assert export["Parameters"]["Overrides"] == {
        "ContainerOverrides": [{"Name": "reports", "Command": ["sh", "-c", "echo exporting orders"]}]
    }
    assert report["Parameters"]["Overrides"] == {
        "ContainerOverrides": [
            {"Name": "reports", "Environment": [{"Name": "REPORT_KIND", "Value": "daily"}]}
        ]
    }


def test_a_failed_step_notifies_then_fails_the_execution_with_its_error(synth_cache: SynthesisCache) -> None:
    template = workflows(synth_cache.get("local"))
    states = definition(state_machine(template, "shop-local-nightly"))["States"]
    notify = states["NotifyFailure"]
    assert notify["Resource"] == f"arn:{TOKEN}:states:::sns:publish" and notify["Next"] == "Failed"
    assert notify["Parameters"]["Message"] == {
        "workflow": "shop-local-nightly",
        "execution.$": "$$.Execution.Id",
        "error.$": "$.error.Error",
        "cause.$": "$.error.Cause",
    }
    assert states["Failed"] == {"Type": "Fail", "ErrorPath": "$.error.Error", "CausePath": "$.error.Cause"}
    # the notice goes to the environment's alarm topic (cluster stack, encrypted with the key)
    assert not resources_of_type(template, "AWS::SNS::Topic")
    assert "EcsClusterAlarmsTopic" in json.dumps(template)


def test_executions_are_logged_encrypted_and_retained(synth_cache: SynthesisCache) -> None:
    template = workflows(synth_cache.get("local"))
    machine = state_machine(template, "shop-local-nightly")["Properties"]
    logging = machine["LoggingConfiguration"]
    assert logging["Level"] == "ALL" and logging["IncludeExecutionData"] is True
    group_id = logging["Destinations"][0]["CloudWatchLogsLogGroup"]["LogGroupArn"]["Fn::GetAtt"][0]
    group = template["Resources"][group_id]
    assert group["Properties"]["LogGroupName"] == "/aws/vendedlogs/states/shop-local-nightly"
    assert group["Properties"]["RetentionInDays"] == 365
    assert "EnvironmentKey" in json.dumps(group["Properties"]["KmsKeyId"])
    assert group["DeletionPolicy"] == group["UpdateReplacePolicy"] == "Retain"
    assert machine["TracingConfiguration"] == {"Enabled": False}  # X-Ray is opt-in
    assert machine["StateMachineType"] == "STANDARD"


def test_the_role_may_run_exactly_the_steps_families_and_pass_exactly_their_roles(
    synth_cache: SynthesisCache,
) -> None:
    template = workflows(synth_cache.get("local"))
    machine = state_machine(template, "shop-local-nightly")
    role_id = machine["Properties"]["RoleArn"]["Fn::GetAtt"][0]
    trust = template["Resources"][role_id]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust[0]["Principal"] == {"Service": "states.amazonaws.com"}
    assert trust[0]["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
    statements = role_statements(template, role_id)
    by_action = {
        a: s for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }
    assert (
        by_action["ecs:RunTask"]["Resource"]
        == f"arn:aws:ecs:{ACCOUNT_REGION}:task-definition/shop-local-reports:*"
    )
    assert by_action["ecs:RunTask"]["Condition"] == {"ArnEquals": {"ecs:cluster": CLUSTER_ARN}}
    tasks = f"arn:aws:ecs:{ACCOUNT_REGION}:task/shop-local/*"
    assert by_action["ecs:DescribeTasks"]["Resource"] == by_action["ecs:StopTask"]["Resource"] == tasks
    assert by_action["ecs:TagResource"]["Condition"] == {"StringEquals": {"ecs:CreateAction": "RunTask"}}
    passing = by_action["iam:PassRole"]
    assert passing["Condition"] == {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}
    imports = sorted(r["Fn::ImportValue"] for r in passing["Resource"])
    assert len(imports) == 2
    assert all(i.startswith("shop-local-svc-reports:") for i in imports)
    assert any("TaskRole" in i for i in imports) and any("ExecutionRole" in i for i in imports)
    # The .sync integration's rule, by the name AWS documents for ECS.
    assert SYNC_RULE == "StepFunctionsGetEventsForECSTaskRule"
    for action in ("events:PutTargets", "events:PutRule", "events:DescribeRule"):
        assert by_action[action]["Resource"] == f"arn:aws:events:{ACCOUNT_REGION}:rule/{SYNC_RULE}"
    publish = by_action["sns:Publish"]
    assert "EcsClusterAlarmsTopic" in json.dumps(publish["Resource"])  # the environment's alarm topic
    assert "xray:PutTraceSegments" not in by_action
    assert actions_of(statements) - {a for a in by_action if a.startswith("logs:")} == {
        "ecs:RunTask", "ecs:DescribeTasks", "ecs:StopTask", "ecs:TagResource", "iam:PassRole",
        "events:PutTargets", "events:PutRule", "events:DescribeRule", "sns:Publish",
        "kms:Decrypt", "kms:GenerateDataKey",
    }  # fmt: skip


def test_no_task_definition_arn_crosses_stacks(synth_cache: SynthesisCache) -> None:
    """A revision ARN exported to the workflows stack would change on every deploy, and
    CloudFormation refuses to change an export in use: only stable values may cross."""
    synthesised = synth_cache.get("local")
    text = json.dumps(workflows(synthesised))
    imported = {part.split('"')[0] for part in text.split('"Fn::ImportValue": "')[1:]}
    exported = {
        output["Export"]["Name"]: output["Value"]
        for template in synthesised.templates.values()
        for output in template.get("Outputs", {}).values()
        if "Export" in output
    }
    values = [json.dumps(exported[name]) for name in imported]
    assert values and not [v for v in values if "TaskDefinition" in v and "Role" not in v]
    assert all(
        any(k in v for k in ("Role", "SecurityGroup", "Subnet", "EnvironmentKey", "AlarmsTopic"))
        for v in values
    )


def test_a_failed_execution_raises_the_alarm(synth_cache: SynthesisCache) -> None:
    template = workflows(synth_cache.get("local"))
    machine_id = state_machine(template, "shop-local-nightly")["id"]
    (alarm,) = resources_of_type(template, "AWS::CloudWatch::Alarm").values()
    props = alarm["Properties"]
    assert (props["Namespace"], props["MetricName"], props["Statistic"], props["Period"]) == (
        "AWS/States",
        "ExecutionsFailed",
        "Sum",
        300,
    )
    assert props["Dimensions"] == [{"Name": "StateMachineArn", "Value": {"Ref": machine_id}}]
    assert (props["Threshold"], props["ComparisonOperator"], props["TreatMissingData"]) == (
        1,
        "GreaterThanOrEqualToThreshold",
        "notBreaching",
    )


def test_the_schedule_starts_it_with_a_role_that_may_do_only_that(synth_cache: SynthesisCache) -> None:
    template = workflows(synth_cache.get("local"))
    machine_id = state_machine(template, "shop-local-nightly")["id"]
    (schedule,) = resources_of_type(template, "AWS::Scheduler::Schedule").values()
    props = schedule["Properties"]
    assert props["ScheduleExpression"] == "cron(0 4 * * ? *)" and props["ScheduleExpressionTimezone"] == "UTC"
    target = props["Target"]
    assert target["Arn"] == {"Ref": machine_id}
    assert target["RetryPolicy"] == {"MaximumEventAgeInSeconds": 3600, "MaximumRetryAttempts": 2}
    queue_id = target["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0]
    assert "EnvironmentKey" in json.dumps(template["Resources"][queue_id]["Properties"]["KmsMasterKeyId"])
    statements = role_statements(template, target["RoleArn"]["Fn::GetAtt"][0])
    assert actions_of(statements) == {
        "states:StartExecution",
        "sqs:SendMessage",
        "kms:GenerateDataKey",
        "kms:Decrypt",
    }
    start = next(s for s in statements if s["Action"] == "states:StartExecution")
    assert start["Resource"] == {"Ref": machine_id}


def test_parallel_branches_and_a_map_over_the_input(fan_out: SynthesisedEnvironment) -> None:
    asl = definition(state_machine(workflows(fan_out), "shop-local-fan-out"))
    both = asl["States"]["both"]
    assert both["Type"] == "Parallel" and both["Next"] == "per-file" and both["ResultPath"] is None
    left, right = (branch["States"][branch["StartAt"]] for branch in both["Branches"])
    assert left["Parameters"]["TaskDefinition"] == "shop-local-reports"
    assert right["Parameters"]["TaskDefinition"] == "shop-local-api"
    assert right["TimeoutSeconds"] == 300
    # api runs with its own capacity strategy (the cluster default) and security group
    assert right["Parameters"]["CapacityProviderStrategy"] == [
        {"CapacityProvider": "FARGATE", "Weight": 1, "Base": 1},
        {"CapacityProvider": "FARGATE_SPOT", "Weight": 3, "Base": 0},
    ]
    assert "Catch" not in left  # a branch's failure fails the parallel state, which catches it
    assert both["Catch"][0]["Next"] == "NotifyFailure"
    per_file = asl["States"]["per-file"]
    assert (per_file["Type"], per_file["ItemsPath"], per_file["MaxConcurrency"]) == ("Map", "$.files", 3)
    resize = per_file["ItemProcessor"]["States"]["resize"]
    assert resize["Parameters"]["Overrides"]["ContainerOverrides"] == [
        {"Name": "reports", "Environment": [{"Name": "FILE", "Value.$": "$"}]}
    ]
    assert "Retry" not in resize  # attempts: 0


def test_tracing_and_several_families_widen_the_role_exactly(fan_out: SynthesisedEnvironment) -> None:
    template = workflows(fan_out)
    machine = state_machine(template, "shop-local-fan-out")
    assert machine["Properties"]["TracingConfiguration"] == {"Enabled": True}
    statements = role_statements(template, machine["Properties"]["RoleArn"]["Fn::GetAtt"][0])
    run = next(s for s in statements if s["Action"] == "ecs:RunTask")
    assert sorted(run["Resource"]) == [
        f"arn:aws:ecs:{ACCOUNT_REGION}:task-definition/shop-local-api:*",
        f"arn:aws:ecs:{ACCOUNT_REGION}:task-definition/shop-local-reports:*",
    ]
    passing = next(s for s in statements if s["Action"] == "iam:PassRole")
    owners = sorted(r["Fn::ImportValue"].split(":")[0] for r in passing["Resource"])
    assert owners == ["shop-local-svc-api"] * 2 + ["shop-local-svc-reports"] * 2
    assert {"xray:PutTraceSegments", "xray:PutTelemetryRecords"} <= actions_of(statements)


def test_an_s3_trigger_starts_the_workflow_with_the_event_values(fan_out: SynthesisedEnvironment) -> None:
    template = workflows(fan_out)
    machine_id = state_machine(template, "shop-local-fan-out")["id"]
    (rule,) = resources_of_type(template, "AWS::Events::Rule").values()
    props = rule["Properties"]
    assert (
        props["EventPattern"]
        == parse_spec(TEXTS["local"] + FAN_OUT).workflows["fan-out"].triggers[0].event_pattern
    )
    (target,) = props["Targets"]
    assert target["Arn"] == {"Ref": machine_id}
    assert sorted(target["InputTransformer"]["InputPathsMap"].values()) == [
        "$.detail.bucket.name",
        "$.detail.object.key",
    ]
    assert '"S3_KEY":<' in target["InputTransformer"]["InputTemplate"]
    statements = role_statements(template, target["RoleArn"]["Fn::GetAtt"][0])
    assert actions_of(statements) == {"states:StartExecution"}


def test_the_stack_plan_puts_workflows_last_and_only_when_there_are_some() -> None:
    spec = load_spec("local")
    assert naming.all_stack_names(spec)[-1] == naming.workflow_stack_name(spec) == "shop-local-workflows"
    assert naming.workflow_stack_name(load_spec("dev")) not in naming.all_stack_names(load_spec("dev"))
    assert naming.state_machine_output("nightly-export") == "StateMachineArnNightlyExport"
    assert naming.trigger_output("Rule", 1, "nightly") == "StateMachineArnNightlyTriggerRule1"
    assert naming.trigger_output("DeadLetterQueueUrl") == "TriggerDeadLetterQueueUrl"


def test_a_rolled_back_service_runs_its_pinned_revision_in_steps_too() -> None:
    """``deployer rollback api`` pins api's stack to revision 4; a step that runs api runs
    revision 4 as well, not the newer revision (still ACTIVE, retained) it was rolled back from,
    and the role, which may run every revision of the family, needs no change."""
    spec = parse_spec(TEXTS["local"] + FAN_OUT)
    pinned = "arn:aws:ecs:us-east-1:123456789012:task-definition/shop-local-api:4"
    app = make_app()
    build_environment(app, spec, pins={"api": pinned})
    template = app.synth().get_stack_by_name(naming.workflow_stack_name(spec)).template
    machine = state_machine(template, "shop-local-fan-out")
    both = definition(machine)["States"]["both"]
    left, right = (branch["States"][branch["StartAt"]] for branch in both["Branches"])
    assert right["Parameters"]["TaskDefinition"] == "shop-local-api:4"
    assert left["Parameters"]["TaskDefinition"] == "shop-local-reports"  # not pinned: the family
    run = next(
        s
        for s in role_statements(template, machine["Properties"]["RoleArn"]["Fn::GetAtt"][0])
        if "ecs:RunTask" in s["Action"]
    )
    assert "task-definition/shop-local-api:*" in json.dumps(run["Resource"])
