"""Cross-field checks of the ``batch:`` section that AWS Batch enforces only at deploy or
submit time: references between compute environments, queues and jobs, one kind of compute per
queue, job sizes the queue's compute can run, and the container rules services follow too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from config import naming
from config.batch_schema import NON_ROOT_USER
from config.container_checks import _secret_problem, looks_like_secret
from config.fargate import LOG_RETENTION_DAYS, fargate_size_error
from config.image_pinning import ImagePinning
from config.instance_types import architecture_of, root_volume_problems

if TYPE_CHECKING:
    from config.batch_schema import BatchJobSpec, BatchSpec, ComputeEnvironmentSpec
    from config.schema import AppSpec

Loc = tuple[str | int, ...]
Problem = tuple[Loc, str, Any]
ROOT_USERS = ("root", "0")
PARAMETER_REFERENCE = re.compile(r"Ref::([A-Za-z0-9_]+)")
RULE_NAME_MAX = 64  # EventBridge: a rule's name is 1 to 64 characters


def batch_problems(spec: AppSpec) -> Iterator[Problem]:
    """Every problem of ``spec.batch``, in document order."""
    batch = spec.batch
    for name, environment in batch.compute_environments.items():
        yield from _compute_environment_problems(("batch", "compute_environments", name), environment)
    for name, queue in batch.queues.items():
        rule = naming.failed_jobs_rule_name(spec, name)
        if len(rule) > RULE_NAME_MAX:
            yield (
                ("batch", "queues", name),
                f"the queue's failed-jobs rule would be named {rule!r}, {len(rule)} characters: "
                f"EventBridge allows {RULE_NAME_MAX}; use a shorter queue name (or app or environment name)",
                name,
            )
        loc: Loc = ("batch", "queues", name, "compute_environments")
        known = batch.compute_environments
        for index, listed in enumerate(queue.compute_environments):
            if listed not in known:
                defined = ", ".join(known) or "none"
                yield (*loc, index), f"unknown compute environment {listed!r}; defined: {defined}", listed
        if len(set(queue.compute_environments)) != len(queue.compute_environments):
            yield loc, "a compute environment is listed twice", list(queue.compute_environments)
        kinds = {known[e].type for e in queue.compute_environments if e in known}
        if len(kinds) > 1:
            yield (
                loc,
                "a queue's compute environments are all Fargate or all EC2 (AWS Batch refuses a mix)",
                list(queue.compute_environments),
            )
    queue_outputs = {name: [naming.job_queue_output(name)] for name in batch.queues}
    for name, message in naming.output_clashes("queue", queue_outputs):
        yield ("batch", "queues", name), message, name
    for name, job in batch.jobs.items():
        yield from _job_problems(spec, ("batch", "jobs", name), job)


def _compute_environment_problems(loc: Loc, environment: ComputeEnvironmentSpec) -> Iterator[Problem]:
    types = environment.instance_types
    if environment.type == "fargate" and types:
        yield (*loc, "instance_types"), "instance types apply to type ec2; Fargate picks its own", list(types)
    if environment.type == "ec2" and not types:
        yield (*loc, "instance_types"), "type ec2 needs instance types (e.g. [m6i.large, c6i.large])", None
    architectures = {architecture_of(t) for t in types}
    if len(architectures) > 1:
        yield (*loc, "instance_types"), "instance types mix CPU architectures (x86_64 and arm64)", list(types)
    if len(set(types)) != len(types):
        yield (*loc, "instance_types"), "an instance type is listed twice", list(types)
    if environment.type == "ec2":  # AWS Batch's ECS_AL2023 image: the ECS-optimised AL2023 AMI
        yield from root_volume_problems(loc, environment.root_volume_gib, "al2023")


def queue_compute(batch: BatchSpec, queue: str) -> list[ComputeEnvironmentSpec]:
    """The compute environments of ``queue`` that the spec defines, in the queue's order."""
    names = batch.queues[queue].compute_environments if queue in batch.queues else ()
    return [batch.compute_environments[n] for n in names if n in batch.compute_environments]


