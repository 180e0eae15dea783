"""``deployer batch``'s domain code against botocore's Batch model (Stubber) and a fake client
for the failures Stubber cannot make: submit at most once per client token, wait, outcomes.

moto cannot model what these sequences need (a lost SubmitJob answer after the job was created,
RUNNABLE → RUNNING → FAILED with an exit code, an array job with a failed child), so the
responses are stubbed in the shapes of botocore's Batch service model.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError, ReadTimeoutError
from botocore.stub import Stubber

from config import load_spec
from deployer.aws.stack_state import NotDeployedError
from deployer.batch.jobs import JobOutcome, job_outcome, wait_for_job
from deployer.batch.submit import submit_job

SPEC = load_spec("local")
QUEUE, DEFINITION = "shop-local-default", "shop-local-thumbnails"
BY_NAME = [{"name": "JOB_NAME", "values": ["thumbnails-tok"]}]
QUEUE_FOUND = {
    "jobQueueName": QUEUE,
    "jobQueueArn": f"arn:aws:batch:us-east-1:123456789012:job-queue/{QUEUE}",
    "state": "ENABLED",
    "priority": 1,
    "computeEnvironmentOrder": [],
}


@pytest.fixture
def batch() -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client("batch", region_name="us-east-1")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def summary(job_id: str, name: str, status: str, **extra: Any) -> dict[str, Any]:
    return {"jobId": job_id, "jobName": name, "status": status, **extra}


def detail(job_id: str, status: str, **extra: Any) -> dict[str, Any]:
    return {
        "jobId": job_id,
        "jobName": "thumbnails-tok",
        "jobQueue": QUEUE,
        "status": status,
        "startedAt": 1,
        "jobDefinition": DEFINITION,
        **extra,
    }


def test_a_fresh_submission_sends_exactly_the_request(batch: tuple[Any, Stubber]) -> None:
    client, stubber = batch
    stubber.add_response("list_jobs", {"jobSummaryList": []}, {"jobQueue": QUEUE, "filters": BY_NAME})
    stubber.add_response(
        "submit_job",
        {"jobName": "thumbnails-tok", "jobId": "j-1"},
        {
            "jobName": "thumbnails-tok",
            "jobQueue": QUEUE,
            "jobDefinition": DEFINITION,
            "propagateTags": True,
            "tags": {"deployer.job": "thumbnails"},
            "parameters": {"size": "512"},
            "arrayProperties": {"size": 4},
        },
    )
    done = submit_job(
        SPEC, client, "thumbnails", array_size=4, parameters={"size": "512"}, client_token="tok"
    )
    assert (done.job_id, done.reused, done.queue) == ("j-1", False, QUEUE)


def test_the_same_client_token_submits_nothing_again(batch: tuple[Any, Stubber]) -> None:
    client, stubber = batch
    stubber.add_response(
        "list_jobs",
        {"jobSummaryList": [summary("j-1", "thumbnails-tok", "RUNNING")]},
        {"jobQueue": QUEUE, "filters": BY_NAME},
    )
    stubber.add_response(
        "describe_jobs",
        {"jobs": [detail("j-1", "RUNNING", parameters={"size": "128"}, arrayProperties={"size": 3})]},
        {"jobs": ["j-1"]},
    )
    # No submit_job response is queued: Stubber fails the test if one is sent.
    done = submit_job(SPEC, client, "thumbnails", parameters={"size": "999"}, client_token="tok")
    assert (done.job_id, done.reused, done.array_size, done.parameters) == ("j-1", True, 3, {"size": "128"})


def test_a_server_error_is_retried_after_looking_for_the_job(batch: tuple[Any, Stubber]) -> None:
    client, stubber = batch
    stubber.add_response("list_jobs", {"jobSummaryList": []}, {"jobQueue": QUEUE, "filters": BY_NAME})
    stubber.add_client_error("submit_job", "ServerException", "internal", 500)
    stubber.add_response("list_jobs", {"jobSummaryList": []}, {"jobQueue": QUEUE, "filters": BY_NAME})
    stubber.add_response("submit_job", {"jobName": "thumbnails-tok", "jobId": "j-2"})
    waits: list[float] = []
    done = submit_job(SPEC, client, "thumbnails", client_token="tok", sleep=waits.append)
    assert (done.job_id, done.reused, waits) == ("j-2", False, [2.0])


def test_a_client_error_is_not_retried(batch: tuple[Any, Stubber]) -> None:
    client, stubber = batch
    stubber.add_response("list_jobs", {"jobSummaryList": []}, {"jobQueue": QUEUE, "filters": BY_NAME})
    stubber.add_client_error("submit_job", "ClientException", "job definition is INACTIVE", 400)
    stubber.add_response("describe_job_queues", {"jobQueues": [QUEUE_FOUND]}, {"jobQueues": [QUEUE]})
    with pytest.raises(ClientError, match="INACTIVE"):
        submit_job(SPEC, client, "thumbnails", client_token="tok", sleep=lambda _: None)


def test_a_queue_that_is_not_deployed_says_to_deploy_the_environment(batch: tuple[Any, Stubber]) -> None:
    client, stubber = batch
    stubber.add_client_error("list_jobs", "ClientException", f"Job queue {QUEUE} does not exist", 400)
    stubber.add_response("describe_job_queues", {"jobQueues": []}, {"jobQueues": [QUEUE]})
    with pytest.raises(NotDeployedError, match=f"local environment's Batch queue {QUEUE} is not deployed"):
        submit_job(SPEC, client, "thumbnails", client_token="tok", sleep=lambda _: None)


class LostAnswer:
    """A Batch client whose first SubmitJob creates the job but whose answer never arrives."""

    def __init__(self) -> None:
        self.jobs: list[dict[str, Any]] = []
        self.submits = 0

    def get_paginator(self, operation: str) -> Any:
        assert operation == "list_jobs"
        client = self

        class Pages:
            def paginate(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
                [wanted] = kwargs["filters"][0]["values"]
                yield {"jobSummaryList": [j for j in client.jobs if j["jobName"] == wanted]}

        return Pages()

    def submit_job(self, **request: Any) -> dict[str, Any]:
        self.submits += 1
        self.jobs.append(summary(f"j-{self.submits}", request["jobName"], "SUBMITTED"))
        raise ReadTimeoutError(endpoint_url="https://batch.us-east-1.amazonaws.com")

    def describe_jobs(self, jobs: list[str]) -> dict[str, Any]:
        return {"jobs": [detail(jobs[0], "SUBMITTED", parameters={"size": "256"})]}


def test_a_lost_answer_finds_the_job_and_does_not_submit_it_twice() -> None:
    client = LostAnswer()
    done = submit_job(SPEC, client, "thumbnails", client_token="tok", sleep=lambda _: None)
    assert (client.submits, done.job_id, done.reused) == (1, "j-1", True)


def test_without_a_token_each_submission_gets_its_own_name() -> None:
    first = submit_job(SPEC, LostAnswer(), "thumbnails", sleep=lambda _: None)
    second = submit_job(SPEC, LostAnswer(), "thumbnails", sleep=lambda _: None)
    assert first.job_name.startswith("thumbnails-") and first.job_name != second.job_name


def attempt(exit_code: int, reason: str) -> dict[str, Any]:
    return {"container": {"exitCode": exit_code, "reason": reason, "logStreamName": "job/default/abc"}}


def test_wait_follows_the_job_until_it_fails_and_reports_why(batch: tuple[Any, Stubber]) -> None:
    client, stubber = batch
    for status in ("RUNNABLE", "RUNNING"):
        stubber.add_response("describe_jobs", {"jobs": [detail("j-1", status)]}, {"jobs": ["j-1"]})
    failed = detail(
        "j-1",
        "FAILED",
        statusReason="Essential container in task exited",
        attempts=[attempt(137, "OutOfMemoryError: Container killed"), attempt(2, "")],
        container={"logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "jobs-log"}}},
    )
    stubber.add_response("describe_jobs", {"jobs": [failed]}, {"jobs": ["j-1"]})
    seen: list[str] = []
    naps: list[float] = []
    outcome = wait_for_job(
        client, "j-1", timeout_s=600, on_change=lambda o: seen.append(o.status), sleep=naps.append
    )
    assert seen == ["RUNNABLE", "RUNNING", "FAILED"] and naps == [10.0, 10.0]
    assert (outcome.exit_code, outcome.attempts, outcome.log_group, outcome.log_stream) == (
        2,
        2,
        "jobs-log",
        "job/default/abc",
    )
    assert outcome.describe() == "FAILED (exit 2, Essential container in task exited)"


def test_wait_gives_up_after_the_timeout_without_touching_the_job(batch: tuple[Any, Stubber]) -> None:
    client, stubber = batch
    for _ in range(3):
        stubber.add_response("describe_jobs", {"jobs": [detail("j-1", "RUNNING")]}, {"jobs": ["j-1"]})
    outcome = wait_for_job(client, "j-1", timeout_s=20, sleep=lambda _: None)
    assert not outcome.done and outcome.status == "RUNNING"


def test_a_failed_array_job_names_its_failed_children(batch: tuple[Any, Stubber]) -> None:
    client, stubber = batch
    parent = detail(
        "p", "FAILED", arrayProperties={"size": 3, "statusSummary": {"SUCCEEDED": 2, "FAILED": 1}}
    )
    stubber.add_response("describe_jobs", {"jobs": [parent]}, {"jobs": ["p"]})
    stubber.add_response(
        "list_jobs",
        {"jobSummaryList": [summary("p:1", "thumbnails-tok", "FAILED")]},
        {"arrayJobId": "p", "jobStatus": "FAILED"},
    )
    child = detail(
        "p:1", "FAILED", attempts=[attempt(2, "")], statusReason="Essential container in task exited"
    )
    stubber.add_response("describe_jobs", {"jobs": [child]}, {"jobs": ["p:1"]})
    outcome = job_outcome(client, "p")
    assert outcome.children == {"SUCCEEDED": 2, "FAILED": 1}
    [failed] = outcome.failed_children
    assert (failed.job_id, failed.exit_code) == ("p:1", 2)


def test_an_outcome_without_exit_code_says_the_reason_once() -> None:
    outcome = JobOutcome("j", "n", "FAILED", status_reason="Job cancelled", container_reason="Job cancelled")
    assert outcome.describe() == "FAILED (Job cancelled)"
