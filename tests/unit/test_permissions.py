"""Permission intents: exact statements per intent and access level, nothing else on the task
role, no wildcard actions, only the documented wildcard resources (each acknowledged for
cdk-nag), and spec mistakes reported at their YAML path."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import assertions
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_ssm as ssm
from cdk_nag import AwsSolutionsChecks
from pydantic import BaseModel, ConfigDict, ValidationError

from config import SpecError, load_spec
from config.errors import from_validation_error
from config.loader import ENVIRONMENTS_DIR
from config.permissions_schema import KmsIntent, PermissionSpec, S3Intent, SnsIntent
from config.yaml_source import parse_yaml
from constructs_lib import permissions as lib
from constructs_lib.permissions import (
    BucketAccess,
    BucketPermission,
    KeyAccess,
    KeyPermission,
    ParameterPathPermission,
    ParameterPermission,
    Permission,
    QueueAccess,
    QueuePermission,
    SecretPermission,
    TableAccess,
    TablePermission,
    TaskPermissions,
    TopicPermission,
)
from stacks.permissions_from_spec import grant_permissions
from tests.harness import cdk_context, make_app, new_stack, resources_of_type
from tests.spec_problems import problems_raised_by

ACCOUNT_REGION = "us-east-1:123456789012"
ALIAS = "arn:aws:kms:us-east-1:123456789012:alias/app"
BUCKET = "arn:aws:s3:::shop-uploads"
QUEUE = f"arn:aws:sqs:{ACCOUNT_REGION}:orders"
TABLE = f"arn:aws:dynamodb:{ACCOUNT_REGION}:table/orders"
SECRET = f"arn:aws:secretsmanager:{ACCOUNT_REGION}:secret:shop/db"
TOPIC = f"arn:aws:sns:{ACCOUNT_REGION}:events"
KEY = f"arn:aws:kms:{ACCOUNT_REGION}:key/11111111-2222-3333-4444-555555555555"
PARAMETERS = f"arn:aws:ssm:{ACCOUNT_REGION}:parameter"

Build = Callable[[cdk.Stack], list[Permission]]


def allow(actions: list[str], resource: str | list[str], condition: dict[str, Any] | None = None) -> Any:
    statement: dict[str, Any] = {
        "Action": actions[0] if len(actions) == 1 else actions,
        "Effect": "Allow",
        "Resource": resource,
    }
    if condition:
        statement["Condition"] = condition
    return statement


def synth(build: Build) -> tuple[cdk.Stack, dict[str, Any]]:
    stack = new_stack()
    role = iam.Role(stack, "TaskRole", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    TaskPermissions(stack, "Permissions", role=role, permissions=build(stack))
    return stack, dict(assertions.Template.from_stack(stack).to_json())


def statements(build: Build) -> list[Any]:
    """The statements of the one policy in the stack (and proof that it is the only one)."""
    _, template = synth(build)
    [policy] = resources_of_type(template, "AWS::IAM::Policy").values()
    [role] = resources_of_type(template, "AWS::IAM::Role").values()
    assert set(role["Properties"]) == {"AssumeRolePolicyDocument"}  # no managed or inline extras
    return list(policy["Properties"]["PolicyDocument"]["Statement"])


def bucket(stack: cdk.Stack) -> s3.IBucket:
    return s3.Bucket.from_bucket_arn(stack, "Bucket", BUCKET)


def table(stack: cdk.Stack) -> dynamodb.ITable:
    return dynamodb.Table.from_table_arn(stack, "Table", TABLE)


# --- exact statements per intent and access level ---------------------------------------

OBJECT_WRITE = ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject"]
LIST_INCOMING = {"StringLike": {"s3:prefix": ["incoming/*"]}}


@pytest.mark.parametrize(
    ("access", "prefix", "expected"),
    [
        (
            BucketAccess.READ,
            "incoming/",
            [
                allow(["s3:GetObject"], f"{BUCKET}/incoming/*"),
                allow(["s3:ListBucket"], BUCKET, LIST_INCOMING),
            ],
        ),
        (
            BucketAccess.READ,
            "",
            [allow(["s3:GetObject"], f"{BUCKET}/*"), allow(["s3:ListBucket"], BUCKET)],
        ),
        (BucketAccess.WRITE, "incoming/", [allow(OBJECT_WRITE, f"{BUCKET}/incoming/*")]),
        (
            BucketAccess.READ_WRITE,
            "incoming/",
            [
                allow(sorted([*OBJECT_WRITE, "s3:GetObject"]), f"{BUCKET}/incoming/*"),
                allow(["s3:ListBucket"], BUCKET, LIST_INCOMING),
            ],
        ),
    ],
)
def test_s3_objects_under_the_prefix_and_list_limited_to_it(
    access: BucketAccess, prefix: str, expected: list[Any]
) -> None:
    assert statements(lambda st: [BucketPermission(bucket(st), access, prefix)]) == expected


@pytest.mark.parametrize(
    ("access", "actions"),
    [
        (QueueAccess.SEND, ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"]),
        (
            QueueAccess.CONSUME,
            [
                "sqs:ChangeMessageVisibility",
                "sqs:DeleteMessage",
                "sqs:GetQueueAttributes",
                "sqs:GetQueueUrl",
                "sqs:ReceiveMessage",
            ],
        ),
    ],
)
def test_sqs_send_or_consume_one_queue(access: QueueAccess, actions: list[str]) -> None:
    build: Build = lambda st: [QueuePermission(sqs.Queue.from_queue_arn(st, "Q", QUEUE), access)]  # noqa: E731
    assert statements(build) == [allow(actions, QUEUE)]


TABLE_READ = [
    "dynamodb:BatchGetItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
]
TABLE_WRITE = [
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem",
    "dynamodb:DescribeTable",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
]
INDEX_QUERY = allow(["dynamodb:Query", "dynamodb:Scan"], f"{TABLE}/index/*")


@pytest.mark.parametrize(
    ("access", "indexes", "expected"),
    [
        (TableAccess.READ, False, [allow(TABLE_READ, TABLE)]),
        (TableAccess.READ, True, [allow(TABLE_READ, TABLE), INDEX_QUERY]),
        (TableAccess.WRITE, True, [allow(TABLE_WRITE, TABLE)]),  # indexes are read-only: nothing added
        (TableAccess.READ_WRITE, True, [allow(sorted({*TABLE_READ, *TABLE_WRITE}), TABLE), INDEX_QUERY]),
    ],
)
def test_dynamodb_items_and_index_arns_only_on_request(
    access: TableAccess, indexes: bool, expected: list[Any]
) -> None:
    assert statements(lambda st: [TablePermission(table(st), access, indexes)]) == expected


SECRET_READ = ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]


def test_secret_partial_arn_adds_only_the_six_character_suffix() -> None:
    build: Build = lambda st: [  # noqa: E731
        SecretPermission(secretsmanager.Secret.from_secret_partial_arn(st, "S", SECRET))
    ]
    assert statements(build) == [allow(SECRET_READ, f"{SECRET}-??????")]


def test_secret_complete_arn_is_granted_as_is() -> None:
    build: Build = lambda st: [  # noqa: E731
        SecretPermission(secretsmanager.Secret.from_secret_complete_arn(st, "S", f"{SECRET}-AbCdEf"))
    ]
    assert statements(build) == [allow(SECRET_READ, f"{SECRET}-AbCdEf")]


def test_one_parameter_by_name_or_arn() -> None:
    shared = "arn:aws:ssm:us-east-1:111122223333:parameter/shared/flag"
    build: Build = lambda st: [  # noqa: E731
        ParameterPermission(ssm.StringParameter.from_string_parameter_name(st, "P", "/shop/api-token")),
        ParameterPermission(ssm.StringParameter.from_string_parameter_arn(st, "Q", shared)),
    ]
    assert statements(build) == [
        allow(["ssm:GetParameter", "ssm:GetParameters"], [shared, f"{PARAMETERS}/shop/api-token"])
    ]


def test_parameter_path_reads_below_the_path_only() -> None:
    assert statements(lambda st: [ParameterPathPermission("/shop/config/")]) == [
        allow(["ssm:GetParameter", "ssm:GetParameters"], f"{PARAMETERS}/shop/config/*"),
        allow(["ssm:GetParametersByPath"], [f"{PARAMETERS}/shop/config", f"{PARAMETERS}/shop/config/*"]),
    ]


def test_sns_publish_only() -> None:
    build: Build = lambda st: [TopicPermission(sns.Topic.from_topic_arn(st, "T", TOPIC))]  # noqa: E731
    assert statements(build) == [allow(["sns:Publish"], TOPIC)]


@pytest.mark.parametrize(
    ("access", "actions"),
    [
        (KeyAccess.DECRYPT, ["kms:Decrypt"]),
        (KeyAccess.ENCRYPT_DECRYPT, ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]),
    ],
)
def test_kms_decrypt_or_encrypt_decrypt(access: KeyAccess, actions: list[str]) -> None:
    build: Build = lambda st: [KeyPermission(kms.Key.from_key_arn(st, "K", KEY), access)]  # noqa: E731
    assert statements(build) == [allow(actions, KEY)]


# --- every intent at once: no wildcard actions, only documented wildcard resources -----------


def own_bucket(stack: cdk.Stack) -> s3.Bucket:
    """A bucket in the same stack, so that its ARN is a token (``Fn::GetAtt``)."""
    own = s3.Bucket(stack, "OwnBucket", enforce_ssl=True)
    reason = "A test fixture: only the task role's grants on this bucket are under test here."
    cdk.Validations.of(own).acknowledge(cdk.Acknowledgment(id="AwsSolutions::AwsSolutions-S1", reason=reason))
    return own


def everything(stack: cdk.Stack) -> list[Permission]:
    return [
        BucketPermission(bucket(stack), BucketAccess.READ_WRITE, "incoming/"),
        BucketPermission(own_bucket(stack), BucketAccess.READ),
        QueuePermission(sqs.Queue.from_queue_arn(stack, "Q", QUEUE), QueueAccess.CONSUME),
        TablePermission(table(stack), TableAccess.READ_WRITE, indexes=True),
        TablePermission(
            dynamodb.Table(
                stack,
                "OwnTable",
                partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING),
                point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                    point_in_time_recovery_enabled=True
                ),
            ),
            indexes=True,
        ),
        SecretPermission(secretsmanager.Secret.from_secret_partial_arn(stack, "S", SECRET)),
        ParameterPermission(ssm.StringParameter.from_string_parameter_name(stack, "P", "/shop/api-token")),
        ParameterPathPermission("/shop/config/"),
        TopicPermission(sns.Topic.from_topic_arn(stack, "T", TOPIC)),
        KeyPermission(kms.Key.from_key_arn(stack, "K", KEY), KeyAccess.ENCRYPT_DECRYPT),
    ]


def test_no_wildcard_action_and_only_documented_wildcard_resources() -> None:
    _, template = synth(everything)
    [policy] = resources_of_type(template, "AWS::IAM::Policy").values()
    actions: list[str] = []
    wildcards: list[str] = []
    for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
        assert (
            statement["Effect"] == "Allow" and "NotAction" not in statement and "NotResource" not in statement
        )
        actions += [statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"]
        resources = (
            statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        )
        wildcards += [r for r in map(json.dumps, resources) if "*" in r]
    assert actions and not [a for a in actions if "*" in a]
    documented = ("/incoming/*", "/index/*", "parameter/shop/config/*", '{"Fn::GetAtt": ["OwnBucket')
    assert wildcards and all(any(d in w for d in documented) for w in wildcards), wildcards
    assert '"*"' not in wildcards


def test_cdk_nag_finds_nothing_unacknowledged() -> None:
    app = make_app()
    stack = new_stack(app)
    role = iam.Role(stack, "TaskRole", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    TaskPermissions(stack, "Permissions", role=role, permissions=everything(stack))
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    app.synth()  # raises ValidationFailed listing any unacknowledged finding


@pytest.mark.parametrize(
    ("arn", "finding"),
    [
        (lambda s: cdk.CfnParameter(s, "BucketArn").value_as_string, "<BucketArn>/incoming/*"),
        (lambda s: cdk.Fn.sub("arn:${AWS::Partition}:s3:::shop-uploads"),
         "arn:<AWS::Partition>:s3:::shop-uploads/incoming/*"),
        (lambda s: cdk.Fn.import_value("SharedBucketArn"), "SharedBucketArn/incoming/*"),
        (lambda s: cdk.Fn.select(0, cdk.Fn.split(",", cdk.Fn.import_value("Buckets"))),
         '{"Fn::Select":[0,{"Fn::Split":[",",{"Fn::ImportValue":"Buckets"}]}]}/incoming/*'),
    ],
)  # fmt: skip
def test_cdk_nag_accepts_wildcards_on_arns_known_at_deploy_time(
    arn: Callable[[cdk.Stack], str], finding: str
) -> None:
    """A bucket ARN from a parameter, Fn::Sub, an export or another intrinsic: the acknowledgement
    names the resource as cdk-nag 3 flattens it (its utils/flatten-cfn-reference.js: ``${`` and
    ``}`` as ``<`` ``>``, a Ref as ``<name>``, an export by its name, anything else as compact JSON)."""
    app = make_app()
    stack = new_stack(app)
    role = iam.Role(stack, "TaskRole", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    shared = s3.Bucket.from_bucket_arn(stack, "Shared", arn(stack))
    granted = TaskPermissions(
        stack, "Permissions", role=role, permissions=[BucketPermission(shared, prefix="incoming/")]
    )
    cfn_policy = granted.policy.node.default_child
    assert cfn_policy is not None
    acknowledged = [
        key
        for entry in cfn_policy.node.metadata
        if entry.type == cdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY
        for key in (k.split("::", 1)[1] for k in dict(entry.data))
    ]
    assert acknowledged == [f"AwsSolutions-IAM5[Resource::{finding}]"]
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    app.synth()  # raises ValidationFailed if cdk-nag names the resource otherwise


def test_cdk_nag_does_flag_the_same_statements_without_the_acknowledgements() -> None:
    """Guards the test above against passing vacuously."""
    app = make_app()
    stack = new_stack(app)
    role = iam.Role(stack, "TaskRole", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    granted = TaskPermissions(stack, "Permissions", role=role, permissions=everything(stack))
    document = stack.resolve(granted.policy.document.to_json())
    iam.CfnPolicy(stack, "Copy", policy_document=document, policy_name="copy", roles=[role.role_name])
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    with pytest.raises(
        Exception, match=r"AwsSolutions-IAM5\[Resource::arn:aws:s3:::shop-uploads/incoming/\*\]"
    ):
        app.synth()


def test_acknowledgements_name_each_wildcard_resource_with_a_reason() -> None:
    stack, _ = synth(everything)
    policy = stack.node.find_child("Permissions").node.find_child("Policy").node.default_child
    assert policy is not None
    acknowledged: dict[str, str] = {}
    for entry in policy.node.metadata:
        if entry.type == cdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY:
            acknowledged |= {k.split("::", 1)[1]: v for k, v in dict(entry.data).items()}
    own_bucket, own_table = (stack.node.find_child(n).node.default_child for n in ("OwnBucket", "OwnTable"))
    assert isinstance(own_bucket, cdk.CfnElement) and isinstance(own_table, cdk.CfnElement)
    assert set(acknowledged) == {
        f"AwsSolutions-IAM5[Resource::<{stack.get_logical_id(own_bucket)}.Arn>/*]",
        f"AwsSolutions-IAM5[Resource::<{stack.get_logical_id(own_table)}.Arn>/index/*]",
        f"AwsSolutions-IAM5[Resource::{BUCKET}/incoming/*]",
        f"AwsSolutions-IAM5[Resource::{TABLE}/index/*]",
        f"AwsSolutions-IAM5[Resource::{PARAMETERS}/shop/config/*]",
    }
    reasons = [lib.S3_OBJECT_KEYS, lib.DYNAMODB_INDEXES, lib.SSM_PARAMETER_PATH]
    assert set(acknowledged.values()) == set(reasons)
    assert all(len(reason.split()) >= 12 and reason.endswith(".") for reason in reasons)


# --- the construct refuses what it cannot grant safely --------------------------------------


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda st: [], "TaskPermissions needs at least one permission"),
        (lambda st: [BucketPermission(bucket(st), prefix="in*")],
         "S3 prefix 'in*' may not contain '*', '?' or '$': they are IAM wildcards or variables"),
        (lambda st: [ParameterPathPermission("/shop/${aws:username}/")],
         "SSM parameter path '/shop/${aws:username}/' may not contain '*', '?' or '$': "
         "they are IAM wildcards or variables"),
        (lambda st: [ParameterPathPermission("/shop/config")],
         "SSM parameter path '/shop/config' must start and end with '/' and name a level (/app/config/)"),
        (lambda st: [ParameterPathPermission("shop/config/")],
         "SSM parameter path 'shop/config/' must start and end with '/' and name a level (/app/config/)"),
        (lambda st: [ParameterPathPermission("/")],
         "SSM parameter path '/' must start and end with '/' and name a level (/app/config/)"),
    ],
)  # fmt: skip
def test_bad_construct_input_raises_value_error(build: Build, message: str) -> None:
    """The whole message: which input (an S3 prefix or an SSM path) and what it may hold."""
    stack = new_stack()
    role = iam.Role(stack, "TaskRole", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    with pytest.raises(ValueError) as raised:
        TaskPermissions(stack, "Permissions", role=role, permissions=build(stack))
    assert str(raised.value) == message


def test_an_imported_role_is_refused_rather_than_silently_ignored() -> None:
    stack = new_stack()
    role = iam.Role.from_role_arn(stack, "Imported", "arn:aws:iam::123456789012:role/other", mutable=False)
    with pytest.raises(ValueError, match="imported"):
        TaskPermissions(
            stack,
            "Permissions",
            role=role,
            permissions=[TopicPermission(sns.Topic.from_topic_arn(stack, "T", TOPIC))],
        )


# --- the spec: YAML shape, defaults, mistakes at their YAML path ------------------------------


class _Service(BaseModel):
    model_config = ConfigDict(extra="forbid")
    permissions: tuple[PermissionSpec, ...] = ()


class _Spec(BaseModel):
    """The path ``services.<name>.permissions`` as ``AppSpec`` has it, for the error translation."""

    model_config = ConfigDict(extra="forbid")
    services: dict[str, _Service]


def parse(items: str) -> _Spec:
    data, lines = parse_yaml(f"services:\n  web:\n    permissions:\n{items}")
    try:
        return _Spec.model_validate(data)
    except ValidationError as error:
        raise from_validation_error("local.yaml", error, _Spec, lines) from None


SPEC_ITEMS = f"""\
      - s3: {{bucket: "{BUCKET}", prefix: incoming/, access: read_write}}
      - sqs: {{queue: "{QUEUE}", access: consume}}
      - dynamodb: {{table: "{TABLE}", indexes: true}}
      - secret: {{arn: "{SECRET}"}}
      - parameter: {{name: /shop/config/}}
      - parameter: {{name: /shop/api-token}}
      - sns: {{topic: "{TOPIC}"}}
      - kms: {{key: "{KEY}"}}
