"""Constrained string types shared by the spec models."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from config import patterns
from config.image_reference import image_reference_problem
from config.spec_model import checked

Name = Annotated[str, StringConstraints(pattern=patterns.NAME)]
InstanceType = Annotated[
    str, StringConstraints(pattern=patterns.INSTANCE_TYPE), Field(description="EC2 instance type")
]
ImageRef = Annotated[
    str,
    StringConstraints(pattern=patterns.IMAGE),
    checked(image_reference_problem),
    Field(description="container image: registry/repository:tag or …@sha256:<digest>"),
]
EnvVarName = Annotated[str, StringConstraints(pattern=patterns.ENV_VAR_NAME)]
