"""Entry point of the local endpoint: moto's server with ``deployer.moto_patches`` applied.

Usage: ``python -m deployer.moto_server -H 127.0.0.1 -p 4566`` (moto's own options).
"""

from __future__ import annotations

from deployer import moto_patches


def main() -> None:
    moto_patches.apply()
    from moto.server import main as moto_main

    moto_main()


if __name__ == "__main__":
    main()
