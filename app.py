#!/usr/bin/env python3
"""CDK entry point: ``cdk synth -c env=<name> [-c image.<service>=<ref>]`` (default env: local).

The context keys are the contract in ``config.cdk_context``; cdk.json's context is the default,
so ``python app.py`` alone synthesises ``local`` as ``cdk synth`` would (into a temporary
directory, or ``$CDK_OUTDIR``). Bad input (the spec, a context value, or templates violating a
proactive control the environment enforces) exits 2 with every problem named and no traceback;
any other failure prints one ``internal error`` paragraph and exits 1 (``DEPLOYER_DEBUG=1``
shows the traceback).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import aws_cdk as cdk

from config.cdk_context import DeployInputs, environments_dir
from config.context_checks import context_problems
from config.loader import load_spec
from deployer.cdk.synth import cdk_context as project_context
from stacks.app_builder import build_environment
from stacks.proactive_controls import ProactiveControlsError
from stacks.proactive_controls import synthesise as synthesise_checked

OK, FAILED, BAD_INPUT = 0, 1, 2


def synthesise(app: cdk.App, directory: Path | None = None) -> int:
    """Build the environment ``-c env`` names (from ``directory``, default ``environments_dir()``)
    into ``app`` and synthesise it; print what went wrong to stderr and return the exit code."""
    inputs = DeployInputs.from_context(app.node.get_all_context())
    try:
        spec = load_spec(inputs.env, directory or environments_dir())
        problems = context_problems(spec, inputs.images, inputs.rollback_pins)
        if problems:
            return _report(BAD_INPUT, "error: " + "\n".join(problems))
        build_environment(app, spec, images=inputs.images, release=inputs.release, pins=inputs.rollback_pins)
    except ValueError as error:  # SpecError, and a construct refusing its input
        return _report(BAD_INPUT, f"error: {error}")
    except Exception as error:  # aws-cdk-lib refusing a construct's props (a jsii RuntimeError)
        return _internal(error)
    try:
        synthesise_checked(app, spec)
    except ProactiveControlsError as violated:
        return _report(BAD_INPUT, f"error: {violated}")
    except Exception as error:
        return _internal(error)
    return OK


def _internal(error: Exception) -> int:
    """One ``internal error`` paragraph (exit 1); ``DEPLOYER_DEBUG=1`` raises it with its traceback."""
    if os.environ.get("DEPLOYER_DEBUG"):
        raise error
    return _report(
        FAILED, f"internal error: {_without_stack(error)}\nrerun with DEPLOYER_DEBUG=1 for the traceback"
    )


def _without_stack(error: Exception) -> str:
    """The error's message without the JavaScript stack jsii appends to it."""
    lines = [line for line in str(error).splitlines() if not line.lstrip().startswith("at ")]
    return f"{type(error).__name__}: " + "\n".join(lines[:20])


def _report(code: int, message: str) -> int:
    print(message, file=sys.stderr)
    return code


def main() -> None:
    # cdk.json's context as the default: the CDK CLI passes it (and -c values over it) through
    # the environment, which wins; `python app.py` on its own then synthesises the same app.
    sys.exit(synthesise(cdk.App(context=project_context())))


if __name__ == "__main__":
    main()
