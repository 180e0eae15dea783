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
from config.pipeline_schema import Pipeline, load_pipeline
from stacks.pipeline_stack import PipelineStack
from stacks.proactive_controls import ProactiveControlsError, enforce, synthesise_stages

ROOT = Path(__file__).resolve().parent


def pinned_cli_version(package_json: Path = ROOT / "package.json") -> str:
    """The exact ``aws-cdk`` version of package.json's devDependencies."""
    return str(json.loads(package_json.read_text(encoding="utf-8"))["devDependencies"]["aws-cdk"])


def synthesise(app: cdk.App, pipeline: Pipeline) -> int:
    """Build ``PipelineStack`` for ``pipeline`` into ``app`` and synthesise it; exit code 2,
    with every violation named on stderr, when a stage's templates violate a Control Tower
    proactive control its environment enforces (``environment.proactive_controls``)."""
    stack = PipelineStack(app, pipeline.spec.name, pipeline=pipeline, cli_version=pinned_cli_version())
    stages = {stage.node.path: stage.spec for stage in stack.stages.values()}
    # CDK does not run the plugins of stages inside a stack: the app runs every stage's rules.
    enforce(app, [control for spec in stages.values() for control in spec.environment.proactive_controls])
    try:
        synthesise_stages(app, stages)
    except ProactiveControlsError as violated:
        print(f"error: {violated}", file=sys.stderr)
        return 2
    return 0


def main() -> None:
    try:
        pipeline = load_pipeline()
    except SpecError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
    sys.exit(synthesise(cdk.App(), pipeline))


if __name__ == "__main__":
    main()
