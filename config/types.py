"""Constrained string types shared by the spec models."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from config import patterns
from config.image_reference import image_reference_problem
from config.instance_types import instance_type_problem
from config.regions import region_problem
from config.spec_model import checked

Name = Annotated[str, StringConstraints(pattern=patterns.NAME)]
InstanceType = Annotated[
    str,
    StringConstraints(pattern=patterns.INSTANCE_TYPE),
    checked(instance_type_problem),
    Field(description="EC2 instance type"),
]
Region = Annotated[
    str,
    StringConstraints(pattern=patterns.REGION),
    checked(region_problem),
    Field(description="AWS region code"),
]
ImageRef = Annotated[
    str,
    StringConstraints(pattern=patterns.IMAGE),
    checked(image_reference_problem),
    Field(
        description="container image: registry/repository:tag or …@sha256:<digest>; "
        "not :latest (written or implied) on target aws"
    ),
]
EnvVarName = Annotated[str, StringConstraints(pattern=patterns.ENV_VAR_NAME)]