"""


def test_every_intent_parses_with_its_documented_defaults() -> None:
    items = parse(SPEC_ITEMS).services["web"].permissions
    assert [type(i.intent).__name__ for i in items] == [
        "S3Intent", "SqsIntent", "DynamoDbIntent", "SecretIntent",
        "ParameterIntent", "ParameterIntent", "SnsIntent", "KmsIntent",
    ]  # fmt: skip
    assert parse(f'      - s3: {{bucket: "{BUCKET}"}}\n').services["web"].permissions[0].intent == S3Intent(
        bucket=BUCKET, prefix=None, access="read"
    )
    assert items[2].dynamodb is not None and items[2].dynamodb.access == "read"
    assert items[6].intent == SnsIntent(topic=TOPIC, access="publish")
    assert items[7].intent == KmsIntent(key=KEY, access="decrypt")


@pytest.mark.parametrize(
    ("item", "path", "message"),
    [
        ("sqs: {queue: orders, access: send}", "permissions[0].sqs.queue", "is not an SQS queue ARN"),
        (f's3: {{bucket: "{BUCKET}/key"}}', "permissions[0].s3.bucket", "is not an S3 bucket ARN"),
        (f's3: {{bucket: "{BUCKET}", prefix: "in*"}}', "permissions[0].s3.prefix", "no wildcards"),
        (f'dynamodb: {{table: "{QUEUE}"}}', "permissions[0].dynamodb.table", "is not a DynamoDB table ARN"),
        ('secret: {arn: "arn:aws:ssm:us-east-1:123456789012:parameter/x"}', "permissions[0].secret.arn",
         "is not a Secrets Manager ARN"),
        ("parameter: {name: /}", "permissions[0].parameter.name", "is not a parameter name"),
        ("parameter: {name: shop/db}", "permissions[0].parameter.name", "is not a parameter name"),
        (f'parameter: {{name: "{PARAMETERS}/shop/"}}', "permissions[0].parameter.name", "by name"),
        (f'sns: {{topic: "{TOPIC}", access: subscribe}}', "permissions[0].sns.access", "'publish'"),
        (f'kms: {{key: "{ALIAS}"}}', "permissions[0].kms.key", "not an alias"),
        (f'sqs: {{queue: "{QUEUE}"}}', "permissions[0].sqs.access", "required key is missing"),
        (f'sqs: {{queue: "{QUEUE}", access: send, acess: x}}', "permissions[0].sqs.acess", "mean 'access'"),
        (f'ec2: {{instance: "{QUEUE}"}}', "permissions[0].ec2", "allowed: s3, sqs, dynamodb, secret"),
        (f'{{sns: {{topic: "{TOPIC}"}}, kms: {{key: "{KEY}"}}}}', "permissions[0]", "(found sns, kms)"),
        ("{}", "permissions[0]", "give exactly one of s3, sqs, dynamodb, secret, parameter, sns, kms"),
    ],
)  # fmt: skip
def test_spec_mistakes_name_their_yaml_path_and_line(item: str, path: str, message: str) -> None:
    [problem] = problems_raised_by(lambda: parse(f"      - {item}\n"))
    assert problem.startswith(f"services.web.{path} (line 4): "), problem
    assert message in problem, problem


# --- spec to construct --------------------------------------------------------------------


def test_grant_permissions_maps_every_intent_and_imports_each_resource_once() -> None:
    stack = new_stack()
    role = iam.Role(stack, "TaskRole", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    granted = grant_permissions(stack, "web", role, parse(SPEC_ITEMS).services["web"].permissions)
    assert granted is not None
    targets = [c.node.id for c in stack.node.find_child("PermissionTargets").node.children]
    assert targets == ["Bucket0", "Queue1", "Table2", "Secret3", "Parameter5", "Topic6", "Key7"]
    text = json.dumps(assertions.Template.from_stack(stack).to_json())
    assert f"{SECRET}-??????" in text and f"{PARAMETERS}/shop/config/*" in text


def spec_policy_document() -> Any:
    """The policy document ``grant_permissions`` makes for ``SPEC_ITEMS`` on a bare stack."""
    stack = new_stack()
    role = iam.Role(stack, "TaskRole", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    grant_permissions(stack, "web", role, parse(SPEC_ITEMS).services["web"].permissions)
    template = dict(assertions.Template.from_stack(stack).to_json())
    [policy] = resources_of_type(template, "AWS::IAM::Policy").values()
    return policy["Properties"]["PolicyDocument"]


def test_grant_permissions_without_permissions_adds_nothing() -> None:
    stack = new_stack()
    role = iam.Role(stack, "TaskRole", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    assert grant_permissions(stack, "web", role, ()) is None
    assert stack.node.try_find_child("Permissions") is None


def test_grant_permissions_to_a_task_definition_files_own_role_names_the_spec_path() -> None:
    stack = new_stack()
    role = iam.Role.from_role_arn(stack, "Imported", "arn:aws:iam::123456789012:role/app", mutable=False)
    with pytest.raises(ValueError, match=r"^services\.web\.permissions: .*taskRoleArn"):
        grant_permissions(stack, "web", role, parse(SPEC_ITEMS).services["web"].permissions)


# --- wired into AppSpec and ServiceStack -------------------------------------------------------

LOCAL_TEXT = (ENVIRONMENTS_DIR / "local.yaml").read_text()


def local_with(items: str, tmp_path: Path) -> Path:
    anchor = "    environment:\n      LOG_LEVEL: info\n"
    assert anchor in LOCAL_TEXT
    (tmp_path / "local.yaml").write_text(LOCAL_TEXT.replace(anchor, f"{anchor}    permissions:\n{items}", 1))
    return tmp_path


def test_loader_reports_a_bad_arn_at_its_yaml_path(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as caught:
        load_spec("local", local_with("      - sqs: {queue: orders, access: send}\n", tmp_path))
    [problem] = caught.value.problems
    assert problem.path == "services.web.permissions[0].sqs.queue" and problem.line


def test_service_stack_grants_the_task_role_only_and_cdk_nag_accepts_it(tmp_path: Path) -> None:
    """cdk-nag runs on the whole app; only findings on this feature's policies are asserted here
    (tests/unit/test_cdk_nag.py owns the rest)."""
    from stacks.app_builder import build_environment

    spec = load_spec("local", local_with(SPEC_ITEMS, tmp_path))
    out = tmp_path / "cdk.out"
    app = cdk.App(context=cdk_context(), builtin_cloud_formation_validation=False, outdir=str(out))
    build_environment(app, spec)
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    try:
        app.synth()
    except RuntimeError:
        report = json.loads((out / "validation-report.json").read_text())
        paths = [
            (violation["ruleName"], construct["constructPath"])
            for plugin in report["pluginReports"]
            for violation in plugin["violations"]
            for construct in violation["violatingConstructs"]
        ]
        assert not [p for p in paths if "/Permissions/" in p[1]], paths
    template = json.loads((out / "shop-local-svc-web.template.json").read_text())
    policies = resources_of_type(template, "AWS::IAM::Policy")
    [permissions] = [p for k, p in policies.items() if k.startswith("Permissions")]
    [role] = permissions["Properties"]["Roles"]
    assert "TaskRole" in role["Ref"]
    assert permissions["Properties"]["PolicyDocument"] == spec_policy_document()
    others = json.dumps([p for k, p in policies.items() if not k.startswith("Permissions")])
    assert "shop-uploads" not in others and "table/orders" not in others and ":events" not in others
