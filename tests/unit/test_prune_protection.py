"""``prune`` keeps what rollback and running tasks need, reading *every* page of running tasks.

moto's ``list_tasks`` answers in one page, so the paging and the 100-task ``DescribeTasks``
batches are replayed with botocore's Stubber.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from config import load_spec
from deployer.inputs import BadInputError
from deployer.revisions.history import Revision
from deployer.revisions.prune import deregister, plan_prune, protected_revisions

SPEC = load_spec("local")
ARN = "arn:aws:ecs:us-east-1:123456789012:task-definition/shop-local-web:{}"
TASK = "arn:aws:ecs:us-east-1:123456789012:task/shop-local/{:032x}"


def revision(number: int, status: str = "ACTIVE", live: bool = False) -> Revision:
    return Revision(arn=ARN.format(number), revision=number, status=status, registered_at="", live=live)


# Ten revisions; 9 is live, 8 the rollback target, 7 INACTIVE already.
HISTORY = [revision(n, live=n == 9, status="INACTIVE" if n == 7 else "ACTIVE") for n in range(10, 0, -1)]


def stub_running_tasks(stubber: Stubber, revisions_by_page: list[list[int]]) -> None:
    """``list_tasks`` pages whose tasks run the given revisions, then the describe batches."""
    arns: list[str] = []
    runs: list[int] = []
    for index, page in enumerate(revisions_by_page):
        page_arns = [TASK.format(len(arns) + i) for i in range(len(page))]
        request: dict[str, Any] = {"cluster": "shop-local", "desiredStatus": "RUNNING"}
        if index:
            request["nextToken"] = f"page-{index}"
        response: dict[str, Any] = {"taskArns": page_arns}
        if index + 1 < len(revisions_by_page):
            response["nextToken"] = f"page-{index + 1}"
        stubber.add_response("list_tasks", response, request)
        arns += page_arns
        runs += page
    for start in range(0, len(arns), 100):
        batch = arns[start : start + 100]
        tasks = [
            {"taskArn": a, "taskDefinitionArn": ARN.format(r)}
            for a, r in zip(batch, runs[start:], strict=False)
        ]
        stubber.add_response("describe_tasks", {"tasks": tasks}, {"cluster": "shop-local", "tasks": batch})


def protected(revisions_by_page: list[list[int]]) -> dict[str, str]:
    ecs = boto3.client("ecs", region_name="us-east-1")
    with Stubber(ecs) as stubber:
        stub_running_tasks(stubber, revisions_by_page)
        found = protected_revisions(SPEC, ecs, "web", HISTORY)
        stubber.assert_no_pending_responses()
    return found


def test_a_task_on_the_last_page_protects_its_revision() -> None:
    """150 tasks: 100 on the first page (revision 9), 50 on the second, one of them on 2."""
    assert protected([[9] * 100, [9] * 49 + [2]]) == {
        ARN.format(9): "live",
        ARN.format(8): "rollback target",
        ARN.format(2): "used by a running task",
    }


def test_describe_tasks_batches_of_at_most_100_are_all_read() -> None:
    """One page of 250 tasks (ListTasks returns up to 100, but the batching must not rely on it)."""
    assert protected([[5] + [9] * 199 + [4] * 49 + [3]]) == {
        ARN.format(9): "live",
        ARN.format(8): "rollback target",
        ARN.format(5): "used by a running task",
        ARN.format(4): "used by a running task",
        ARN.format(3): "used by a running task",
    }


def test_three_pages_and_no_running_task_on_old_revisions() -> None:
    assert protected([[9], [9], [8]]) == {ARN.format(9): "live", ARN.format(8): "rollback target"}


def test_nothing_running_and_nothing_older_protects_only_the_live_revision() -> None:
    ecs = boto3.client("ecs", region_name="us-east-1")
    with Stubber(ecs) as stubber:
        stubber.add_response(
            "list_tasks", {"taskArns": []}, {"cluster": "shop-local", "desiredStatus": "RUNNING"}
        )
        only = [revision(1, live=True)]
        assert protected_revisions(SPEC, ecs, "web", only) == {ARN.format(1): "live"}


def plan(keep: int) -> list[int]:
    ecs = boto3.client("ecs", region_name="us-east-1")
    with Stubber(ecs) as stubber:
        stub_running_tasks(stubber, [[9, 9, 5]])
        doomed = plan_prune(SPEC, ecs, "web", HISTORY, keep)
    return [r.revision for r in doomed]


@pytest.mark.parametrize(
    ("keep", "doomed"),
    [
        # ACTIVE newest first: 10 9 8 6 5 4 3 2 1; protected: 9 live, 8 target, 5 running
        (1, [6, 4, 3, 2, 1]),
        (2, [6, 4, 3, 2, 1]),
        (4, [4, 3, 2, 1]),
        (5, [4, 3, 2, 1]),
        (6, [3, 2, 1]),
        (8, [1]),
        (9, []),
        (10, []),
    ],
)
def test_keep_counts_active_revisions_newest_first(keep: int, doomed: list[int]) -> None:
    assert plan(keep) == doomed


@pytest.mark.parametrize("keep", [0, -1])
def test_keep_below_one_is_refused_before_any_aws_call(keep: int) -> None:
    ecs = boto3.client("ecs", region_name="us-east-1")
    with Stubber(ecs), pytest.raises(BadInputError, match=rf"^--keep {keep}: keep at least 1 revision$"):
        plan_prune(SPEC, ecs, "web", HISTORY, keep)


def test_deregister_each_planned_revision_by_its_arn() -> None:
    ecs = boto3.client("ecs", region_name="us-east-1")
    with Stubber(ecs) as stubber:
        for number in (4, 1):
            stubber.add_response("deregister_task_definition", {}, {"taskDefinition": ARN.format(number)})
        deregister(ecs, [revision(4), revision(1)])
        stubber.assert_no_pending_responses()
