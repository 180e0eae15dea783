"""EC2 instance types: which exist (``config/ec2_instance_types.json``, from botocore's EC2
model, refreshed by ``scripts/refresh_aws_tables.py``) and their CPU architecture; and the
smallest volume ``root_volume_gib`` can give an instance of each ECS-optimised AMI family.

Graviton families carry a ``g`` right after the generation digit (``m7g``, ``c6gn``,
``t4g``, ``r8gd``), plus the first-generation ``a1``. Everything else is x86_64.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, Literal

from constructs_lib.root_volumes import ROOT_VOLUME_MAX_GIB, SNAPSHOT_GIB

Architecture = Literal["x86_64", "arm64"]

INSTANCE_TYPES_FILE = Path(__file__).resolve().parent / "ec2_instance_types.json"
_GRAVITON_FAMILY = re.compile(r"^(a1|[a-z]+\d+g[a-z]*)$")
# The names aws-cdk-lib's ec2.InstanceType reads (its architecture getter): a family of letters,
# a generation of one or two digits, capabilities. It refuses u-12tb1, mac2-m2, p6-b200 ….
_CDK_READABLE = re.compile(r"^([a-z]+)(\d{1,2})([a-z\-]*)\.([a-z0-9\-]+)$")


def architecture_of(instance_type: str) -> Architecture:
    """``"m7g.large"`` → ``"arm64"``; ``"t3.medium"`` → ``"x86_64"``."""
    family = instance_type.split(".", 1)[0]
    return "arm64" if _GRAVITON_FAMILY.match(family) else "x86_64"


@cache
def instance_families() -> dict[str, tuple[str, ...]]:
    """Every EC2 instance family and its sizes, in the table's order."""
    table = json.loads(INSTANCE_TYPES_FILE.read_text(encoding="utf-8"))
    return {family: tuple(sizes) for family, sizes in table["families"].items()}


def instance_type_problem(instance_type: str) -> str | None:
    """Why ``instance_type`` is not an EC2 instance type (with the closest ones), or None."""
    family, _, size = instance_type.partition(".")
    families = instance_families()
    if family not in families:
        close = difflib.get_close_matches(family, list(families), n=3, cutoff=0.6)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        return f"{instance_type!r}: no EC2 instance family {family!r}; {hint}e.g. t3.medium or m7g.large"
    if size not in families[family]:
        return f"{instance_type!r}: {family} comes in {', '.join(families[family])}"
    if not _CDK_READABLE.match(instance_type):
        return (
            f"{instance_type!r}: aws-cdk-lib cannot read this type's name (it takes a family, a "
            "generation of one or two digits and capabilities, as m7i-flex.large); choose another type"
        )
    return None


def root_volume_problems(
    loc: tuple[str | int, ...], root_volume_gib: int, ami: str
) -> Iterator[tuple[tuple[str | int, ...], str, Any]]:
    """``root_volume_gib`` below the snapshot of the volume it sizes on an ``ami`` instance
    (al2023: the 30 GiB root volume; bottlerocket: the 20 GiB data volume), which EC2 refuses
    at launch ("Volume of size …GB is smaller than snapshot"). The field itself bounds the top."""
    least, volume = SNAPSHOT_GIB[ami]
    if root_volume_gib < least:
        yield (
            (*loc, "root_volume_gib"),
            f"{volume} comes from a {least} GiB snapshot and EC2 refuses a smaller volume at launch; "
            f"allowed: {least} to {ROOT_VOLUME_MAX_GIB} GiB, got {root_volume_gib}",
            root_volume_gib,
        )
