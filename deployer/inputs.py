"""Parse and check command-line inputs against the spec before any AWS call."""

from __future__ import annotations

import re
from collections.abc import Sequence

from config.patterns import IMAGE, PATTERN_HINTS
from config.schema import AppSpec


class BadInputError(ValueError):
    """A command-line argument is invalid; the message names it and what is allowed."""


def parse_image_overrides(spec: AppSpec, values: Sequence[str]) -> dict[str, str]:
    """``["web=repo:tag", …]`` → ``{"web": "repo:tag"}``, checked against the spec."""
    images: dict[str, str] = {}
    for value in values:
        service, sep, ref = value.partition("=")
        if not sep or not service or not ref:
            raise BadInputError(f"--image {value!r}: expected SERVICE=IMAGE_REF, e.g. web=repo/app:1.2.3")
        if service not in spec.services:
            raise BadInputError(
                f"--image {value!r}: unknown service {service!r}; services: {', '.join(spec.services)}"
            )
        if not re.match(IMAGE, ref):
            raise BadInputError(
                f"--image {value!r}: {ref!r} is not an image reference; {PATTERN_HINTS[IMAGE]}"
            )
        if service in images:
            raise BadInputError(f"--image: service {service!r} is given twice")
        images[service] = ref
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
