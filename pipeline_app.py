#!/usr/bin/env python3
"""CDK entry point of the delivery pipeline: ``cdk deploy --app "python pipeline_app.py"``.

Reads ``config/pipeline.yaml`` (and the environments it lists) and the CDK CLI version pinned
in package.json, builds ``PipelineStack``, synthesises. Deploy it once by hand; afterwards
the pipeline updates itself from the repository. See docs/ci.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import aws_cdk as cdk

from config import SpecError
from config.pipeline_schema import load_pipeline
from stacks.pipeline_stack import PipelineStack

ROOT = Path(__file__).resolve().parent


def pinned_cli_version(package_json: Path = ROOT / "package.json") -> str:
    """The exact ``aws-cdk`` version of package.json's devDependencies."""
    return str(json.loads(package_json.read_text(encoding="utf-8"))["devDependencies"]["aws-cdk"])


def main() -> None:
    app = cdk.App()
    try:
        pipeline = load_pipeline()
    except SpecError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
    PipelineStack(app, pipeline.spec.name, pipeline=pipeline, cli_version=pinned_cli_version())
    app.synth()


if __name__ == "__main__":
    main()
