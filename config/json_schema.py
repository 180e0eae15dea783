"""The spec's JSON Schema, for editors (``deployer schema``, ``config/spec.schema.json``)."""

from __future__ import annotations

import json
from pathlib import Path

from config.schema import AppSpec

SCHEMA_FILE = Path(__file__).resolve().parent / "spec.schema.json"


def spec_json_schema() -> str:
    """The JSON Schema of ``AppSpec`` as indented JSON text ending in a newline."""
    schema = AppSpec.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "ECS deployer environment spec"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    SCHEMA_FILE.write_text(spec_json_schema(), encoding="utf-8")
