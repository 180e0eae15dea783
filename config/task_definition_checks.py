"""Spec keys that a ``task_definition_file`` makes meaningless: the file describes the whole
task, so a key that would describe it too is refused, never silently ignored."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from config.container_schema import ContainerSpec

if TYPE_CHECKING:
    from config.schema import AppSpec

Problem = tuple[tuple[str | int, ...], str, Any]

# Task keys the file replaces; container keys (ContainerSpec's) are all replaced too.
_TASK_KEYS = ("cpu", "memory", "architecture", "ephemeral_storage_gib", "logging", "log_retention_days")
# Reported by config.container_checks already, with the same meaning.
_REPORTED_ELSEWHERE = ("image", "sidecars", "volumes")


def native_spec_problems(spec: AppSpec) -> Iterator[Problem]:
    """One problem per service that names a file and also a key the file replaces, and per
    service without a file that names root containers of a file."""
    replaced = (set(ContainerSpec.model_fields) | set(_TASK_KEYS)) - set(_REPORTED_ELSEWHERE)
    for name, service in spec.services.items():
        if service.task_definition_file is None:
            if service.run_as_root_containers:
                yield (
                    ("services", name, "run_as_root_containers"),
                    "only for a task_definition_file's containers; a container of the spec says "
                    "run_as_root: {reason: …} itself",
                    sorted(service.run_as_root_containers),
                )
            continue
        for key in sorted(replaced & service.model_fields_set):
            if key == "run_as_root":
                yield (
                    ("services", name, key),
                    "task_definition_file describes the whole task; list the file's containers that run "
                    "as root in run_as_root_containers: {<container>: {reason: …}}",
                    service.run_as_root,
                )
                continue
            yield (
                ("services", name, key),
                f"task_definition_file describes the whole task; {key} would be ignored: "
                "set it in the file (or remove the key)",
                getattr(service, key),
            )
