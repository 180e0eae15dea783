"""Spec models of a service's ``permissions``: what its app may do in AWS, one intent per item.

Each item has exactly one intent key (``s3``, ``sqs``, ``dynamodb``, ``secret``,
``parameter``, ``sns``, ``kms``). Resources are named by full ARN (an SSM parameter by name
or ARN); a malformed ARN is reported at its YAML path with the shape it should have.
"""

from __future__ import annotations

import functools
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from config.patterns import REGION
from config.spec_model import SpecModel

_ARN = r"^arn:aws[a-z-]*:"
_REGION_ACCOUNT = REGION.strip("^$") + r":\d{12}:"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
BUCKET_ARN = _ARN + r"s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"
QUEUE_ARN = _ARN + r"sqs:" + _REGION_ACCOUNT + r"[A-Za-z0-9_-]{1,80}(\.fifo)?$"
TABLE_ARN = _ARN + r"dynamodb:" + _REGION_ACCOUNT + r"table/[A-Za-z0-9_.-]{3,255}$"
SECRET_ARN = _ARN + r"secretsmanager:" + _REGION_ACCOUNT + r"secret:[A-Za-z0-9/_+=.@-]{1,512}$"
PARAMETER = r"^(/?[A-Za-z0-9_.-]+)(/[A-Za-z0-9_.-]+)*/?$"
PARAMETER_ARN = _ARN + r"ssm:" + _REGION_ACCOUNT + r"parameter/[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$"
TOPIC_ARN = _ARN + r"sns:" + _REGION_ACCOUNT + r"[A-Za-z0-9_-]{1,256}(\.fifo)?$"
KEY_ARN = _ARN + r"kms:" + _REGION_ACCOUNT + rf"key/({UUID}|mrk-[0-9a-f]{{32}})$"
S3_PREFIX = r"^[A-Za-z0-9!_.'()/-]{1,1024}$"
# A complete secret ARN ends in the 6-character suffix Secrets Manager appends to the name.
COMPLETE_SECRET_ARN = re.compile(r"-[A-Za-z0-9]{6}$")

SHAPES = {
    BUCKET_ARN: "an S3 bucket ARN: arn:aws:s3:::<bucket-name>",
    QUEUE_ARN: "an SQS queue ARN: arn:aws:sqs:<region>:<account>:<queue-name>",
    TABLE_ARN: "a DynamoDB table ARN: arn:aws:dynamodb:<region>:<account>:table/<name>",
    SECRET_ARN: "a Secrets Manager ARN: arn:aws:secretsmanager:<region>:<account>:secret:<name>[-<6 chars>]",
    TOPIC_ARN: "an SNS topic ARN: arn:aws:sns:<region>:<account>:<topic-name>",
    KEY_ARN: "a KMS key ARN: arn:aws:kms:<region>:<account>:key/<key-id> (not an alias)",
    S3_PREFIX: "a key prefix such as incoming/ (letters, digits, ! _ . ' ( ) / -; no wildcards)",
}


def _check_shape(pattern: str, value: str) -> str:
    if not re.match(pattern, value):
        raise PydanticCustomError(
            "spec_check", "{message}", {"message": f"{value!r} is not {SHAPES[pattern]}"}
        )
    return value


def _matches(pattern: str) -> AfterValidator:
    # A module-level function, not a closure: the check runs (and can be mutation-tested) per value.
    return AfterValidator(functools.partial(_check_shape, pattern))


def _parameter(value: str) -> str:
    if value.startswith("arn:") and value.endswith("/"):
        message = f"{value!r}: give a parameter path by name (/app/config/), in this account and region"
    elif value.startswith("arn:") and not re.match(PARAMETER_ARN, value):
        message = f"{value!r} is not an SSM parameter ARN: arn:aws:ssm:<region>:<account>:parameter/<name>"
    elif not value.startswith("arn:") and (
        not re.match(PARAMETER, value) or not value.strip("/") or ("/" in value and value[0] != "/")
    ):
        message = f"{value!r} is not a parameter name (/app/key) or a path ending in '/' (/app/config/)"
    else:
        return value
    raise PydanticCustomError("spec_check", "{message}", {"message": message})


PARAMETER_REFERENCE = r"^(/?[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*|arn:aws[a-z-]*:ssm:.+)$"


