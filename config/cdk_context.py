"""Release metadata: inputs a deploy passes (``-c release.version=…``), never computed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

CONTEXT_PREFIX = "release."


@dataclass(frozen=True)
class Release:
    """What is being deployed. Empty fields are left out of labels and tags."""

    version: str | None = None
    git_revision: str | None = None

    @classmethod
    def from_context(cls, context: Mapping[str, Any]) -> Release:
        """``release.version`` and ``release.git_revision`` from CDK context, if given."""
        return cls(
            version=_text(context.get(f"{CONTEXT_PREFIX}version")),
            git_revision=_text(context.get(f"{CONTEXT_PREFIX}git_revision")),
        )

    def labels(self) -> dict[str, str]:
        """Docker labels / tags: ``deployer.version``, ``deployer.git-revision``."""
        labels = {"deployer.version": self.version, "deployer.git-revision": self.git_revision}
        return {k: v for k, v in labels.items() if v}


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)
