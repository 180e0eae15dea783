"""Parse and check command-line inputs against the spec before any AWS call."""

from __future__ import annotations

import re
from collections.abc import Sequence

from config.context_checks import release_image_problem
from config.image_targets import ImageTargetError, image_target
from config.schema import AppSpec


class BadInputError(ValueError):
    """A command-line argument is invalid; the message names it and what is allowed."""


def parse_image_overrides(spec: AppSpec, values: Sequence[str]) -> dict[str, str]:
    """``["web=repo:tag", "web/envoy=repo:tag", …]`` → ``{"web": "repo:tag", …}``, checked
    against the spec: ``SERVICE`` is the service's main container, ``SERVICE/CONTAINER`` one
    container (refused when the main container of a task definition file is ambiguous); each
    reference is checked as ``-c image.…`` is (``release_image_problem``: grammar, 255
    characters, a digest where the environment requires one)."""
    images: dict[str, str] = {}
    targets: dict[tuple[str, str], str] = {}
    for value in values:
        key, sep, ref = value.partition("=")
        if not sep or not key or not ref:
            raise BadInputError(
                f"--image {value!r}: expected SERVICE=IMAGE_REF or SERVICE/CONTAINER=IMAGE_REF, "
                "e.g. web=repo/app:1.2.3"
            )
        try:
            target = image_target(spec, key)
        except ImageTargetError as error:
            raise BadInputError(f"--image {value!r}: {error}") from None
        problem = release_image_problem(spec, ref)
        if problem:
            raise BadInputError(f"--image {value!r}: {problem}")
        if target in targets:
            raise BadInputError(
                f"--image: container {'/'.join(target)!r} is given twice ({targets[target]}, {key})"
            )
        targets[target] = key
        images[key] = ref
    return images


RELEASE_LABEL = r"[A-Za-z0-9._+\-/]{1,128}"


def parse_release(version: str | None, git_revision: str | None) -> dict[str, str]:
    """The given release labels (``version``, ``git_revision``), each 1-128 safe characters."""
    release = {k: v for k, v in {"version": version, "git_revision": git_revision}.items() if v}
    for key, value in release.items():
        if not re.fullmatch(RELEASE_LABEL, value):
            raise BadInputError(
                f"--{key.replace('_', '-')} {value!r}: use 1-128 letters, digits and . _ + - /"
            )
    return release
