"""``parse_ecr``: split a private ECR image reference into its parts (pure, no CDK)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ECR = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(\.cn)?/"
    r"(?P<repository>[a-z0-9][a-z0-9._/-]*?)(:(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]*))?"
    r"(@(?P<digest>sha256:[a-f0-9]{64}))?$"
)


@dataclass(frozen=True)
class EcrImage:
    """A private ECR image: ``<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag][@digest]``."""

    account: str
    region: str
    repository: str
    tag: str | None
    digest: str | None

    @property
    def repository_arn(self) -> str:
        return f"arn:aws:ecr:{self.region}:{self.account}:repository/{self.repository}"

    @property
    def version(self) -> str:
        """The digest when pinned, else the tag (default ``latest``)."""
        return self.digest or self.tag or "latest"


def parse_ecr(reference: str) -> EcrImage | None:
    """The parts of a private ECR reference, or None for any other registry."""
    match = _ECR.match(reference)
    if not match:
        return None
    return EcrImage(match["account"], match["region"], match["repository"], match["tag"], match["digest"])
