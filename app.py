#!/usr/bin/env python3
"""CDK entry point: ``cdk synth -c env=<name> [-c image.<service>=<ref>]`` (default env: local)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import aws_cdk as cdk

from config import SpecError, load_spec
from config.cdk_context import Release
from stacks.app_builder import build_environment

IMAGE_CONTEXT_PREFIX = "image."
PIN_CONTEXT_PREFIX = "pin."


def main() -> None:
    app = cdk.App()
    env = str(app.node.try_get_context("env") or "local")
    try:
        directory = os.environ.get("DEPLOYER_ENVIRONMENTS_DIR")
        spec = load_spec(env, Path(directory)) if directory else load_spec(env)
    except SpecError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
    images = {
        key.removeprefix(IMAGE_CONTEXT_PREFIX): str(value)
        for key, value in app.node.get_all_context().items()
        if key.startswith(IMAGE_CONTEXT_PREFIX)
    }
    pins = {
        key.removeprefix(PIN_CONTEXT_PREFIX): str(value)
        for key, value in app.node.get_all_context().items()
        if key.startswith(PIN_CONTEXT_PREFIX)
    }
    try:
        build_environment(
            app, spec, images=images, release=Release.from_context(app.node.get_all_context()), pins=pins
        )
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
    app.synth()


if __name__ == "__main__":
    main()
