"""CPU architecture of EC2 instance types, from the type name (no AWS call).

Graviton families carry a ``g`` right after the generation digit (``m7g``, ``c6gn``,
``t4g``, ``r8gd``), plus the first-generation ``a1``. Everything else is x86_64.
"""

from __future__ import annotations

import re
from typing import Literal

Architecture = Literal["x86_64", "arm64"]

_GRAVITON_FAMILY = re.compile(r"^(a1|[a-z]+\d+g[a-z]*)$")


def architecture_of(instance_type: str) -> Architecture:
    """``"m7g.large"`` → ``"arm64"``; ``"t3.medium"`` → ``"x86_64"``."""
    family = instance_type.split(".", 1)[0]
    return "arm64" if _GRAVITON_FAMILY.match(family) else "x86_64"
