"""``container_image``: an ``ecs.ContainerImage`` from an image reference string."""

from __future__ import annotations

from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_ecs as ecs
from constructs import Construct

from constructs_lib.image_refs import parse_ecr


def container_image(scope: Construct, construct_id: str, reference: str) -> ecs.ContainerImage:
    """The image for ``reference``; a private ECR image also grants the execution role pull.

    ECR references (``<account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag][@digest]``) are
    bound to that one repository, so the execution role may pull from it and nothing else.
    Any other reference (public ECR, Docker Hub, …) is pulled anonymously.
    """
    image = parse_ecr(reference)
    if image is None:
        return ecs.ContainerImage.from_registry(reference)
    repository = ecr.Repository.from_repository_attributes(
        scope, construct_id, repository_name=image.repository, repository_arn=image.repository_arn
    )
    return ecs.ContainerImage.from_ecr_repository(repository, tag=image.version)
