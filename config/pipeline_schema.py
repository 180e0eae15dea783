"""The delivery pipeline spec (``config/pipeline.yaml``): which environments, in which order.

A pipeline spans environments, so it lives in its own file next to ``environments/``. It is
read with the same strict YAML loader as the environment specs (duplicate keys are errors),
and every problem names its YAML path and line. Both CI paths read it: the CDK Pipelines
stack (``stacks/pipeline_stack.py``) and, through a test, the GitHub Actions deploy workflow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from config import patterns
from config.checks import raise_problems
from config.errors import SpecError, SpecProblem
from config.loader import CONFIG_DIR, ENVIRONMENTS_DIR, available_environments, load_spec, parse_model
from config.schema import AppSpec
from config.spec_model import SpecModel
from config.types import Name
from config.yaml_source import parse_yaml

PIPELINE_FILE = CONFIG_DIR / "pipeline.yaml"

CONNECTION_ARN = (
    r"^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection/[\w-]+$"
)
REPOSITORY = r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$"
BRANCH = r"^(?!/)(?!.*\.\.)(?!.*//)[A-Za-z0-9._/-]{1,200}(?<!/)(?<!\.lock)$"


def _check(value: str, pattern: str, shape: str) -> str:
    if not re.match(pattern, value):
        raise PydanticCustomError("spec_check", "{message}", {"message": f"{value!r} is not {shape}"})
    return value


class SourceSpec(SpecModel):
    """The repository the pipeline watches, through an AWS CodeConnections connection."""

    connection_arn: str = Field(description="CodeConnections (or CodeStar Connections) connection ARN")
    repository: str = Field(description="owner/name of the repository")
    branch: str = Field(default="main", description="branch whose pushes start the pipeline")

    @field_validator("connection_arn")
    @classmethod
    def _connection(cls, value: str) -> str:
        shape = "a connection ARN: arn:aws:codeconnections:<region>:<account>:connection/<id>"
        return _check(value, CONNECTION_ARN, shape)

    @field_validator("repository")
    @classmethod
    def _repository(cls, value: str) -> str:
        return _check(value, REPOSITORY, "owner/name (e.g. example-org/shop-infra)")

    @field_validator("branch")
    @classmethod
    def _branch(cls, value: str) -> str:
        return _check(value, BRANCH, "a branch name (e.g. main)")


class StageSpec(SpecModel):
    """One environment of the pipeline. Default: deployed without a manual approval."""

    environment: Name = Field(description="an environment of config/environments/ with target aws")
    requires_approval: bool = Field(default=False, description="a person approves before this deploy")


class PipelineSpec(SpecModel):
    """The pipeline: where it runs, what it watches, the environments in deployment order."""

    name: Name = Field(description="pipeline name (CodePipeline and its stack)")
    account: str = Field(pattern=patterns.ACCOUNT, description="12-digit id of the pipeline's own account")
    region: str = Field(pattern=patterns.REGION, description="the pipeline's region")
    source: SourceSpec
    stages: tuple[StageSpec, ...] = Field(min_length=1, description="environments, in deployment order")

    @field_validator("account", mode="before")
    @classmethod
    def _account_is_quoted(cls, value: object) -> object:
        if isinstance(value, int):
            message = f"{value} must be quoted: an AWS account id is 12 digits, as a string"
            raise PydanticCustomError("spec_check", "{message}", {"message": message})
        return value

    @model_validator(mode="after")
    def _unique(self) -> PipelineSpec:
        names = [stage.environment for stage in self.stages]
        for index, name in enumerate(names):
            if name in names[:index]:
                message = f"{name!r} is listed twice; each environment is one stage"
                raise_problems("PipelineSpec", [(("stages", index, "environment"), message, name)])
        return self


@dataclass(frozen=True)
class Pipeline:
    """A validated pipeline and the environment specs of its stages, in stage order."""

    spec: PipelineSpec
    environments: tuple[AppSpec, ...]

    def stage(self, environment: str) -> StageSpec:
        return next(stage for stage in self.spec.stages if stage.environment == environment)


def parse_pipeline(text: str, source: str = "<pipeline>") -> PipelineSpec:
    """Validate pipeline ``text`` (YAML) alone; ``SpecError`` names every YAML path."""
    return parse_model(text, PipelineSpec, source)


def load_pipeline(path: Path = PIPELINE_FILE, environments_dir: Path = ENVIRONMENTS_DIR) -> Pipeline:
    """Read ``path`` (default ``config/pipeline.yaml``) and load every stage's environment.

    ``SpecError`` when the file is missing or invalid, when a stage names an environment
    without a file or with target ``local`` (the pipeline deploys to real accounts only), or
    with the environment file's own problems when that file is invalid.
    """
    if not path.is_file():
        raise SpecError(str(path), [SpecProblem("", "no pipeline file; see docs/ci.md")])
    text = path.read_text(encoding="utf-8")
    spec = parse_pipeline(text, source=str(path))
    _, lines = parse_yaml(text)
    known = available_environments(environments_dir)
    problems: list[SpecProblem] = []
    loaded: list[AppSpec] = []
    for index, stage in enumerate(spec.stages):
        where = f"stages[{index}].environment"
        line = lines.get(("stages", index, "environment"))
        if stage.environment not in known:
            message = f"no environment {stage.environment!r}; available: {', '.join(known) or 'none'}"
            problems.append(SpecProblem(where, message, line))
            continue
        env_spec = load_spec(stage.environment, environments_dir)
        if env_spec.environment.target != "aws":
            message = f"{stage.environment!r} has target {env_spec.environment.target!r}; a pipeline deploys"
            problems.append(SpecProblem(where, f"{message} only environments with target 'aws'", line))
        loaded.append(env_spec)
    if problems:
        raise SpecError(str(path), problems)
    return Pipeline(spec, tuple(loaded))
