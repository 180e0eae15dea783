"""AWS Batch on the local endpoint: the `local` Batch stack created by moto's CloudFormation
(with ``deployer.local.batch``), then ``deployer batch submit`` and ``status`` as users run them.

moto runs no container: with Docker off a job is SUCCEEDED at once, or FAILED when the server
runs with ``MOTO_SIMPLE_BATCH_FAIL_AFTER=0``. It does not model job-state time limit actions,
retry strategies, timeouts or EventBridge job events: tests/unit/test_batch_constructs.py
asserts those on the templates, and tests/unit/test_batch_submit.py stubs the job sequences.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from config import naming
from deployer.local import endpoint as local_endpoint
from tests.cli import Result, run_deployer
from tests.fakes import local_client
from tests.harness import SynthesisCache, free_port

pytestmark = pytest.mark.moto


def endpoint_with_batch(synth_cache: SynthesisCache, fail_jobs: bool) -> Iterator[str]:
    """A local endpoint holding `local`'s network and Batch stacks; its jobs fail when asked."""
    synthesised = synth_cache.get("local")
    port = free_port()
    with pytest.MonkeyPatch.context() as patch:
        if fail_jobs:
            patch.setenv("MOTO_SIMPLE_BATCH_FAIL_AFTER", "0")
        local_endpoint.up(port)
    try:
        cloudformation = local_client("cloudformation", port)
        for stack in (naming.network_stack_name(synthesised.spec), naming.batch_stack_name(synthesised.spec)):
            cloudformation.create_stack(
                StackName=stack, TemplateBody=json.dumps(synthesised.templates[stack])
            )
            status = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
            assert status == "CREATE_COMPLETE", (stack, status)
        yield str(port)
    finally:
        local_endpoint.down(port)


@pytest.fixture(scope="module")
def port(synth_cache: SynthesisCache) -> Iterator[str]:
    yield from endpoint_with_batch(synth_cache, fail_jobs=False)


@pytest.fixture(scope="module")
def failing_port(synth_cache: SynthesisCache) -> Iterator[str]:
    yield from endpoint_with_batch(synth_cache, fail_jobs=True)


def batch_cli(port: str, *args: str) -> Result:
    return run_deployer("batch", *args, "--env", "local", "--port", port)


def test_the_queue_tries_fargate_spot_then_fargate(port: str) -> None:
    batch = local_client("batch", port)
    [queue] = batch.describe_job_queues(jobQueues=["shop-local-default"])["jobQueues"]
    order = sorted(queue["computeEnvironmentOrder"], key=lambda e: e["order"])
    kinds = [
        batch.describe_compute_environments(computeEnvironments=[e["computeEnvironment"]])[
            "computeEnvironments"
        ][0]["computeResources"]["type"]
        for e in order
    ]
    assert (queue["state"], queue["priority"], kinds) == ("ENABLED", 1, ["FARGATE_SPOT", "FARGATE"])


def test_the_job_definition_is_registered_with_its_parameters_and_timeout(port: str) -> None:
    batch = local_client("batch", port)
    revisions = batch.describe_job_definitions(jobDefinitionName="shop-local-thumbnails")["jobDefinitions"]
    [definition] = [d for d in revisions if d["revision"] == 1]
    assert definition["status"] == "ACTIVE"
    assert definition["parameters"] == {"size": "256"}
    assert definition["timeout"] == {"attemptDurationSeconds": 1800}
    assert definition["containerProperties"]["user"] == "1000:1000"


