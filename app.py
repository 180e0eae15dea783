#!/usr/bin/env python3
"""CDK entry point: ``cdk synth -c env=<name> [-c image.<service>=<ref>]`` (default env: local).

The context keys are the contract in ``config.cdk_context``.
"""

from __future__ import annotations

import sys

import aws_cdk as cdk

from config import SpecError
from config.cdk_context import DeployInputs, load_environment
from stacks.app_builder import build_environment


def main() -> None:
    app = cdk.App()
    inputs = DeployInputs.from_context(app.node.get_all_context())
    try:
        spec = load_environment(inputs.env)
    except SpecError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
    try:
        build_environment(app, spec, images=inputs.images, release=inputs.release, pins=inputs.rollback_pins)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
    app.synth()


if __name__ == "__main__":
    main()
