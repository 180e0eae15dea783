"""A role's inline policies within IAM's 10,240 characters: config/policy_size.py against synthesis.

IAM refuses a role whose inline policies add up to more than 10,240 characters (white space
not counted), so CloudFormation fails the stack. The synthesis does not notice: the grants
of ``permissions`` are one ``iam.Policy`` that aws-cdk-lib never splits into managed
policies, and cfn-lint does not count. Grants that CDK cannot merge (each S3 prefix lists its
bucket under its own condition) reach the limit at about 50 items, so validate counts the
policies as synthesis writes them and refuses past the limit.

The oracle: for several grant sets the count config computes equals the synthesised policy
(its ARNs are literal, so exactly); the app's own statements on the task role, whose ARNs
CloudFormation fills in at deploy time, are counted at least as long as those ARNs resolve
to (realistic values put in for the intrinsics, see ``resolved``) and at most
``OWN_MARGIN`` longer; and the largest grant set validate accepts deploys, while one more
item is refused.
"""

from __future__ import annotations

import json
import re
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import assertions
from aws_cdk import aws_iam as iam

from config import AppSpec, SpecError, parse_spec
from config.permissions_schema import PermissionSpec
from config.policy_size import (
    ROLE_INLINE_LIMIT,
    grant_statements,
    merged,
    own_statements,
    policy_characters,
)
from constructs_lib.permission_statements import Statement
from stacks.permissions_from_spec import grant_permissions
from tests.cfn_lint_rules import lint_template
from tests.harness import make_app, resources_of_type, synthesise
from tests.spec_problems import TEXTS, assert_problem, refused

OWN_MARGIN = 150  # how much longer config counts the app's own statements than they deploy
ACCOUNT = "123456789012"
KEY_ID = "11111111-2222-3333-4444-555555555555"
TLS = "  service_connect_tls:\n    enabled: true\n"


def spec_in(region: str) -> AppSpec:
    return parse_spec(
        "app: shop\n"
        f'environment: {{name: test, account: "{ACCOUNT}", region: {region}, target: aws}}\n'
        "services:\n"
        "  web: {kind: backend, image: public.ecr.aws/nginx/nginx-unprivileged:1.27, port: 8080,"
        ' user: "101"}\n'
    )


def arns(region: str, partition: str = "aws") -> dict[str, str]:
    at = f"{region}:{ACCOUNT}"
    return {
        "queue": f"arn:{partition}:sqs:{at}:orders",
        "table": f"arn:{partition}:dynamodb:{at}:table/orders",
        "secret": f"arn:{partition}:secretsmanager:{at}:secret:shop/db",
        "parameter": f"arn:{partition}:ssm:{at}:parameter/shop/flag",
        "topic": f"arn:{partition}:sns:{at}:events",
        "key": f"arn:{partition}:kms:{at}:key/{KEY_ID}",
    }


def prefixes(count: int, access: str = "read_write") -> list[dict[str, Any]]:
    """``count`` S3 items CDK cannot merge: a bucket and a prefix each."""
    return [
        {
            "s3": {
                "bucket": f"arn:aws:s3:::shop-tenant-{i:03d}",
                "prefix": f"tenant-{i:03d}/in/",
                "access": access,
            }
        }
        for i in range(count)
    ]


def every_intent(region: str, partition: str = "aws") -> list[dict[str, Any]]:
    arn = arns(region, partition)
    return [
        {"s3": {"bucket": "arn:aws:s3:::shop-uploads"}},
        {"s3": {"bucket": "arn:aws:s3:::shop-exports", "prefix": "daily/", "access": "write"}},
        {"sqs": {"queue": arn["queue"], "access": "send"}},
        {"sqs": {"queue": arn["queue"] + "-dlq", "access": "consume"}},
        {"dynamodb": {"table": arn["table"], "indexes": True}},
        {"dynamodb": {"table": arn["table"] + "-audit", "access": "read_write"}},
        {"secret": {"arn": arn["secret"]}},
        {"secret": {"arn": arn["secret"] + "-AbCdEf"}},
        {"parameter": {"name": "/shop/config/"}},
        {"parameter": {"name": "/shop/flag"}},
        {"parameter": {"name": "flag"}},
        {"parameter": {"name": arn["parameter"] + "-2"}},
        {"parameter": {"name": arn["parameter"]}},  # /shop/flag again, by ARN: granted once
        {"parameter": {"name": "/XRay/sampling/"}},
        {"sns": {"topic": arn["topic"]}},
        {"kms": {"key": arn["key"], "access": "encrypt_decrypt"}},
    ]


