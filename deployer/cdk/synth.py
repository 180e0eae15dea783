"""Synthesise an environment in this process, with the context `cdk synth` would give it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from config.cdk_context import Release
from config.schema import AppSpec

if TYPE_CHECKING:  # aws_cdk takes seconds to import: only commands that synthesise load it
    import aws_cdk as cdk

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


def project_app(validation: bool = False, **context: Any) -> cdk.App:
    """An ``App`` with the context ``cdk synth`` gives this project's app, plus ``context``.

    CDK's built-in CloudFormation validation is off unless ``validation`` (it costs seconds).
    """
    import aws_cdk as cdk

    return cdk.App(context={**cdk_context(), **context}, builtin_cloud_formation_validation=validation)


def synthesise_templates(
    spec: AppSpec,
    images: Mapping[str, str] | None = None,
    release: Release | None = None,
    validation: bool = False,
) -> dict[str, dict[str, Any]]:
    """Stack name → CloudFormation template for ``spec`` (no files written outside a temp dir)."""
    from stacks.app_builder import build_environment

    app = project_app(validation)
    build_environment(app, spec, images=images, release=release)
    return {stack.stack_name: dict(stack.template) for stack in app.synth().stacks}
