"""Read how an environment's scheduled jobs are doing: schedule, revision, runs, failed starts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from config import naming
from config.native.containers import reported_container
from config.schema import AppSpec
from deployer.aws.running_tasks import DESCRIBE_TASKS_MAX
from deployer.aws.stack_state import find_stack, outputs_of

NOT_DEPLOYED = "NOT_DEPLOYED"
NO_SCHEDULE = "-"  # a job started by its triggers or a workflow only


@dataclass(frozen=True)
class JobState:
    """One job. ``last_run`` is empty when ECS no longer lists a stopped task of it (ECS keeps
    stopped tasks for about an hour); ``undelivered`` counts the runs EventBridge Scheduler could
    not start (its dead-letter queue), ``None`` when unknown."""

    name: str
    schedule: str
    task_definition: str = NOT_DEPLOYED
    running: int = 0
    last_run: str = ""
    undelivered: int | None = None


def collect_jobs(spec: AppSpec, cloudformation: Any, ecs: Any, sqs: Any) -> list[JobState]:
    """Query CloudFormation, ECS and SQS (read-only calls) for every job of ``spec``."""
    return [_job_state(spec, name, cloudformation, ecs, sqs) for name in spec.services_of_kind("job")]


def _job_state(spec: AppSpec, name: str, cloudformation: Any, ecs: Any, sqs: Any) -> JobState:
    schedule = spec.services[name].schedule
    described = f"{schedule.expression} {schedule.timezone}" if schedule else NO_SCHEDULE
    stack = find_stack(cloudformation, naming.service_stack_name(spec, name))
    if stack is None:
        return JobState(name, described)
    outputs = outputs_of(stack)
    cluster = naming.cluster_name(spec)
    family = naming.task_family(spec, name)
    document = spec.task_definition_document(name)
    container = reported_container(document, name) if document else name
    return JobState(
        name=name,
        schedule=described,
        task_definition=outputs.get("TaskDefinitionArn", "").rsplit("/", 1)[-1] or NOT_DEPLOYED,
        running=len(_task_arns(ecs, cluster, family, "RUNNING")),
        last_run=_last_run(ecs, cluster, family, container),
        undelivered=queued_messages(sqs, outputs.get("DeadLetterQueueUrl")),
    )


def _task_arns(ecs: Any, cluster: str, family: str, desired_status: str) -> list[str]:
    pages = ecs.get_paginator("list_tasks").paginate(
        cluster=cluster, family=family, desiredStatus=desired_status
    )
    return [arn for page in pages for arn in page["taskArns"]]


def _last_run(ecs: Any, cluster: str, family: str, container: str) -> str:
    """``<stopped at> exit <code>`` of the newest stopped task, or its stop reason without a code."""
    arns = _task_arns(ecs, cluster, family, "STOPPED")[:DESCRIBE_TASKS_MAX]
    if not arns:
        return ""
    tasks = ecs.describe_tasks(cluster=cluster, tasks=arns)["tasks"]
    stopped = [t for t in tasks if t.get("stoppedAt")]
    if not stopped:
        return ""
    newest = max(stopped, key=lambda t: t["stoppedAt"])
    when = newest["stoppedAt"].strftime("%Y-%m-%d %H:%M:%S")
    main: dict[str, Any] = next((c for c in newest.get("containers", []) if c.get("name") == container), {})
    if "exitCode" in main:
        return f"{when} exit {main['exitCode']}"
    return f"{when} {newest.get('stoppedReason', 'stopped')}"


def queued_messages(sqs: Any, queue_url: str | None) -> int | None:
    """The approximate number of messages in the queue (a dead-letter queue: failed starts);
    None without a queue or when it cannot be read."""
    if not queue_url:
        return None
    try:
        attributes = sqs.get_queue_attributes(
            QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessages"]
        )["Attributes"]
    except ClientError:
        return None
    return int(attributes.get("ApproximateNumberOfMessages", 0))
