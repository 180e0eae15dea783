"""What an environment asks of the image references it deploys, wherever they are written (a
service's containers, a Batch job, a task definition file, ``--image`` / ``-c image.…``).

A rollback runs an earlier task-definition revision again; it does not store images. ECS
resolves a revision's image reference to a digest when a deployment starts, so a revision that
names a tag which moves runs, on rollback, whatever the tag names *then*, and "which version
runs" cannot be answered from the revision. Hence:

- ``environment.require_image_digests``: every reference carries an ``@sha256:`` digest;
- otherwise, on ``target: aws``, no reference may name ``:latest``, written or implied (Docker
  and ECS read a reference without a tag as ``:latest``): give a version tag or a digest. A
  version tag can be pushed again too (ECR's tag immutability prevents that); ``latest`` is
  the one that moves by design, with every push;
- ``target: local`` takes any reference (the local endpoint runs no container).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from config.image_reference import DIGEST_SEPARATOR, tag_of, without_tag

if TYPE_CHECKING:
    from config.schema import EnvironmentSpec

MOVING_TAG = "latest"
DIGEST_REQUIRED = "has no @sha256 digest; this environment requires digests"


def moves(reference: str) -> bool:
    """True when ``reference`` names ``:latest``, written or implied, and no digest."""
    return DIGEST_SEPARATOR not in reference and tag_of(reference) in (None, MOVING_TAG)


@dataclass(frozen=True)
class ImagePinning:
    """The rule of one environment: digests required, or ``latest`` refused, or neither."""

    require_digests: bool = False
    refuse_latest: bool = False

    @classmethod
    def of(cls, environment: EnvironmentSpec) -> ImagePinning:
        return cls(environment.require_image_digests, refuse_latest=not environment.is_local)

    def problem(self, reference: str) -> str | None:
        """Why this environment does not deploy ``reference`` (a valid image reference), or None."""
        if self.require_digests and DIGEST_SEPARATOR not in reference:
            return f"{reference!r} {DIGEST_REQUIRED}"
        if not (self.refuse_latest and moves(reference)):
            return None
        named = "names :latest" if tag_of(reference) else "has no tag, so ECS pulls :latest"
        return (
            f"{reference!r} {named}, a tag every push moves: a rollback to this revision would run "
            f"whatever :latest is then; give a version tag ({without_tag(reference)}:1.2.3) or a "
            "digest (@sha256:<64 hex digits>)"
        )
