"""Spec ``workflows.<name>.steps`` → ``Workflow`` steps on the services' task definitions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2

from config.schema import AppSpec
from config.workflow_schema import RetrySpec, StepSpec
from constructs_lib import EcsCluster, IRetainedTaskDefinition
from constructs_lib.workflow_steps import MapStep, ParallelStep, Step, StepRetry, TaskStep
from stacks.service_props import capacity_strategy


class RunnableService(Protocol):
    """What a step needs of a service's stack: its task definition and security group."""

    @property
    def task_definition(self) -> IRetainedTaskDefinition: ...

    @property
    def security_group(self) -> ec2.ISecurityGroup | None: ...


def workflow_steps(
    spec: AppSpec,
    steps: Sequence[StepSpec],
    services: Mapping[str, RunnableService],
    cluster: EcsCluster,
    pins: Mapping[str, str] | None = None,
) -> list[Step]:
    """The construct's steps for ``steps``; a run step uses its service's task definition,
    security group and capacity provider strategy. A service rolled back (``pins``: service →
    task-definition ARN, ``-c pin.<service>``) runs its pinned revision in steps too, not the
    newer revision it was rolled back from."""
    return [_step(spec, step, services, cluster, pins or {}) for step in steps]


def _step(
    spec: AppSpec,
    step: StepSpec,
    services: Mapping[str, RunnableService],
    cluster: EcsCluster,
    pins: Mapping[str, str],
) -> Step:
    retry = _retry(step.retry)
    if step.parallel is not None:
        branches = [workflow_steps(spec, branch, services, cluster, pins) for branch in step.parallel]
        return ParallelStep(name=step.name, branches=branches, retry=retry)
    if step.map is not None:
        return MapStep(
            name=step.name,
            items_path=step.map.items,
            steps=workflow_steps(spec, step.map.steps, services, cluster, pins),
            max_concurrency=step.map.max_concurrency,
            retry=retry,
        )
    assert step.run is not None  # the schema takes exactly one of run, parallel and map
    service = services[step.run]
    return TaskStep(
        name=step.name,
        task_definition=service.task_definition.task_definition,
        capacity_provider_strategies=capacity_strategy(spec, step.run, cluster.capacity_provider_names),
        security_groups=[service.security_group] if service.security_group else [],
        command=step.command,
        environment=step.environment,
        environment_from_input=step.from_input,
        retry=retry,
        timeout=cdk.Duration.minutes(step.timeout_minutes) if step.timeout_minutes else None,
        revision=int(pins[step.run].rsplit(":", 1)[1]) if step.run in pins else None,
    )


def _retry(spec: RetrySpec) -> StepRetry:
    return StepRetry(
        attempts=spec.attempts,
        interval=cdk.Duration.seconds(spec.interval_seconds),
        backoff_rate=spec.backoff_rate,
        max_delay=cdk.Duration.seconds(spec.max_delay_seconds) if spec.max_delay_seconds else None,
    )
