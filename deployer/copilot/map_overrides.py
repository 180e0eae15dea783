"""``taskdef_overrides``: the CloudFormation task-definition paths that have a spec key.

Copilot applies them after rendering, so they win over the manifest's own fields; they are
mapped last for the same reason. ``ContainerDefinitions[0]`` is the main container.
"""

from __future__ import annotations

from typing import Any

from config.yaml_source import Loc
from deployer.copilot.models_container import TaskdefOverride
from deployer.copilot.record import FieldLog

MAIN = "ContainerDefinitions[0]."
CONTAINER_KEYS = {
    "User": "user",
    "ReadonlyRootFilesystem": "readonly_root_filesystem",
    "StopTimeout": "stop_timeout_seconds",
    "WorkingDirectory": "working_directory",
    "EntryPoint": "entry_point",
    "Command": "command",
    "Cpu": "cpu_units",
    "Memory": "memory_limit_mib",
    "MemoryReservation": "memory_reservation_mib",
    "LinuxParameters.InitProcessEnabled": "init_process",
    "DockerLabels": "docker_labels",
}
TASK_KEYS = {"EphemeralStorage.SizeInGiB": "ephemeral_storage_gib", "Cpu": "cpu", "Memory": "memory"}
ULIMITS = ("nofile", "nproc", "core", "memlock", "stack")


def map_taskdef_overrides(overrides: list[TaskdefOverride], log: FieldLog, to: Loc) -> None:
    """Each override with a spec key is applied; the others are reported."""
    for index, override in enumerate(overrides):
        field: Loc = ("taskdef_overrides", index)
        spec_key, value = _spec_key(override)
        if spec_key is None:
            log.manual(
                field,
                f"{override.path} has no spec key",
                "give the service a native task definition (task_definition_file, docs/task-definitions.md) "
                "or set it in your own CDK code",
            )
        else:
            log.put(field, (*to, *spec_key), value)


def _spec_key(override: TaskdefOverride) -> tuple[tuple[str, ...] | None, Any]:
    path, value = override.path, override.value
    if path in TASK_KEYS:
        return (TASK_KEYS[path],), int(value) if str(value).isdigit() else value
    if not path.startswith(MAIN):
        return None, None
    key = path.removeprefix(MAIN)
    if key in CONTAINER_KEYS:
        return (CONTAINER_KEYS[key],), value
    limit = value if isinstance(value, dict) else {}
    name = str(limit.get("Name", "")).lower()
    if key == "Ulimits[-]" and name in ULIMITS and {"SoftLimit", "HardLimit"} <= set(limit):
        return ("ulimits", name), {"soft": limit["SoftLimit"], "hard": limit["HardLimit"]}
    return None, None
