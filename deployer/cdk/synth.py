"""Synthesise an environment in this process, with the context `cdk synth` would give it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from config.schema import AppSpec

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_QUALIFIER = "hnb659fds"  # the CDK's own, when cdk.json sets none


def cdk_context(project_dir: Path = PROJECT_DIR) -> dict[str, Any]:
    """cdk.json's context, then cdk.context.json's committed lookups."""
    context: dict[str, Any] = json.loads((project_dir / "cdk.json").read_text())["context"]
    context.update(json.loads((project_dir / "cdk.context.json").read_text()))
    return context


def bootstrap_assets_bucket(spec: AppSpec) -> str:
    """The asset bucket ``cdk bootstrap`` made for the environment (cdk.json's qualifier, if set)."""
    qualifier = cdk_context().get("@aws-cdk/core:bootstrapQualifier", DEFAULT_QUALIFIER)
    return f"cdk-{qualifier}-assets-{spec.environment.account}-{spec.environment.region}"


def synthesise_templates(
    spec: Any, images: Mapping[str, str] | None = None, release: Any = None, validation: bool = False
) -> dict[str, dict[str, Any]]:
    """Stack name → CloudFormation template for ``spec`` (no files written outside a temp dir)."""
    import aws_cdk as cdk

    from stacks.app_builder import build_environment

    app = cdk.App(context=cdk_context(), builtin_cloud_formation_validation=validation)
    build_environment(app, spec, images=images, release=release)
    return {stack.stack_name: dict(stack.template) for stack in app.synth().stacks}
