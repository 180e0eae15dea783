"""Synthesise an environment in this process, with the context `cdk synth` would give it."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from config.cdk_context import Release
from config.schema import AppSpec
from deployer.inputs import BadInputError

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


def use_pinned_node(node_bin: Path = PROJECT_DIR / "node_modules" / ".bin") -> None:
    """Put the project's pinned Node (``node_modules/.bin``, Node 22) first on this process's
    PATH, as ``make`` does for ``cdk synth``: jsii starts ``node`` from PATH when aws_cdk is
    first imported, and an end-of-life system Node prints its banner through jsii (as Python
    byte strings). Without the pinned install (``make install``) PATH is left as it is."""
    if not (node_bin / "node").exists():
        return
    entries = os.environ.get("PATH", "").split(os.pathsep)
    if entries and entries[0] == str(node_bin):
        return
    os.environ["PATH"] = os.pathsep.join([str(node_bin), *(e for e in entries if e != str(node_bin))])


def project_app(validation: bool = False, **context: Any) -> cdk.App:
    """An ``App`` with the context ``cdk synth`` gives this project's app, plus ``context``.

    CDK's built-in CloudFormation validation is off unless ``validation`` (it costs seconds).
    The pinned Node runs jsii (``use_pinned_node``).
    """
    use_pinned_node()
    import aws_cdk as cdk

    return cdk.App(context={**cdk_context(), **context}, builtin_cloud_formation_validation=validation)


def synthesise_templates(
    spec: AppSpec,
    images: Mapping[str, str] | None = None,
    release: Release | None = None,
    validation: bool = False,
) -> dict[str, dict[str, Any]]:
    """Stack name → CloudFormation template for ``spec`` (no files written outside a temp dir)."""
    use_pinned_node()
    from stacks.app_builder import build_environment
    from stacks.proactive_controls import ProactiveControlsError, synthesise

    app = project_app(validation)
    build_environment(app, spec, images=images, release=release)
    try:
        assembly = synthesise(app, spec)
    except ProactiveControlsError as error:  # exit 2 naming each control the templates violate
        raise BadInputError(str(error)) from None
    return {stack.stack_name: dict(stack.template) for stack in assembly.stacks}
