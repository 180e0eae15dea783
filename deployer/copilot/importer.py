"""The import: a Copilot workspace in, one validated spec per environment and a report out.

Nothing is written here: ``import_workspace`` returns the file texts, each already validated
with the project's spec loader, so the command writes all of them or none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from config.errors import SpecError, SpecProblem
from config.patterns import NAME, PATTERN_HINTS
from deployer.copilot.emit import spec_text, validate
from deployer.copilot.map_environment import map_environment
from deployer.copilot.map_jobs import JobScheduleError
from deployer.copilot.map_user import keep_copilot_user
from deployer.copilot.map_workload import Imported, map_workload
from deployer.copilot.models_environment import EnvironmentManifest
from deployer.copilot.names import Target
from deployer.copilot.record import FieldLog, SpecLog, leaf_paths, uncovered
from deployer.copilot.report import Report
from deployer.copilot.resolve import resolve
from deployer.copilot.settings import Settings, check_environments, placement_for
from deployer.copilot.wiring import wire_environment
from deployer.copilot.workspace import Manifest, Workspace, read_workspace


@dataclass(frozen=True)
class ImportResult:
    files: dict[str, str]  # file name in the output directory → text
    report: Report


def import_workspace(path: Path, settings: Settings) -> ImportResult:
    """Every environment of the workspace at ``path`` as a spec; ``SpecError`` names the bad file and key,
    ``SettingError`` an option naming an environment the workspace does not have."""
    workspace = read_workspace(path)
    check_environments(settings, workspace.environments)
    _check_name(workspace.application, "copilot/.workspace", "application")
    files: dict[str, str] = {}
    logs: list[SpecLog] = []
    environments: dict[str, dict[str, str]] = {}
    kinds: dict[str, dict[str, str | None]] = {name: {} for name in workspace.workloads}
    for env, manifest in workspace.environments.items():
        _check_name(env, manifest.path, "name")
        assert isinstance(manifest.model, EnvironmentManifest)
        placement = placement_for(env, manifest.model, settings)
        environments[env] = {"file": f"{env}.yaml", **placement.describe()}
        target = Target(workspace.application, env, placement.account, placement.region)
        log = SpecLog(env, {"app": workspace.application, "environment": placement.environment_keys(env)})
        environment_log = log.for_manifest(manifest.path)
        placement.record(environment_log)
        map_environment(manifest.model, environment_log, target)
        imported = _workloads(workspace, log, target=target, settings=settings, kinds=kinds)
        if not imported:
            message = "no Load Balanced Web, Backend or Worker Service, or Scheduled Job to import"
            raise SpecError("copilot/", [SpecProblem("", message)])
        todo = wire_environment(log, environment_log, imported, target, placement)
        todo += [
            f"${{{name}}} is left in values: import again with --var {name}=…" for name in _unresolved(log)
        ]
        files[f"{env}.yaml"] = text = spec_text(log.spec, todo)
        validate(text, f"{env}.yaml", log.origin, env)
        logs.append(log)
    services = {
        name: {"manifest": m.path, "type": m.type, "kind": kinds[name]}
        for name, m in workspace.workloads.items()
    }
    entries = [entry for log in logs for entry in log.entries]
    return ImportResult(
        files, Report(workspace.application, environments, services, entries, workspace.not_imported)
    )


def _workloads(
    workspace: Workspace,
    log: SpecLog,
    *,
    target: Target,
    settings: Settings,
    kinds: dict[str, dict[str, str | None]],
) -> dict[str, tuple[Imported, FieldLog]]:
    imported: dict[str, tuple[Imported, FieldLog]] = {}
    env = target.environment
    for name, manifest in workspace.workloads.items():
        _check_name(name, manifest.path, "name")
        resolved = resolve(manifest, env, workspace.application, settings.variables)
        field_log = log.for_manifest(manifest.path)
        _common_keys(manifest, field_log, name, workspace)
        try:
            result = map_workload(name, manifest.type, resolved, field_log, target)
        except JobScheduleError as error:
            line = manifest.lines.get(("on", "schedule"))
            raise SpecError(
                f"{manifest.path} (environment {env})", [SpecProblem("on.schedule", str(error), line)]
            ) from None
        for variable in sorted(resolved.unresolved):
            for leaf in _leaves_with(resolved.data, "${" + variable + "}"):
                field_log.manual(
                    leaf,
                    f"Copilot substituted ${{{variable}}} from the shell that deployed it",
                    f"import again with --var {variable}=VALUE",
                )
        for leaf in _replaced(manifest, resolved.data):
            field_log.seen(leaf, note=f"replaced by environments.{env}: not used in this environment")
        for leaf in uncovered(resolved.data, log.entries, manifest.path):
            field_log.manual(leaf, "this importer has no mapping for this field", "port it by hand")
        kinds[name][env] = result.kind if result else None
        if result is not None:
            keep_copilot_user(field_log, name)
            imported[name] = (result, field_log)
    return imported


def _replaced(manifest: Manifest, data: dict[str, Any]) -> list[tuple[str | int, ...]]:
    """Values of the manifest that the environment block replaced (``count`` is replaced whole)."""
    base = {k: v for k, v in manifest.data.items() if k not in ("name", "type", "environments")}
    present = set(leaf_paths(data))
    return [leaf for leaf in leaf_paths(base) if not any(p[: len(leaf)] == leaf for p in present)]


def _unresolved(log: SpecLog) -> list[str]:
    """The ``${VAR}`` names that reached this environment's spec."""
    names = {
        match
        for entry in log.entries
        if entry.target
        for match in re.findall(r"\$\{(\w+)\}", str(entry.value))
    }
    return sorted(names)


def _common_keys(manifest: Manifest, log: FieldLog, name: str, workspace: Workspace) -> None:
    if "name" in manifest.data:
        log.seen(("name",), ("services", name))
    for env in manifest.data.get("environments") or {}:
        note = (
            "merged into this environment's file"
            if env in workspace.environments
            else "no such environment in copilot/environments: ignored"
        )
        log.seen(("environments", env), note=note)


def _leaves_with(data: Any, text: str) -> list[tuple[str | int, ...]]:
    found = []
    for leaf in leaf_paths(data):
        value: Any = data
        for part in leaf:
            value = value[part]
        if text in str(value):
            found.append(leaf)
    return found


def _check_name(name: str, source: str, key: str) -> None:
    if not re.match(NAME, name):
        raise SpecError(
            source, [SpecProblem(key, f"{name!r} cannot name a spec entry: {PATTERN_HINTS[NAME]}")]
        )
