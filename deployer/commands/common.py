"""Command-line options several commands share, in a module of their own so that command
modules (``plan``, ``cost``, ``diagram``) use them without importing ``deployer.cli``."""

from __future__ import annotations

from typing import Annotated

import typer

EnvOption = Annotated[
    str, typer.Option("--env", "-e", help="environment name (config/environments/<env>.yaml)")
]
PortOption = Annotated[
    int | None,
    typer.Option(
        "--port", min=1, max=65535, help="local endpoint port (default: $DEPLOYER_LOCAL_PORT or 4566)"
    ),
]
