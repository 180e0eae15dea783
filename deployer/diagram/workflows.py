"""Read what starts tasks besides services and schedules: jobs' EventBridge triggers and the
Step Functions workflows, with the service each step runs (pure, from the templates)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from config import naming
from config.schema import AppSpec
from deployer.diagram.model import Workflow
from deployer.diagram.templates import Resource, TemplateSet


def describe_pattern(pattern: Mapping[str, Any]) -> str:
    """A rule's event pattern in a few words: ``S3 bucket/prefix`` or ``events from source``."""
    detail = pattern.get("detail", {})
    if pattern.get("source") == ["aws.s3"] and isinstance(detail, Mapping) and "bucket" in detail:
        keys = detail.get("object", {}).get("key", [{}])
        prefix = keys[0].get("prefix", "") if keys and isinstance(keys[0], Mapping) else ""
        return f"S3 {', '.join(map(str, detail['bucket'].get('name', [])))}/{prefix}"
    sources = ", ".join(str(s) for s in pattern.get("source", []) if isinstance(s, str))
    return f"events from {sources}" if sources else "events"


def describe_schedule(properties: Mapping[str, Any]) -> str:
    """A schedule's expression and time zone: ``cron(0 3 * * ? *) UTC``."""
    return f"{properties['ScheduleExpression']} {properties.get('ScheduleExpressionTimezone', 'UTC')}"


def triggers(cfn: TemplateSet, stack: str) -> tuple[str, ...]:
    """The stack's rules that run a task, each described by its pattern."""
    return tuple(
        describe_pattern(rule.properties.get("EventPattern", {}))
        for rule in cfn.resources("AWS::Events::Rule", stack)
        if any("EcsParameters" in target for target in rule.properties.get("Targets", []))
    )


def read_workflows(spec: AppSpec, cfn: TemplateSet) -> tuple[Workflow, ...]:
    """Each state machine of the workflows' stack, in spec order."""
    if not spec.workflows:
        return ()
    stack = naming.workflow_stack_name(spec)
    families = {naming.task_family(spec, name): name for name in spec.services}
    machines = {
        str(m.properties.get("StateMachineName", "")): m
        for m in cfn.resources("AWS::StepFunctions::StateMachine", stack)
    }
    found = []
    for name in spec.workflows:
        machine = machines.get(naming.state_machine_name(spec, name))
        if machine is None:
            continue
        definition = json.loads(
            cfn.text(machine.properties.get("DefinitionString", ""), spec.environment.region)
        )
        steps = tuple((state, families.get(family, family)) for state, family in _task_states(definition))
        found.append(Workflow(name, steps, _starts(cfn, stack, machine)))
    return tuple(found)


def _task_states(definition: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(state name, task-definition family) of every ECS RunTask state, nested ones included."""
    for state_name, state in definition.get("States", {}).items():
        family = state.get("Parameters", {}).get("TaskDefinition")
        if state.get("Type") == "Task" and isinstance(family, str):
            yield state_name, family
        for branch in state.get("Branches", []):
            yield from _task_states(branch)
        processor = state.get("ItemProcessor") or state.get("Iterator")
        if processor:
            yield from _task_states(processor)


def _starts(cfn: TemplateSet, stack: str, machine: Resource) -> tuple[str, ...]:
    reference = {"Ref": machine.logical_id}
    starts = [
        f"schedule {describe_schedule(s.properties)}"
        for s in cfn.resources("AWS::Scheduler::Schedule", stack)
        if s.properties.get("Target", {}).get("Arn") == reference
    ]
    starts += [
        describe_pattern(rule.properties.get("EventPattern", {}))
        for rule in cfn.resources("AWS::Events::Rule", stack)
        if any(target.get("Arn") == reference for target in rule.properties.get("Targets", []))
    ]
    return tuple(starts)