def parameter_reference_problem(value: str) -> str | None:
    """Why ``value`` names no single SSM parameter (by name or ARN, as ECS takes it), or None."""
    if value.startswith("arn:"):
        if re.match(PARAMETER_ARN, value):
            return None
        return f"{value!r} is not an SSM parameter ARN: arn:aws:ssm:<region>:<account>:parameter/<name>"
    if re.fullmatch(r"/?[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*", value) and len(value) <= 1011:
        return None
    return (
        f"{value!r} is not an SSM parameter: a name such as /app/db-password (letters, digits, "
        "_ . - between single '/') or an ARN arn:aws:ssm:<region>:<account>:parameter/<name>"
    )


BucketArn = Annotated[str, Field(json_schema_extra={"pattern": BUCKET_ARN}), _matches(BUCKET_ARN)]
QueueArn = Annotated[str, Field(json_schema_extra={"pattern": QUEUE_ARN}), _matches(QUEUE_ARN)]
TableArn = Annotated[str, Field(json_schema_extra={"pattern": TABLE_ARN}), _matches(TABLE_ARN)]
SecretArn = Annotated[str, Field(json_schema_extra={"pattern": SECRET_ARN}), _matches(SECRET_ARN)]
TopicArn = Annotated[str, Field(json_schema_extra={"pattern": TOPIC_ARN}), _matches(TOPIC_ARN)]
KeyArn = Annotated[str, Field(json_schema_extra={"pattern": KEY_ARN}), _matches(KEY_ARN)]
S3Prefix = Annotated[str, Field(json_schema_extra={"pattern": S3_PREFIX}), _matches(S3_PREFIX)]
ParameterName = Annotated[str, AfterValidator(_parameter)]


class S3Intent(SpecModel):
    """Objects in one bucket. Default: read, every key; ``prefix`` limits to keys under it."""

    bucket: BucketArn = Field(description="bucket ARN (arn:aws:s3:::name)")
    prefix: S3Prefix | None = Field(default=None, description="only keys starting with this (e.g. incoming/)")
    access: Literal["read", "write", "read_write"] = Field(default="read", description="read, write or both")


class SqsIntent(SpecModel):
    """One queue: send messages to it, or consume them (receive, delete, extend visibility)."""

    queue: QueueArn = Field(description="queue ARN")
    access: Literal["send", "consume"] = Field(description="send or consume")


class DynamoDbIntent(SpecModel):
    """Items of one table. Default: read, no index access."""

    table: TableArn = Field(description="table ARN")
    access: Literal["read", "write", "read_write"] = Field(default="read", description="read, write or both")
    indexes: bool = Field(default=False, description="also Query and Scan the table's indexes (with read)")


class SecretIntent(SpecModel):
    """Read one Secrets Manager secret; a partial ARN (no 6-character suffix) matches only its suffix."""

    arn: SecretArn = Field(description="secret ARN, complete or without the random suffix")


class ParameterIntent(SpecModel):
    """Read one SSM parameter, or every parameter under a path ending in '/' (this account and region)."""

    name: ParameterName = Field(description="parameter name (/app/key), path (/app/config/) or ARN")


class SnsIntent(SpecModel):
    """Publish to one topic (the only access)."""

    topic: TopicArn = Field(description="topic ARN")
    access: Literal["publish"] = Field(default="publish", description="publish")


class KmsIntent(SpecModel):
    """Use one KMS key. Default: decrypt only; encrypt_decrypt adds Encrypt and GenerateDataKey."""

    key: KeyArn = Field(description="key ARN (arn:aws:kms:<region>:<account>:key/<id>)")
    access: Literal["decrypt", "encrypt_decrypt"] = Field(default="decrypt", description="decrypt or both")


Intent = S3Intent | SqsIntent | DynamoDbIntent | SecretIntent | ParameterIntent | SnsIntent | KmsIntent
INTENTS = ("s3", "sqs", "dynamodb", "secret", "parameter", "sns", "kms")


class PermissionSpec(SpecModel):
    """One intent: exactly one of s3, sqs, dynamodb, secret, parameter, sns or kms."""

    s3: S3Intent | None = None
    sqs: SqsIntent | None = None
    dynamodb: DynamoDbIntent | None = None
    secret: SecretIntent | None = None
    parameter: ParameterIntent | None = None
    sns: SnsIntent | None = None
    kms: KmsIntent | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> PermissionSpec:
        given = [key for key in INTENTS if getattr(self, key) is not None]
        if len(given) != 1:
            found = f" (found {', '.join(given)})" if given else ""
            message = f"give exactly one of {', '.join(INTENTS)} per item{found}"
            raise PydanticCustomError("spec_check", "{message}", {"message": message})
        return self

    @property
    def intent(self) -> Intent:
        """The one intent this item gives."""
        given: list[Intent] = [v for k in INTENTS if (v := getattr(self, k)) is not None]
        return given[0]