def test_an_update_registers_a_new_revision_and_keeps_the_old(port: str, synth_cache: SynthesisCache) -> None:
    """As AWS Batch does with SkipDeregisterOnUpdate (moto's own CloudFormation has no update)."""
    template = json.loads(json.dumps(synth_cache.get("local").templates["shop-local-batch"]))
    [definition] = [r for r in template["Resources"].values() if r["Type"] == "AWS::Batch::JobDefinition"]
    definition["Properties"]["ContainerProperties"]["Image"] = "public.ecr.aws/docker/library/busybox:1.36"
    cloudformation = local_client("cloudformation", port)
    cloudformation.update_stack(StackName="shop-local-batch", TemplateBody=json.dumps(template))
    revisions = local_client("batch", port).describe_job_definitions(
        jobDefinitionName="shop-local-thumbnails"
    )
    found = {
        d["revision"]: (d["status"], d["containerProperties"]["image"]) for d in revisions["jobDefinitions"]
    }
    assert found == {
        1: ("ACTIVE", "public.ecr.aws/docker/library/busybox:1.37"),
        2: ("ACTIVE", "public.ecr.aws/docker/library/busybox:1.36"),
    }


def test_an_array_job_waits_to_success_and_exits_0(port: str) -> None:
    result = batch_cli(
        port, "submit", "thumbnails", "--array-size", "3", "--parameters", "size=64", "--wait", "--json"
    )
    assert result.code == 0, result.output[-2000:]
    answer = json.loads(result.stdout)
    assert answer["outcome"]["status"] == "SUCCEEDED"
    assert answer["outcome"]["children"] == {"SUCCEEDED": 3}
    assert answer["submission"]["parameters"] == {"size": "64"}


def test_the_same_client_token_submits_one_job(port: str) -> None:
    first = batch_cli(port, "submit", "thumbnails", "--client-token", "nightly-1", "--json")
    again = batch_cli(port, "submit", "thumbnails", "--client-token", "nightly-1", "--json")
    assert (first.code, again.code) == (0, 0), again.output[-2000:]
    submitted, reused = json.loads(first.stdout), json.loads(again.stdout)
    assert (submitted["reused"], reused["reused"]) == (False, True)
    assert reused["job_id"] == submitted["job_id"]
    jobs = local_client("batch", port).list_jobs(
        jobQueue="shop-local-default", filters=[{"name": "JOB_NAME", "values": ["thumbnails-nightly-1"]}]
    )["jobSummaryList"]
    assert len(jobs) == 1


def queued(port: str) -> int:
    batch = local_client("batch", port)
    return len(
        batch.list_jobs(jobQueue="shop-local-default", filters=[{"name": "JOB_NAME", "values": ["*"]}])[
            "jobSummaryList"
        ]
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("submit", "resize"), "unknown Batch job 'resize'; batch.jobs: thumbnails"),
        (
            ("submit", "thumbnails", "--parameters", "width=3"),
            "has no parameter 'width'; its parameters: size",
        ),
        (("submit", "thumbnails", "--client-token", "a b"), "--client-token: use 1-64 letters"),
        (("submit", "thumbnails", "--array-size", "1"), "--array-size"),
    ],
)
def test_bad_input_exits_2_and_submits_nothing(port: str, args: tuple[str, ...], message: str) -> None:
    before = queued(port)
    result = batch_cli(port, *args)
    assert result.code == 2 and message in result.output, result.output
    assert "Traceback" not in result.output
    assert queued(port) == before


def test_a_failed_job_exits_7_and_status_shows_it(failing_port: str) -> None:
    result = batch_cli(failing_port, "submit", "thumbnails", "--wait", "--json")
    assert result.code == 7, result.output[-2000:]
    assert json.loads(result.stdout)["outcome"]["status"] == "FAILED"
    status = batch_cli(failing_port, "status", "--json")
    assert status.code == 0, status.output[-2000:]
    answer: dict[str, Any] = json.loads(status.stdout)
    [queue] = answer["queues"]
    assert (queue["name"], queue["state"], queue["jobs"]["FAILED"]) == ("default", "ENABLED", 1)
    [failure] = answer["failures"]
    assert (failure["queue"], failure["job_name"]) == (
        "default",
        json.loads(result.stdout)["submission"]["job_name"],
    )
