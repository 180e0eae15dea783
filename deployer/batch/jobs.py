"""Read a Batch job's outcome (status, reason, exit code, log stream) and wait until it ends.

An array job ends FAILED when any child fails; its outcome then names the failed children
(``ListJobs`` by ``arrayJobId``), with their reasons and exit codes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

SUCCEEDED, FAILED = "SUCCEEDED", "FAILED"
TERMINAL = (SUCCEEDED, FAILED)
DESCRIBE_JOBS_MAX = 100
CHILD_FAILURES_SHOWN = 5


@dataclass(frozen=True)
class JobOutcome:
    """One job as AWS Batch reports it now. ``exit_code`` and ``container_reason`` are the last
    attempt's; ``children`` counts an array job's children by status; ``failed_children`` are
    up to ``CHILD_FAILURES_SHOWN`` failed children (an array job's)."""

    job_id: str
    job_name: str
    status: str
    status_reason: str = ""
    exit_code: int | None = None
    container_reason: str = ""
    attempts: int = 0
    log_group: str = ""
    log_stream: str = ""
    children: dict[str, int] = field(default_factory=dict)
    failed_children: list[JobOutcome] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.status in TERMINAL

    @property
    def details(self) -> str:
        """``exit 2, Essential container in task exited``: exit code and reasons, when known."""
        parts = [f"exit {self.exit_code}"] if self.exit_code is not None else []
        for reason in (self.container_reason, self.status_reason):
            if reason and reason not in parts:
                parts.append(reason)
        return ", ".join(parts)

    def describe(self) -> str:
        """``FAILED (exit 2, Essential container in task exited)`` and the like."""
        return f"{self.status} ({self.details})" if self.details else self.status

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def job_outcome(batch: Any, job_id: str) -> JobOutcome:
    """The job ``job_id`` now; for a FAILED array job, with its failed children."""
    jobs = batch.describe_jobs(jobs=[job_id])["jobs"]
    if not jobs:
        raise LookupError(f"AWS Batch does not know job {job_id}")
    outcome = _outcome(jobs[0])
    if outcome.children and outcome.status == FAILED:
        return JobOutcome(**{**outcome.__dict__, "failed_children": _failed_children(batch, job_id)})
    return outcome


def wait_for_job(
    batch: Any,
    job_id: str,
    *,
    timeout_s: float,
    poll_s: float = 10.0,
    on_change: Callable[[JobOutcome], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> JobOutcome:
    """Poll until the job is SUCCEEDED or FAILED, or ``timeout_s`` has passed (the outcome is
    then not ``done``); ``on_change`` sees each new status (or array progress)."""
    waited = 0.0
    seen: tuple[str, tuple[tuple[str, int], ...]] | None = None
    while True:
        outcome = job_outcome(batch, job_id)
        progress = (outcome.status, tuple(sorted(outcome.children.items())))
        if progress != seen and on_change is not None:
            on_change(outcome)
        seen = progress
        if outcome.done or waited >= timeout_s:
            return outcome
        sleep(poll_s)
        waited += poll_s


def _outcome(job: dict[str, Any]) -> JobOutcome:
    container: dict[str, Any] = job.get("container") or {}
    attempts: list[dict[str, Any]] = job.get("attempts") or []
    last: dict[str, Any] = (attempts[-1].get("container") or {}) if attempts else {}
    exit_code = last.get("exitCode", container.get("exitCode"))
    options = (container.get("logConfiguration") or {}).get("options") or {}
    summary = (job.get("arrayProperties") or {}).get("statusSummary") or {}
    return JobOutcome(
        job_id=str(job["jobId"]),
        job_name=str(job.get("jobName", "")),
        status=str(job.get("status", "")),
        status_reason=str(job.get("statusReason", "")),
        exit_code=None if exit_code is None else int(exit_code),
        container_reason=str(last.get("reason") or container.get("reason") or ""),
        attempts=len(attempts),
        log_group=str(options.get("awslogs-group", "")),
        log_stream=str(last.get("logStreamName") or container.get("logStreamName") or ""),
        children={status: int(count) for status, count in summary.items() if count},
    )


def _failed_children(batch: Any, array_job_id: str) -> list[JobOutcome]:
    pages = batch.get_paginator("list_jobs").paginate(arrayJobId=array_job_id, jobStatus=FAILED)
    ids = [s["jobId"] for page in pages for s in page.get("jobSummaryList", [])][:CHILD_FAILURES_SHOWN]
    if not ids:
        return []
    return [_outcome(job) for job in batch.describe_jobs(jobs=ids)["jobs"]]
