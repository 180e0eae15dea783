"""Fargate task sizes: the CPU/memory pairs AWS Fargate accepts (Linux)."""

from __future__ import annotations

FARGATE_MEMORY_BY_CPU: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4096 + 1, 1024)),
    1024: tuple(range(2048, 8192 + 1, 1024)),
    2048: tuple(range(4096, 16384 + 1, 1024)),
    4096: tuple(range(8192, 30720 + 1, 1024)),
    8192: tuple(range(16384, 61440 + 1, 4096)),
    16384: tuple(range(32768, 122880 + 1, 8192)),
}


def describe_memory_choices(cpu: int) -> str:
    """Human-readable list of the memory values (MiB) Fargate allows for ``cpu``."""
    choices = FARGATE_MEMORY_BY_CPU[cpu]
    if len(choices) <= 4:
        return ", ".join(str(m) for m in choices)
    step = choices[1] - choices[0]
    return f"{choices[0]} to {choices[-1]} in steps of {step}"


def fargate_size_error(cpu: int, memory: int) -> tuple[str, str] | None:
    """Return ``(field, message)`` when ``cpu``/``memory`` is not a Fargate size, else None."""
    if cpu not in FARGATE_MEMORY_BY_CPU:
        allowed = ", ".join(str(c) for c in FARGATE_MEMORY_BY_CPU)
        return "cpu", f"{cpu} is not a valid Fargate CPU; allowed: {allowed}"
    if memory not in FARGATE_MEMORY_BY_CPU[cpu]:
        return (
            "memory",
            f"{memory} is not a valid Fargate memory for cpu {cpu}; allowed: {describe_memory_choices(cpu)}",
        )
    return None


# The retention periods CloudWatch Logs accepts (days).
LOG_RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)
