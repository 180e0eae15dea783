"""The release inputs ``app.py`` takes as CDK context (``config.cdk_context``), checked against
the spec before any synthesis: ``-c image.<service>=<ref>`` and ``-c pin.<service>=<task
definition ARN>``. An image key may name one container: ``image.<service>/<container>``."""

from __future__ import annotations

import re
from collections.abc import Mapping

from config.cdk_context import IMAGE_PREFIX, ROLLBACK_PIN_PREFIX
from config.image_pinning import ImagePinning
from config.image_reference import image_reference_problem
from config.image_targets import ImageTargetError, image_target
from config.naming import task_family
from config.schema import AppSpec


def context_problems(spec: AppSpec, images: Mapping[str, str], pins: Mapping[str, str]) -> list[str]:
    """One message per bad ``image.*`` or ``pin.*`` value, each naming the context key."""
    problems = []
    for target, reference in images.items():
        key = f"-c {IMAGE_PREFIX}{target}={reference}"
        try:
            image_target(spec, target)
        except ImageTargetError as error:
            problems.append(f"{key}: {error}")
            continue
        problem = release_image_problem(spec, reference)
        if problem:
            problems.append(f"{key}: {problem}")
    for service, arn in pins.items():
        key = f"-c {ROLLBACK_PIN_PREFIX}{service}={arn}"
        if service not in spec.services:
            problems.append(f"{key}: unknown service {service!r}; services: {', '.join(spec.services)}")
            continue
        environment = spec.environment
        family = re.escape(task_family(spec, service))  # a task definition file's family is renamed too
        expected = (
            rf"arn:aws[a-z-]*:ecs:{re.escape(environment.region)}:{environment.account}:"
            rf"task-definition/{family}:[1-9][0-9]*"
        )
        if not re.fullmatch(expected, arn):
            problems.append(
                f"{key}: expected a revision of this service's task definition, "
                f"arn:aws:ecs:{environment.region}:{environment.account}:task-definition/"
                f"{task_family(spec, service)}:<revision>"
            )
    return problems


def release_image_problem(spec: AppSpec, reference: str) -> str | None:
    """Why ``reference`` cannot be a release image of ``spec`` (the grammar, at most 255
    characters, what the environment asks of it: ``config.image_pinning``), or None."""
    return image_reference_problem(reference) or ImagePinning.of(spec.environment).problem(reference)
