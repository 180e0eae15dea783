"""``SpecModel``: the base of every spec model. Immutable, unknown keys refused, and numbers
and booleans taken only as written.

YAML 1.1 reads ``yes``/``no``/``on``/``off`` as booleans, and pydantic would then turn
``desired_count: yes`` into 1, ``fargate: 1`` into true and ``cidr: yes`` into 0.0.0.1/32.
Here a number field takes only a number, a boolean field only ``true`` or ``false``, and no
other field a boolean.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from config.introspection import unwrap

_YAML_BOOLEANS = "YAML reads yes, no, on, off, true and false as booleans"
# YAML 1.1 number forms config.yaml_source leaves as text.
_LEADING_ZERO = re.compile(r"^[-+]?0[0-9]+$")
_BASE_60 = re.compile(r"^[-+]?[0-9]+(?::[0-5]?[0-9])+(?:\.[0-9]*)?$")
ScalarKind = Literal["number", "boolean", "other"]
# The unit of a size field, for the mistakes other tools' habits bring (0.5 vCPU, 512Mi, 1GB).
_CPU_UNITS = "CPU units: 1024 is 1 vCPU, so 0.5 vCPU is 512"
_MIB = "MiB: 1024 is 1 GiB, so 512Mi is 512 and 2GB is 2048"
UNITS = {
    "cpu": _CPU_UNITS,
    "cpu_units": _CPU_UNITS,
    "memory": _MIB,
    "memory_limit_mib": _MIB,
    "memory_reservation_mib": _MIB,
}


class SpecModel(BaseModel):
    """Frozen, ``extra="forbid"``, strict numbers and booleans (see the module docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _scalars_as_written(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name is None:
            return value
        annotation = cls.model_fields[info.field_name].annotation
        kind = _scalar_kind(annotation)
        unit = f"; {info.field_name} is in {UNITS[info.field_name]}" if info.field_name in UNITS else ""
        if kind == "number" and isinstance(value, (bool, str)):
            raise spec_problem(_not_a_number(value) + unit)
        if unwrap(annotation) is int and isinstance(value, float) and not value.is_integer():
            raise spec_problem(f"{value} is not a whole number{unit or '; give a whole number'}")
        if kind == "boolean" and not isinstance(value, bool):
            raise spec_problem(f"{value!r} is not a boolean; use true or false")
        if kind == "other" and isinstance(value, bool):
            raise spec_problem(
                f"{str(value).lower()} is a boolean ({_YAML_BOOLEANS}); quote it if it is text"
            )
        return value


def spec_problem(message: str) -> PydanticCustomError:
    """The error a validator raises: the loader shows ``message`` as it is, at the value's path."""
    return PydanticCustomError("spec_check", "{message}", {"message": message})


def checked(problem: Callable[[str], str | None]) -> AfterValidator:
    """Refuse a string for which ``problem`` returns a message (used in ``Annotated[str, …]``)."""

    def check(value: str) -> str:
        message = problem(value)
        if message:
            raise spec_problem(message)
        return value

    return AfterValidator(check)


def _not_a_number(value: bool | str) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} is a boolean ({_YAML_BOOLEANS}); give a number"
    if _LEADING_ZERO.match(value):
        return f"{value!r} has a leading zero (YAML 1.1 would read 010 as octal 8); write {int(value)}"
    if _BASE_60.match(value):
        return f"{value!r} is text (YAML 1.1 would read 1:30 as 90, in base 60); give a number"
    return f"{value!r} is text; give a number, without quotes"


def _scalar_kind(annotation: Any) -> ScalarKind:
    """``number`` for ``int``/``float`` fields, ``boolean`` for ``bool`` (optional or not)."""
    target = unwrap(annotation)
    if target is bool:
        return "boolean"
    return "number" if target in (int, float) else "other"
