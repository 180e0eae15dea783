"""AWS region codes (``config/aws_regions.json``, from botocore's partitions, refreshed by
``scripts/refresh_aws_tables.py``)."""

from __future__ import annotations

import difflib
import json
from functools import cache
from pathlib import Path

REGIONS_FILE = Path(__file__).resolve().parent / "aws_regions.json"


@cache
def regions_by_partition() -> dict[str, tuple[str, ...]]:
    """Partition (``aws``, ``aws-cn``, ``aws-us-gov`` …) → its region codes."""
    table = json.loads(REGIONS_FILE.read_text(encoding="utf-8"))
    return {partition: tuple(codes) for partition, codes in table["partitions"].items()}


def partition_of(region: str) -> str:
    """The partition of ``region`` (``aws``, ``aws-cn`` …); ``aws`` for a code it does not know."""
    return next((p for p, codes in regions_by_partition().items() if region in codes), "aws")


def region_problem(region: str) -> str | None:
    """Why ``region`` is not an AWS region code (with the closest ones), or None."""
    known = [code for codes in regions_by_partition().values() for code in codes]
    if region in known:
        return None
    close = difflib.get_close_matches(region, known, n=3, cutoff=0.8)
    hint = f"did you mean {' or '.join(close)}? " if close else ""
    return f"{region!r} is not an AWS region; {hint}e.g. us-east-1 or eu-west-2"
