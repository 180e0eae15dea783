"""Who each imported container runs as: Copilot runs the image's own user, which is often root.

This project requires a non-root ``user`` unless ``run_as_root`` says why (Security Hub
ECS.20). Copilot has no ``user`` key (only ``taskdef_overrides`` can set one), so a container
without one is imported as it ran under Copilot, with ``run_as_root`` and the reason, and a
manual step to set the image's non-root user.
"""

from __future__ import annotations

from typing import Any

from deployer.copilot.record import FieldLog

COPILOT_ROOT = (
    "imported from Copilot, which ran the image's own user (often root); set user to the "
    "image's non-root user and remove run_as_root"
)
STEP = "set services.{path}.user to a non-root user the image has (e.g. 1000), then remove run_as_root"


def keep_copilot_user(log: FieldLog, service: str) -> None:
    """Give each container of ``service`` without a ``user`` the ``run_as_root`` it ran with."""
    spec: dict[str, Any] = log.log.spec.get("services", {}).get(service, {})
    if not spec:
        return
    containers: list[tuple[tuple[str, ...], dict[str, Any]]] = [((), spec)]
    containers += [(("sidecars", name), sidecar) for name, sidecar in spec.get("sidecars", {}).items()]
    for path, container in containers:
        if "user" in container or "run_as_root" in container:
            continue
        container["run_as_root"] = {"reason": COPILOT_ROOT}
        log.manual(
            path or ("image",),
            "Copilot has no user key: the container ran as the image's own user",
            STEP.format(path=".".join((service, *path))),
        )
