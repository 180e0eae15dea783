"""Start a workflow's execution, wait for its end, list its executions.

``StartExecution`` is idempotent for a standard state machine: the same name and input while
that execution runs return it again, so a retried start never runs the workflow twice. The
default name is deterministic for an input and a second (``execution_name``); ``--name`` gives
one to reuse on a retry. A name is unique per state machine for 90 days.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from config import naming
from config.schema import AppSpec
from config.strict_json import StrictJsonError, strict_loads
from deployer.aws.stack_state import NotDeployedError, deploy_first, find_stack, outputs_of
from deployer.inputs import BadInputError

# Step Functions execution names: 1-80 characters; these are safe in ARNs, logs and URLs.
EXECUTION_NAME = r"[A-Za-z0-9_-]{1,80}"
INPUT_LIMIT = 262144  # StartExecution's input: at most 256 KiB
RUNNING = "RUNNING"


@dataclass(frozen=True)
class Execution:
    """One execution as DescribeExecution/ListExecutions report it (times in ISO 8601)."""

    name: str
    arn: str
    status: str  # RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE
    started: str
    stopped: str = ""
    error: str = ""
    cause: str = ""


def state_machine_arn(spec: AppSpec, cloudformation: Any, workflow: str) -> str:
    """The deployed state machine of ``workflow``, from its stack's outputs."""
    require_workflow(spec, workflow)
    stack = find_stack(cloudformation, naming.workflow_stack_name(spec))
    arn = outputs_of(stack).get(naming.state_machine_output(workflow)) if stack else None
    if not arn:
        raise NotDeployedError(
            f"workflow {workflow!r} is not deployed (no stack {naming.workflow_stack_name(spec)} "
            f"with its state machine): {deploy_first(spec.environment.name)}"
        )
    return arn


def require_workflow(spec: AppSpec, workflow: str) -> None:
    """``BadInputError`` naming the spec's workflows when ``workflow`` is not one of them."""
    if workflow not in spec.workflows:
        known = ", ".join(spec.workflows) or "none in this environment"
        raise BadInputError(f"unknown workflow {workflow!r}; workflows: {known}")


def parse_input(text: str | None) -> str:
    """``--input``: a JSON object, as compact text (default ``{}``); ``BadInputError`` otherwise."""
    if text is None:
        return "{}"
    try:
        value = strict_loads(text)
    except json.JSONDecodeError as error:
        raise BadInputError(f"--input is not JSON: {error.msg} at character {error.pos}") from None
    except StrictJsonError as error:
        raise BadInputError(f"--input: {error}") from None
    if not isinstance(value, dict):
        raise BadInputError('--input must be a JSON object, e.g. \'{"files": ["a.csv"]}\'')
    compact = json.dumps(value, separators=(",", ":"), sort_keys=True)
    if len(compact.encode()) > INPUT_LIMIT:
        raise BadInputError(f"--input is over Step Functions' {INPUT_LIMIT // 1024} KiB limit")
    return compact


def execution_name(given: str | None, input_text: str, now: datetime | None = None) -> str:
    """``given`` (checked), else ``deployer-<UTC second>-<input hash>``: the same input started
    twice in one second (a retried command) is one execution."""
    if given is not None:
        if not re.fullmatch(EXECUTION_NAME, given):
            raise BadInputError("--name: use 1-80 letters, digits, '-' or '_'")
        return given
    when = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"deployer-{when}-{hashlib.sha256(input_text.encode()).hexdigest()[:12]}"


def start(sfn: Any, arn: str, name: str, input_text: str) -> str:
    """Start (or, for a running execution of the same name and input, find) the execution."""
    try:
        return str(sfn.start_execution(stateMachineArn=arn, name=name, input=input_text)["executionArn"])
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ExecutionAlreadyExists":
            raise BadInputError(
                f"--name {name}: an execution of this name has ended or ran with another input; "
                "names are unique per workflow for 90 days: give another --name"
            ) from None
        raise


def describe(sfn: Any, execution_arn: str) -> Execution:
    return _execution(sfn.describe_execution(executionArn=execution_arn))


def wait(
    sfn: Any,
    execution_arn: str,
    *,
    timeout_s: float,
    poll_s: float = 5.0,
    sleep: Callable[[float], None] | None = None,
    on_poll: Callable[[Execution], None] | None = None,
) -> Execution:
    """Poll until the execution ends, or ``timeout_s`` passes (then it is still RUNNING).
    ``sleep`` defaults to ``time.sleep``."""
    waited = 0.0
    while True:
        execution = describe(sfn, execution_arn)
        if on_poll:
            on_poll(execution)
        if execution.status != RUNNING or waited >= timeout_s:
            return execution
        (sleep or time.sleep)(poll_s)
        waited += poll_s


def recent(sfn: Any, arn: str, limit: int) -> list[Execution]:
    """The newest ``limit`` executions, newest first (ListExecutions' order)."""
    found = sfn.list_executions(stateMachineArn=arn, maxResults=limit)["executions"]
    return [_execution(item) for item in found[:limit]]


def _execution(item: dict[str, Any]) -> Execution:
    return Execution(
        name=str(item.get("name", "")),
        arn=str(item["executionArn"]),
        status=str(item.get("status", "")),
        started=_iso(item.get("startDate")),
        stopped=_iso(item.get("stopDate")),
        error=str(item.get("error", "")),
        cause=str(item.get("cause", "")),
    )


def _iso(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value or "")
