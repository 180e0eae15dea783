"""Read a Copilot workspace: the application name, environment and workload manifests.

Every manifest is validated when it is read, so an unknown key or a wrong type stops the
import before anything is written, with the file, the key's YAML path and its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from config.errors import SpecError, SpecProblem
from config.yaml_source import Loc
from deployer.copilot.errors import manifest_error, problem
from deployer.copilot.models_environment import EnvironmentManifest, WorkspaceFile
from deployer.copilot.models_workload import MANIFEST_BY_TYPE, NOT_ECS
from deployer.copilot.yaml_reader import ManifestSyntaxError, read_yaml

NOT_WORKLOAD_DIRS = frozenset({"environments", "pipelines"})


@dataclass(frozen=True)
class Manifest:
    """One manifest file: its workspace-relative path, raw data, lines and validated model."""

    path: str
    data: dict[str, Any]
    lines: dict[Loc, int]
    model: BaseModel | None

    @property
    def type(self) -> str:
        return str(self.data.get("type", ""))


@dataclass(frozen=True)
class Workspace:
    root: Path
    application: str
    environments: dict[str, Manifest]
    workloads: dict[str, Manifest]  # by service name, ECS types only
    not_imported: dict[str, str] = field(default_factory=dict)  # workspace path → what it is


def find_root(path: Path) -> Path:
    """The directory holding ``copilot/.workspace`` (``path`` itself or its ``copilot`` child)."""
    for root in (path, path.parent):
        if (root / "copilot" / ".workspace").is_file() and (root == path or path.name == "copilot"):
            return root
    raise SpecError(
        str(path),
        [SpecProblem("", "no copilot/.workspace here: give the directory that holds the copilot/ folder")],
    )


def read_workspace(path: Path) -> Workspace:
    """The workspace under ``path``; ``SpecError`` naming the file and key of the first bad manifest."""
    root = find_root(path)
    info = _read(root, Path("copilot/.workspace"), WorkspaceFile)
    assert isinstance(info.model, WorkspaceFile)
    environments: dict[str, Manifest] = {}
    for file in sorted((root / "copilot" / "environments").glob("*/manifest.yml")):
        manifest = _read(root, file.relative_to(root), EnvironmentManifest)
        environments[file.parent.name] = manifest
    if not environments:
        raise SpecError(
            "copilot/environments",
            [
                SpecProblem(
                    "",
                    "no environment manifest (copilot/environments/<env>/manifest.yml, with "
                    "name: <env> and type: Environment): write one per environment, then import again",
                )
            ],
        )
    workloads: dict[str, Manifest] = {}
    not_imported: dict[str, str] = _extras(root)
    for file in sorted((root / "copilot").glob("*/manifest.yml")):
        if file.parent.name in NOT_WORKLOAD_DIRS:
            continue
        manifest = _read_workload(root, file.relative_to(root))
        if manifest.model is None:
            not_imported[manifest.path] = manifest.type
            continue
        workloads[str(manifest.data.get("name") or file.parent.name)] = manifest
    return Workspace(root, info.model.application, environments, workloads, not_imported)


def _read_workload(root: Path, relative: Path) -> Manifest:
    data, lines = _load(root, relative)
    kind = data.get("type")
    if kind in NOT_ECS:
        return Manifest(str(relative), data, lines, None)
    if kind not in MANIFEST_BY_TYPE:
        allowed = ", ".join([*MANIFEST_BY_TYPE, *NOT_ECS])
        wrong = "no workload type" if kind is None else f"unknown workload type {kind!r}"
        raise problem(str(relative), ("type",), f"{wrong}; Copilot's types: {allowed}", lines)
    return _validated(relative, data, lines, MANIFEST_BY_TYPE[str(kind)][0])


def _read(root: Path, relative: Path, model: type[BaseModel]) -> Manifest:
    data, lines = _load(root, relative)
    return _validated(relative, data, lines, model)


def _validated(
    relative: Path, data: dict[str, Any], lines: dict[Loc, int], model: type[BaseModel]
) -> Manifest:
    try:
        return Manifest(str(relative), data, lines, model.model_validate(data))
    except ValidationError as error:
        raise manifest_error(str(relative), error, model, data, lines) from None


def _load(root: Path, relative: Path) -> tuple[dict[str, Any], dict[Loc, int]]:
    try:
        data, lines = read_yaml((root / relative).read_text(encoding="utf-8"))
    except ManifestSyntaxError as error:
        raise SpecError(str(relative), [SpecProblem("", f"invalid YAML: {error}")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise SpecError(str(relative), [SpecProblem("", f"cannot read it: {error}")]) from None
    if not isinstance(data, dict):
        raise SpecError(str(relative), [SpecProblem("", "a manifest is a YAML map of keys")])
    return data, lines


def _extras(root: Path) -> dict[str, str]:
    """Workspace content that is not a manifest this import reads."""
    found: dict[str, str] = {}
    copilot = root / "copilot"
    for addons in sorted(copilot.glob("*/addons")):
        found[f"{addons.relative_to(root)}/"] = "addons"
    for overrides in sorted(copilot.glob("*/overrides")):
        found[f"{overrides.relative_to(root)}/"] = "overrides"
    for pipeline in sorted([*copilot.glob("pipelines/*/manifest.yml"), *copilot.glob("pipeline.yml")]):
        found[str(pipeline.relative_to(root))] = "pipeline"
    return found
