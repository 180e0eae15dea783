"""Snapshots of the `local` templates: a change to them is a deliberate, reviewed change.

Update with `pytest tests/unit/test_snapshots.py --snapshot-update` and review the diff.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

from config import load_spec, naming
from tests.harness import SynthesisCache

_ASSET_HASH = re.compile(r"\b[a-f0-9]{64}\b")


def normalise(template: dict[str, Any]) -> dict[str, Any]:
    """Drop what changes with the CDK version (metadata) and mask asset hashes."""
    resources = {k: v for k, v in template["Resources"].items() if v["Type"] != "AWS::CDK::Metadata"}
    conditions = {k: v for k, v in template.get("Conditions", {}).items() if k != "CDKMetadataAvailable"}
    result = {**template, "Resources": resources}
    if conditions:
        result["Conditions"] = conditions
    else:
        result.pop("Conditions", None)
    return _mask(result)


def _mask(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _mask(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v) for v in value]
    if isinstance(value, str):
        return _ASSET_HASH.sub("<asset-hash>", value)
    return value


@pytest.fixture
def snapshot_json(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(JSONSnapshotExtension)


@pytest.mark.parametrize("stack", naming.all_stack_names(load_spec("local")))
def test_local_template_snapshot(
    synth_cache: SynthesisCache, snapshot_json: SnapshotAssertion, stack: str
) -> None:
    assert normalise(synth_cache.get("local").templates[stack]) == snapshot_json
