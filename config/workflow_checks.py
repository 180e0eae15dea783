"""Cross-field checks of ``workflows`` and of jobs' ``triggers``.

Each problem names the YAML path of the value to change: ``workflows.nightly.steps[1].run:
unknown service 'reprots'; did you mean 'reports'? …``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from config import naming
from config.container_checks import retention_problems
from config.workflow_schema import StepSpec

if TYPE_CHECKING:
    from config.schema import AppSpec

Loc = tuple[str | int, ...]
Problem = tuple[Loc, str, Any]
# Step Functions: an execution's name and the state machine's name are at most 80 characters;
# the state machine is named <app>-<env>-<workflow>.
STATE_MACHINE_NAME_MAX = 80


def workflow_problems(spec: AppSpec) -> Iterator[Problem]:
    """Every problem with workflows, their steps, and jobs' triggers."""
    for name, service in spec.services.items():
        if service.triggers and service.kind != "job":
            yield (
                ("services", name, "triggers"),
                f"'triggers' is for kind job; this service is kind {service.kind}",
                None,
            )
    for name, workflow in spec.workflows.items():
        loc: Loc = ("workflows", name)
        full_name = naming.state_machine_name(spec, name)
        if len(full_name) > STATE_MACHINE_NAME_MAX:
            yield loc, f"the state machine name {full_name!r} is longer than 80 characters", name
        yield from retention_problems((*loc, "log_retention_days"), workflow.log_retention_days)
        seen: dict[str, Loc] = {}
        for step_loc, step in walk_steps(workflow.steps, (*loc, "steps")):
            yield from _step_problems(spec, step_loc, step, seen)
    outputs = {
        name: naming.workflow_outputs(name, len(w.triggers), w.schedule is not None or bool(w.triggers))
        for name, w in spec.workflows.items()
    }
    for name, message in naming.output_clashes("workflow", outputs):
        yield ("workflows", name), message, name


def walk_steps(steps: tuple[StepSpec, ...], loc: Loc) -> Iterator[tuple[Loc, StepSpec]]:
    """Every step with its YAML path, depth first, in document order."""
    for index, step in enumerate(steps):
        step_loc = (*loc, index)
        yield step_loc, step
        for branch_index, branch in enumerate(step.parallel or ()):
            yield from walk_steps(branch, (*step_loc, "parallel", branch_index))
        if step.map is not None:
            yield from walk_steps(step.map.steps, (*step_loc, "map", "steps"))


def steps_run_by_workflows(spec: AppSpec) -> set[str]:
    """The services and jobs a step of some workflow runs."""
    return {
        step.run
        for workflow in spec.workflows.values()
        for _, step in walk_steps(workflow.steps, ())
        if step.run is not None
    }


def _step_problems(spec: AppSpec, loc: Loc, step: StepSpec, seen: dict[str, Loc]) -> Iterator[Problem]:
    if step.name in seen:
        yield (*loc, "name"), f"step name {step.name!r} is used twice in this workflow", step.name
    seen.setdefault(step.name, loc)
    if step.run is None:
        return
    service = spec.services.get(step.run)
    if service is None:
        close = difflib.get_close_matches(step.run, list(spec.services), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        yield (
            (*loc, "run"),
            f"unknown service {step.run!r}; {hint}services: {', '.join(spec.services)}",
            step.run,
        )
        return
    both = sorted(set(step.environment) & set(step.from_input))
    if both:
        yield (*loc, "from_input"), f"{', '.join(both)} also set in environment; keep one", both
    overridden = set(step.environment) | set(step.from_input)
    secret = sorted(overridden & set(service.secrets))
    if secret:
        yield (
            (*loc, "environment"),
            f"{', '.join(secret)} is a secret of {step.run}; an override would replace it in plain text",
            secret,
        )
    if service.kind != "job" and step.command is None:
        yield (
            (*loc, "command"),
            f"{step.run} is a {service.kind} service: its task runs until stopped; give the command the "
            "step runs to completion (e.g. a migration), or run a job",
            None,
        )
