"""Cloud assemblies written by ``cdk synth --output DIR``: read one and check it is the spec's.

``deployer plan --assembly`` and ``deployer deploy --assembly`` share this, so a CI run can
synthesise once, gate that assembly and deploy exactly the templates it gated.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from config import naming
from config.schema import AppSpec
from deployer.inputs import BadInputError


def read_assembly(directory: Path, spec: AppSpec) -> dict[str, dict[str, Any]]:
    """Stack name → template from a cloud assembly directory; ``BadInputError`` if it is not ``spec``'s."""
    manifest_file = directory / "manifest.json"
    if not manifest_file.is_file():
        raise BadInputError(
            f"--assembly {directory}: no manifest.json; run `cdk synth --output {directory}` first"
        )
    templates = {}
    try:
        artifacts = json.loads(manifest_file.read_text(encoding="utf-8")).get("artifacts", {})
        for artifact_id, artifact in artifacts.items():
            if artifact.get("type") == "aws:cloudformation:stack":
                properties = artifact.get("properties", {})
                template_file = directory / properties["templateFile"]
                templates[properties.get("stackName", artifact_id)] = json.loads(template_file.read_text())
    except (OSError, ValueError, KeyError, AttributeError) as error:
        raise BadInputError(f"--assembly {directory}: not a readable cloud assembly ({error})") from None
    expected = naming.all_stack_names(spec)
    missing = [name for name in expected if name not in templates]
    if missing:
        found = ", ".join(sorted(templates)) or "no stacks"
        raise BadInputError(f"--assembly {directory}: holds {found}; missing {', '.join(missing)}")
    return templates


def refuse_release_inputs(
    assembly: Path | None, images: Mapping[str, str], release: Mapping[str, str]
) -> None:
    """``BadInputError`` when release inputs come with ``--assembly``: its templates already hold them."""
    if assembly is not None and (images or release):
        raise BadInputError(
            "--assembly already holds its images and release labels: "
            "give --image, --version or --git-revision only without it"
        )
