"""Fargate task sizes against AWS's own table, at every boundary.

The table is copied from the Amazon ECS Developer Guide, "Troubleshoot Amazon ECS task
definition invalid CPU or memory errors" (docs.aws.amazon.com/AmazonECS/latest/developerguide/
task-cpu-memory-error.html), Linux: for each CPU, the memory values in MiB as the page states
them (a list, or "between A and B in increments of S").
"""

from __future__ import annotations

import pytest

from config import SpecError, parse_spec
from config.fargate import FARGATE_MEMORY_BY_CPU, describe_memory_choices, fargate_size_error
from config.loader import ENVIRONMENTS_DIR

AWS_LISTED = {
    256: [512, 1024, 2048],
    512: [1024, 2048, 3072, 4096],
    1024: [2048, 3072, 4096, 5120, 6144, 7168, 8192],
}
AWS_RANGES = {  # cpu: (first, last, increment)
    2048: (4096, 16384, 1024),
    4096: (8192, 30720, 1024),
    8192: (16384, 61440, 4096),
    16384: (32768, 122880, 8192),
}


def aws_memory(cpu: int) -> list[int]:
    if cpu in AWS_LISTED:
        return AWS_LISTED[cpu]
    first, last, step = AWS_RANGES[cpu]
    return list(range(first, last + step, step))


def test_the_cpu_values_are_exactly_the_seven_aws_lists() -> None:
    assert sorted(FARGATE_MEMORY_BY_CPU) == [256, 512, 1024, 2048, 4096, 8192, 16384]


@pytest.mark.parametrize("cpu", [256, 512, 1024, 2048, 4096, 8192, 16384])
def test_every_memory_value_aws_lists_is_accepted_and_nothing_else(cpu: int) -> None:
    assert list(FARGATE_MEMORY_BY_CPU[cpu]) == aws_memory(cpu)
    for memory in aws_memory(cpu):
        assert fargate_size_error(cpu, memory) is None, (cpu, memory)


def boundaries() -> list[tuple[int, int, bool]]:
    """(cpu, memory, valid): the first two and last two values, one MiB either side of each,
    and one increment beyond either end."""
    cases: list[tuple[int, int, bool]] = []
    for cpu in [*AWS_LISTED, *AWS_RANGES]:
        values = aws_memory(cpu)
        edges = [values[0], values[1], values[-2], values[-1]]
        cases += [(cpu, m, True) for m in edges]
        cases += [(cpu, m + delta, False) for m in edges for delta in (-1, 1)]
        below, above = 2 * values[0] - values[1], 2 * values[-1] - values[-2]
        cases += [(cpu, below, False), (cpu, above, False)]
    return cases


@pytest.mark.parametrize(("cpu", "memory", "valid"), boundaries())
def test_memory_boundaries_for_each_cpu(cpu: int, memory: int, valid: bool) -> None:
    error = fargate_size_error(cpu, memory)
    if valid:
        assert error is None
    else:
        assert error is not None and error[0] == "memory"
        assert error[1].startswith(f"{memory} is not a valid Fargate memory for cpu {cpu}; allowed: ")


@pytest.mark.parametrize(
    "cpu", [0, 128, 255, 257, 511, 513, 1023, 1025, 2047, 2049, 3072, 8191, 16383, 16385, 32768]
)
def test_cpu_values_aws_does_not_list_are_refused(cpu: int) -> None:
    assert fargate_size_error(cpu, 2048) == (
        "cpu",
        f"{cpu} is not a valid Fargate CPU; allowed: 256, 512, 1024, 2048, 4096, 8192, 16384",
    )


@pytest.mark.parametrize(
    ("cpu", "choices"),
    [
        (256, "512, 1024, 2048"),
        (512, "1024, 2048, 3072, 4096"),
        (1024, "2048 to 8192 in steps of 1024"),
        (2048, "4096 to 16384 in steps of 1024"),
        (4096, "8192 to 30720 in steps of 1024"),
        (8192, "16384 to 61440 in steps of 4096"),
        (16384, "32768 to 122880 in steps of 8192"),
    ],
)
def test_the_message_lists_the_choices_as_aws_does(cpu: int, choices: str) -> None:
    assert describe_memory_choices(cpu) == choices


LOCAL_TEXT = (ENVIRONMENTS_DIR / "local.yaml").read_text()
WEB_SIZE = "    cpu: 256\n    memory: 512\n    port: 8080\n"


@pytest.mark.parametrize(("cpu", "memory"), [(16384, 122880), (8192, 16384), (4096, 30720), (256, 2048)])
def test_the_largest_and_smallest_sizes_load_from_a_spec(cpu: int, memory: int) -> None:
    text = LOCAL_TEXT.replace(WEB_SIZE, f"    cpu: {cpu}\n    memory: {memory}\n    port: 8080\n", 1)
    assert text != LOCAL_TEXT
    web = parse_spec(text).services["web"]
    assert (web.cpu, web.memory) == (cpu, memory)


def test_a_size_between_two_increments_is_a_spec_error_at_its_path() -> None:
    text = LOCAL_TEXT.replace(WEB_SIZE, "    cpu: 16384\n    memory: 120000\n    port: 8080\n", 1)
    with pytest.raises(SpecError) as caught:
        parse_spec(text, source="local.yaml")
    [problem] = caught.value.problems
    assert problem.path == "services.web.memory"
    assert problem.message == (
        "120000 is not a valid Fargate memory for cpu 16384; allowed: 32768 to 122880 in steps of 8192"
    )


def test_a_service_on_ec2_capacity_is_not_held_to_fargate_sizes() -> None:
    worker = "    image: public.ecr.aws/docker/library/busybox:1.37\n    cpu: 256\n    memory: 512\n"
    assert worker in LOCAL_TEXT
    text = LOCAL_TEXT.replace(
        worker, worker.replace("cpu: 256", "cpu: 300").replace("memory: 512", "memory: 700")
    )
    spec = parse_spec(text)
    assert spec.capacity_kind("worker") == "ec2" and (
        spec.services["worker"].cpu,
        spec.services["worker"].memory,
    ) == (300, 700)
