"""``verify``: preflight checks before a deploy, all read-only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from config import naming
from config.image_targets import container_images
from config.schema import AppSpec
from constructs_lib.image_refs import parse_ecr
from deployer.aws.lock import holder
from deployer.aws.stack_state import stack_status

RECOVERY = {
    "UPDATE_ROLLBACK_FAILED": "aws cloudformation continue-update-rollback --stack-name {stack} "
    "(add --resources-to-skip for resources that cannot roll back)",
    "ROLLBACK_COMPLETE": "the first create failed: delete the stack, then deploy again",
    "ROLLBACK_FAILED": "delete the stack (retaining what cannot be deleted), then deploy again",
}


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


Client = Callable[[str], Any]


def run_checks(spec: AppSpec, client: Client, images: dict[str, str]) -> list[Check]:
    """Stacks, images, secrets and parameters, and the deploy lock."""
    return [
        *_stack_checks(spec, client("cloudformation")),
        *_image_checks(spec, client("ecr"), images),
        *_secret_checks(spec, client("secretsmanager"), client("ssm")),
        _lock_check(spec, client("ssm")),
    ]


def _stack_checks(spec: AppSpec, cloudformation: Any) -> Iterator[Check]:
    for stack in naming.all_stack_names(spec):
        status = stack_status(cloudformation, stack)
        if status is None:
            yield Check(f"stack {stack}", True, "not deployed yet (will be created)")
            continue
        if status in RECOVERY:
            yield Check(f"stack {stack}", False, f"{status}: {RECOVERY[status].format(stack=stack)}")
        elif status.endswith("_IN_PROGRESS"):
            yield Check(f"stack {stack}", False, f"{status}: another operation is running; wait for it")
        else:
            yield Check(f"stack {stack}", True, status)


def _image_checks(spec: AppSpec, ecr: Any, overrides: dict[str, str]) -> Iterator[Check]:
    for service, svc in spec.services.items():
        document = spec.task_definition_document(service)
        images = (
            {c["name"]: c["image"] for c in document["containerDefinitions"]}
            if document is not None
            else {name: str(c.image) for name, c in svc.containers(service).items()}
        )
        references = {**images, **container_images(spec, service, overrides)}.values()
        for reference in references:
            image = parse_ecr(reference)
            if image is None:
                yield Check(f"image {reference}", True, "not in ECR: pulled at run time, not checked")
                continue
            image_id = {"imageDigest": image.digest} if image.digest else {"imageTag": image.version}
            try:
                ecr.describe_images(
                    registryId=image.account, repositoryName=image.repository, imageIds=[image_id]
                )
                yield Check(f"image {reference}", True, "found in ECR")
            except ClientError as error:
                yield Check(f"image {reference}", False, error.response["Error"].get("Code", str(error)))


def _secret_checks(spec: AppSpec, secrets: Any, ssm: Any) -> Iterator[Check]:
    for service, svc in spec.services.items():
        if svc.task_definition_file is not None:
            continue
        for container in svc.containers(service).values():
            for variable, ref in container.secrets.items():
                label = f"secret {variable} ({service})"
                try:
                    if ref.secret:
                        secrets.describe_secret(SecretId=ref.secret)
                    else:
                        missing = ssm.get_parameters(Names=[ref.parameter])["InvalidParameters"]
                        if missing:
                            yield Check(label, False, f"SSM parameter {ref.parameter} does not exist")
                            continue
                    yield Check(label, True, "exists")
                except ClientError as error:
                    yield Check(label, False, error.response["Error"].get("Code", str(error)))


def _lock_check(spec: AppSpec, ssm: Any) -> Check:
    current = holder(spec, ssm)
    if current is None:
        return Check("deploy lock", True, "free")
    owner, command, since = (current.get(key, "?") for key in ("owner", "command", "since"))
    return Check("deploy lock", False, f"held by {owner} ({command}) since {since}")
