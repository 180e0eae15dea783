#!/usr/bin/env python3
"""CDK entry point: ``cdk synth -c env=<name> [-c image.<service>=<ref>]`` (default env: local).

Bad input (the spec, or a context value) exits 2 with every problem named and no traceback;
any other failure prints one ``internal error`` paragraph and exits 1 (``DEPLOYER_DEBUG=1``
shows the traceback).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import aws_cdk as cdk

from config import load_spec
from config.context_inputs import IMAGE_CONTEXT_PREFIX, PIN_CONTEXT_PREFIX, context_problems, context_values
from stacks.app_builder import build_environment
from stacks.release import Release

OK, FAILED, BAD_INPUT = 0, 1, 2


def synthesise(app: cdk.App, environments_dir: Path | None = None) -> int:
    """Build the environment ``-c env`` names into ``app`` and synthesise it; print what went
    wrong to stderr and return the exit code."""
    context = app.node.get_all_context()
    env = str(context.get("env") or "local")
    try:
        spec = load_spec(env, environments_dir) if environments_dir else load_spec(env)
        images = context_values(context, IMAGE_CONTEXT_PREFIX)
        pins = context_values(context, PIN_CONTEXT_PREFIX)
        problems = context_problems(spec, images, pins)
        if problems:
            return _report(BAD_INPUT, "error: " + "\n".join(problems))
        build_environment(app, spec, images=images, release=Release.from_context(context), pins=pins)
    except ValueError as error:  # SpecError, and a construct refusing its input
        return _report(BAD_INPUT, f"error: {error}")
    try:
        app.synth()
    except Exception as error:
        if os.environ.get("DEPLOYER_DEBUG"):
            raise
        return _report(
            FAILED, f"internal error: {_without_stack(error)}\nrerun with DEPLOYER_DEBUG=1 for the traceback"
        )
    return OK


def _without_stack(error: Exception) -> str:
    """The error's message without the JavaScript stack jsii appends to it."""
    lines = [line for line in str(error).splitlines() if not line.lstrip().startswith("at ")]
    return f"{type(error).__name__}: " + "\n".join(lines[:20])


def _report(code: int, message: str) -> int:
    print(message, file=sys.stderr)
    return code


def main() -> None:
    directory = os.environ.get("DEPLOYER_ENVIRONMENTS_DIR")
    sys.exit(synthesise(cdk.App(), Path(directory) if directory else None))


if __name__ == "__main__":
    main()
