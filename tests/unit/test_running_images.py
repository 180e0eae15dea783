"""`status` shows which build runs: the image digests of each service's running tasks, under the
image the task definition names (deployer/aws/running_tasks.py).

moto reports no image digest (its tasks have no `imageDigest`) and starts no task for a
service, so the calls are played with botocore's Stubber, whose responses are checked against
ECS's own API model; the e2e test reads `status` from moto (no tasks: no digests)."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.stub import Stubber

from deployer.aws.running_tasks import DESCRIBE_TASKS_MAX, image_digests, running_tasks
from deployer.aws.status import ServiceState
from deployer.commands.status import image_cell

CLUSTER = "shop-dev"
TASK = f"arn:aws:ecs:eu-west-1:111111111111:task/{CLUSTER}/"
OLD, NEW = "sha256:" + "0a" * 32, "sha256:" + "1b" * 32


def client() -> Any:
    return boto3.client("ecs", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")


def task(number: int, group: str, *containers: tuple[str, str | None]) -> dict[str, Any]:
    return {
        "taskArn": f"{TASK}{number:032x}",
        "taskDefinitionArn": f"arn:aws:ecs:eu-west-1:111111111111:task-definition/{group}:1",
        "group": group,
        "lastStatus": "RUNNING",
        "containers": [
            {"name": name} | ({"imageDigest": digest} if digest else {}) for name, digest in containers
        ],
    }


def test_every_running_task_of_the_cluster_is_read_a_hundred_at_a_time() -> None:
    """ListTasks pages (the stub's nextToken) and DescribeTasks' limit of 100 tasks a call."""
    tasks = [task(n, "service:web", ("web", NEW)) for n in range(150)]
    arns = [t["taskArn"] for t in tasks]
    ecs = client()
    with Stubber(ecs) as stub:
        listed = {"cluster": CLUSTER, "desiredStatus": "RUNNING"}
        stub.add_response("list_tasks", {"taskArns": arns[:120], "nextToken": "page-2"}, listed)
        stub.add_response("list_tasks", {"taskArns": arns[120:]}, {**listed, "nextToken": "page-2"})
        for start in (0, DESCRIBE_TASKS_MAX):
            batch = arns[start : start + DESCRIBE_TASKS_MAX]
            stub.add_response(
                "describe_tasks",
                {"tasks": tasks[start : start + DESCRIBE_TASKS_MAX]},
                {"cluster": CLUSTER, "tasks": batch},
            )
        found = running_tasks(ecs, CLUSTER)
        stub.assert_no_pending_responses()
    assert [t["taskArn"] for t in found] == arns


def test_digests_are_grouped_by_service_and_container() -> None:
    """Two builds of web side by side (a rollout, or a tag pushed again between deployments);
    a sidecar still pulling has no digest yet; a one-off task and a job's belong to no service."""
    tasks = [
        task(1, "service:web", ("web", OLD), ("otel", None)),
        task(2, "service:web", ("web", NEW), ("otel", OLD)),
        task(3, "service:web", ("web", NEW)),
        task(4, "service:worker", ("worker", OLD)),
        task(5, "family:shop-dev-web", ("web", "sha256:" + "2c" * 32)),  # deployer run web
    ]
    assert image_digests(tasks) == {
        "web": {"web": [OLD, NEW], "otel": [OLD]},
        "worker": {"worker": [OLD]},
    }


def test_the_status_table_shows_the_digest_under_a_tag_and_not_twice() -> None:
    service = ServiceState(
        "web",
        "ACTIVE",
        images=[
            "111111111111.dkr.ecr.eu-west-1.amazonaws.com/shop-web:1.4.2",
            f"otel@{OLD}",
            "fluent-bit:3.2",
        ],
        containers=["web", "otel", "log_router"],
        digests={"web": [OLD, NEW], "otel": [OLD]},
    )
    assert image_cell(service).splitlines() == [
        "111111111111.dkr.ecr.eu-west-1.amazonaws.com/shop-web:1.4.2",
        f"  runs sha256:{'0a' * 6}…, sha256:{'1b' * 6}…",
        f"otel@{OLD}",  # pinned by its digest already
        "fluent-bit:3.2",  # no running task reported one
    ]
    assert image_cell(ServiceState("gone", "MISSING")) == "-"
