"""Submit a Batch job of the spec to its queue, at most once per client token.

``SubmitJob`` has no client token: a request retried after a lost answer (a timeout, a
dropped connection, a 5xx) can start a second job. So every submission has a deterministic
job name, ``<job>-<token>`` (the token is ``--client-token`` or a fresh random one), the batch
client given here must not retry by itself (``SUBMIT_CONFIG``), and before each attempt the
queue is searched for a job of that name (``ListJobs`` with a ``JOB_NAME`` filter, which lists
jobs of every status). A job found is reported, never submitted again. A queue that is not
deployed (a refused call, then ``DescribeJobQueues`` finds no such queue) is ``NotDeployedError``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError, ConnectionClosedError, EndpointConnectionError, ReadTimeoutError

from config import naming
from config.schema import AppSpec
from deployer.aws.stack_state import NotDeployedError, deploy_first

# One HTTP attempt per call: this module decides when a SubmitJob may be sent again.
SUBMIT_CONFIG = {"retries": {"mode": "standard", "max_attempts": 1}, "connect_timeout": 5, "read_timeout": 30}
SUBMIT_ATTEMPTS = 4
_RETRYABLE_CODES = {"ThrottlingException", "TooManyRequestsException", "ServerException"}
_LOST_ANSWER = (ConnectionClosedError, EndpointConnectionError, ReadTimeoutError)


@dataclass(frozen=True)
class Submission:
    """A submitted job. ``reused`` is true when a job of this name was already in the queue
    (an earlier run with the same client token): nothing new was submitted, and
    ``array_size`` and ``parameters`` are that job's."""

    job: str
    job_name: str
    job_id: str
    queue: str
    job_definition: str
    array_size: int | None
    parameters: dict[str, str]
    reused: bool = False


def job_name(job: str, token: str) -> str:
    """The Batch job name of a submission: ``<job>-<token>`` (at most 97 characters)."""
    return f"{job}-{token}"


def submit_job(
    spec: AppSpec,
    batch: Any,
    job: str,
    *,
    array_size: int | None = None,
    parameters: Mapping[str, str] | None = None,
    client_token: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Submission:
    """Submit ``job`` (a key of ``spec.batch.jobs``) to its queue, on the newest ACTIVE revision
    of its job definition; ``array_size`` (2 to 10000) makes it an array job. ``batch`` is a
    client without automatic retries (``SUBMIT_CONFIG``)."""
    queue = naming.job_queue_name(spec, spec.batch.jobs[job].queue)
    name = job_name(job, client_token or uuid.uuid4().hex[:16])
    submission = Submission(
        job=job,
        job_name=name,
        job_id="",
        queue=queue,
        job_definition=naming.job_definition_name(spec, job),
        array_size=array_size,
        parameters=dict(parameters or {}),
    )
    request: dict[str, Any] = {
        "jobName": name,
        "jobQueue": queue,
        "jobDefinition": submission.job_definition,
        "propagateTags": True,
        "tags": {"deployer.job": job},
    }
    if parameters:
        request["parameters"] = dict(parameters)
    if array_size is not None:
        request["arrayProperties"] = {"size": array_size}
    try:
        return _submit(batch, submission, request, sleep)
    except ClientError as error:
        if _retryable(error) or _queue_exists(batch, queue):
            raise
        env = spec.environment.name
        raise NotDeployedError(
            f"the {env} environment's Batch queue {queue} is not deployed: {deploy_first(env)}"
        ) from None


def _submit(
    batch: Any, submission: Submission, request: dict[str, Any], sleep: Callable[[float], None]
) -> Submission:
    """Find the job by its name, or submit it; retried on throttling, 5xx and lost answers."""
    for attempt in range(1, SUBMIT_ATTEMPTS + 1):
        found = find_job(batch, submission.queue, submission.job_name)
        if found is not None:
            return _found(batch, submission, found)
        try:
            answer = batch.submit_job(**request)
        except (*_LOST_ANSWER, ClientError) as error:
            if attempt == SUBMIT_ATTEMPTS or not _retryable(error):
                raise
            sleep(min(2.0**attempt, 20.0))
            continue
        return _with_id(submission, str(answer["jobId"]), reused=False)
    raise AssertionError("unreachable: the last attempt returns or raises")


def find_job(batch: Any, queue: str, name: str) -> str | None:
    """The id of the newest job named ``name`` in ``queue`` (any status), or None."""
    pages = batch.get_paginator("list_jobs").paginate(
        jobQueue=queue, filters=[{"name": "JOB_NAME", "values": [name]}]
    )
    for page in pages:
        for summary in page.get("jobSummaryList", []):
            if summary.get("jobName") == name:
                return str(summary["jobId"])
    return None


def _queue_exists(batch: Any, queue: str) -> bool:
    return bool(batch.describe_job_queues(jobQueues=[queue])["jobQueues"])


def _retryable(error: Exception) -> bool:
    if isinstance(error, _LOST_ANSWER):
        return True
    assert isinstance(error, ClientError)
    code = error.response.get("Error", {}).get("Code", "")
    status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
    return code in _RETRYABLE_CODES or status >= 500


def _with_id(submission: Submission, job_id: str, *, reused: bool) -> Submission:
    return Submission(**{**submission.__dict__, "job_id": job_id, "reused": reused})


def _found(batch: Any, submission: Submission, job_id: str) -> Submission:
    """The job submitted before under this name, with the array size and parameters it was
    submitted with (the client token names the job, whatever the arguments now)."""
    [job] = batch.describe_jobs(jobs=[job_id])["jobs"]
    size = (job.get("arrayProperties") or {}).get("size")
    return Submission(
        **{
            **submission.__dict__,
            "job_id": job_id,
            "array_size": None if size is None else int(size),
            "parameters": dict(job.get("parameters") or {}),
            "reused": True,
        }
    )
