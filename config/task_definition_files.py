"""Native task-definition JSON files a spec points at (``services.<name>.task_definition_file``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from config.errors import SpecError, SpecProblem
from config.schema import AppSpec
from config.task_size import TASK_DEFINITION_LIMIT
from constructs_lib.native_json import NativeTaskDefinitionError, native_body, to_cloudformation


def load_task_definition_documents(spec: AppSpec, base_dir: Path, source: str) -> dict[str, dict[str, Any]]:
    """Read and check each service's native JSON file (paths relative to ``base_dir``)."""
    documents: dict[str, dict[str, Any]] = {}
    problems: list[SpecProblem] = []
    for name, service in spec.services.items():
        if service.task_definition_file is None:
            continue
        path_name = f"services.{name}.task_definition_file"
        path = (base_dir / service.task_definition_file).resolve()
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(document, dict):
                raise NativeTaskDefinitionError("the file must hold one JSON object")
            to_cloudformation(document)
            size = len(json.dumps(document))
            if size > TASK_DEFINITION_LIMIT:
                raise NativeTaskDefinitionError(
                    f"{size} bytes is over ECS's limit of 64 KiB per task definition"
                )
            documents[name] = native_body(document)
        except FileNotFoundError:
            problems.append(SpecProblem(path_name, f"no such file: {path}"))
        except json.JSONDecodeError as error:
            problems.append(SpecProblem(path_name, f"{path.name} is not valid JSON: {error}"))
        except NativeTaskDefinitionError as error:
            problems.append(SpecProblem(path_name, f"{path.name}: {error}"))
    if problems:
        raise SpecError(source, problems)
    return documents
