"""Entry point of the local endpoint: moto's server with ``deployer.local.patches`` applied and
Cloud Map namespaces added to its CloudFormation (``deployer.local.cloud_map``).

Usage: ``python -m deployer.local.server -H 127.0.0.1 -p 4566`` (moto's own options).
"""

from __future__ import annotations

from deployer.local import cloud_map, patches


def main() -> None:
    patches.apply()
    cloud_map.register()
    from moto.server import main as moto_main

    moto_main()


if __name__ == "__main__":
    main()
