"""Native task-definition JSON files a spec points at (``services.<name>.task_definition_file``).

Each file is read as ECS reads it, normalised (``config.native.normalise``), checked against
ECS's API model, ECS's rules for the capacity the service runs on, and this project's
policies; every problem names the file and its JSON path. What passes is the registration
input a deploy registers, under the family ``<app>-<env>-<service>``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from config.errors import SpecError, SpecProblem
from config.image_pinning import ImagePinning
from config.naming import task_family
from config.native.guards import guard_problems
from config.native.model import FileProblem
from config.native.normalise import normalise
from config.native.placement import placement_of
from config.native.references import reference_problems
from config.native.service_rules import service_rule_problems
from config.native.shape import shape_problems
from config.native.task_rules import task_rule_problems
from config.native.users import unknown_root_containers, user_problems
from config.schema import AppSpec
from config.strict_json import StrictJsonError, strict_loads
from config.task_size import TASK_DEFINITION_LIMIT

_RENDER_FIRST = (
    "render the template first (envsubst, terraform, ecspresso render taskdef) and point "
    "task_definition_file at the JSON it writes"
)


def load_task_definition_documents(spec: AppSpec, base_dir: Path, source: str) -> dict[str, dict[str, Any]]:
    """Read and check each service's native JSON file (paths relative to ``base_dir``)."""
    documents: dict[str, dict[str, Any]] = {}
    problems: list[SpecProblem] = []
    for name, service in spec.services.items():
        if service.task_definition_file is None:
            continue
        path = (base_dir / service.task_definition_file).resolve()
        body, found = read_task_definition(path, spec, name)
        problems += [SpecProblem(f"services.{name}.task_definition_file", f"{path.name}: {p}") for p in found]
        problems += [
            SpecProblem(f"services.{name}.run_as_root_containers", f"{path.name}: {message}")
            for message in unknown_root_containers(body, service.run_as_root_containers)
        ]
        if not found:
            documents[name] = body
    if problems:
        raise SpecError(source, problems)
    return documents


def read_task_definition(path: Path, spec: AppSpec, service: str) -> tuple[dict[str, Any], list[FileProblem]]:
    """The registration input ``path`` holds for ``services.<service>``, or why there is none."""
    try:
        document = strict_loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, [FileProblem("", f"no such file: {path}")]
    except IsADirectoryError:
        return {}, [FileProblem("", f"{path} is a directory; name the JSON file in it")]
    except OSError as error:
        return {}, [FileProblem("", f"cannot read {path}: {error.strerror}")]
    except UnicodeDecodeError as error:
        return {}, [
            FileProblem("", f"not UTF-8 text ({error.reason} at byte {error.start}); save it as UTF-8")
        ]
    except json.JSONDecodeError as error:
        return {}, [FileProblem("", _json_error(path, error))]
    except StrictJsonError as error:
        return {}, [FileProblem("", f"not valid JSON: {error}")]
    if isinstance(document, list):
        return {}, [
            FileProblem(
                "",
                "a JSON list (Terraform's container_definitions): wrap it as a task definition, "
                '{"family": …, "containerDefinitions": [ … ], "cpu": …, "memory": …, "networkMode": …}',
            )
        ]
    if not isinstance(document, dict):
        return {}, [FileProblem("", "the file must hold one JSON object, a task definition")]
    return checked_body(document, spec, service)


def checked_body(
    document: dict[str, Any], spec: AppSpec, service: str
) -> tuple[dict[str, Any], list[FileProblem]]:
    """``document`` normalised and checked for ``services.<service>``; its family renamed."""
    normalised = normalise(document)
    body = normalised.body
    problems = shape_problems(body)
    if problems:
        return body, problems  # the checks below read the fields as ECS types them
    placement, problems = placement_of(
        body, spec.capacity_kind(service), service, normalised.exported_compatibilities
    )
    problems += reference_problems(body)
    problems += task_rule_problems(body, placement)
    problems += guard_problems(body, ImagePinning.of(spec.environment))
    problems += service_rule_problems(body, spec, service)
    problems += user_problems(body, service, spec.services[service].run_as_root_containers)
    body = {**body, "family": task_family(spec, service)}
    size = len(json.dumps(body))
    if size > TASK_DEFINITION_LIMIT:
        problems.append(FileProblem("", f"{size} bytes is over ECS's limit of 64 KiB per task definition"))
    return body, problems


def _json_error(path: Path, error: json.JSONDecodeError) -> str:
    message = f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
    if path.suffix == ".jsonnet":
        return f"{message}; Jsonnet is not JSON: {_RENDER_FIRST}"
    near = error.doc[max(error.pos - 2, 0) : error.pos + 3]
    if "${" in near or "{{" in near or "$$$" in near:
        return f"{message}, at what looks like an unfilled template placeholder: {_RENDER_FIRST}"
    return message
