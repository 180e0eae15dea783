"""Load ``config/environments/<env>.yaml`` into a validated, immutable ``AppSpec``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from config.document_checks import raise_document_problems
from config.errors import SpecError, SpecProblem, dotted, from_validation_error
from config.patterns import NAME, PATTERN_HINTS
from config.schema import FILE_ENVIRONMENT, AppSpec
from config.task_definition_files import load_task_definition_documents
from config.yaml_source import YamlSyntaxError, parse_yaml

ModelT = TypeVar("ModelT", bound=BaseModel)

CONFIG_DIR = Path(__file__).resolve().parent
ENVIRONMENTS_DIR = CONFIG_DIR / "environments"


def available_environments(environments_dir: Path = ENVIRONMENTS_DIR) -> list[str]:
    """Names of the environment files, sorted."""
    return sorted(path.stem for path in environments_dir.glob("*.yaml"))


def spec_path(env: str, environments_dir: Path = ENVIRONMENTS_DIR) -> Path:
    """The file of environment ``env``; ``SpecError`` if the name is bad or has no file."""
    choices = ", ".join(available_environments(environments_dir)) or "none"
    if not re.match(NAME, env):
        message = f"{env!r} is not a valid environment name ({PATTERN_HINTS[NAME]}); available: {choices}"
        raise SpecError("environment", [SpecProblem("env", message)])
    path = environments_dir / f"{env}.yaml"
    if not environments_dir.is_dir():
        message = f"no environment {env!r}: the environments directory {environments_dir} does not exist"
        raise SpecError("environment", [SpecProblem("env", message)])
    if path.is_symlink() and not path.exists():
        message = f"{path} is a link to {path.readlink()}, which does not exist"
        raise SpecError("environment", [SpecProblem("env", message)])
    if not path.is_file():
        raise SpecError("environment", [SpecProblem("env", f"no environment {env!r}; available: {choices}")])
    return path


def load_spec(env: str, environments_dir: Path = ENVIRONMENTS_DIR) -> AppSpec:
    """Read and validate environment ``env``. Raises ``SpecError`` naming every YAML path."""
    path = spec_path(env, environments_dir)
    text = read_text(path, _display(path))
    spec = parse_model(text, AppSpec, _display(path), context={FILE_ENVIRONMENT: env})
    documents = load_task_definition_documents(spec, environments_dir.parent, _display(path))
    if not documents:
        return spec
    spec = spec.with_task_definitions(documents)
    raise_document_problems(spec, text, _display(path))
    return spec


def parse_spec(text: str, source: str = "<spec>") -> AppSpec:
    """Validate spec ``text`` (YAML). ``source`` names the file in error messages."""
    return parse_model(text, AppSpec, source)


def read_text(path: Path, source: str) -> str:
    """The UTF-8 text of ``path``; ``SpecError`` naming the line of the first byte that is not."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        message = f"byte 0x{data[error.start]:02X} is not UTF-8; save the file as UTF-8"
        raise SpecError(source, [SpecProblem("", message, line)]) from None


def parse_model(text: str, model: type[ModelT], source: str, context: dict[str, Any] | None = None) -> ModelT:
    """Validate YAML ``text`` as ``model`` (``context`` goes to its validators); ``SpecError``
    names every problem's YAML path and line."""
    try:
        data, lines = parse_yaml(text)
    except YamlSyntaxError as error:
        raise SpecError(source, [SpecProblem(dotted(error.loc), error.reason, error.line)]) from None
    if not isinstance(data, dict):
        raise SpecError(source, [SpecProblem("", "the file must be a YAML mapping of keys")])
    try:
        return model.model_validate(data, context=context)
    except ValidationError as error:
        raise from_validation_error(source, error, model, lines) from None


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
