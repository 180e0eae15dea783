"""Entry point of the local endpoint: moto's server with ``deployer.moto_patches`` applied and
Cloud Map namespaces added to its CloudFormation (``deployer.moto_cloud_map``).

Usage: ``python -m deployer.moto_server -H 127.0.0.1 -p 4566`` (moto's own options).
"""

from __future__ import annotations

from deployer import moto_cloud_map, moto_patches


def main() -> None:
    moto_patches.apply()
    moto_cloud_map.register()
    from moto.server import main as moto_main

    moto_main()


if __name__ == "__main__":
    main()
