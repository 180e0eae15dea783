"""Where a spec is deployed, and Copilot names turned into spec names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from config.patterns import NAME


@dataclass(frozen=True)
class Target:
    """The application and environment a spec is written for (account and region may be
    placeholders, which the report lists before anything else)."""

    application: str
    environment: str
    account: str
    region: str

    def ecr_repository(self, service: str) -> str:
        """The ECR repository Copilot pushed ``service``'s image to (``<app>/<service>``)."""
        return f"{self.account}.dkr.ecr.{self.region}.amazonaws.com/{self.application}/{service}"


def spec_name(name: str) -> str:
    """``name`` as a spec name (lowercase letters, digits and ``-``): ``myEFSVolume`` → ``my-efs-volume``."""
    if re.match(NAME, name):
        return name
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1-\2", name))
    text = re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")
    if not text or not text[0].isalpha():
        text = f"c-{text}".rstrip("-")
    text = text[:32].rstrip("-")
    return text if len(text) >= 2 else f"{text}-x"
