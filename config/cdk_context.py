"""The CDK-context contract: what the deployer passes to the app (``cdk … -c key=value``) and
what ``app.py`` reads back, spelled once for both sides and for the stacks.

Keys (all optional; ``env`` defaults to ``local``):

- ``env=<name>``: the environment, ``config/environments/<name>.yaml`` (or in the directory
  ``$DEPLOYER_ENVIRONMENTS_DIR`` names);
- ``image.<service>=<ref>``: the release's image for a service, overriding the spec;
- ``pin.<service>=<task definition ARN>``: the rollback pin, set by ``deployer rollback``: the
  service runs that retained revision until the next deploy;
- ``release.version=…``, ``release.git_revision=…``: release metadata, never computed; they
  become the ``deployer.version`` and ``deployer.git-revision`` labels that ``deployer history``
  reads back.

Release inputs come from the deploy's command line, never from the environment at synth time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from config.loader import ENVIRONMENTS_DIR, load_spec
from config.schema import AppSpec

ENV_KEY = "env"
DEFAULT_ENV = "local"
IMAGE_PREFIX = "image."
ROLLBACK_PIN_PREFIX = "pin."
RELEASE_PREFIX = "release."
ENVIRONMENTS_DIR_VARIABLE = "DEPLOYER_ENVIRONMENTS_DIR"

VERSION_LABEL = "deployer.version"
GIT_REVISION_LABEL = "deployer.git-revision"


@dataclass(frozen=True)
class Release:
    """What is being deployed. Empty fields are left out of labels and tags."""

    version: str | None = None
    git_revision: str | None = None

    @classmethod
    def from_context(cls, context: Mapping[str, Any]) -> Release:
        """``release.version`` and ``release.git_revision`` from CDK context, if given."""
        return cls(
            version=_text(context.get(f"{RELEASE_PREFIX}version")),
            git_revision=_text(context.get(f"{RELEASE_PREFIX}git_revision")),
        )

    def labels(self) -> dict[str, str]:
        """Docker labels / tags: ``deployer.version``, ``deployer.git-revision``."""
        labels = {VERSION_LABEL: self.version, GIT_REVISION_LABEL: self.git_revision}
        return {k: v for k, v in labels.items() if v}

    def context(self) -> dict[str, str]:
        """The given fields as ``{"release.version": …}`` context entries."""
        given = {"version": self.version, "git_revision": self.git_revision}
        return {f"{RELEASE_PREFIX}{key}": value for key, value in given.items() if value}


@dataclass(frozen=True)
class DeployInputs:
    """Everything a deploy passes to the app through CDK context."""

    env: str = DEFAULT_ENV
    images: Mapping[str, str] = field(default_factory=dict)
    rollback_pins: Mapping[str, str] = field(default_factory=dict)
    release: Release = field(default_factory=Release)

    @classmethod
    def from_context(cls, context: Mapping[str, Any]) -> DeployInputs:
        """Read the inputs from the app's context (``app.node.get_all_context()``)."""
        return cls(
            env=str(context.get(ENV_KEY) or DEFAULT_ENV),
            images=_prefixed(context, IMAGE_PREFIX),
            rollback_pins=_prefixed(context, ROLLBACK_PIN_PREFIX),
            release=Release.from_context(context),
        )

    def context_args(self) -> list[str]:
        """``-c env=<name>``, then ``-c pin.…``, ``-c image.…`` and ``-c release.…``, each sorted."""
        entries = {
            ENV_KEY: self.env,
            **_with_prefix(ROLLBACK_PIN_PREFIX, self.rollback_pins),
            **_with_prefix(IMAGE_PREFIX, self.images),
            **dict(sorted(self.release.context().items())),
        }
        return [arg for key, value in entries.items() for arg in ("-c", f"{key}={value}")]


def environments_dir() -> Path:
    """``$DEPLOYER_ENVIRONMENTS_DIR`` when set, else ``config/environments/``."""
    directory = os.environ.get(ENVIRONMENTS_DIR_VARIABLE)
    return Path(directory) if directory else ENVIRONMENTS_DIR


def load_environment(env: str) -> AppSpec:
    """Load and validate ``env`` from ``environments_dir()``; ``SpecError`` names every problem."""
    return load_spec(env, environments_dir())


def _prefixed(context: Mapping[str, Any], prefix: str) -> dict[str, str]:
    return {key.removeprefix(prefix): str(value) for key, value in context.items() if key.startswith(prefix)}


def _with_prefix(prefix: str, values: Mapping[str, str]) -> dict[str, str]:
    return {f"{prefix}{name}": value for name, value in sorted(values.items())}


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)