def merged_by_cdk(region: str) -> list[dict[str, Any]]:
    """Items whose statements CDK merges: same actions (queues, topics), same resource
    (read and write of one bucket, prefix and table given separately), and repeats."""
    arn = arns(region)
    return [
        *({"sqs": {"queue": f"{arn['queue']}-{i}", "access": "send"}} for i in range(30)),
        *({"sns": {"topic": f"{arn['topic']}-{i}"}} for i in range(20)),
        {"s3": {"bucket": "arn:aws:s3:::shop-uploads", "prefix": "a/"}},
        {"s3": {"bucket": "arn:aws:s3:::shop-uploads", "prefix": "a/", "access": "write"}},
        {"s3": {"bucket": "arn:aws:s3:::shop-uploads", "prefix": "a/"}},
        {"dynamodb": {"table": arn["table"], "access": "write"}},
        {"dynamodb": {"table": arn["table"], "indexes": True}},
        {"kms": {"key": arn["key"]}},
        {"kms": {"key": arn["key"], "access": "encrypt_decrypt"}},
    ]


def merged_in_two_passes() -> list[dict[str, Any]]:
    """A parameter path and the parameter at its root: the root's read merges into the path's
    (same actions), which then has the resources of the path's list statement, merged with it in
    a second pass."""
    return [{"parameter": {"name": "/shop/config/"}}, {"parameter": {"name": "/shop/config"}}]


GRANT_SETS = {
    "every intent": ("us-east-1", every_intent("us-east-1")),
    "every intent, aws-cn": ("cn-north-1", every_intent("cn-north-1", "aws-cn")),
    "60 prefixes": ("us-east-1", prefixes(60)),
    "40 read-only prefixes": ("eu-west-1", prefixes(40, "read")),
    "merged by CDK": ("us-east-1", merged_by_cdk("us-east-1")),
    "merged in two passes": ("us-east-1", merged_in_two_passes()),
    "one item": ("ap-southeast-2", [{"sns": {"topic": arns("ap-southeast-2")["topic"]}}]),
}


