"""Spec models of how a service's tasks use EC2 instances: network mode and placement strategies."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field

from config.spec_model import SpecModel, checked

NetworkMode = Literal["awsvpc", "bridge", "host"]
AWSVPC: NetworkMode = "awsvpc"
# ECS: "instanceId (or host, which has the same effect), or any platform or custom attribute …
# such as attribute:ecs.availability-zone"; attribute names are up to 128 letters, digits,
# '-', '_', '/', '\' or '.'.
SPREAD_FIELD = r"^(instanceId|host|attribute:[A-Za-z0-9_./\\-]{1,128})$"
MAX_PLACEMENT_STRATEGIES = 5  # ECS: "a maximum of 5 strategy rules for each service"


def spread_field_problem(value: str) -> str | None:
    """Why ``value`` cannot be a ``spread`` field, or None."""
    if re.match(SPREAD_FIELD, value):
        return None
    return (
        f"{value!r} is not a placement field; use instanceId, or attribute:<name> such as "
        "attribute:ecs.availability-zone or attribute:ecs.instance-type"
    )


SpreadField = Annotated[str, checked(spread_field_problem)]


class PlacementStrategySpec(SpecModel):
    """One task placement strategy: exactly one of ``binpack`` (fill the instance with the least
    ``cpu`` or ``memory`` left first), ``spread`` (even out tasks over ``instanceId`` or an
    ``attribute:<name>``) or ``random: true``. ECS applies the list in order."""

    binpack: Literal["cpu", "memory"] | None = Field(
        default=None, description="cpu or memory: place on the instance with the least of it left"
    )
    spread: SpreadField | None = Field(
        default=None,
        description="instanceId, or attribute:<name> such as attribute:ecs.availability-zone",
    )
    random: bool = Field(default=False, description="place on any instance that fits")

    def api_form(self) -> dict[str, str]:
        """The strategy as the ECS API takes it (``{"type": "binpack", "field": "memory"}``)."""
        if self.binpack is not None:
            return {"type": "binpack", "field": self.binpack}
        if self.spread is not None:
            return {"type": "spread", "field": self.spread}
        return {"type": "random"}

    @property
    def kinds(self) -> list[str]:
        """The strategy keys this item sets (a valid item sets exactly one)."""
        return [k for k in ("binpack", "spread") if getattr(self, k) is not None] + (
            ["random"] if self.random else []
        )
