"""Read an environment's workflows (state machine, newest execution, what starts them) and
triggers (rule state, failed starts) for ``deployer status``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from config import naming
from config.schema import AppSpec
from config.trigger_schema import TriggerSpec
from deployer.aws.job_status import queued_messages
from deployer.aws.stack_state import find_stack, outputs_of

NOT_DEPLOYED = "NOT_DEPLOYED"


@dataclass(frozen=True)
class WorkflowState:
    """One workflow: ``last_execution`` is ``<status> <started>`` of the newest execution."""

    name: str
    state_machine: str
    status: str = NOT_DEPLOYED
    starts: str = "by hand"
    last_execution: str = ""


@dataclass(frozen=True)
class TriggerState:
    """One trigger: whose it is (``job reports``, ``workflow nightly``), what it listens to,
    its rule and the rule's state; ``undelivered`` counts the starts that failed (its
    dead-letter queue), None when unknown."""

    owner: str
    source: str
    rule: str = ""
    state: str = NOT_DEPLOYED
    undelivered: int | None = None


def collect_workflows(spec: AppSpec, cloudformation: Any, sfn: Any) -> list[WorkflowState]:
    """Query CloudFormation and Step Functions (read-only calls) for every workflow."""
    stack = find_stack(cloudformation, naming.workflow_stack_name(spec)) if spec.workflows else None
    outputs = outputs_of(stack) if stack else {}
    found = []
    for name, workflow in spec.workflows.items():
        starts = [f"schedule {workflow.schedule.expression}"] if workflow.schedule else []
        starts += [trigger.summary for trigger in workflow.triggers]
        state = WorkflowState(
            name, naming.state_machine_name(spec, name), starts=", ".join(starts) or "by hand"
        )
        arn = outputs.get(naming.state_machine_output(name))
        if arn:
            status = str(sfn.describe_state_machine(stateMachineArn=arn).get("status", "ACTIVE"))
            newest = sfn.list_executions(stateMachineArn=arn, maxResults=1)["executions"]
            last = f"{newest[0]['status']} {newest[0]['startDate']:%Y-%m-%d %H:%M:%S}" if newest else ""
            state = WorkflowState(state.name, state.state_machine, status, state.starts, last)
        found.append(state)
    return found


def collect_triggers(spec: AppSpec, cloudformation: Any, events: Any, sqs: Any) -> list[TriggerState]:
    """Every trigger of the jobs and workflows, with its rule's state (read-only calls)."""
    owners: list[tuple[str, str, str | None, tuple[TriggerSpec, ...]]] = [
        (f"job {name}", naming.service_stack_name(spec, name), None, service.triggers)
        for name, service in spec.services.items()
        if service.triggers
    ]
    owners += [
        (f"workflow {name}", naming.workflow_stack_name(spec), name, workflow.triggers)
        for name, workflow in spec.workflows.items()
        if workflow.triggers
    ]
    found = []
    for owner, stack_name, workflow, triggers in owners:
        stack = find_stack(cloudformation, stack_name)
        outputs = outputs_of(stack) if stack else {}
        queue = outputs.get(naming.trigger_output("DeadLetterQueueUrl", workflow=workflow))
        for index, trigger in enumerate(triggers):
            rule = outputs.get(naming.trigger_output("Rule", index, workflow), "")
            found.append(
                TriggerState(
                    owner=owner,
                    source=trigger.summary,
                    rule=rule,
                    state=_rule_state(events, rule, trigger.bus) if rule else NOT_DEPLOYED,
                    undelivered=queued_messages(sqs, queue),
                )
            )
    return found


def _rule_state(events: Any, rule: str, bus: str) -> str:
    try:
        return str(events.describe_rule(Name=rule, EventBusName=bus)["State"])
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            return "MISSING"
        raise
