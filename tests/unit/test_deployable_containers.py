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
