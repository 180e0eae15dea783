"""Release images by container: ``<service>=<ref>`` is the service's main container,
``<service>/<container>=<ref>`` names one container (a sidecar, or any container of a native
file). The same keys reach the app as ``-c image.<service>[/<container>]=<ref>``."""

from __future__ import annotations

from collections.abc import Mapping

from config.native.containers import container_names, main_container
from config.schema import AppSpec

SEPARATOR = "/"


class ImageTargetError(ValueError):
    """The key names no container, or the service's main container is ambiguous."""


def image_target(spec: AppSpec, key: str) -> tuple[str, str]:
    """``(service, container)`` that the image key ``key`` replaces the image of."""
    service, separator, container = key.partition(SEPARATOR)
    if service not in spec.services:
        raise ImageTargetError(f"unknown service {service!r}; services: {', '.join(spec.services)}")
    if separator and not container:
        raise ImageTargetError(
            f"no container name after {service}{SEPARATOR}: write {service}=<image> for the main "
            f"container or {service}{SEPARATOR}<container>=<image>"
        )
    document = spec.task_definition_document(service)
    names = container_names(document) if document else list(spec.services[service].containers(service))
    if container:
        if container not in names:
            raise ImageTargetError(
                f"{service} has no container {container!r}; containers: {', '.join(names)}"
            )
        return service, container
    main = main_container(document, service) if document else service
    if main is None:
        raise ImageTargetError(
            f"{service}'s task definition file has no container named {service!r} and several candidates "
            f"({', '.join(names)}): name one, {service}{SEPARATOR}<container>=<image>"
        )
    return service, main


def container_images(spec: AppSpec, service: str, images: Mapping[str, str]) -> dict[str, str]:
    """Container name → image for ``service``, from the release's image keys."""
    chosen = {}
    for key, reference in images.items():
        target_service, container = image_target(spec, key)
        if target_service == service:
            chosen[container] = reference
    return chosen
