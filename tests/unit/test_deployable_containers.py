"""Container settings validate accepts must synthesise: what ECS, EC2 or CloudFormation would
refuse (an exit condition on an essential sidecar, memory the FireLens router or an open-ended
sidecar cannot get, EBS sizes and IOPS outside the volume type's range, an empty docker label
key) is refused at its path, and the nearest accepted variant synthesises."""

from __future__ import annotations

from typing import Any

import pytest

from config import parse_spec
from tests.harness import resources_of_type, synthesise
from tests.spec_problems import assert_problem, edited, refused

WORKER = '    user: "65534"                 # nobody\n'  # the last line of local.yaml's worker
BUSYBOX = "public.ecr.aws/docker/library/busybox:1.37"


def worker_with(extra: str) -> str:
    """local.yaml with ``extra`` (keys indented under the worker service) added to the worker."""
    return edited("local", WORKER, WORKER + extra)


def worker_template(text: str) -> dict[str, Any]:
    return dict(synthesise(parse_spec(text)).templates["shop-local-svc-worker"])


SIDECAR_WAITED_FOR = f"""\
    depends_on: {{migrate: SUCCESS}}
    sidecars:
      migrate:
        image: {BUSYBOX}
        user: "65534"
        command: ["true"]
"""


@pytest.mark.parametrize("condition", ["SUCCESS", "COMPLETE"])
def test_an_exit_condition_on_an_essential_sidecar_is_refused(condition: str) -> None:
    text = worker_with(SIDECAR_WAITED_FOR.replace("SUCCESS", condition))
    assert_problem(
        refused(text),
        "services.worker.depends_on.migrate",
        f"{condition} waits for 'migrate' to exit, but it is essential (its exit stops the task); "
        "set essential: false on 'migrate'",
    )


def test_an_exit_condition_on_a_non_essential_sidecar_synthesises() -> None:
    text = worker_with(SIDECAR_WAITED_FOR + "        essential: false\n")
    [definition] = resources_of_type(worker_template(text), "AWS::ECS::TaskDefinition").values()
    worker = next(c for c in definition["Properties"]["ContainerDefinitions"] if c["Name"] == "worker")
    assert worker["DependsOn"] == [{"ContainerName": "migrate", "Condition": "SUCCESS"}]


def test_the_firelens_router_counts_in_the_memory_the_containers_reserve() -> None:
    problem = assert_problem(
        refused(worker_with("    logging: firelens\n    memory_limit_mib: 512\n")),
        "services.worker.memory",
        "containers reserve 562 MiB, more than the task's 512 MiB, the FireLens log router's 50 MiB included",
    )
    assert "raise memory or lower the containers' memory_limit_mib/memory_reservation_mib" in problem.message


def test_a_sidecar_without_memory_settings_needs_6_mib_of_what_is_left() -> None:
    sidecar = f'    sidecars:\n      side: {{image: {BUSYBOX}, user: "65534"}}\n'
    assert_problem(
        refused(worker_with("    memory_reservation_mib: 510\n" + sidecar)),
        "services.worker.memory",
        "2 MiB of the task's 512 MiB are left for 1 container(s) without a memory setting; "
        "each needs at least 6 MiB",
    )
    # the containers reserve less than the task when the main container's reservation counts,
    # not its hard limit: what the construct registers
    assert parse_spec(worker_with("    memory_limit_mib: 512\n    memory_reservation_mib: 256\n" + sidecar))


def test_firelens_with_memory_left_for_the_router_synthesises() -> None:
    template = worker_template(worker_with("    logging: firelens\n    memory_limit_mib: 462\n"))
    [definition] = resources_of_type(template, "AWS::ECS::TaskDefinition").values()
    router = next(c for c in definition["Properties"]["ContainerDefinitions"] if c["Name"] == "log-router")
    assert router["MemoryReservation"] == 50
