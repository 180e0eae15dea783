"""Spec models of ``workflows``: named Step Functions state machines whose steps run the
environment's task definitions to completion.

A step is exactly one of ``run`` (a task of a service or job, with optional command and
environment overrides), ``parallel`` (branches, each a list of steps, run at once) or ``map``
(its steps once per item of a list in the input, with a maximum concurrency).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field, model_validator

from config.service_kinds import ScheduleSpec
from config.spec_model import SpecModel, checked, spec_problem
from config.trigger_schema import JsonPath, TriggerSpec
from config.types import EnvVarName, Name

# Step Functions state names: 1-80 characters; these are also safe in construct IDs and logs.
STEP_NAME = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$"
STEP_KINDS = ("run", "parallel", "map")
# The states every workflow adds next to its steps (constructs_lib.workflow.STATE_NAMES); the
# steps' other construct IDs live in a scope of their own and never meet the construct's.
RESERVED_STEP_NAMES = ("NotifyFailure", "Failed")
# IAM's pattern for a role's Description: the description becomes the workflow role's.
IAM_DESCRIPTION = re.compile(r"[\t\n\r\u0020-\u007e\u00a1-\u00ff]*")


def _step_name_problem(value: str) -> str | None:
    if value in RESERVED_STEP_NAMES:
        return f"{value!r} is the name of the state that handles a failed step; choose another name"
    if re.match(STEP_NAME, value):
        return None
    return f"{value!r} is not a step name: 1-80 letters, digits, '-' and '_', starting with a letter or digit"


def iam_description_problem(value: str) -> str | None:
    """Why IAM refuses ``value`` as a role's description (the first character it does not take)."""
    if IAM_DESCRIPTION.fullmatch(value):
        return None
    index, char = next((i, c) for i, c in enumerate(value) if not IAM_DESCRIPTION.fullmatch(c))
    return (
        f"character {index + 1}, {char!r} (U+{ord(char):04X}), cannot be in an IAM role description "
        "(the workflow's role takes this text): use printable ASCII and Latin-1 letters, e.g. ' for "
        "a curly quote and - for a dash"
    )


class RetrySpec(SpecModel):
    """Retries of a failed step (any error: the task could not start, or it exited non-zero).
    Default: 2 retries, 10 s then 20 s apart (backoff rate 2), with full jitter."""

    attempts: int = Field(default=2, ge=0, le=99, description="retries after the first try (0: none)")
    interval_seconds: int = Field(default=10, ge=1, le=86400, description="wait before the first retry")
    backoff_rate: float = Field(
        default=2.0, ge=1.0, le=10.0, description="each wait is the last one times this"
    )
    max_delay_seconds: int | None = Field(default=None, ge=1, le=86400, description="cap on one wait")


class StepSpec(SpecModel):
    """One step: exactly one of ``run``, ``parallel`` and ``map``."""

    name: Annotated[str, checked(_step_name_problem)] = Field(description="unique in the workflow")
    run: Name | None = Field(default=None, description="service or job whose task definition the step runs")
    command: tuple[str, ...] | None = Field(default=None, min_length=1, description="run: command override")
    environment: dict[EnvVarName, str] = Field(
        default_factory=dict, description="run: variables set for the main container"
    )
    from_input: dict[EnvVarName, JsonPath] = Field(
        default_factory=dict,
        description="run: variables from the step's input: NAME: $.field (in a map, $ is the item)",
    )
    timeout_minutes: int | None = Field(
        default=None, ge=1, le=525600, description="run: fail the step after this"
    )
    retry: RetrySpec = Field(default=RetrySpec(), description="retries of this step")
    parallel: tuple[tuple[StepSpec, ...], ...] | None = Field(
        default=None, min_length=2, description="branches run at once; each is a list of steps"
    )
    map: MapSpec | None = Field(default=None, description="steps run once per item of a list in the input")

    @model_validator(mode="after")
    def _one_kind(self) -> StepSpec:
        given = [kind for kind in STEP_KINDS if getattr(self, kind) is not None]
        if len(given) != 1:
            found = f" (found {', '.join(given)})" if given else ""
            raise spec_problem(f"give exactly one of run, parallel and map per step{found}")
        if self.run is None:
            overrides = [
                k for k in ("command", "environment", "from_input", "timeout_minutes") if getattr(self, k)
            ]
            if overrides:
                raise spec_problem(f"{', '.join(overrides)}: for a run step only")
        if self.parallel is not None and any(not branch for branch in self.parallel):
            raise spec_problem("a parallel branch needs at least one step")
        return self


class MapSpec(SpecModel):
    """Run ``steps`` once per item of the list at ``items`` in the input. Default: 10 at a time."""

    items: JsonPath = Field(description="where the list is in the input, e.g. $.files")
    max_concurrency: int = Field(default=10, ge=1, le=1000, description="items run at once")
    steps: tuple[StepSpec, ...] = Field(min_length=1, description="what runs for each item")


class WorkflowSpec(SpecModel):
    """A Step Functions state machine (standard) that runs ``steps`` in order. It starts on its
    ``schedule``, on its ``triggers`` (the event becomes its input) or by hand (``deployer
    workflow start``). A failed step sends a notification and fails the execution. Default:
    executions logged (ALL, with data) to an encrypted log group kept a year; no X-Ray; 24 h
    timeout."""

    description: Annotated[str, checked(iam_description_problem)] | None = Field(
        default=None, max_length=256, description="what the workflow does (ASCII and Latin-1 letters)"
    )
    steps: tuple[StepSpec, ...] = Field(min_length=1, description="run in order")
    schedule: ScheduleSpec | None = Field(default=None, description="when it starts [default: never]")
    triggers: tuple[TriggerSpec, ...] = Field(default=(), description="events that start it")
    tracing: bool = Field(default=False, description="X-Ray tracing of executions")
    timeout_minutes: int = Field(default=1440, ge=1, le=525600, description="an execution fails after this")
    log_retention_days: int = Field(default=365, description="retention of the execution log group")


StepSpec.model_rebuild()
