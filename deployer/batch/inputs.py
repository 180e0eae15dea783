"""``deployer batch`` arguments checked against the spec before any AWS call."""

from __future__ import annotations

import re
from collections.abc import Sequence

from config.schema import AppSpec
from deployer.inputs import BadInputError

CLIENT_TOKEN = r"[A-Za-z0-9_-]{1,64}"


def require_job(spec: AppSpec, job: str) -> None:
    """``BadInputError`` naming the spec's Batch jobs when ``job`` is not one of them."""
    if job not in spec.batch.jobs:
        known = ", ".join(spec.batch.jobs) or "none (the spec has no batch.jobs)"
        raise BadInputError(f"unknown Batch job {job!r}; batch.jobs: {known}")


def parse_parameters(spec: AppSpec, job: str, values: Sequence[str]) -> dict[str, str]:
    """``["size=512", …]`` → ``{"size": "512"}``; each name must be one of the job's
    ``parameters`` (the command's ``Ref::<name>``), each given once."""
    declared = spec.batch.jobs[job].parameters
    parameters: dict[str, str] = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name:
            raise BadInputError(f"--parameters {value!r}: expected NAME=VALUE, e.g. size=512")
        if name not in declared:
            known = ", ".join(declared) or "none"
            raise BadInputError(
                f"--parameters {value!r}: job {job!r} has no parameter {name!r}; its parameters: {known}"
            )
        if name in parameters:
            raise BadInputError(f"--parameters: {name!r} is given twice")
        parameters[name] = text
    return parameters


def check_client_token(token: str | None) -> None:
    """``BadInputError`` unless ``token`` is None or 1-64 letters, digits, '-' or '_'."""
    if token is not None and not re.fullmatch(CLIENT_TOKEN, token):
        raise BadInputError("--client-token: use 1-64 letters, digits, '-' or '_'")
