"""Run the project's pinned CDK CLI (``node_modules/.bin/cdk``) for one environment."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from config.cdk_context import DeployInputs, Release
from config.schema import AppSpec
from deployer.aws.session import aws_environment
from deployer.processes import stop_group

PROJECT_DIR = Path(__file__).resolve().parents[2]
NODE_BIN = PROJECT_DIR / "node_modules" / ".bin"
STOP_GRACE_S = 5.0  # between SIGTERM and SIGKILL for the CDK CLI's process group
ASSEMBLIES_DIR = PROJECT_DIR / "cdk.out"


class CdkCliMissingError(RuntimeError):
    """The pinned CDK CLI is not installed (run ``make install``)."""


def cdk_environment(spec: AppSpec, port: int | None = None) -> dict[str, str]:
    """The process environment for the CDK CLI: pinned Node first on PATH, AWS target set."""
    env = dict(os.environ)
    env["PATH"] = f"{NODE_BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(aws_environment(spec, port))
    if spec.environment.is_local:
        env.pop("AWS_PROFILE", None)
        env.pop("AWS_SESSION_TOKEN", None)
        # The local run is offline: no telemetry, version check or notices fetch.
        env["CDK_DISABLE_CLI_TELEMETRY"] = "true"
        env["CDK_DISABLE_VERSION_CHECK"] = "1"
    return env


def context_args(
    spec: AppSpec,
    images: Mapping[str, str],
    release: Mapping[str, str] | None = None,
    pins: Mapping[str, str] | None = None,
) -> list[str]:
    """The ``-c`` arguments of ``config.cdk_context``: env, rollback pins, images, release labels."""
    inputs = DeployInputs(
        env=spec.environment.name,
        images=images,
        rollback_pins=pins or {},
        release=Release(**(release or {})),
    )
    return inputs.context_args()


def assembly_dir(spec: AppSpec) -> Path:
    """Where the CDK CLI synthesises the environment: ``cdk.out/<env>``."""
    return ASSEMBLIES_DIR / spec.environment.name


def output_args(spec: AppSpec, args: Sequence[str]) -> list[str]:
    """``--output cdk.out/<env>``, unless ``args`` give an output directory or an app. The CDK
    CLI locks the directory it synthesises into and refuses a second CLI there, so one
    directory per environment lets commands for two environments run at once (two for the
    same environment are kept apart by the deploy lock)."""
    named = any(
        arg in ("--output", "-o", "--app", "-a") or arg.startswith(("--output=", "--app=")) for arg in args
    )
    return [] if named else ["--output", str(assembly_dir(spec))]


def run_cdk(
    spec: AppSpec, args: Sequence[str], port: int | None = None, stdout_to_stderr: bool = False
) -> int:
    """Run ``cdk <args>`` in the project directory, synthesising into ``cdk.out/<env>``
    (``output_args``); return its exit code.

    ``stdout_to_stderr`` keeps the CLI's progress off stdout (for --json output). The CLI runs in
    its own session, so its process group (node, the app it synthesises) can be stopped as a
    whole: when this process is interrupted (Ctrl-C, SIGTERM, the deadline) the group gets
    SIGTERM, then SIGKILL after 5 s, and the interruption goes on with a note saying so.
    """
    cdk = NODE_BIN / "cdk"
    if not cdk.exists():
        raise CdkCliMissingError(f"{cdk} is missing; run 'make install' (npm ci) first")
    extra = [*output_args(spec, args), *(["--no-notices"] if spec.environment.is_local else [])]
    process = subprocess.Popen(
        [str(cdk), *args, *extra],
        cwd=PROJECT_DIR,
        env=cdk_environment(spec, port),
        stdout=sys.stderr if stdout_to_stderr else None,
        start_new_session=True,
    )
    try:
        return process.wait()
    except BaseException as error:
        stop_group(process.pid, STOP_GRACE_S)
        error.add_note(f"the CDK CLI (pid {process.pid}) and its process group were stopped")
        raise
