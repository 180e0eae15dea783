"""``VersionedTaskDefinition``'s grants: EFS mounts, environment files, secret decryption.

Each grant is the exact statements AWS needs for the task to start, written out as literals;
the task's own roles have them from the start, and ``grant_*`` gives them to another role.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import assertions
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3

from constructs_lib import (
    ContainerProps,
    IRetainedTaskDefinition,
    MountProps,
    NativeTaskDefinition,
    SecretKey,
    SecretStore,
    VersionedTaskDefinition,
)
from tests.harness import make_app, new_stack

IMAGE = ecs.ContainerImage.from_registry("public.ecr.aws/nginx/nginx:1.27")
KEY_A = "arn:aws:kms:us-east-1:123456789012:key/aaaaaaaa-1111-2222-3333-444444444444"
KEY_B = "arn:aws:kms:us-east-1:123456789012:key/bbbbbbbb-1111-2222-3333-444444444444"
KEY_C = "arn:aws:kms:us-east-1:123456789012:key/cccccccc-1111-2222-3333-444444444444"
EFS_SHARED = "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0123456789abcdef0"
EFS_UPLOADS = "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0fedcba9876543210"


def efs(name: str, file_system_id: str, iam_auth: bool = True) -> ecs.Volume:
    return ecs.Volume(
        name=name,
        efs_volume_configuration=ecs.EfsVolumeConfiguration(
            file_system_id=file_system_id,
            transit_encryption="ENABLED",
            authorization_config=ecs.AuthorizationConfig(iam="ENABLED") if iam_auth else None,
        ),
    )


def task(stack: cdk.Stack, containers: list[ContainerProps], **props: Any) -> VersionedTaskDefinition:
    return VersionedTaskDefinition(
        stack, "Task", family="shop-test-web", cpu=256, memory_mib=512, containers=containers, **props
    )


def statements(template: assertions.Template, role_prefix: str) -> list[Any]:
    """The statements of the default policy of the role whose logical ID starts with ``role_prefix``."""
    policies = template.find_resources("AWS::IAM::Policy")
    [policy] = [p for logical_id, p in policies.items() if logical_id.startswith(role_prefix)]
    return list(policy["Properties"]["PolicyDocument"]["Statement"])


def efs_task(stack: cdk.Stack) -> VersionedTaskDefinition:
    return task(
        stack,
        [
            ContainerProps(
                "web",
                IMAGE,
                mounts=[
                    MountProps("shared", "/srv/shared"),
                    MountProps("uploads", "/srv/uploads", read_only=True),
                    MountProps("legacy", "/srv/legacy"),
                ],
            )
        ],
        volumes=[
            efs("shared", "fs-0123456789abcdef0"),
            efs("uploads", "fs-0fedcba9876543210"),
            efs("legacy", "fs-0aaaaaaaaaaaaaaaa", iam_auth=False),  # no IAM authorisation: no grant
            ecs.Volume(name="scratch"),
        ],
    )


EFS_STATEMENTS = [
    {
        "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
        "Effect": "Allow",
        "Resource": EFS_SHARED,
    },
    {"Action": "elasticfilesystem:ClientMount", "Effect": "Allow", "Resource": EFS_UPLOADS},
]


def test_task_role_mounts_iam_authorised_efs_volumes_and_writes_only_where_a_container_does() -> None:
    stack = new_stack()
    efs_task(stack)
    assert statements(assertions.Template.from_stack(stack), "TaskTaskDefinitionTaskRole") == EFS_STATEMENTS


def test_grant_efs_access_gives_another_role_the_same_statements() -> None:
    stack = new_stack()
    construct = efs_task(stack)
    other = iam.Role(stack, "Debug", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    grant = construct.grant_efs_access(other)
    assert grant.success
    assert statements(assertions.Template.from_stack(stack), "DebugDefaultPolicy") == EFS_STATEMENTS


def test_no_efs_volume_no_task_role_policy() -> None:
    stack = new_stack()
    task(stack, [ContainerProps("web", IMAGE)])
    policies = assertions.Template.from_stack(stack).find_resources("AWS::IAM::Policy")
    assert not [logical_id for logical_id in policies if logical_id.startswith("TaskTaskDefinitionTaskRole")]


def test_execution_role_reads_exactly_the_environment_files_and_locates_their_buckets() -> None:
    stack = new_stack()
    config = s3.Bucket.from_bucket_name(stack, "Config", "shop-config")
    shared = s3.Bucket.from_bucket_name(stack, "Shared", "shop-shared")
    task(
        stack,
        [
            ContainerProps(
                "web",
                IMAGE,
                environment_files=[
                    ecs.EnvironmentFile.from_bucket(config, "web.env"),
                    ecs.EnvironmentFile.from_bucket(shared, "common.env"),
                ],
            ),
            ContainerProps(
                "worker", IMAGE, environment_files=[ecs.EnvironmentFile.from_bucket(shared, "common.env")]
            ),
        ],
    )
    s3_statements = [
        s
        for s in statements(assertions.Template.from_stack(stack), "TaskTaskDefinitionExecutionRole")
        if "s3:" in str(s)
    ]
    assert s3_statements == [
        {
            "Action": "s3:GetObject",
            "Effect": "Allow",
            "Resource": ["arn:aws:s3:::shop-config/web.env", "arn:aws:s3:::shop-shared/common.env"],
        },
        {
            "Action": "s3:GetBucketLocation",
            "Effect": "Allow",
            "Resource": ["arn:aws:s3:::shop-config", "arn:aws:s3:::shop-shared"],
        },
    ]


def test_grant_read_environment_files_without_files_grants_nothing() -> None:
    stack = new_stack()
    construct = task(stack, [ContainerProps("web", IMAGE)])
    other = iam.Role(stack, "Other", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    construct.grant_read_environment_files(other)
    construct.grant_decrypt_secrets(other)
    construct.grant_efs_access(other)
    policies = assertions.Template.from_stack(stack).find_resources("AWS::IAM::Policy")
    assert not [logical_id for logical_id in policies if logical_id.startswith("Other")]


def secret_keys_task(stack: cdk.Stack, key_a: kms.IKey) -> VersionedTaskDefinition:
    key_b = kms.Key.from_key_arn(stack, "KeyB", KEY_B)
    key_c = kms.Key.from_key_arn(stack, "KeyC", KEY_C)
    return task(
        stack,
        [
            ContainerProps(
                "web",
                IMAGE,
                secret_keys=[SecretKey(key_c), SecretKey(key_b, SecretStore.SSM_PARAMETER_STORE)],
            ),
            ContainerProps(
                "worker", IMAGE, secret_keys=[SecretKey(key_a, SecretStore.SECRETS_MANAGER), SecretKey(key_c)]
            ),
        ],
    )


def test_execution_role_decrypts_with_each_key_only_through_its_store() -> None:
    stack = new_stack()
    secret_keys_task(stack, kms.Key.from_key_arn(stack, "KeyA", KEY_A))
    decrypts = [
        s
        for s in statements(assertions.Template.from_stack(stack), "TaskTaskDefinitionExecutionRole")
        if "kms:" in str(s)
    ]
    assert decrypts == [
        {
            "Action": "kms:Decrypt",
            "Condition": {"StringEquals": {"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"}},
            "Effect": "Allow",
            "Resource": [KEY_A, KEY_C],
        },
        {
            "Action": "kms:Decrypt",
            "Condition": {"StringEquals": {"kms:ViaService": "ssm.us-east-1.amazonaws.com"}},
            "Effect": "Allow",
            "Resource": KEY_B,
        },
    ]


def test_a_key_from_another_stack_is_granted_on_the_role_not_on_the_key_policy() -> None:
    app = make_app()
    env = cdk.Environment(account="123456789012", region="us-east-1")
    key_stack = cdk.Stack(app, "Keys", env=env)
    key = kms.Key(key_stack, "EnvironmentKey")
    task_stack = cdk.Stack(app, "Tasks", env=env)
    secret_keys_task(task_stack, key)
    app.synth()  # a grant on the key policy would make the two stacks depend on each other
    key_policy = assertions.Template.from_stack(key_stack).find_resources("AWS::KMS::Key")
    assert "Tasks" not in str(key_policy) and "ExecutionRole" not in str(key_policy)
    [via_secrets_manager, _] = [
        s
        for s in statements(assertions.Template.from_stack(task_stack), "TaskTaskDefinitionExecutionRole")
        if "kms:" in str(s)
    ]
    [literal, imported] = via_secrets_manager["Resource"]
    assert literal == KEY_C
    assert imported["Fn::ImportValue"].startswith("Keys:ExportsOutputFnGetAttEnvironmentKey")


def test_both_task_definition_kinds_are_retained_task_definitions() -> None:
    stack = new_stack()
    versioned: IRetainedTaskDefinition = task(stack, [ContainerProps("web", IMAGE)])
    native: IRetainedTaskDefinition = NativeTaskDefinition(
        stack,
        "Native",
        document={
            "family": "shop-test-native",
            "containerDefinitions": [{"name": "web", "image": "public.ecr.aws/nginx/nginx:1.27"}],
            "cpu": "256",
            "memory": "512",
        },
    )
    assert (versioned.family, native.family) == ("shop-test-web", "shop-test-native")
    assert versioned.log_group is not None and native.log_group is None
    assert isinstance(versioned.task_definition, ecs.TaskDefinition)
    assert isinstance(native.task_definition, ecs.TaskDefinition)
