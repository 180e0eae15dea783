"""The steps of a ``Workflow``, as props, and the Step Functions states they become."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import aws_cdk as cdk
import jsii
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct


@dataclass(frozen=True)
class StepRetry:
    """Retries of a failed step, on any error. Default: 2 retries, 10 s then 20 s apart, full jitter."""

    attempts: int = 2
    interval: cdk.Duration = field(default_factory=lambda: cdk.Duration.seconds(10))
    backoff_rate: float = 2.0
    max_delay: cdk.Duration | None = None


@dataclass(frozen=True)
class TaskStep:
    """Run one task of ``task_definition`` to completion (the ``.sync`` integration): the step
    fails when the task cannot start or its essential container exits non-zero. ``command``,
    ``environment`` (literal values) and ``environment_from_input`` (JSON paths into the step's
    input) override the main container's. Placement is the capacity provider strategy, the
    network ``security_groups`` (use the service's own, so its network rules apply).
    ``revision`` runs that revision of the family (default: its newest ACTIVE revision when the
    step starts, which is the one the family's stack last deployed)."""

    name: str
    task_definition: ecs.TaskDefinition
    capacity_provider_strategies: Sequence[ecs.CapacityProviderStrategy]
    security_groups: Sequence[ec2.ISecurityGroup]
    command: Sequence[str] | None = None
    environment: Mapping[str, str] = field(default_factory=dict)
    environment_from_input: Mapping[str, str] = field(default_factory=dict)
    retry: StepRetry = field(default_factory=StepRetry)
    timeout: cdk.Duration | None = None
    revision: int | None = None


@dataclass(frozen=True)
class ParallelStep:
    """Run ``branches`` (each a sequence of steps) at once; it fails when one of them fails."""

    name: str
    branches: Sequence[Sequence[Step]]
    retry: StepRetry = field(default_factory=StepRetry)


@dataclass(frozen=True)
class MapStep:
    """Run ``steps`` once per item of the list at ``items_path`` in the input (the item is
    the input of each run), at most ``max_concurrency`` at a time (default 10)."""

    name: str
    items_path: str
    steps: Sequence[Step]
    max_concurrency: int = 10
    retry: StepRetry = field(default_factory=StepRetry)


Step = TaskStep | ParallelStep | MapStep


def task_steps(steps: Sequence[Step]) -> list[TaskStep]:
    """Every ``TaskStep`` among ``steps``, nested ones included."""
    found: list[TaskStep] = []
    for step in steps:
        if isinstance(step, TaskStep):
            found.append(step)
        elif isinstance(step, ParallelStep):
            for branch in step.branches:
                found += task_steps(branch)
        else:
            found += task_steps(step.steps)
    return found


@jsii.implements(tasks.IEcsLaunchTarget)
class _CapacityProviders:
    """RunTask with a capacity provider strategy and no launch type, for any kind of capacity
    (the library's Fargate and EC2 targets refuse Managed Instances task definitions)."""

    def __init__(self, strategies: Sequence[ecs.CapacityProviderStrategy]) -> None:
        self.strategy = [
            {"CapacityProvider": s.capacity_provider, "Weight": s.weight or 0, "Base": s.base or 0}
            for s in strategies
        ]

    def bind(self, task: tasks.EcsRunTask, *_options: Any, **_kw: Any) -> tasks.EcsLaunchTargetConfig:
        # jsii calls this with the bind options as one positional struct; typing lists them
        # as keywords: accept both.
        return tasks.EcsLaunchTargetConfig(parameters={"CapacityProviderStrategy": self.strategy})


class StateBuilder:
    """Builds the states of steps in ``scope``, on ``cluster``, in ``subnets``."""

    def __init__(self, scope: Construct, cluster: ecs.ICluster, subnets: ec2.SubnetSelection | None) -> None:
        self.scope, self.cluster, self.subnets = scope, cluster, subnets

    def chain(
        self, steps: Sequence[Step]
    ) -> tuple[sfn.Chain, list[sfn.TaskStateBase | sfn.Parallel | sfn.Map]]:
        """The steps in sequence, and their states (to add catches to)."""
        states = [self.state(step) for step in steps]
        chain = sfn.Chain.start(states[0])
        for state in states[1:]:
            chain = chain.next(state)
        return chain, states

    def state(self, step: Step) -> sfn.TaskStateBase | sfn.Parallel | sfn.Map:
        state: sfn.TaskStateBase | sfn.Parallel | sfn.Map
        if isinstance(step, TaskStep):
            state = self._task(step)
        elif isinstance(step, ParallelStep):
            state = sfn.Parallel(self.scope, step.name, result_path=sfn.JsonPath.DISCARD)
            for branch in step.branches:
                state.branch(self.chain(branch)[0])
        else:
            state = sfn.Map(
                self.scope,
                step.name,
                items_path=step.items_path,
                max_concurrency=step.max_concurrency,
                result_path=sfn.JsonPath.DISCARD,
            )
            state.item_processor(self.chain(step.steps)[0])
        retry = step.retry
        if retry.attempts:
            state.add_retry(
                errors=[sfn.Errors.ALL],
                max_attempts=retry.attempts,
                interval=retry.interval,
                backoff_rate=retry.backoff_rate,
                max_delay=retry.max_delay,
                jitter_strategy=sfn.JitterType.FULL,
            )
        return state

    def _task(self, step: TaskStep) -> tasks.EcsRunTask:
        awsvpc = step.task_definition.network_mode is ecs.NetworkMode.AWS_VPC
        main = step.task_definition.default_container
        if main is None:
            raise ValueError(
                f"step {step.name}: task definition {step.task_definition.family} has no container"
            )
        variables: list[tasks.TaskEnvironmentVariable] = [
            tasks.TaskEnvironmentVariable(name=k, value=v) for k, v in step.environment.items()
        ] + [
            tasks.TaskEnvironmentVariable(name=k, value=sfn.JsonPath.string_at(path))
            for k, path in step.environment_from_input.items()
        ]
        overrides: dict[str, Any] = {"command": list(step.command) if step.command else None}
        return tasks.EcsRunTask(
            self.scope,
            step.name,
            integration_pattern=sfn.IntegrationPattern.RUN_JOB,
            cluster=self.cluster,
            task_definition=step.task_definition,
            revision_number=step.revision,
            launch_target=_CapacityProviders(step.capacity_provider_strategies),
            # bridge and host tasks have no network configuration of their own
            subnets=self.subnets if awsvpc else None,
            security_groups=list(step.security_groups) if awsvpc else None,
            assign_public_ip=False if awsvpc else None,
            propagated_tag_source=ecs.PropagatedTagSource.TASK_DEFINITION,
            container_overrides=[
                tasks.ContainerOverride(container_definition=main, environment=variables or None, **overrides)
            ],
            result_path=sfn.JsonPath.DISCARD,  # the next step gets this step's input
            task_timeout=sfn.Timeout.duration(step.timeout) if step.timeout else None,
        )