def _job_problems(spec: AppSpec, loc: Loc, job: BatchJobSpec) -> Iterator[Problem]:
    batch = spec.batch
    if job.queue not in batch.queues:
        queues = ", ".join(batch.queues) or "none"
        yield (*loc, "queue"), f"unknown queue {job.queue!r}; queues: {queues}", job.queue
    yield from _size_problems(loc, job, queue_compute(batch, job.queue))
    if job.user.split(":", 1)[0] in ROOT_USERS and job.root_reason is None:
        yield (
            (*loc, "user"),
            f"{job.user!r} runs the job as root; use a non-root user (default {NON_ROOT_USER}) or "
            "say why in root_reason",
            job.user,
        )
    if job.log_retention_days not in LOG_RETENTION_DAYS:
        allowed = ", ".join(map(str, LOG_RETENTION_DAYS))
        yield (
            (*loc, "log_retention_days"),
            f"{job.log_retention_days} is not a CloudWatch retention; allowed: {allowed}",
            job.log_retention_days,
        )
    pinning = ImagePinning.of(spec.environment).problem(job.image)
    if pinning:
        yield (*loc, "image"), pinning, job.image
    yield from _variable_problems(spec, loc, job)
    for index, path in enumerate(job.writable_paths):
        if not path.startswith("/") or path.strip("/") == "":
            yield (*loc, "writable_paths", index), f"{path!r}: give an absolute directory below /", path
    if len({p.rstrip("/") for p in job.writable_paths}) != len(job.writable_paths):
        yield (*loc, "writable_paths"), "a path is listed twice", list(job.writable_paths)
    for reference in PARAMETER_REFERENCE.findall(" ".join(job.command or ())):
        if reference not in job.parameters:
            yield (
                (*loc, "command"),
                f"Ref::{reference} has no default in parameters; add {reference} to parameters "
                "(deployer batch submit --parameters may override it)",
                reference,
            )


def _size_problems(loc: Loc, job: BatchJobSpec, compute: list[ComputeEnvironmentSpec]) -> Iterator[Problem]:
    if not compute:
        return
    vcpus = job.cpu / 1024
    if compute[0].type == "fargate":
        size_error = fargate_size_error(job.cpu, job.memory)
        if size_error:
            field, message = size_error
            yield (*loc, field), message, getattr(job, field)
    else:
        if job.cpu % 1024:
            yield (
                (*loc, "cpu"),
                f"{job.cpu} CPU units is not whole vCPUs; jobs on EC2 take 1024, 2048, … (1 vCPU each)",
                job.cpu,
            )
        kinds = {architecture_of(t) for c in compute for t in c.instance_types}
        if kinds and job.architecture not in kinds:
            yield (
                (*loc, "architecture"),
                f"{job.architecture} does not match the queue's instance types ({', '.join(sorted(kinds))})",
                job.architecture,
            )
    largest = max(c.max_vcpus for c in compute)
    if vcpus > largest:
        yield (
            (*loc, "cpu"),
            f"{vcpus:g} vCPUs is more than the queue's compute environments run at once "
            f"(max_vcpus {largest}); the job could never start",
            job.cpu,
        )


def _variable_problems(spec: AppSpec, loc: Loc, job: BatchJobSpec) -> Iterator[Problem]:
    for variable, ref in job.secrets.items():
        message = _secret_problem(ref, spec.environment.region)
        if message:
            yield (*loc, "secrets", variable), message, variable
    for variable in job.environment:
        if looks_like_secret(variable):
            yield (
                (*loc, "environment", variable),
                f"{variable} looks like a secret; move it to secrets (Secrets Manager or SSM), "
                "where it is never stored in the job definition",
                variable,
            )
    clash = sorted(set(job.environment) & set(job.secrets))
    if clash:
        yield (*loc, "secrets"), f"{clash} also set in environment; set each variable once", clash
