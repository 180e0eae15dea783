"""``container_image``: an ``ecs.ContainerImage`` from an image reference string."""

from __future__ import annotations

import re

from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_ecs as ecs
from constructs import Construct

_ECR = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(\.cn)?/"
    r"(?P<repository>[a-z0-9][a-z0-9._/-]*?)(:(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]*))?(@(?P<digest>sha256:[a-f0-9]{64}))?$"
)


def container_image(scope: Construct, construct_id: str, reference: str) -> ecs.ContainerImage:
    """The image for ``reference``; a private ECR image also grants the execution role pull.

    ECR references (``<account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag][@digest]``) are
    bound to that one repository, so the execution role may pull from it and nothing else.
    Any other reference (public ECR, Docker Hub, …) is pulled anonymously.
    """
    match = _ECR.match(reference)
    if not match:
        return ecs.ContainerImage.from_registry(reference)
    repository = ecr.Repository.from_repository_attributes(
        scope,
        construct_id,
        repository_name=match["repository"],
        repository_arn=(f"arn:aws:ecr:{match['region']}:{match['account']}:repository/{match['repository']}"),
    )
    return ecs.ContainerImage.from_ecr_repository(repository, tag=match["digest"] or match["tag"] or "latest")
