"""Container settings validate accepts must synthesise: what ECS, EC2 or CloudFormation would
refuse (an exit condition on an essential sidecar, memory the FireLens router or an open-ended
sidecar cannot get, EBS sizes and IOPS outside the volume type's range, an empty docker label
key) is refused at its path, and the nearest accepted variant synthesises."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest

from config import parse_spec
from constructs_lib.ebs_volume import EncryptedEbsVolume
from tests.harness import resources_of_type, synthesise
from tests.spec_problems import assert_problem, edited, refused

WORKER = '    user: "65534"                 # nobody\n'  # the last line of local.yaml's worker
BUSYBOX = "public.ecr.aws/docker/library/busybox:1.37"


def worker_with(extra: str) -> str:
    """local.yaml with ``extra`` (keys indented under the worker service) added to the worker."""
    return edited("local", WORKER, WORKER + extra)


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


API = "    allow_from: [web, worker]\n"  # the last line of local.yaml's api


@pytest.fixture(scope="module")
def accepted() -> dict[str, dict[str, Any]]:
    """The nearest accepted variants, synthesised together (a synthesis takes a second or two):
    api waits for a non-essential sidecar's SUCCESS; the worker logs through FireLens with exactly
    the memory the router leaves it, and mounts an io2 volume with provisioned IOPS."""
    text = worker_with(
        "    logging: firelens\n    memory_limit_mib: 462\n"
        + ebs("{size_gib: 20, volume_type: io2, iops: 4000}")
    )
    assert text.count(API) == 1
    text = text.replace(API, API + SIDECAR_WAITED_FOR + "        essential: false\n")
    return synthesise(parse_spec(text)).templates


def test_an_exit_condition_on_a_non_essential_sidecar_synthesises(accepted: dict[str, Any]) -> None:
    template = accepted["shop-local-svc-api"]
    [definition] = resources_of_type(template, "AWS::ECS::TaskDefinition").values()
    api = next(c for c in definition["Properties"]["ContainerDefinitions"] if c["Name"] == "api")
    assert api["DependsOn"] == [{"ContainerName": "migrate", "Condition": "SUCCESS"}]


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


def test_firelens_with_memory_left_for_the_router_synthesises(accepted: dict[str, Any]) -> None:
    template = accepted["shop-local-svc-worker"]
    [definition] = resources_of_type(template, "AWS::ECS::TaskDefinition").values()
    router = next(c for c in definition["Properties"]["ContainerDefinitions"] if c["Name"] == "log-router")
    assert router["MemoryReservation"] == 50


def ebs(volume: str) -> str:
    return f"    mounts: [{{volume: data, path: /data}}]\n    volumes:\n      data: {{ebs: {volume}}}\n"


EBS = "services.worker.volumes.data.ebs"


@pytest.mark.parametrize(
    ("volume", "key", "fragment"),
    [
        (
            "{size_gib: 20, volume_type: io1}",
            "iops",
            "io1 volumes need iops: 100-64000, at most 50 per GiB of size_gib",
        ),
        (
            "{size_gib: 20, volume_type: io2}",
            "iops",
            "io2 volumes need iops: 100-256000, at most 1000 per GiB of size_gib",
        ),
        ("{size_gib: 100, volume_type: st1}", "size_gib", "st1 volumes are 125-16384 GiB; got 100"),
        ("{size_gib: 124, volume_type: sc1}", "size_gib", "sc1 volumes are 125-16384 GiB; got 124"),
        ("{size_gib: 3, volume_type: io1, iops: 100}", "size_gib", "io1 volumes are 4-16384 GiB; got 3"),
        # gp3's and io2's 64 TiB is every type's most, so the field's own bound refuses it
        ("{size_gib: 65537}", "size_gib", "Input should be less than or equal to 65536 (got 65537)"),
        ("{size_gib: 20, volume_type: gp2, iops: 3000}", "iops", "gp2 volumes take no iops; only io1, io2"),
        ("{size_gib: 200, iops: 80001}", "iops", "gp3 volumes take 3000-80000 iops; got 80001"),
        (
            "{size_gib: 159, iops: 80000}",
            "iops",
            "80000 iops is more than 500 per GiB of its 159 GiB; raise size_gib to 160 or lower iops",
        ),
        (
            "{size_gib: 20, volume_type: io1, iops: 5000}",
            "iops",
            "5000 iops is more than 50 per GiB of its 20 GiB; raise size_gib to 100 or lower iops",
        ),
    ],
)
def test_ebs_sizes_and_iops_outside_the_volume_types_range_are_refused(
    volume: str, key: str, fragment: str
) -> None:
    assert_problem(refused(worker_with(ebs(volume))), f"{EBS}.{key}", fragment)


@pytest.mark.parametrize(
    "volume",
    [
        "{size_gib: 65536}",
        "{size_gib: 20000, iops: 20000}",
        "{size_gib: 160, iops: 80000}",
        "{size_gib: 40, iops: 20000}",
    ],
)
def test_gp3_volumes_up_to_64_tib_and_80000_iops_are_accepted(volume: str) -> None:
    """AWS raised gp3 to 64 TiB and 80,000 IOPS (500 per GiB) in September 2025; aws-cdk-lib's
    ServiceManagedVolume takes the same ranges, so what validate accepts constructs."""
    spec = parse_spec(worker_with(ebs(volume)))
    ebs_spec = spec.services["worker"].volumes["data"].ebs
    assert ebs_spec is not None
    stack = cdk.Stack(cdk.App(), "Volumes")
    EncryptedEbsVolume(
        stack, "Volume", name="data", size=cdk.Size.gibibytes(ebs_spec.size_gib), iops=ebs_spec.iops
    )


def test_a_provisioned_iops_volume_synthesises_with_its_iops(accepted: dict[str, Any]) -> None:
    template = accepted["shop-local-svc-worker"]
    [service] = resources_of_type(template, "AWS::ECS::Service").values()
    [volume] = service["Properties"]["VolumeConfigurations"]
    assert volume["ManagedEBSVolume"]["VolumeType"] == "io2"
    assert volume["ManagedEBSVolume"]["Iops"] == 4000


def test_an_empty_docker_label_key_is_refused() -> None:
    assert_problem(
        refused(worker_with('    docker_labels: {"": x, team: shop}\n')),
        'services.worker.docker_labels[""]',
        "cannot be empty: CloudFormation wants a label key of 1 or more characters",
    )
    assert parse_spec(worker_with("    docker_labels: {team: shop}\n"))


def test_a_label_the_deployer_sets_on_every_revision_is_refused() -> None:
    """A user's deployer.version was silently replaced by the release label."""
    assert_problem(
        refused(worker_with("    docker_labels: {deployer.version: mine}\n")),
        'services.worker.docker_labels["deployer.version"]',
        "'deployer.version': labels starting with deployer. are the deployer's own (version, git "
        "revision and image of every revision) and would be overwritten; use another prefix",
    )
