"""Read how an environment's Batch queues are doing: state, jobs by status, the last failures."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from config import naming
from config.schema import AppSpec
from deployer.batch.jobs import DESCRIBE_JOBS_MAX, FAILED, JobOutcome, job_outcome

MISSING = "MISSING"
ACTIVE_STATES = ("SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING")
ALL_STATES = (*ACTIVE_STATES, "SUCCEEDED", FAILED)
COUNT_CAP = 1000  # a count stops here (ListJobs pages of 100): "1000" reads "1000 or more"
FAILURES_SHOWN = 5


@dataclass(frozen=True)
class QueueState:
    """One job queue of the spec: ``name`` as in the spec, ``queue_name`` in AWS Batch; ``state``
    is ``MISSING`` when AWS Batch has no such queue. ``jobs`` counts its jobs by status (at most
    ``COUNT_CAP`` each; AWS Batch lists ended jobs for a limited time)."""

    name: str
    queue_name: str
    state: str
    status: str = ""
    priority: int = 0
    compute_environments: list[str] = field(default_factory=list)
    jobs: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class JobFailure:
    """A failed job of a queue, newest first."""

    queue: str
    job_name: str
    job_id: str
    stopped_at: int  # epoch milliseconds
    reason: str  # "exit 2, Essential container in task exited"


@dataclass(frozen=True)
class BatchStatus:
    queues: list[QueueState]
    failures: list[JobFailure]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def queue_states(spec: AppSpec, batch: Any, states: tuple[str, ...] = ACTIVE_STATES) -> list[QueueState]:
    """Every queue of ``spec.batch``, with its jobs counted in ``states`` (read-only calls)."""
    names = {name: naming.job_queue_name(spec, name) for name in spec.batch.queues}
    if not names:
        return []
    found = {
        q["jobQueueName"]: q for q in batch.describe_job_queues(jobQueues=list(names.values()))["jobQueues"]
    }
    result = []
    for name, queue_name in names.items():
        queue = found.get(queue_name)
        if queue is None:
            result.append(QueueState(name, queue_name, MISSING))
            continue
        order = sorted(queue.get("computeEnvironmentOrder", []), key=lambda e: int(e.get("order", 0)))
        result.append(
            QueueState(
                name=name,
                queue_name=queue_name,
                state=str(queue.get("state", "")),
                status=str(queue.get("status", "")),
                priority=int(queue.get("priority", 0)),
                compute_environments=[str(e["computeEnvironment"]).rsplit("/", 1)[-1] for e in order],
                jobs={state: _count(batch, queue_name, state) for state in states},
            )
        )
    return result


def collect_batch_status(spec: AppSpec, batch: Any, failures_shown: int = FAILURES_SHOWN) -> BatchStatus:
    """Queues with their jobs in every status, and the newest ``failures_shown`` failures."""
    queues = queue_states(spec, batch, ALL_STATES)
    failures: list[JobFailure] = []
    for queue in queues:
        if queue.state == MISSING:
            continue
        summaries = _summaries(batch, queue.queue_name, FAILED, limit=DESCRIBE_JOBS_MAX)
        newest = sorted(summaries, key=lambda s: int(s.get("stoppedAt", 0)), reverse=True)[:failures_shown]
        for summary in newest:
            outcome: JobOutcome = job_outcome(batch, str(summary["jobId"]))
            failures.append(
                JobFailure(
                    queue=queue.name,
                    job_name=outcome.job_name,
                    job_id=outcome.job_id,
                    stopped_at=int(summary.get("stoppedAt", 0)),
                    reason=outcome.details,
                )
            )
    failures.sort(key=lambda f: f.stopped_at, reverse=True)
    return BatchStatus(queues, failures[:failures_shown])


def _count(batch: Any, queue_name: str, state: str) -> int:
    return len(_summaries(batch, queue_name, state, limit=COUNT_CAP))


def _summaries(batch: Any, queue_name: str, state: str, *, limit: int) -> list[dict[str, Any]]:
    summaries: list[dict[str, Any]] = []
    pages = batch.get_paginator("list_jobs").paginate(jobQueue=queue_name, jobStatus=state)
    for page in pages:
        summaries.extend(page.get("jobSummaryList", []))
        if len(summaries) >= limit:
            break
    return summaries[:limit]