def synthesised_grants_policy(region: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """The Permissions policy document ``grant_permissions`` writes for ``items``, without validation."""
    permissions = tuple(PermissionSpec.model_validate(item) for item in items)
    stack = cdk.Stack(make_app(), "Grants", env=cdk.Environment(account=ACCOUNT, region=region))
    role = iam.Role(stack, "TaskRole", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    grant_permissions(stack, "web", role, permissions)
    template = dict(assertions.Template.from_stack(stack).to_json())
    assert resources_of_type(template, "AWS::IAM::ManagedPolicy") == {}
    [policy] = resources_of_type(template, "AWS::IAM::Policy").values()
    assert policy["Properties"]["Roles"] == [{"Ref": stack.get_logical_id(role.node.default_child)}]  # type: ignore[arg-type]
    return dict(policy["Properties"]["PolicyDocument"])


def characters(document: Any) -> int:
    """The characters IAM counts: the JSON without white space."""
    return len(json.dumps(document, separators=(",", ":")))


@pytest.mark.parametrize(("region", "items"), GRANT_SETS.values(), ids=GRANT_SETS.keys())
def test_config_counts_the_grants_policy_exactly_as_synthesised(
    region: str, items: list[dict[str, Any]]
) -> None:
    document = synthesised_grants_policy(region, items)
    text = json.dumps(document)
    assert (
        "Fn::" not in text and '"Ref"' not in text
    )  # literal ARNs: the template's count is the deployed one
    permissions = [PermissionSpec.model_validate(item) for item in items]
    assert policy_characters(grant_statements(spec_in(region), permissions)) == characters(document)


def test_synthesis_alone_writes_a_policy_iam_refuses_and_nothing_notices() -> None:
    """Why validate counts: 60 unmergeable grants synthesise to one inline policy past the limit,
    not split into managed policies, and cfn-lint finds nothing to say."""
    document = synthesised_grants_policy("us-east-1", prefixes(60))
    assert characters(document) > ROLE_INLINE_LIMIT
    stack = cdk.Stack(make_app(), "Grants", env=cdk.Environment(account=ACCOUNT, region="us-east-1"))
    role = iam.Role(stack, "TaskRole", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    grant_permissions(stack, "web", role, tuple(PermissionSpec.model_validate(i) for i in prefixes(60)))
    assert lint_template(dict(assertions.Template.from_stack(stack).to_json())) == []


def resolved(value: Any, template: dict[str, Any], stack: str, region: str) -> Any:
    """``value`` with each intrinsic replaced by what CloudFormation puts there: a queue's ARN
    from its QueueName, a log group's from the name CloudFormation generates
    (<stack>-<logical id>-<13 characters>), the environment key's ARN (a UUID id). Any other
    intrinsic fails the test: a new kind of statement needs its realistic value here."""
    if isinstance(value, list):
        return [resolved(v, template, stack, region) for v in value]
    if not isinstance(value, dict):
        return value
    if "Fn::GetAtt" in value:
        logical, attribute = value["Fn::GetAtt"]
        resource = template["Resources"][logical]
        assert attribute == "Arn", value
        if resource["Type"] == "AWS::SQS::Queue":
            return f"arn:aws:sqs:{region}:{ACCOUNT}:{resource['Properties']['QueueName']}"
        if resource["Type"] == "AWS::Logs::LogGroup":
            assert "LogGroupName" not in resource["Properties"]
            return f"arn:aws:logs:{region}:{ACCOUNT}:log-group:{stack}-{logical}-{'A' * 13}:*"
    if "Fn::ImportValue" in value and "EnvironmentKey" in value["Fn::ImportValue"]:
        return f"arn:aws:kms:{region}:{ACCOUNT}:key/{KEY_ID}"
    assert not any(k.startswith("Fn::") or k == "Ref" for k in value), f"no realistic value for {value}"
    return {k: resolved(v, template, stack, region) for k, v in value.items()}


def task_role_policies(template: dict[str, Any], stack: str, region: str) -> dict[str, dict[str, Any]]:
    """The resolved documents of the inline policies on the service's task role, by logical id."""
    [role] = [
        k for k in resources_of_type(template, "AWS::IAM::Role") if k.startswith("TaskDefinitionTaskRole")
    ]
    assert not template["Resources"][role]["Properties"].get("Policies")
    assert not template["Resources"][role]["Properties"].get("ManagedPolicyArns")
    assert resources_of_type(template, "AWS::IAM::ManagedPolicy") == {}
    return {
        key: resolved(policy["Properties"]["PolicyDocument"], template, stack, region)
        for key, policy in resources_of_type(template, "AWS::IAM::Policy").items()
        if {"Ref": role} in policy["Properties"]["Roles"]
    }


FEATURES = """\
    logging: firelens
    mounts:
      - {volume: shared, path: /srv/shared}
      - {volume: uploads, path: /srv/uploads, read_only: true}
      - {volume: archive, path: /srv/archive, read_only: true}
    volumes:
      shared: {efs: {file_system_id: fs-0123456789abcdef0, access_point_id: fsap-0123456789abcdef0}}
      uploads: {efs: {file_system_id: fs-0fedcba9876543210}}
      archive: {efs: {file_system_id: fs-0aaaaaaaaaaaaaaaa}}
"""


def with_grants(count: int) -> str:
    """local, with Service Connect TLS, FireLens and EFS volumes on web and worker (everything
    the app grants a task role itself) and ``count`` unmergeable S3 items on the worker."""
    text = TEXTS["local"].replace("network:\n", f"network:\n{TLS}", 1)
    text = text.replace("    desired_count: 2\n", f"    desired_count: 2\n{FEATURES}", 1)
    items = "".join(
        f"      - s3: {{bucket: 'arn:aws:s3:::shop-tenant-{i:03d}', prefix: tenant-{i:03d}/in/,"
        " access: read_write}\n"
        for i in range(count)
    )
    worker = '    user: "65534"                 # nobody\n'
    assert text.count(worker) == 1
    return text.replace(worker, f"{worker}{FEATURES}    permissions:\n{items}", 1)


def is_accepted(count: int) -> bool:
    try:
        parse_spec(with_grants(count))
    except SpecError:
        return False
    return True


@pytest.fixture(scope="module")
def largest_accepted() -> int:
    """The most unmergeable S3 items validate accepts on the worker of ``with_grants``."""
    low, high = 1, 80
    assert is_accepted(low) and not is_accepted(high)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if is_accepted(middle) else (low, middle)
    return low


@pytest.fixture(scope="module")
def at_the_limit(largest_accepted: int) -> tuple[AppSpec, dict[str, dict[str, Any]]]:
    spec = parse_spec(with_grants(largest_accepted))
    return spec, synthesise(spec).templates


def test_the_apps_own_statements_count_at_least_what_they_deploy_as(
    at_the_limit: tuple[AppSpec, dict[str, dict[str, Any]]],
) -> None:
    spec, templates = at_the_limit
    region = spec.environment.region
    seen = set()
    for name, service in spec.services.items():
        stack = f"shop-local-svc-{name}"
        own = [
            d for k, d in task_role_policies(templates[stack], stack, region).items() if "DefaultPolicy" in k
        ]
        statements = own_statements(spec, name, service)
        estimate = policy_characters(statements) if statements else 0
        deployed = characters(own[0]) if own else 0
        assert deployed <= estimate <= deployed + OWN_MARGIN, (name, deployed, estimate)
        seen |= {
            s["Action"] if isinstance(s["Action"], str) else s["Action"][0]
            for d in own
            for s in d["Statement"]
        }
    assert seen == {  # every kind of the app's own statement was measured
        "logs:CreateLogStream", "elasticfilesystem:ClientMount", "kms:Decrypt", "sqs:ChangeMessageVisibility",
    }  # fmt: skip


# The parts of the app's own ARNs that CloudFormation names at deploy time.
DEPLOY_TIME_NAMES = (
    (re.compile(r"(:log-group:)[^:]+(:\*)$"), r"\1<log group>\2"),
    (re.compile(r"^(arn:aws:sqs:[^:]+:[0-9]+:).+$"), r"\1<queue>"),
    (re.compile(r"^(arn:aws:kms:[^:]+:[0-9]+:key/).+$"), r"\1<key id>"),
)


def placeholder_for_name(arn: str) -> str:
    for pattern, placeholder in DEPLOY_TIME_NAMES:
        arn = pattern.sub(placeholder, arn)
    return arn


def without_deploy_time_names(statement: dict[str, Any]) -> str:
    """``statement`` as sorted JSON, each resource's deploy-time name replaced by a placeholder."""
    resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
    named = sorted(placeholder_for_name(arn) for arn in resources)
    return json.dumps({**statement, "Resource": named}, sort_keys=True)


def as_template_holds(statement: Statement) -> dict[str, Any]:
    """A statement as a template holds it (one action or resource: a plain string)."""
    actions, resources = sorted(set(statement.actions)), sorted(set(statement.resources))
    rendered: dict[str, Any] = {
        "Action": actions[0] if len(actions) == 1 else actions,
        "Effect": "Allow",
        "Resource": resources[0] if len(resources) == 1 else resources,
    }
    if statement.condition:
        rendered["Condition"] = statement.condition
    return rendered


def test_the_apps_own_statements_are_the_deployed_ones_but_for_deploy_time_names(
    at_the_limit: tuple[AppSpec, dict[str, dict[str, Any]]],
) -> None:
    """Counting at the longest is only sound if the statements are the ones the app grants:
    the same actions, conditions and literal ARNs (EFS file systems, which volume may write),
    statement by statement once merged, with only the log group, queue and key id left to
    deploy time."""
    spec, templates = at_the_limit
    region = spec.environment.region
    compared = 0
    for name, service in spec.services.items():
        stack = f"shop-local-svc-{name}"
        deployed = [
            without_deploy_time_names(statement)
            for key, document in task_role_policies(templates[stack], stack, region).items()
            if "DefaultPolicy" in key
            for statement in document["Statement"]
        ]
        counted = [
            without_deploy_time_names(as_template_holds(statement))
            for statement in merged(own_statements(spec, name, service))
        ]
        assert sorted(counted) == sorted(deployed), name
        compared += len(deployed)
    assert compared >= 6


def test_the_largest_grant_set_validate_accepts_fits_and_one_more_item_is_refused(
    largest_accepted: int, at_the_limit: tuple[AppSpec, dict[str, dict[str, Any]]]
) -> None:
    spec, templates = at_the_limit
    stack = "shop-local-svc-worker"
    policies = task_role_policies(templates[stack], stack, spec.environment.region)
    deployed = sum(characters(d) for d in policies.values())
    assert deployed <= ROLE_INLINE_LIMIT  # what validate accepts, IAM accepts
    one_more = characters(
        synthesised_grants_policy("us-east-1", prefixes(largest_accepted + 1))
    ) - characters(synthesised_grants_policy("us-east-1", prefixes(largest_accepted)))
    assert deployed + one_more > ROLE_INLINE_LIMIT - OWN_MARGIN  # refused no sooner than the margin asks
    problem = assert_problem(
        refused(with_grants(largest_accepted + 1)),
        "services.worker.permissions",
        "the task role's inline policies would hold",
    )
    assert "IAM allows at most 10,240 per role (white space not counted), so the deployment would fail" in (
        problem.message
    )
    assert (
        "e.g. one s3 item per bucket (a shorter prefix, or none) rather than one per prefix"
        in problem.message
    )
    own = policy_characters(own_statements(spec, "worker", spec.services["worker"]))  # held above
    assert f", up to {own:,} for what the app grants the role itself);" in problem.message


def test_a_batch_jobs_grants_past_the_limit_are_refused_at_its_permissions() -> None:
    items = "".join(
        f"        - s3: {{bucket: 'arn:aws:s3:::shop-tenant-{i:03d}', prefix: tenant-{i:03d}/in/}}\n"
        for i in range(80)
    )
    anchor = "      timeout_minutes: 30\n"
    problem = assert_problem(
        refused(TEXTS["local"].replace(anchor, f"{anchor}      permissions:\n{items}", 1)),
        "batch.jobs.thumbnails.permissions",
        "the job role's inline policies would hold",
    )
    assert "for these 80 items); IAM allows" in problem.message  # a job role holds nothing else


def at_the_limit_job(pad: int) -> tuple[list[dict[str, Any]], str]:
    """49 read-only prefixes, a parameter path (its ARN from local's account and region, as in
    ``synthesised_grants_policy``) and a write-only prefix of ``pad`` letters on local's batch
    job: the items, and local's spec with them."""
    items = [
        *prefixes(49, "read"),
        {"parameter": {"name": "/shop/config/"}},
        {"s3": {"bucket": "arn:aws:s3:::shop-exports", "prefix": "p" * pad + "/", "access": "write"}},
    ]
    lines = "".join(f"        - {json.dumps(item)}\n" for item in items)
    anchor = "      timeout_minutes: 30\n"
    return items, TEXTS["local"].replace(anchor, f"{anchor}      permissions:\n{lines}", 1)


def test_a_role_at_exactly_the_limit_is_accepted_and_one_character_more_refused() -> None:
    """IAM refuses inline policies *over* 10,240 characters: a batch job's role (which holds only
    its grants) at exactly 10,240, as synthesised, validates; one more letter in a prefix is refused,
    with the count and what to do."""
    items, text = at_the_limit_job(181)
    assert characters(synthesised_grants_policy("us-east-1", items)) == ROLE_INLINE_LIMIT
    parse_spec(text)
    items, text = at_the_limit_job(182)
    assert characters(synthesised_grants_policy("us-east-1", items)) == ROLE_INLINE_LIMIT + 1
    problem = assert_problem(refused(text), "batch.jobs.thumbnails.permissions", "the job role's")
    assert problem.message == (
        "the job role's inline policies would hold 10,241 characters (10,241 for these 51 items); IAM "
        "allows at most 10,240 per role (white space not counted), so the deployment would fail: use "
        "fewer items, e.g. one s3 item per bucket (a shorter prefix, or none) rather than one per "
        "prefix, or a parameter path (/app/config/) rather than one item per parameter"
    )
