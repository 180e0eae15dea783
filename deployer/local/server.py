"""Entry point of the local endpoint: moto's server with ``deployer.local.patches`` and
``deployer.local.batch`` applied and Cloud Map namespaces added to its CloudFormation
(``deployer.local.cloud_map``).

The fixes import moto's ECS, EC2, Batch and CloudFormation models, a second of CPU: they are
applied when the first AWS request arrives (before moto builds the app that serves it), not at
start, so the endpoint answers its health probe (``/moto-api/``) sooner and a server that only
ever serves SSM or probes never loads them.

Usage: ``python -m deployer.local.server -H 127.0.0.1 -p 4566`` (moto's own options).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MOTO_API = "moto_api"  # moto's own dashboard and state API, which the health probe reads
_applied: list[bool] = []


def apply_fixes() -> None:
    """Install the local endpoint's fixes to moto, once per process."""
    if _applied:
        return
    from deployer.local import batch, cloud_map, patches

    patches.apply()
    batch.apply()
    cloud_map.register()
    _applied.append(True)


def fixed_first(create_app: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """moto's ``create_backend_app``, applying the fixes before it builds any AWS service's app.
    moto calls it under its dispatcher's lock, once per service."""

    def create(service: Any) -> Any:
        if service != MOTO_API:
            apply_fixes()
        return create_app(service)

    return create


def main() -> None:
    from moto import server
    from moto.moto_server.werkzeug_app import create_backend_app

    # moto.server.main builds its dispatcher from this module-level name.
    vars(server)["create_backend_app"] = fixed_first(create_backend_app)
    server.main()


if __name__ == "__main__":
    main()
